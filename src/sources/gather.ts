/**
 * Collects names from every configured source into one validated, de-duplicated
 * list in priority order (the first occurrence keeps its position):
 * command-line names, names files, requirements files, pyproject.toml files,
 * private indexes. Then include/exclude patterns choose among them.
 *
 * Every source is read before anything is judged, so one run reports every
 * problem at once: a source that cannot be read, or that names nothing, is an
 * error naming it, never an empty list.
 */
import type { TextReader } from '../io/read-once.js';
import { readText } from '../io/read-regular.js';
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { InputError, type Problem } from '../core/errors.js';
import { normalizeName, validateNames, type MergedName, type NameEntry, type ProjectName } from '../core/names.js';
import { parseNamesText } from '../core/names-file.js';
import { displayPath } from './labels.js';
import { compileNameFilter, type FilterVerdict } from './name-patterns.js';
import { listPrivateIndex } from './private-index.js';
import { readPyproject } from './pyproject.js';
import { readRequirements } from './requirements.js';
import { fsReason } from '../io/fs-reason.js';
import { emptyRead, type SkippedLine, type SourceRead } from './source-read.js';
import type { NamesSpec, SourceContribution } from './spec.js';

export interface GatherContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Reads all of stdin (for `-`). */
  readStdin: () => Promise<string>;
  /** undici dispatcher for private indexes (proxy, tests); the global one by default. */
  dispatcher?: Dispatcher;
  /** Time allowed for a private index's response headers and between body chunks. */
  indexTimeoutMs?: number;
  /** Whether a name is one of the run's credentials (the CLI's redactor knows them). */
  isSecret?: (name: string) => boolean;
  /** How `.netrc` is read for a private index (a run's reader reads a pipe once; io/read-once.ts). */
  readFile?: TextReader;
}

export interface FilteredName extends NameEntry {
  verdict: Exclude<FilterVerdict, 'kept'>;
}

export interface GatheredNames {
  names: ProjectName[];
  contributions: SourceContribution[];
  merged: MergedName[];
  /** Names include/exclude left out, in source order. */
  filteredOut: FilteredName[];
  /** Requirement lines passed over because they name no project. */
  skipped: SkippedLine[];
  /**
   * Normalized names that a requirements file or a pyproject.toml gave: such a
   * list names the public projects a project depends on as well as private ones.
   */
  fromDependencies: Set<string>;
}

interface SourceResult extends SourceRead {
  /** How the source is named in the contributions report. */
  source: string;
  /** Added to the "names nothing" error, e.g. why a requirements file gave nothing. */
  emptyHint?: string;
  /** A dependency list (requirements, pyproject.toml), which also names public projects. */
  dependencies?: boolean;
}

/**
 * Reads every source; throws one InputError listing every problem (unreadable
 * source, a source that names nothing, invalid name, bad pattern, an empty
 * result) so nothing runs on bad input.
 * `duplicates: 'error'` is for lists a person typed (build); 'merge' for combined sources.
 */
