/**
 * The one HTTP error type and the one retry policy.
 *
 * Reads are idempotent and retried with exponential backoff and full jitter on
 * connection errors and RETRYABLE_STATUSES. Uploads use the same policy minus
 * 429: a 429 on upload is PyPI's new-project quota, and retrying it only spends
 * more of the caller's patience without ever succeeding (fact sheet §5).
 */
import { ReserveError } from '../core/errors.js';

/** Statuses after which the same request may succeed: rate limiting and server trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * The most header bytes an answer may have: Node's own default for its HTTP
 * parser, set on every agent here, so a hostile index's headers stay bounded
 * whatever Node's flags say (undici would take `--max-http-header-size`).
 */
export const MAX_HEADER_BYTES = 16 * 1024;
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
  /**
   * `code` for failures without a status: ECONNECTION (no answer), ETIMEOUT
   * (past the deadline), ETOOLARGE (body over its cap), EINTERRUPTED (Ctrl-C).
   */
  constructor(init: { method: string; url: string; status?: number; reason?: string; body?: string; cause?: unknown; message?: string; retryAfterMs?: number; code?: string }) {
    const what = init.status !== undefined ? `${init.status} ${init.reason ?? ''}`.trim() : (init.message ?? 'request failed');
    super(`[${init.method}] ${JSON.stringify(init.url)}: ${what}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HttpError';
    this.code = init.status !== undefined ? `E${init.status}` : (init.code ?? 'ECONNECTION');
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

/** Whether undici gave up on an answer because its headers passed the agent's MAX_HEADER_BYTES. */
export function headersOverflowed(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'UND_ERR_HEADERS_OVERFLOW';
}

/** The code the bundled program gives a file of its own it cannot read (scripts/bundle.mjs: undici's parser). */
export const INSTALLATION_DAMAGED = 'E_INSTALLATION_DAMAGED';

/**
 * A request that failed because pypi-reserve's own files are missing or
 * damaged, not because of the network: a stop with that said, never a retry
 * or a read reported as the index being unreachable.
 */
export function installationDamage(err: unknown): ReserveError | undefined {
  if ((err as { code?: unknown } | null)?.code !== INSTALLATION_DAMAGED) return undefined;
  return new ReserveError(INSTALLATION_DAMAGED, (err as Error).message, { hint: 'reinstall pypi-reserve (its package is incomplete or changed)', cause: err });
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
  /** The run's server-level backoff, shared by every read (see ReadGate). */
  gate?: ReadGate;
  /** The run's interrupt: no retry, no wait once it is aborted. */
  signal?: AbortSignal;
}

/** Failures that another try cannot mend: the same limit would be hit again, or the user asked to stop. */
const FINAL_CODES: ReadonlySet<string> = new Set(['ETIMEOUT', 'ETOOLARGE', 'EINTERRUPTED']);

/**
 * A failed read worth another try: no answer at all, a RETRYABLE_STATUSES
 * status, or a 200 whose body was not what the API promises (a proxy's error
 * page, a truncated body), which is usually passing trouble too.
 */
export function isRetryableRead(err: unknown): boolean {
  return (
    err instanceof HttpError &&
    !FINAL_CODES.has(err.code) &&
    (err.status === undefined || RETRYABLE_STATUSES.has(err.status) || err.status === 200)
  );
}

/**
 * One backoff for the whole server. A 429 says "this client is too fast", not
 * "this URL": when one read gets it, every read of the run waits, and once the
 * server has answered 429 through `policy.attempts` waits in a row with no
 * success between, the remaining reads fail at once instead of each asking
 * again (200 names no longer make 1,000 GETs). 429s of requests sent in the
 * same round (concurrent reads) count once.
 */
export class ReadGate {
  private openAt = 0;
  private round = 0;
  private strikes = 0;
  private refusal: HttpError | undefined;
  constructor(private readonly policy: RetryPolicy = READ_RETRY) {}

  /** Waits while the server asked us to; throws its last 429 once it has refused too often. Returns the round the read belongs to. */
  async pass(ctx: RetryContext): Promise<number> {
    if (this.refusal && this.strikes >= this.policy.attempts) throw this.refusal;
    const wait = this.openAt - ctx.now();
    if (wait > 0) await interruptibleSleep(ctx, wait);
    return this.round;
  }

  /** A 429 to a read sent in `round`: the first of its round closes the gate for `delayMs`. */
  refused(round: number, err: HttpError, delayMs: number, now: number): void {
    if (round !== this.round) return;
    this.round++;
    this.strikes++;
    this.refusal = new HttpError({
      method: err.method,
      url: err.url,
      status: 429,
      reason: `Too Many Requests (the index kept rate-limiting reads; ${this.strikes} waits, the rest not asked)`,
    });
    this.openAt = Math.max(this.openAt, now + delayMs);
  }

  succeeded(): void {
    this.strikes = 0;
  }
}

/**
 * Runs a read with the retry policy: connection errors and RETRYABLE_STATUSES
 * are retried with backoff and jitter (a Retry-After header, when sent, sets
 * the floor; a 429 makes the whole run wait through `ctx.gate`); anything else
 * is thrown at once.
 */
export async function withReadRetries<T>(run: () => Promise<T>, ctx: RetryContext, policy: RetryPolicy = READ_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const round = ctx.gate ? await ctx.gate.pass(ctx) : 0;
    try {
      const result = await run();
      ctx.gate?.succeeded();
      return result;
    } catch (err) {
      if (ctx.signal?.aborted || !(ctx.isRetryable ?? isRetryableRead)(err)) throw err;
      // The server's Retry-After is a floor (capped: a read is never worth a long wait).
      const asked = err instanceof HttpError && err.retryAfterMs !== undefined ? Math.min(err.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
      const delayMs = Math.max(backoffDelay(policy, attempt, ctx.random), asked);
      // Every 429 tells the whole run, this name's last attempt included.
      const rateLimited = ctx.gate !== undefined && err instanceof HttpError && err.status === 429;
      if (rateLimited) ctx.gate!.refused(round, err as HttpError, delayMs, ctx.now());
      if (attempt + 1 >= policy.attempts) throw err;
      ctx.onRetry?.({ attempt: attempt + 1, delayMs, reason: (err as Error).message });
      if (rateLimited) continue;
      await interruptibleSleep(ctx, delayMs);
      if (ctx.signal?.aborted) throw err;
    }
  }
}

/** A retry wait that ends early when the run is interrupted. */
function interruptibleSleep(ctx: RetryContext, ms: number): Promise<void> {
  const { signal } = ctx;
  if (!signal) return ctx.sleep(ms);
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void ctx.sleep(ms).then(done);
  });
}
