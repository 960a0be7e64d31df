/**
 * Sends one upload form to the legacy API (fact sheet §2) as one prebuilt
 * multipart body (core/multipart: the description keeps its line endings) with
 * undici's low-level `request`, which costs far less per call than fetch.
 * Redirects are never followed: a redirected POST could carry the token
 * somewhere else, and PyPI's only redirect here (`/legacy` → `/legacy/`) means
 * the URL is wrong.
 *
 * The answer is bounded in time and size: a server that never finishes, or
 * streams without end, cannot hold the run; Warehouse's answers are a few KiB.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { encodeMultipart } from '../core/multipart.js';
import type { UploadForm } from '../core/upload-form.js';
import type { Credential } from './credentials.js';
import { connectionMessage, HttpError } from './http.js';
import type { ServerAnswer } from './responses.js';

/** Longest wait for the whole exchange, request sent to answer read. */
export const UPLOAD_DEADLINE_MS = 120_000;
/** Bytes of the answer body kept; the rest is not read. */
export const UPLOAD_ANSWER_MAX_BYTES = 1024 * 1024;

export interface UploadLimits {
  deadlineMs?: number;
  maxAnswerBytes?: number;
}

export async function sendUpload(
  uploadUrl: string,
  form: UploadForm,
  credential: Credential,
  dispatcher: Dispatcher | undefined,
  limits: UploadLimits = {},
): Promise<ServerAnswer> {
  const deadlineMs = limits.deadlineMs ?? UPLOAD_DEADLINE_MS;
  const { contentType, body } = encodeMultipart(form);
  const authorization = `Basic ${Buffer.from(`${credential.username}:${credential.token}`).toString('base64')}`;
  const { request } = await undici();
  try {
    const response = await request(uploadUrl, {
      method: 'POST',
      body,
      // HTML like twine gets (*/*), so answers match what the fact sheet records.
      headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve', 'content-type': contentType, 'content-length': String(body.length) },
      signal: AbortSignal.timeout(deadlineMs),
      ...(dispatcher ? { dispatcher } : {}),
    });
    const text = await readCapped(response.body, limits.maxAnswerBytes ?? UPLOAD_ANSWER_MAX_BYTES);
    return { status: response.statusCode, reason: response.statusText ?? '', body: text, headers: toHeaders(response.headers) };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || (err.cause instanceof Error && err.cause.name === 'TimeoutError'));
    const message = timedOut ? `no complete answer within ${deadlineMs / 1000} s` : connectionMessage(err);
    throw new HttpError({ method: 'POST', url: uploadUrl, message, cause: err });
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function toHeaders(record: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  return headers;
}
