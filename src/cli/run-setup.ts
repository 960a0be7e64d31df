/**
 * The common first step of check and reserve: load the config file, then
 * validate names, metadata, index options and the environment together,
 * reporting every problem at once, before any request is made.
 */
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, ReserveError, type Problem } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { printable } from '../core/text-rules.js';
import { assertTokenBoundTo, peekCredential } from '../registry/credentials.js';
import { registerCredentialVariable } from './run-secrets.js';
import { sourceDateEpoch } from '../core/epoch.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import type { ConfigValues } from '../config/types.js';
import type { SourceContribution } from '../sources/spec.js';
import type { CliContext } from './context.js';
import { resolveIndex, type IndexFlags, type ResolvedIndex } from './index-options.js';
import { resolveOwnership, type OwnershipFlags } from './ownership-options.js';
import type { OwnAccounts } from '../core/ownership.js';
import {
  loadRunConfig,
  namesSpecFrom,
  resolveNames,
  resolvePlaceholderOptions,
  validateAll,
  type MetadataFlags,
  type NamesFlags,
} from './options.js';

export interface PreparedRun {
  config: ConfigValues | undefined;
  names: ProjectName[];
  contributions: SourceContribution[];
  /** Names a requirements file or pyproject.toml gave (see GatheredNames). */
  fromDependencies: ReadonlySet<string>;
  options: PlaceholderOptions;
  index: ResolvedIndex;
  mtime: number;
  /** Our accounts on the index, when named (`--account`, `--organization`, or the config file). */
  ownership: OwnAccounts | undefined;
}

export async function prepareIndexRun(
  positional: string[],
  flags: NamesFlags & MetadataFlags & IndexFlags & OwnershipFlags & { report?: string },
  ctx: CliContext,
  setup: {
    extra?: (config: ConfigValues | undefined) => void;
    needsCredentials?: boolean;
    tokenFile?: string;
    /** True for `reserve` only: check and watch never upload, so where uploads would go is not theirs to say. */
    uploads?: boolean;
  } = {},
): Promise<PreparedRun> {
  const config = await loadRunConfig(flags, ctx);
  const spec = namesSpecFrom(positional, flags, config, ctx.cwd);
  registerCredentialVariable(spec.indexCredentialsEnv, ctx.env, ctx.secrets);
  let offlineProblems: Problem[] = [];
  const [options, index, mtime, , , ownership] = await validateAll(
    () => resolvePlaceholderOptions(flags, config),
    () => resolveIndex(flags, ctx.env, config, { needsCredentials: setup.needsCredentials === true, readFile: ctx.readFile }),
    () => epochFrom(ctx.env),
    () => checkReportPath(flags.report, ctx.cwd),
    () => setup.extra?.(config),
    () => resolveOwnership(flags, config),
  ).catch((err: unknown) => {
    if (!(err instanceof InputError)) throw err;
    offlineProblems = [...err.problems];
    return [undefined, undefined, undefined, undefined, undefined, undefined] as const;
  });
  if (index && setup.needsCredentials) offlineProblems.push(...(await tokenBindingProblems(index, setup.tokenFile, ctx)));
  if (config) sayConfiguredHosts(config, spec.fromIndex, index, setup.uploads === true, flags.indexUrl !== undefined, ctx);
  // Names last: a private index is only asked (with its credential) once
  // everything else is known to be good; otherwise its problems are still
  // reported, from every source that needs no network.
  let gathered;
  try {
    gathered = await resolveNames(offlineProblems.length ? { ...spec, fromIndex: [] } : spec, ctx, { verbose: flags.verbose === true });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // Without the private indexes that were not asked, "no names" says nothing.
    const skippedIndexes = offlineProblems.length > 0 && spec.fromIndex.length > 0;
    throw new InputError([...err.problems.filter((p) => !(skippedIndexes && p.code === 'E_NO_NAMES')), ...offlineProblems]);
  }
  if (offlineProblems.length || !options || !index || mtime === undefined) throw new InputError(offlineProblems);
  if (flags.report !== undefined) flags.report = resolve(ctx.cwd, flags.report);
  return { config, names: gathered.names, contributions: gathered.contributions, fromDependencies: gathered.fromDependencies, options, index, mtime, ownership };
}

