/**
 * Downloads a simple index's root listing (`/simple/`): every project name the
 * index holds. A conditional GET (`If-None-Match` / `If-Modified-Since`) lets a
 * cached copy be confirmed with a 304 instead of a ~30 MB download.
 *
 * Reusable for any PEP 503/691 index: pass `headers` (e.g. Authorization) and a
 * `dispatcher` (proxy, test mock). Credentials in the URL (`https://user:pw@host/`)
 * are sent as Basic auth and never appear in messages.
 */
import type { Readable, Transform } from 'node:stream';
import { constants } from 'node:buffer';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { connectionMessage, headersOverflowed, installationDamage, isLoopbackHost, RETRYABLE_STATUSES } from './http.js';
import { ReserveError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { parseProjectList, PROJECT_LIST_JSON_TYPE } from '../core/project-list-parse.js';

/** HTTP validators of a copy the caller already has. */
export interface ProjectListValidators {
  etag?: string;
  lastModified?: string;
}

export interface FetchProjectListOptions {
  /** undici dispatcher (Agent, ProxyAgent, MockAgent); the global one by default. */
  dispatcher?: Dispatcher;
  /** Extra request headers, e.g. `{ authorization: 'Basic …' }` for a private index. */
  headers?: Record<string, string>;
  /** Makes the request conditional; a 304 then returns `{ status: 'not-modified' }`. */
  validators?: ProjectListValidators;
  signal?: AbortSignal;
  /** Time allowed for the response headers and between body chunks (default 30 s). */
  timeoutMs?: number;
  /** Largest body accepted after decompression (default 512 MiB), so a gzip bomb ends as an error. */
  maxBytes?: number;
  /** Time for the whole download, however slowly it trickles (default 10 minutes). */
  deadlineMs?: number;
}

export type ProjectListResponse =
  /** `url`: where the listing was served from, after redirects (credentials removed). */
  | { status: 'fresh'; projects: string[]; url: string; etag?: string; lastModified?: string }
  | { status: 'not-modified' };

/**
 * The listing could not be fetched. `code` says why: `E_PROJECT_LIST_NETWORK`
 * (no answer; `status` undefined), `E_PROJECT_LIST_HTTP` (an answer other than
 * 200/304, or an unusable body encoding), `E_PROJECT_LIST_FORMAT` (a 200 whose
 * body is not a listing; the message starts with the URL),
 * `E_PROJECT_LIST_TOO_LARGE` (a body over the cap, counted after decompression),
 * `E_PROJECT_LIST_TIMEOUT` (not complete within the deadline),
 * `E_PROJECT_LIST_HEADERS_TOO_LARGE` (headers past the agent's cap; not retried).
 */
/**
 * Whether a failed listing fetch is worth another try: no answer at all, or a
 * RETRYABLE_STATUSES answer; never one past its deadline or with oversized
 * headers, which another try would only repeat.
 */
export function isRetryableListingError(err: unknown): boolean {
  return (
    err instanceof ProjectListFetchError &&
    err.code !== 'E_PROJECT_LIST_TIMEOUT' &&
    err.code !== 'E_PROJECT_LIST_HEADERS_TOO_LARGE' &&
    (err.status === undefined || RETRYABLE_STATUSES.has(err.status))
  );
}

export class ProjectListFetchError extends ReserveError {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(code: string, message: string, options: { status?: number; hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

const ACCEPT = `${PROJECT_LIST_JSON_TYPE}, text/html;q=0.1`;
const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** PyPI's listing (~30 MB) takes seconds; ten minutes is generous for a slow mirror and still ends a stalled one. */
const DEFAULT_DEADLINE_MS = 10 * 60_000;

/**
 * GETs the project listing at `indexUrl` (the index's simple root, e.g.
 * `https://pypi.org/simple/`; a missing trailing slash is added). Follows up to
 * five redirects, dropping Authorization when one leaves the origin.
 *
 * Throws `ProjectListFetchError`; an abort through `signal` rejects with the
 * abort reason. No retries here (the caller owns the policy: see preflight.ts).
 */
export async function fetchProjectList(
  indexUrl: string,
  options: FetchProjectListOptions = {},
): Promise<ProjectListResponse> {
  const { url: startUrl, authorization } = splitCredentials(listingUrl(indexUrl));
  const headers: Record<string, string> = {
    accept: ACCEPT,
    'accept-encoding': 'gzip',
    ...(authorization ? { authorization } : {}),
    ...lowercaseKeys(options.headers ?? {}),
  };
  const start = new URL(startUrl);
  if (headers['authorization'] && start.protocol === 'http:' && !isLoopbackHost(start.hostname)) {
    throw new ReserveError('E_INDEX_INSECURE', `refusing to send credentials over plain http to ${start.host}`, {
      hint: 'use the https:// URL of the index (plain http carries credentials only to loopback addresses)',
    });
  }
  const { etag, lastModified } = options.validators ?? {};
  if (etag) headers['if-none-match'] = etag;
  if (lastModified) headers['if-modified-since'] = lastModified;
  const conditional = Boolean(etag || lastModified);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const pastDeadline = (err: unknown): ProjectListFetchError | undefined =>
    deadline.aborted && !options.signal?.aborted
      ? new ProjectListFetchError('E_PROJECT_LIST_TIMEOUT', `${redactUrl(url)} did not send the whole listing within ${Math.round(deadlineMs / 1000)} s`, { cause: err })
      : undefined;

  let url = startUrl;
  for (let hop = 0; ; hop++) {
    let res: Dispatcher.ResponseData;
    try {
      const { request } = await undici();
      res = await request(url, {
        method: 'GET',
        headers,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        signal,
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const damaged = installationDamage(err);
      if (damaged) throw damaged;
      const late = pastDeadline(err);
      if (late) throw late;
      if (headersOverflowed(err)) {
        throw new ProjectListFetchError('E_PROJECT_LIST_HEADERS_TOO_LARGE', `${redactUrl(url)} answered with headers larger than this client accepts; the listing was not read`, {
          cause: err,
        });
      }
      throw new ProjectListFetchError('E_PROJECT_LIST_NETWORK', `cannot reach ${redactUrl(url)}: ${connectionMessage(err)}`, {
        cause: err,
      });
    }
    const status = res.statusCode;
    if (status >= 300 && status < 400 && status !== 304) {
      await res.body.dump();
      const location = header(res.headers, 'location');
      if (!location || hop >= MAX_REDIRECTS) {
        const why = location ? 'too many redirects' : 'a redirect without Location';
        throw new ProjectListFetchError('E_PROJECT_LIST_HTTP', `${redactUrl(url)} answered ${status}: ${why}`, { status });
      }
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) delete headers['authorization'];
      url = next.href;
      continue;
    }
    if (status === 304 && conditional) {
      await res.body.dump();
      return { status: 'not-modified' };
    }
    if (status !== 200) {
      await res.body.dump();
      throw new ProjectListFetchError('E_PROJECT_LIST_HTTP', `${redactUrl(url)} answered ${status}`, {
        status,
        ...(status === 401 || status === 403 ? { hint: 'the index wants (other) credentials' } : {}),
      });
    }
    let body: string;
    try {
      body = await readBody(res.body, header(res.headers, 'content-encoding'), options.maxBytes ?? DEFAULT_MAX_BYTES, url);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw pastDeadline(err) ?? err;
    }
    let projects: string[];
    try {
      projects = parseProjectList(body, header(res.headers, 'content-type'), listingUrl(url));
    } catch (err) {
      const e = err as ReserveError;
      throw new ProjectListFetchError(e.code, `${redactUrl(url)}: ${e.message}`, {
        status,
        ...(e.hint ? { hint: e.hint } : {}),
        cause: err,
      });
    }
    const newEtag = header(res.headers, 'etag');
    const newLastModified = header(res.headers, 'last-modified');
    return {
      status: 'fresh',
      projects,
      url,
      ...(newEtag ? { etag: newEtag } : {}),
      ...(newLastModified ? { lastModified: newLastModified } : {}),
    };
  }
}

/** The listing URL for an index root: the same URL with a trailing slash on its path. */
export function listingUrl(indexUrl: string): string {
  const url = new URL(indexUrl);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** The URL with any user:password removed: identifies an index (cache keys) and is what requests go to. Messages use redactUrl. */
export function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function splitCredentials(url: string): { url: string; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  return { url: stripCredentials(url), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

type ResponseBody = Dispatcher.ResponseData['body'];

async function readBody(body: ResponseBody, encoding: string | undefined, maxBytes: number, url: string): Promise<string> {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  let decoder: Transform | undefined;
  // In the CLI node:zlib loads on the first of these calls (scripts/bundle.mjs): it costs every other run about 6 ms.
  if (coding === 'gzip' || coding === 'x-gzip') decoder = createGunzip();
  else if (coding === 'deflate') decoder = createInflate();
  else if (coding === 'br') decoder = createBrotliDecompress();
  else if (coding !== 'identity' && coding !== '') {
    await body.dump();
    throw new ProjectListFetchError(
      'E_PROJECT_LIST_HTTP',
      `${redactUrl(url)} sent an unsupported Content-Encoding '${coding}'`,
      { status: 200 },
    );
  }
  // Errors of the source must reach the decoder, which `pipe` does not do.
  const source: Readable = decoder ? body.on('error', (err) => decoder.destroy(err)).pipe(decoder) : body;
  const chunks: Buffer[] = [];
  let size = 0;
  // Counted after decompression, and never past what one string can hold.
  const cap = Math.min(maxBytes, constants.MAX_STRING_LENGTH);
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > cap) {
        body.destroy();
        decoder?.destroy();
        const what = decoder ? `more than ${cap} bytes once decompressed (${coding})` : `more than ${cap} bytes`;
        throw new ProjectListFetchError('E_PROJECT_LIST_TOO_LARGE', `${redactUrl(url)} sent ${what}; a listing that large is refused`, {
          status: 200,
        });
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof ProjectListFetchError) throw err;
    throw new ProjectListFetchError('E_PROJECT_LIST_NETWORK', `reading ${redactUrl(url)} failed: ${connectionMessage(err)}`, {
      cause: err,
    });
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
