/**
 * Proof that an address is a simple index before any name is called `free`
 * there. An address that is not an index (a welcome page, a sign-in page, the
 * site root) answers 404 for every `/<name>/`, which would read as "free" for
 * every name: a false all-clear. The built-in pypi and testpypi indexes are
 * known; any other address must serve a root listing (PEP 691 JSON with
 * `projects`, or a PEP 503 page of project entries; an empty index counts).
 */
import type { Dispatcher } from 'undici';
import { ReserveError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { realSleep, withReadRetries, type Sleep } from '../registry/http.js';
import { fetchProjectList, isRetryableListingError, listingUrl, ProjectListFetchError, stripCredentials, type ProjectListResponse } from '../registry/project-list.js';
import { KNOWN_REPOSITORIES } from '../registry/repositories.js';

/** The index is known or was shown to be one; or why it could not be shown (it could not be read). */
export type IndexProof = { proven: true } | { proven: false; reason: string };

export function isKnownIndex(indexUrl: string): boolean {
  const wanted = listingUrl(indexUrl);
  return Object.values(KNOWN_REPOSITORIES).some((r) => listingUrl(r.indexUrl) === wanted);
}

/**
 * A listing that is not one (404/410, or a 200 that is no listing): the
 * address is wrong, which no retry or `--no-preflight` mends. `found` says what
 * was there, for the message.
 */
export class NotAnIndexError extends ReserveError {
  readonly url: string;
  readonly found: string;
  constructor(url: string, found: string, cause?: unknown) {
    super('E_NOT_AN_INDEX', `${redactUrl(url)} is not a simple index: ${found}`, { cause });
    this.url = url;
    this.found = found;
  }
}

/** Turns a failed listing read into NotAnIndexError when the answer shows the address is wrong; undefined otherwise. */
export function notAnIndex(url: string, err: unknown): NotAnIndexError | undefined {
  if (!(err instanceof ProjectListFetchError)) return undefined;
  if (err.status === 404 || err.status === 410) return new NotAnIndexError(url, `its root answered ${err.status} ${err.status === 404 ? 'Not Found' : 'Gone'}`, err);
  if (err.code === 'E_PROJECT_LIST_FORMAT') {
    const why = err.message.replace(/^\S+: /, '').replace(/^not a simple-index project listing: /, '');
    return new NotAnIndexError(url, `${why}${err.hint ? ` (${err.hint.replace(/; check that .*$/, '')})` : ''}`, err);
  }
  return undefined;
}

/**
 * A listing served from another URL than the index's own (a redirect) proves
 * that other index, not this one: names would then be read where nothing was
 * shown. Only a redirect that adds or drops the trailing slash is the same
 * address. Undefined when the listing is the index's own.
 */
export function listingElsewhere(indexUrl: string, answer: ProjectListResponse): NotAnIndexError | undefined {
  if (answer.status !== 'fresh' || listingUrl(answer.url) === stripCredentials(listingUrl(indexUrl))) return undefined;
  return new NotAnIndexError(
    indexUrl,
    `its listing is served from ${redactUrl(answer.url)} (a redirect); if that is the index meant, pass it as --index-url`,
  );
}

/** The likely simple roots near a wrong address: `…/simple/`, and devpi's `…/+simple/` for `/<user>/<index>/`. */
export function likelyIndexUrls(url: string): string[] {
  const u = new URL(listingUrl(url));
  u.search = '';
  u.hash = '';
  const segments = u.pathname.split('/').filter(Boolean);
  const near = (path: string) => new URL(path, u).href;
  const guesses = [near('/simple/')];
  if (segments.length >= 1 && segments[segments.length - 1] !== 'simple') guesses.push(near('simple/'));
  if (segments.length === 2) guesses.push(near('+simple/'));
  return [...new Set(guesses)].filter((g) => g !== u.href);
}

export interface ProveIndexOptions {
  dispatcher?: Dispatcher;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Reads the root listing of `indexUrl` once (unless it is a known index) and
 * checks it is a listing. Throws NotAnIndexError when it is not; answers
 * `proven: false` with the reason when it could not be read at all, so the
 * caller reports names it would call free as unknown instead.
 */
export async function proveSimpleIndex(indexUrl: string, options: ProveIndexOptions = {}): Promise<IndexProof> {
  if (isKnownIndex(indexUrl)) return { proven: true };
  try {
    const answer = await withReadRetries(
      () =>
        fetchProjectList(indexUrl, {
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      {
        sleep: options.sleep ?? realSleep,
        now: options.now ?? Date.now,
        ...(options.signal ? { signal: options.signal } : {}),
        isRetryable: isRetryableListingError,
      },
      { attempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 },
    );
    const elsewhere = listingElsewhere(indexUrl, answer);
    if (elsewhere) throw elsewhere;
    return { proven: true };
  } catch (err) {
    if (err instanceof NotAnIndexError) throw err;
    if (options.signal?.aborted) return { proven: false, reason: 'interrupted before the index was read' };
    const wrong = notAnIndex(indexUrl, err);
    if (wrong) throw wrong;
    if (err instanceof ReserveError) return { proven: false, reason: err.message };
    throw err;
  }
}
