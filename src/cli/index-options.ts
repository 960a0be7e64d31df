/**
 * Options for commands that talk to an index, and their resolution. Nothing
 * here reads the token: that happens lazily, right before the first upload.
 */
import { InputError, type Problem } from '../core/errors.js';
import { loadPypirc, type PypircSection } from '../index/pypirc.js';
import { resolveRepository, type Repository } from '../index/repositories.js';
import type { Command } from 'commander';
import { DEFAULT_CONCURRENCY } from '../ops/check.js';
import type { ConfigValues } from '../config/types.js';

export interface IndexFlags {
  repository?: string;
  repositoryUrl?: string;
  indexUrl?: string;
  pypirc?: string;
  concurrency?: string;
}

export function addIndexOptions(cmd: Command): Command {
  return cmd
    .option('-r, --repository <name>', 'pypi (default), testpypi, or a section of ~/.pypirc')
    .option('--repository-url <url>', 'upload endpoint (overrides --repository), e.g. https://test.pypi.org/legacy/')
    .option('--index-url <url>', 'simple index used to check names (default: derived from the repository)')
    .option('--pypirc <file>', 'read repositories and credentials from this file instead of ~/.pypirc')
    .option('--concurrency <n>', `parallel index reads (default ${DEFAULT_CONCURRENCY})`);
}

export interface ResolvedIndex {
  repository: Repository;
  pypircSection: PypircSection | undefined;
  concurrency: number;
}

/** The repository from flags, else the config file, else pypi. */
export async function resolveIndex(flags: IndexFlags, env: NodeJS.ProcessEnv, config?: ConfigValues): Promise<ResolvedIndex> {
  const problems: Problem[] = [];
  const concurrency = flags.concurrency === undefined ? DEFAULT_CONCURRENCY : parsePositiveInt(flags.concurrency, '--concurrency', problems, 256);
  const pypirc = await loadPypirc({ ...(flags.pypirc ? { file: flags.pypirc } : {}), ...(env.HOME ? { home: env.HOME } : {}) });
  if (problems.length) throw new InputError(problems);
  // A URL flag replaces the file's repository choice as a whole, so a file's testpypi
  // never mixes with a command line's --repository-url.
  const fromFlags = flags.repository !== undefined || flags.repositoryUrl !== undefined;
  const chosen = {
    repository: flags.repository ?? (fromFlags ? undefined : config?.repository),
    repositoryUrl: flags.repositoryUrl ?? (fromFlags ? undefined : config?.repositoryUrl),
    indexUrl: flags.indexUrl ?? config?.indexUrl,
  };
  const repository = resolveRepository({
    ...(chosen.repository ? { repository: chosen.repository } : {}),
    ...(chosen.repositoryUrl ? { repositoryUrl: chosen.repositoryUrl } : {}),
    ...(chosen.indexUrl ? { indexUrl: chosen.indexUrl } : {}),
    ...(pypirc ? { pypirc } : {}),
  });
  return { repository, pypircSection: pypirc?.get(chosen.repository ?? 'pypi'), concurrency: concurrency ?? DEFAULT_CONCURRENCY };
}

export function parsePositiveInt(value: string, source: string, problems: Problem[], max = Number.MAX_SAFE_INTEGER, min = 1): number | undefined {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.push({ code: 'E_FLAG_INVALID', message: `${source} takes a whole number from ${min} to ${max}`, value, source });
    return undefined;
  }
  return Number(value);
}
