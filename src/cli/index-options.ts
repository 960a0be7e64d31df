/**
 * Options for commands that talk to an index, and their resolution. Nothing
 * here reads the token: that happens lazily, right before the first upload.
 */
import type { TextReader } from '../io/read-once.js';
import { InputError, ReserveError, type Problem } from '../core/errors.js';
import { loadPypirc, type PypircSection } from '../registry/pypirc.js';
import { assertSafeForCredentials, checkRepository, type Repository } from '../registry/repositories.js';
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
  /** Where the upload URL was chosen (`--repository-url`, `TWINE_REPOSITORY_URL`, `pypi-reserve.toml:4`), for messages. */
  uploadUrlSource: string;
  concurrency: number;
}

/**
 * The repository from flags, else the config file, else pypi. Every problem is
 * collected; with `needsCredentials`, a plain-http upload URL to anything but
 * loopback is one of them (the token would travel in clear).
 */
export async function resolveIndex(
  flags: IndexFlags,
  env: NodeJS.ProcessEnv,
  config?: ConfigValues,
  options: { needsCredentials?: boolean; readFile?: TextReader } = {},
): Promise<ResolvedIndex> {
  const { readFile } = options;
  const problems: Problem[] = [];
  const concurrency = flags.concurrency === undefined ? DEFAULT_CONCURRENCY : parsePositiveInt(flags.concurrency, '--concurrency', problems, 256);
  let pypirc: Map<string, PypircSection> | undefined;
  try {
    pypirc = await loadPypirc({ ...(flags.pypirc ? { file: flags.pypirc } : {}), ...(env.HOME ? { home: env.HOME } : {}), ...(readFile ? { readFile } : {}) });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
  }
  // Each level replaces the next as a whole (flags > TWINE_REPOSITORY(_URL) > config file),
  // so a file's testpypi never mixes with a command line's --repository-url.
  const fromFlags = flags.repository !== undefined || flags.repositoryUrl !== undefined;
  const fromEnv = !fromFlags && Boolean(env.TWINE_REPOSITORY || env.TWINE_REPOSITORY_URL);
  const fromConfig = !fromFlags && !fromEnv;
  const fromFile = (key: 'repository' | 'repositoryUrl' | 'indexUrl', line: string) =>
    config?.[key] !== undefined ? `${config.file}:${config.lines[line] ?? 1}` : undefined;
  const chosen = {
    repository: fromFlags ? flags.repository : fromEnv ? env.TWINE_REPOSITORY || undefined : config?.repository,
    repositoryUrl: fromFlags ? flags.repositoryUrl : fromEnv ? env.TWINE_REPOSITORY_URL || undefined : config?.repositoryUrl,
    indexUrl: flags.indexUrl ?? config?.indexUrl,
  };
  const sources = {
    repository: fromEnv ? 'TWINE_REPOSITORY' : (fromConfig ? fromFile('repository', 'repository') : undefined) ?? '--repository',
    repositoryUrl: fromEnv ? 'TWINE_REPOSITORY_URL' : (fromConfig ? fromFile('repositoryUrl', 'repository-url') : undefined) ?? '--repository-url',
    indexUrl: flags.indexUrl !== undefined ? '--index-url' : (fromFile('indexUrl', 'index-url') ?? '--index-url'),
  };
  const { repository, problems: repositoryProblems } = checkRepository({
    ...(chosen.repository ? { repository: chosen.repository } : {}),
    ...(chosen.repositoryUrl ? { repositoryUrl: chosen.repositoryUrl } : {}),
    ...(chosen.indexUrl ? { indexUrl: chosen.indexUrl } : {}),
    ...(pypirc ? { pypirc } : {}),
    sources,
  });
  problems.push(...repositoryProblems);
  if (repository && options.needsCredentials) {
    try {
      assertSafeForCredentials(repository.uploadUrl);
    } catch (err) {
      if (!(err instanceof ReserveError)) throw err;
      problems.push({ code: err.code, message: err.message, source: sources.repositoryUrl, ...(err.hint ? { hint: err.hint } : {}) });
    }
  }
  if (problems.length || !repository) throw new InputError(problems);
  return {
    repository,
    // twine's rule: a URL given means no .pypirc credentials; a section's password goes only to that section's URL.
    pypircSection: chosen.repositoryUrl ? undefined : pypirc?.get(chosen.repository ?? 'pypi'),
    uploadUrlSource: chosen.repositoryUrl ? sources.repositoryUrl : chosen.repository ? `${sources.repository} ${chosen.repository}` : 'the default (pypi)',
    concurrency: concurrency ?? DEFAULT_CONCURRENCY,
  };
}

export function parsePositiveInt(value: string, source: string, problems: Problem[], max = Number.MAX_SAFE_INTEGER, min = 1): number | undefined {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.push({ code: 'E_FLAG_INVALID', message: `takes a whole number from ${min} to ${max}`, value, source });
    return undefined;
  }
  return Number(value);
}
