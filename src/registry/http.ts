/**
 * The one HTTP error type and the one retry policy.
 *
 * Reads are idempotent and retried with exponential backoff and full jitter on
 * connection errors and RETRYABLE_STATUSES. Uploads use the same policy minus
 * 429: a 429 on upload is PyPI's new-project quota, and retrying it only spends
 * more of the caller's patience without ever succeeding (fact sheet §5).
 */

/** Statuses after which the same request may succeed: rate limiting and server trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** For uploads: server trouble only. */
export const RETRYABLE_UPLOAD_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export class HttpError extends Error {
  readonly code: string;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly body: string | undefined;
  /** What the server's Retry-After asked for, if anything. */
  readonly retryAfterMs: number | undefined;
  constructor(init: { method: string; url: string; status?: number; reason?: string; body?: string; cause?: unknown; message?: string; retryAfterMs?: number }) {
    const what = init.status !== undefined ? `${init.status} ${init.reason ?? ''}`.trim() : (init.message ?? 'request failed');
    super(`[${init.method}] ${JSON.stringify(init.url)}: ${what}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HttpError';
    this.code = init.status !== undefined ? `E${init.status}` : 'ECONNECTION';
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const READ_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };
export const UPLOAD_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 15_000 };

/** The longest Retry-After a read honours before giving up on the server's advice. */
export const MAX_RETRY_AFTER_MS = 60_000;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: a random delay in [0, min(max, base·2^attempt)]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** A one-line reason from a network error (undici nests the system error in `cause`). */
export function connectionMessage(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds, if present and sane. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The one classifier for "plain http may carry credentials here": `localhost`,
 * `127.0.0.0/8` and `::1`, as WHATWG URL parsing normalises them (`127.1`,
 * `0x7f.1` become `127.0.0.1`). Other spellings that may reach this machine
 * (IPv4-mapped `::ffff:127.0.0.1`, `0.0.0.0`, `localhost.`) are not loopback
 * here: refusing credentials costs a test nothing, sending them in clear could.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface RetryContext {
  sleep: Sleep;
  random?: () => number;
  now: () => number;
  /** Told about each retry, for the progress display and diagnostics. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Which failures are worth another try; by default `isRetryableRead`. */
  isRetryable?: (err: unknown) => boolean;
}

/**
 * A failed read worth another try: no answer at all, a RETRYABLE_STATUSES
 * status, or a 200 whose body was not what the API promises (a proxy's error
 * page, a truncated body), which is usually passing trouble too.
 */
export function isRetryableRead(err: unknown): boolean {
  return err instanceof HttpError && (err.status === undefined || RETRYABLE_STATUSES.has(err.status) || err.status === 200);
}

/**
 * Runs a read with the retry policy: connection errors and RETRYABLE_STATUSES
 * are retried with backoff and jitter (a Retry-After header, when sent, sets
 * the floor); anything else is thrown at once.
 */
export async function withReadRetries<T>(run: () => Promise<T>, ctx: RetryContext, policy: RetryPolicy = READ_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(ctx.isRetryable ?? isRetryableRead)(err) || attempt + 1 >= policy.attempts) throw err;
      // The server's Retry-After is a floor (capped: a read is never worth a long wait).
      const asked = err instanceof HttpError && err.retryAfterMs !== undefined ? Math.min(err.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
      const delayMs = Math.max(backoffDelay(policy, attempt, ctx.random), asked);
      ctx.onRetry?.({ attempt: attempt + 1, delayMs, reason: (err as Error).message });
      await ctx.sleep(delayMs);
    }
  }
}
