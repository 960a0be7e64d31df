/**
 * Collects names from every configured source into one validated, de-duplicated
 * list in priority order (the first occurrence keeps its position).
 *
 * Minimal version: positional names and names files. Requirements files,
 * pyproject.toml, private indexes and include/exclude patterns plug in here.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, type Problem } from '../core/errors.js';
import { validateNames, type NameEntry, type ProjectName, type MergedName } from '../core/names.js';
import { parseNamesText } from '../core/names-file.js';
import type { NamesSpec, SourceContribution } from './spec.js';

export interface GatherContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Reads all of stdin (for `-`). */
  readStdin: () => Promise<string>;
}

export interface GatheredNames {
  names: ProjectName[];
  contributions: SourceContribution[];
  merged: MergedName[];
}

/**
 * Reads every source; throws one InputError listing every problem (unreadable
 * source, invalid name, an empty result) so nothing runs on bad input.
 * `duplicates: 'error'` is for lists a person typed (build); 'merge' for combined sources.
 */
export async function gatherNames(
  spec: NamesSpec,
  ctx: GatherContext,
  options: { duplicates?: 'error' | 'merge' } = {},
): Promise<GatheredNames> {
  const problems: Problem[] = [];
  const perSource: { source: string; entries: NameEntry[] }[] = [];
  if (spec.positional.length > 0) {
    perSource.push({
      source: 'command line',
      entries: spec.positional.map((name, i) => ({ name, source: `argument ${i + 1}` })),
    });
  }
  for (const file of spec.namesFiles) {
    const label = file === '-' ? '<stdin>' : file;
    try {
      const text = file === '-' ? await ctx.readStdin() : await readFile(resolve(ctx.cwd, file), 'utf8');
      perSource.push({ source: label, entries: parseNamesText(text, label) });
    } catch (err) {
      problems.push({
        code: 'E_SOURCE_UNREADABLE',
        message: `cannot read names file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        source: label,
      });
    }
  }
  const all = perSource.flatMap((s) => s.entries);
  const { names, problems: nameProblems, merged } = validateNames(all, options);
  problems.push(...nameProblems);
  if (problems.length === 0 && names.length === 0) {
    problems.push({ code: 'E_NO_NAMES', message: 'no names given', hint: 'pass names as arguments or with --names-file' });
  }
  if (problems.length > 0) throw new InputError(problems);
  const contributions = countContributions(perSource, names);
  return { names, contributions, merged };
}

function countContributions(perSource: { source: string; entries: NameEntry[] }[], names: ProjectName[]): SourceContribution[] {
  const firstSource = new Map(names.map((n) => [n.source, true]));
  return perSource.map((s) => ({
    source: s.source,
    found: s.entries.length,
    added: s.entries.filter((e) => firstSource.has(e.source)).length,
  }));
}