export async function gatherNames(
  spec: NamesSpec,
  ctx: GatherContext,
  options: { duplicates?: 'error' | 'merge' } = {},
): Promise<GatheredNames> {
  const problems: Problem[] = [];
  const { filter, problems: patternProblems } = compileNameFilter(spec.include, spec.exclude);
  problems.push(...patternProblems);

  const tasks: Promise<SourceResult>[] = [];
  if (spec.positional.length > 0) {
    const entries = spec.positional.map((name, i) => ({ name, source: `argument ${i + 1}` }));
    tasks.push(Promise.resolve({ source: 'command line', ...emptyRead(), entries }));
  }
  let stdinUsed = false;
  for (const file of spec.namesFiles) {
    if (file === '-' && stdinUsed) {
      problems.push({ code: 'E_SOURCE_STDIN_TWICE', message: "standard input ('-') can be read only once", source: '<stdin>' });
      continue;
    }
    stdinUsed ||= file === '-';
    tasks.push(readNamesFile(file, ctx));
  }
  for (const file of spec.requirements) {
    const label = displayPath(ctx.cwd, resolve(ctx.cwd, file));
    tasks.push(
      readRequirements(file, {
        cwd: ctx.cwd,
        env: ctx.env,
        ...(spec.requirementsInConfig?.files.includes(file) ? { confineTo: spec.requirementsInConfig.dir } : {}),
      }).then((read) => ({
        source: label,
        ...read,
        dependencies: true,
        emptyHint: read.skipped.length
          ? `${read.skipped.length} line(s) skipped: a path or URL without '#egg=name' names no project`
          : 'it has no requirement lines',
      })),
    );
  }
  for (const file of spec.pyproject) {
    const label = displayPath(ctx.cwd, resolve(ctx.cwd, file));
    tasks.push(
      readPyproject(file, { cwd: ctx.cwd }).then((read) => ({
        source: label,
        ...read,
        dependencies: true,
        emptyHint: 'it has no [project] name, dependencies, optional-dependencies, [dependency-groups] or [tool.poetry] dependencies',
      })),
    );
  }
  for (const url of spec.fromIndex) tasks.push(readIndex(url, spec, ctx));

  const results = await Promise.all(tasks);
  for (const result of results) {
    problems.push(...result.problems);
    if (result.problems.length === 0 && result.entries.length === 0) {
      problems.push({
        code: 'E_SOURCE_EMPTY',
        message: 'this source names no project',
        source: result.source,
        ...(result.emptyHint ? { hint: result.emptyHint } : {}),
      });
    }
  }

  // A credential read as a name (`-r` of a token file) would be printed in the
  // table and sent to indexes as GET /simple/<token>/: refuse it, before the
  // filter (whose report lists names), without quoting it.
  if (ctx.isSecret) {
    for (const result of results) {
      const secrets = result.entries.filter((entry) => ctx.isSecret!(entry.name));
      if (secrets.length === 0) continue;
      for (const entry of secrets) {
        problems.push({ code: 'E_NAME_SECRET', message: `a name in ${result.source} is one of this run's credentials`, source: entry.source, hint: 'the file read for names holds a token or password: name another file' });
      }
      result.entries = result.entries.filter((entry) => !secrets.includes(entry));
    }
  }

  // Filter before validating, so a malformed name can be excluded rather than block the run.
  const kept: NameEntry[] = [];
  const filteredOut: FilteredName[] = [];
  // Normalized once per entry: with a 50,000-project index this is the hot loop.
  const normalized = results.map((r) => r.entries.map((entry) => normalizeName(entry.name)));
  const verdicts = results.map((r, i) =>
    r.entries.map((entry, j) => {
      const verdict = filter.active ? filter.verdict(normalized[i]?.[j] ?? '') : 'kept';
      if (verdict === 'kept') kept.push(entry);
      else filteredOut.push({ ...entry, verdict });
      return verdict;
    }),
  );
  const { names, problems: nameProblems, merged } = validateNames(kept, options);
  problems.push(...nameProblems);
  const found = results.reduce((n, r) => n + r.entries.length, 0);
  if (problems.length === 0 && names.length === 0) {
    problems.push(
      found > 0
        ? { code: 'E_NO_NAMES', message: `include/exclude patterns left none of the ${found} names`, hint: 'check the patterns: they match the normalized name (lowercase, - for runs of -_.)' }
        : { code: 'E_NO_NAMES', message: 'no names given', hint: 'pass names as arguments or with --names-file, --requirements, --pyproject or --from-index' },
    );
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    names,
    contributions: countContributions(results, normalized, verdicts, names),
    merged,
    filteredOut,
    skipped: results.flatMap((r) => r.skipped),
    fromDependencies: new Set(results.flatMap((r, i) => (r.dependencies ? (normalized[i] ?? []) : []))),
  };
}

async function readNamesFile(file: string, ctx: GatherContext): Promise<SourceResult> {
  const label = file === '-' ? '<stdin>' : displayPath(ctx.cwd, resolve(ctx.cwd, file));
  try {
    // A regular file synchronously: the run waits for it anyway, and the thread pool and
    // node:fs/promises (5-7 ms on Node 20) then need not start.
    const text = file === '-' ? await ctx.readStdin() : await readText(resolve(ctx.cwd, file));
    return { source: label, ...emptyRead(), entries: parseNamesText(text, label), emptyHint: 'it has only blank lines and comments' };
  } catch (err) {
    return {
      source: label,
      ...emptyRead(),
      problems: [{ code: 'E_SOURCE_UNREADABLE', message: `cannot read names file: ${fsReason(err)}`, source: label }],
    };
  }
}

async function readIndex(url: string, spec: NamesSpec, ctx: GatherContext): Promise<SourceResult> {
  try {
    const listing = await listPrivateIndex(url, {
      env: ctx.env,
      ...(spec.indexCredentialsEnv ? { credentialsEnv: spec.indexCredentialsEnv } : {}),
      ...(spec.fromIndexInConfig?.includes(url) ? { exactNetrcMachine: true } : {}),
      ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
      ...(ctx.indexTimeoutMs !== undefined ? { timeoutMs: ctx.indexTimeoutMs } : {}),
      ...(ctx.readFile ? { readFile: ctx.readFile } : {}),
    });
    const entries = listing.projects.map((name) => ({ name, source: listing.label }));
    return { source: listing.label, ...emptyRead(), entries, emptyHint: 'the index lists no projects' };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { source: err.problems[0]?.source ?? url, ...emptyRead(), problems: [...err.problems] };
  }
}

/** Per source: names read, names it was first to give (and kept), names filtered out, lines skipped. */
function countContributions(
  results: SourceResult[],
  normalized: string[][],
  verdicts: FilterVerdict[][],
  names: ProjectName[],
): SourceContribution[] {
  const chosen = new Set(names.map((n) => n.normalized));
  const seen = new Set<string>();
  return results.map((r, i) => {
    let added = 0;
    let filteredOut = 0;
    r.entries.forEach((_entry, j) => {
      if (verdicts[i]?.[j] !== 'kept') {
        filteredOut++;
        return;
      }
      const name = normalized[i]?.[j] ?? '';
      if (chosen.has(name) && !seen.has(name)) added++;
      seen.add(name);
    });
    return { source: r.source, found: r.entries.length, added, filteredOut, skipped: r.skipped.length };
  });
}
