/**
 * One GET with undici's low-level `request` (no redirect following; much less
 * overhead per call than fetch, which matters for thousands of checks). Every
 * read of an index page goes through here, so limits on size and time live in
 * one place: a body larger than `maxBytes` and an answer not complete within
 * `deadlineMs` (however slowly it trickles) end as an HttpError that names the
 * limit, and the run's interrupt signal (Ctrl-C) ends a read at once.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { connectionMessage, HttpError } from './http.js';

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
  const maxBytes = limits.maxBytes ?? PAGE_MAX_BYTES;
  const deadlineMs = limits.deadlineMs ?? PAGE_DEADLINE_MS;
  const interrupt = limits.signal;
  if (interrupt?.aborted) throw interruptedError('GET', url);
  const { defaultDispatcher, parseHeaders } = await undici();
  // Again after the wait: an abort while undici loaded fired no event the listener below could still hear.
  if (interrupt?.aborted) throw interruptedError('GET', url);
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    throw new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err });
  }
  // The dispatcher's own handler interface, not `request`: no body stream, async
  // iterator or combined abort signals per read. Those were a third of
  // `check`'s CPU over a thousand pages (bench/check-reserve, --cpu-prof); here
  // the bytes are collected as they arrive and one timer keeps the deadline.
  return new Promise<TextResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let headers: TextResponse['headers'] = {};
    let abortRequest: ((reason: Error) => void) | undefined;
    let failure: HttpError | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      interrupt?.removeEventListener('abort', onInterrupt);
      outcome();
    };
    // Ends the exchange with `err`: at once for the caller, and for the connection as soon as undici lets us.
    const stop = (err: HttpError) => {
      failure ??= err;
      settle(() => reject(err));
      abortRequest?.(err);
    };
    const onInterrupt = () => stop(interruptedError('GET', url));
    const timer = setTimeout(() => stop(deadlineError('GET', url, deadlineMs)), deadlineMs);
    interrupt?.addEventListener('abort', onInterrupt, { once: true });
    (dispatcher ?? defaultDispatcher()).dispatch(
      { origin: target.origin, path: `${target.pathname}${target.search}`, method: 'GET', headers: { ...extraHeaders, accept, 'user-agent': 'pypi-reserve' } },
      {
        onConnect: (abort: (reason: Error) => void) => {
          abortRequest = abort;
          if (failure) abort(failure);
        },
        onHeaders: (statusCode: number, rawHeaders: Buffer[]) => {
          status = statusCode;
          headers = parseHeaders(rawHeaders);
          return true;
        },
        onData: (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > maxBytes) {
            stop(tooLargeError('GET', url, maxBytes));
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete: () => settle(() => resolve({ status, headers, body: Buffer.concat(chunks, size).toString('utf8') })),
        onError: (err: Error) => {
          const mapped = failure ?? (err instanceof HttpError ? err : new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err }));
          settle(() => reject(mapped));
        },
      } as unknown as Dispatcher.DispatchHandler,
    );
  });
}

/**
 * Reads a response body as UTF-8 text, refusing more than `maxBytes`: the
 * stream is destroyed at the first byte too many, so an endless body costs at
 * most the cap. For any HTTP body (undici's `request` or `fetch`).
 */
export async function readCappedText(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, maxBytes: number, method: string, url: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy?.();
      throw tooLargeError(method, url, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** The HttpError for an aborted request: interrupted by the user, or past its deadline; undefined when neither. */
export function abortError(method: string, url: string, interrupt: AbortSignal | undefined, deadline: AbortSignal, deadlineMs: number): HttpError | undefined {
  if (interrupt?.aborted) return interruptedError(method, url);
  if (deadline.aborted) return deadlineError(method, url, deadlineMs);
  return undefined;
}

function interruptedError(method: string, url: string): HttpError {
  return new HttpError({ method, url, code: 'EINTERRUPTED', message: 'interrupted' });
}

/** The HttpError for an exchange not complete within its deadline. */
export function deadlineError(method: string, url: string, deadlineMs: number): HttpError {
  return new HttpError({ method, url, code: 'ETIMEOUT', message: `no complete answer within ${Math.round(deadlineMs / 1000)} s; the server is too slow or stalled` });
}

/** The HttpError for an answer body past its cap. */
export function tooLargeError(method: string, url: string, maxBytes: number): HttpError {
  return new HttpError({ method, url, code: 'ETOOLARGE', message: `the answer is larger than ${describeBytes(maxBytes)}; it was not read further` });
}

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
