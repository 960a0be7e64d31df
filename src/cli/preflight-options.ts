/**
 * The similarity preflight for check and reserve: load the index's full project
 * list (cached on disk, revalidated with ETag/Last-Modified) so names PyPI would
 * refuse as "too similar" are known before any upload spends quota on them.
 */
import type { Command } from 'commander';
import type { Dispatcher } from 'undici';
import { ReserveError } from '../core/errors.js';
import { printableLine } from '../core/text-rules.js';
import { defaultCacheDir } from '../registry/project-list-cache.js';
import { describeAge, loadProjectList } from '../ops/preflight.js';
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

/** The project list, or undefined when the preflight is switched off. */
export async function preflightProjectList(
  flags: PreflightFlags,
  indexUrl: string,
  ctx: CliContext,
  dispatcher: Dispatcher | undefined,
): Promise<string[] | undefined> {
  if (flags.preflight === false) {
    ctx.stderr.write('warning: similarity preflight skipped (--no-preflight): a name PyPI refuses as too similar may still cost quota\n');
    return undefined;
  }
  const url = flags.preflightIndex ?? indexUrl;
  try {
    const list = await loadProjectList(url, {
      cacheDir: defaultCacheDir(ctx.env),
      now: ctx.now,
      ...(dispatcher ? { dispatcher } : {}),
      logger: { warn: (m) => ctx.stderr.write(`warning: ${printableLine(m)}\n`) },
    });
    if (list.stale && !list.offline) {
      ctx.stderr.write(`note: the project list used for the similarity preflight is ${describeAge(ctx.now() - list.fetchedAt.getTime())} old\n`);
    }
    return list.projects;
  } catch (err) {
    if (err instanceof ReserveError && err.code === 'E_PREFLIGHT_UNAVAILABLE') {
      throw new ReserveError(err.code, err.message, { hint: `${err.hint ?? ''}; or pass --no-preflight to go on without it`.replace(/^; /, '') });
    }
    throw err;
  }
}