/**
 * A PyPI token found now (file, environment, .pypirc; the prompt waits for the
 * first upload) that belongs to another index than the upload URL stops the run
 * before any request. No token now is no problem now.
 */
async function tokenBindingProblems(index: ResolvedIndex, tokenFile: string | undefined, ctx: CliContext): Promise<Problem[]> {
  const credential = await peekCredential({
    readFile: ctx.readFile,
    ...(tokenFile ? { tokenFile } : {}),
    env: ctx.env,
    ...(index.pypircSection ? { pypircSection: index.pypircSection } : {}),
  });
  try {
    if (credential) assertTokenBoundTo(credential, index.repository.uploadUrl);
    return [];
  } catch (err) {
    if (!(err instanceof ReserveError)) throw err;
    return [{ code: err.code, message: err.message, source: index.uploadUrlSource, ...(err.hint ? { hint: err.hint } : {}) }];
  }
}

/**
 * A config file may have come with a cloned repository or a pull request: when
 * it sends uploads or index reads away from PyPI, say so before anything is sent.
 */
function sayConfiguredHosts(
  config: ConfigValues,
  fromIndex: readonly string[],
  index: ResolvedIndex | undefined,
  uploads: boolean,
  indexUrlFlag: boolean,
  ctx: CliContext,
): void {
  const notes: string[] = [];
  // Only a command that uploads (reserve) sends anything to the upload URL.
  if (uploads && index && index.uploadUrlSource.startsWith(config.file) && !isPypiHost(index.repository.uploadUrl)) {
    notes.push(`uploads go to ${redactUrl(index.repository.uploadUrl)} (repository-url from ${index.uploadUrlSource})`);
  }
  // The index read for every name's status (and sent the names) is as much the file's choice as the upload URL.
  if (index && config.indexUrl !== undefined && !indexUrlFlag && !isPypiHost(index.repository.indexUrl)) {
    notes.push(`names are checked on ${redactUrl(index.repository.indexUrl)} (index-url from ${config.file}:${config.lines['index-url'] ?? 1})`);
  }
  for (const url of fromIndex) {
    if (config.sources.fromIndex?.includes(url) && !isPypiHost(url)) notes.push(`names are read from ${redactUrl(url)} (from-index in ${config.file})`);
  }
  for (const note of notes) ctx.stderr.write(`note: ${printable(note)}, not pypi.org or test.pypi.org\n`);
}

function isPypiHost(url: string): boolean {
  try {
    return PYPI_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

const PYPI_HOSTS: ReadonlySet<string> = new Set(['pypi.org', 'upload.pypi.org', 'test.pypi.org']);

/**
 * The report is written after the work is done: make sure it can be, before
 * anything is done. A missing parent directory is fine when it can be created
 * (the write creates it), that is, when the nearest existing ancestor is a
 * writable directory.
 */
async function checkReportPath(report: string | undefined, cwd: string): Promise<void> {
  if (report === undefined) return;
  const refuse = (message: string) => {
    throw new InputError([{ code: 'E_REPORT_PATH', message, value: report, source: '--report', hint: 'give the path of a JSON file to write, e.g. --report reserve-report.json' }]);
  };
  const target = resolve(cwd, report);
  if (report === '' || report.endsWith('/')) refuse('the report must be a file path, not a directory');
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) refuse('the report path is a directory; name a file inside it');
  if (existing && !existing.isFile()) refuse('the report path exists and is not a regular file');
  let dir = dirname(target);
  let info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  while (info instanceof Error && info.code === 'ENOENT' && dirname(dir) !== dir) {
    dir = dirname(dir);
    info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  }
  if (info instanceof Error || !info.isDirectory()) refuse(`the report's directory cannot be created: ${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    refuse(`the report's directory is not writable (${dir})`);
  }
}

export function epochFrom(env: NodeJS.ProcessEnv): number {
  const e = sourceDateEpoch(env);
  if (e.problem) throw new InputError([e.problem]);
  return e.mtime;
}
