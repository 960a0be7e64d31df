/**
 * Before check and reserve read any name: the similarity preflight (the
 * index's full project list, cached on disk, revalidated with
 * ETag/Last-Modified, so names PyPI would refuse as "too similar" are known
 * before any upload spends quota on them) and the proof that the index is a
 * simple index at all (ops/index-sanity.ts), which the preflight's list gives
 * for free and which is read on its own under --no-preflight.
 */
import type { Command } from 'commander';
import type { Dispatcher } from 'undici';
import { EXIT, InputError, ReserveError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { printableLine } from '../core/text-rules.js';
import { defaultCacheDir } from '../registry/project-list-cache.js';
import { listingUrl } from '../registry/project-list.js';
import { indexUrlQueryProblem, type Repository } from '../registry/repositories.js';
import { describeAge, loadProjectList } from '../ops/preflight.js';
import { isKnownIndex, likelyIndexUrls, NotAnIndexError, proveSimpleIndex } from '../ops/index-sanity.js';
import type { CliContext } from './context.js';

export interface PreflightFlags {
  /** commander's --no-preflight sets this to false. */
  preflight?: boolean;
  preflightIndex?: string;
}

export function addPreflightOptions(cmd: Command): Command {
  return cmd
    .option('--no-preflight', 'skip the similarity preflight (a name PyPI finds too similar may then cost quota)')
    .option('--preflight-index <url>', 'simple index whose project list is compared (default: the repository index)');
}

/** What the reads before the check established; spread into a check or reserve request. */
export interface IndexEvidence {
  /** The preflight's project list, when the preflight ran. */
  projectList?: string[];
  /** Why the index could not be shown to be a simple index (it could not be read): no name may then be `free`. */
  indexUnproven?: string;
}

/**
 * Runs the preflight (unless switched off) and proves the index is one. An
 * address that is not an index is an input error naming it, what was found
 * there and the likely fix; the list itself is read once per run.
 */
export async function readIndexEvidence(
  flags: PreflightFlags,
  repository: Repository,
  ctx: CliContext,
  dispatcher: Dispatcher | undefined,
): Promise<IndexEvidence> {
  try {
    return await readEvidence(flags, repository, ctx, dispatcher);
  } catch (err) {
    // Ctrl-C while the listing downloads: nothing was checked, nothing to report.
    if (ctx.signal.aborted) throw new ReserveError('E_INTERRUPTED', 'interrupted before any name was checked', { exitCode: EXIT.INTERRUPTED, cause: err });
    throw err;
  }
}

async function readEvidence(flags: PreflightFlags, repository: Repository, ctx: CliContext, dispatcher: Dispatcher | undefined): Promise<IndexEvidence> {
  const indexUrl = repository.indexUrl;
  const indexSource = repository.indexSource ?? '--index-url';
  const reads = { ...(dispatcher ? { dispatcher } : {}), signal: ctx.signal, now: ctx.now };
  let projectList: string[] | undefined;
  const query = flags.preflightIndex && URL.canParse(flags.preflightIndex) ? indexUrlQueryProblem(new URL(flags.preflightIndex)) : undefined;
  if (query) throw new InputError([{ code: 'E_URL_INVALID', message: query, value: redactUrl(flags.preflightIndex!), source: '--preflight-index' }]);
  if (flags.preflight === false) {
    ctx.stderr.write('warning: similarity preflight skipped (--no-preflight): a name PyPI refuses as too similar may still cost quota\n');
  } else {
    const url = flags.preflightIndex ?? indexUrl;
    projectList = await withNotAnIndexAsInput(flags.preflightIndex ? '--preflight-index' : indexSource, () => loadPreflightList(url, ctx, dispatcher));
  }
  const listedIndex = flags.preflight === false ? undefined : listingUrl(flags.preflightIndex ?? indexUrl);
  if (isKnownIndex(indexUrl) || listedIndex === listingUrl(indexUrl)) return projectList ? { projectList } : {};
  const proof = await withNotAnIndexAsInput(indexSource, () => proveSimpleIndex(indexUrl, reads));
  return { ...(projectList ? { projectList } : {}), ...(proof.proven ? {} : { indexUnproven: proof.reason }) };
}

async function loadPreflightList(url: string, ctx: CliContext, dispatcher: Dispatcher | undefined): Promise<string[]> {
  try {
    const list = await loadProjectList(url, {
      cacheDir: defaultCacheDir(ctx.env),
      now: ctx.now,
      signal: ctx.signal,
      ...(dispatcher ? { dispatcher } : {}),
      logger: { warn: (m) => ctx.stderr.write(`warning: ${printableLine(m)}\n`) },
    });
    if (list.stale && !list.offline) {
      ctx.stderr.write(`note: the project list used for the similarity preflight is ${describeAge(ctx.now() - list.fetchedAt.getTime())} old\n`);
    }
    return list.projects;
  } catch (err) {
    if (err instanceof ReserveError && err.code === 'E_PREFLIGHT_UNAVAILABLE') {
      // The library's hint says "skip the preflight" in general; on the command line that is --no-preflight, said once.
      const how = 'pass --no-preflight to go on without it';
      const hint = err.hint?.endsWith('or skip the preflight') ? err.hint.replace(/skip the preflight$/, how) : err.hint ? `${err.hint}; or ${how}` : how;
      throw new ReserveError(err.code, err.message, { hint });
    }
    throw err;
  }
}

/** A wrong address is the user's input to fix (exit 2): said with where it came from and where the index likely is. */
async function withNotAnIndexAsInput<T>(source: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof NotAnIndexError)) throw err;
    const guesses = likelyIndexUrls(err.url).map(redactUrl);
    throw new InputError([
      {
        code: err.code,
        message: `not a simple index: ${err.found}`,
        value: redactUrl(err.url),
        source,
        hint: `give the index's simple root${guesses.length ? `, likely ${guesses.join(' or ')}` : ''} (pypiserver and most indexes serve …/simple/, devpi …/<user>/<index>/+simple/)`,
      },
    ]);
  }
}
