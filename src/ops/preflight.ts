/**
 * The similarity preflight. PyPI refuses to create a project whose
 * ultranormalized name equals an existing project's ("too similar", fact sheet
 * §4 step 6), never says which project collides, and the refused attempt may
 * still cost one of the few daily new-project creations. So before uploading,
 * the index's full project list is loaded (revalidated against a disk cache)
 * and every requested name that would be refused is found locally.
 */
import type { Dispatcher } from 'undici';
import { ReserveError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { normalizeName, type ProjectName } from '../core/names.js';
import { UltranormalIndex } from '../core/ultranormalize.js';
import { listingElsewhere, notAnIndex } from './index-sanity.js';
import { realSleep, withReadRetries, type RetryPolicy, type Sleep } from '../registry/http.js';
import {
  fetchProjectList,
  isRetryableListingError,
  listingUrl,
  ProjectListFetchError,
  stripCredentials,
  type ProjectListResponse,
} from '../registry/project-list.js';
import {
  confirmProjectListCache,
  readProjectListCache,
  writeProjectListCache,
  type CachedProjectList,
} from '../registry/project-list-cache.js';

export interface PreflightLogger {
  warn(message: string): void;
}

export interface LoadProjectListOptions {
  /** Directory of the disk cache (see `defaultCacheDir`); `null` keeps nothing on disk. */
  cacheDir: string | null;
  /** Milliseconds since the epoch (CliContext.now). */
  now?: () => number;
  dispatcher?: Dispatcher;
  /** Told when a cached copy stands in for the index, when the list is old, and when the cache is unusable. */
  logger?: PreflightLogger;
  /** A list last confirmed longer ago than this is `stale` and noted (default one day). */
  maxAgeMs?: number;
  /** Extra request headers, e.g. Authorization for a private index. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Retries of the GET (connection errors and RETRYABLE_STATUSES); by default 3 attempts, short backoff. */
  retry?: { policy?: RetryPolicy; sleep?: Sleep; random?: () => number };
}

export interface LoadedProjectList {
  /** Every project name on the index, as the index displays it. */
  projects: string[];
  /** When the index last confirmed this list (downloaded, or answered 304). */
  fetchedAt: Date;
  /** The names were read from the disk cache (after a 304, or because the index was unreachable). */
  fromCache: boolean;
  /** The index could not be asked: the list is only as current as `fetchedAt`. */
  offline: boolean;
  /** `fetchedAt` is older than `maxAgeMs`. */
  stale: boolean;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Fewer attempts than other reads: with a cache to fall back on, waiting long buys little. */
const PREFLIGHT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 };

/**
 * Loads the project list of the index at `indexUrl` (its simple root, e.g.
 * `https://pypi.org/simple/`). Always asks the index, conditionally when a
 * cached copy exists; a 200 refreshes the cache, a 304 reuses it. If the index
 * cannot be reached (after retries) or answers with an error, the cached copy is
 * used with a warning; without one, throws `ReserveError` `E_PREFLIGHT_UNAVAILABLE`.
 * An answer showing the address is no index (404, or a page that is not a
 * listing) throws NotAnIndexError, cache or not.
 * A corrupt or unwritable cache only costs a warning.
 */
export async function loadProjectList(indexUrl: string, options: LoadProjectListOptions): Promise<LoadedProjectList> {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DAY_MS;
  const warn = (message: string): void => options.logger?.warn(message);
  let url: string;
  try {
    url = stripCredentials(listingUrl(indexUrl));
  } catch {
    throw new ReserveError('E_PREFLIGHT_INDEX_URL', `invalid index URL ${JSON.stringify(redactUrl(indexUrl))}`, {
      hint: 'give the simple index root, e.g. https://pypi.org/simple/',
    });
  }

  const cached = options.cacheDir === null ? undefined : await readCache(options.cacheDir, url, warn);
  const fetchOnce = (): Promise<ProjectListResponse> =>
    fetchProjectList(indexUrl, {
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(cached ? { validators: { etag: cached.etag, lastModified: cached.lastModified } } : {}),
    });

  let answer: ProjectListResponse;
  try {
    const retry = options.retry ?? {};
    answer = await withReadRetries(
      fetchOnce,
      {
        sleep: retry.sleep ?? realSleep,
        now,
        ...(retry.random ? { random: retry.random } : {}),
        isRetryable: isRetryableListingError,
      },
      retry.policy ?? PREFLIGHT_RETRY,
    );
  } catch (err) {
    if (!(err instanceof ProjectListFetchError)) throw err; // an abort, or a bug: not "the index is down"
    // A 404 or a page that is no listing: the address is wrong, and a cached copy would hide it.
    const wrong = notAnIndex(url, err);
    if (wrong) throw wrong;
    const reason = err.message;
    if (!cached) {
      throw new ReserveError('E_PREFLIGHT_UNAVAILABLE', `cannot load the project list for the similarity preflight: ${reason}`, {
        cause: err,
        hint:
          err.code === 'E_PROJECT_LIST_HEADERS_TOO_LARGE'
            ? 'the index (or a proxy before it) sends oversized headers: ask whoever runs it, or skip the preflight'
            : 'the similarity preflight needs the index once to cache its list; check network access, or skip the preflight',
      });
    }
    const result = fromCached(cached, { offline: true, now: now(), maxAgeMs });
    warn(`${reason}; using the project list cached ${describeAge(now() - cached.fetchedAt.getTime())} ago`);
    if (result.stale) {
      warn(
        `the cached project list is ${describeAge(now() - cached.fetchedAt.getTime())} old: projects created since then are not considered`,
      );
    }
    return result;
  }

  // This listing stands in for the index's proof (preflight-options.ts), so it must be the index's own.
  const elsewhere = listingElsewhere(indexUrl, answer);
  if (elsewhere) throw elsewhere;
  const fetchedAt = new Date(now());
  if (answer.status === 'not-modified') {
    if (!cached) throw new Error('unreachable: a 304 without validators is rejected by fetchProjectList');
    const confirmed: CachedProjectList = { ...cached, fetchedAt };
    if (options.cacheDir !== null) await confirmCache(options.cacheDir, confirmed, warn);
    return fromCached(confirmed, { offline: false, now: now(), maxAgeMs });
  }
  const fresh: CachedProjectList = {
    indexUrl: url,
    ...(answer.etag !== undefined ? { etag: answer.etag } : {}),
    ...(answer.lastModified !== undefined ? { lastModified: answer.lastModified } : {}),
    fetchedAt,
    projects: answer.projects,
  };
  if (options.cacheDir !== null) await writeCache(options.cacheDir, fresh, warn);
  return { projects: answer.projects, fetchedAt, fromCache: false, offline: false, stale: false };
}


export interface ProjectListMatch {
  /** normalized requested name → existing projects PyPI would call too similar. */
  similar: Map<string, string[]>;
  /** normalized requested name → the listed project with that very name (the "exists" case). */
  existing: Map<string, string>;
  /**
   * normalized requested name → earlier requested names (as given) it collides
   * with. Not on the list yet, but once the earlier one is created PyPI will
   * refuse this one: `acme-foo` then `acmefoo` in one batch gets one of the two.
   */
  amongRequested: Map<string, string[]>;
}

/**
 * Matches requested names against an index's project list in one pass
 * (O(names + projects)). A requested name whose own project is listed lands in
 * `existing` and never in `similar`: PyPI applies the similarity rule only when
 * creating a project, and uploading to an existing one creates nothing.
 * `names` are in priority order (that decides `amongRequested`).
 */
export function matchProjectList(
  names: readonly Pick<ProjectName, 'name' | 'normalized'>[],
  projects: readonly string[],
): ProjectListMatch {
  const wanted = new UltranormalIndex<string>();
  const requestedBy = new Map<string, string>();
  const amongRequested = new Map<string, string[]>();
  for (const name of names) {
    const earlier = wanted.lookup(name.name)?.filter((normalized) => normalized !== name.normalized);
    if (earlier && earlier.length > 0) amongRequested.set(name.normalized, earlier.map((n) => requestedBy.get(n) ?? n));
    wanted.add(name.name, name.normalized);
    requestedBy.set(name.normalized, name.name);
  }
  const similar = new Map<string, string[]>();
  const existing = new Map<string, string>();
  for (const project of projects) {
    const hits = wanted.lookup(project);
    if (!hits) continue;
    const projectNormalized = normalizeName(project);
    for (const normalized of hits) {
      if (projectNormalized === normalized) {
        existing.set(normalized, project);
        continue;
      }
      const list = similar.get(normalized);
      if (list) list.push(project);
      else similar.set(normalized, [project]);
    }
  }
  for (const normalized of existing.keys()) similar.delete(normalized);
  return { similar, existing, amongRequested };
}

/**
 * Requested names PyPI would refuse as "too similar to an existing project":
 * normalized requested name → the colliding existing projects, in list order.
 * Names that exist themselves are left out (see `matchProjectList`).
 */
export function findSimilar(
  names: readonly Pick<ProjectName, 'name' | 'normalized'>[],
  projects: readonly string[],
): Map<string, string[]> {
  return matchProjectList(names, projects).similar;
}

async function readCache(
  cacheDir: string,
  url: string,
  warn: (message: string) => void,
): Promise<CachedProjectList | undefined> {
  const read = await readProjectListCache(cacheDir, url);
  if (read.status === 'corrupt') {
    warn(`ignoring the unreadable project list cache ${read.path} (${read.reason}); it will be rewritten`);
    return undefined;
  }
  return read.status === 'found' ? read.list : undefined;
}

async function writeCache(cacheDir: string, list: CachedProjectList, warn: (message: string) => void): Promise<void> {
  try {
    await writeProjectListCache(cacheDir, list);
  } catch (err) {
    warn(`cannot write the project list cache in ${cacheDir}: ${(err as Error).message}`);
  }
}

/**
 * Records the 304 in the cache (header only). If another run replaced or removed
 * the file meanwhile, it is left alone: the next run revalidates whatever is there.
 */
async function confirmCache(cacheDir: string, confirmed: CachedProjectList, warn: (message: string) => void): Promise<void> {
  try {
    await confirmProjectListCache(cacheDir, confirmed);
  } catch (err) {
    warn(`cannot update the project list cache in ${cacheDir}: ${(err as Error).message}`);
  }
}

function fromCached(
  list: CachedProjectList,
  state: { offline: boolean; now: number; maxAgeMs: number },
): LoadedProjectList {
  return {
    projects: list.projects,
    fetchedAt: list.fetchedAt,
    fromCache: true,
    offline: state.offline,
    stale: state.now - list.fetchedAt.getTime() > state.maxAgeMs,
  };
}

/** "3 hours", "2 days": precise enough to judge whether a list can be trusted. */
export function describeAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour' : `${hours} hours`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}
