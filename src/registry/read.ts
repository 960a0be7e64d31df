/**
 * One GET with undici's low-level `request` (no redirect following; much less
 * overhead per call than fetch, which matters for thousands of checks). Every
 * read of an index page goes through here, so limits on size and time live in
 * one place.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { connectionMessage, HttpError } from './http.js';

export interface TextResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function getText(url: string, accept: string, dispatcher: Dispatcher | undefined, extraHeaders: Record<string, string> = {}): Promise<TextResponse> {
  try {
    const { request } = await undici();
    const response = await request(url, { method: 'GET', headers: { ...extraHeaders, accept, 'user-agent': 'pypi-reserve' }, ...(dispatcher ? { dispatcher } : {}) });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  } catch (err) {
    throw new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err });
  }
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
