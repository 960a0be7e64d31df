/**
 * One GET of an index page (registry/exchange.ts: no redirect following, much
 * less overhead per call than fetch, which matters for thousands of checks).
 * Every read of an index page goes through here, so limits on size and time
 * live in one place: a body larger than `maxBytes` and an answer not complete
 * within `deadlineMs` (however slowly it trickles) end as an HttpError that
 * names the limit, and the run's interrupt signal (Ctrl-C) ends a read at once.
 */
import type { Dispatcher } from 'undici';
import { exchange } from './exchange.js';

export interface TextResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ReadLimits {
  /** Largest body accepted, in bytes (after any decoding the server applied). */
  maxBytes?: number;
  /** Time for the whole exchange, from sending the request to the body's last byte. */
  deadlineMs?: number;
  /** The run's interrupt: aborting it ends the read at once. */
  signal?: AbortSignal;
}

/**
 * A project page of PyPI's largest projects is a few MB (JSON or HTML); the
 * cap leaves room for that and still bounds memory at concurrency × cap.
 */
export const PAGE_MAX_BYTES = 32 * 1024 * 1024;
/** Long enough for a slow mirror to send a large page, short enough that a trickling server ends. */
export const PAGE_DEADLINE_MS = 120_000;

export async function getText(
  url: string,
  accept: string,
  dispatcher: Dispatcher | undefined,
  limits: ReadLimits = {},
  extraHeaders: Record<string, string> = {},
): Promise<TextResponse> {
  const answer = await exchange({
    method: 'GET',
    url,
    headers: { ...extraHeaders, accept, 'user-agent': 'pypi-reserve' },
    dispatcher,
    maxBytes: limits.maxBytes ?? PAGE_MAX_BYTES,
    deadlineMs: limits.deadlineMs ?? PAGE_DEADLINE_MS,
    ...(limits.signal ? { signal: limits.signal } : {}),
  });
  // A page is its whole body: one cut short is no answer.
  if (answer.unread) throw answer.unread;
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
