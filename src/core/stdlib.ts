/**
 * PyPI refuses to create projects named after a standard-library module
 * (fact sheet §4 step 6): the requested name, stripped of outer `-_.` and
 * PEP 503-normalized, is compared with every module name and each of its dotted
 * prefixes, normalized the same way. Such a name is protected by PyPI itself.
 *
 * `data/stdlib-module-names.txt` is the module list as Warehouse has it;
 * `data/stdlib-blocked-names.txt` is what `blockedNamesOf` derives from it,
 * written by `node scripts/stdlib-blocked.mjs` and checked against the
 * derivation by a spec. Reading the derived list is a split and a Set (about
 * 1.5 ms); deriving it in every run cost 15-20 ms of cold regular expressions,
 * a third of the start-up budget of `check` (bench/startup).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { normalizeName } from './names.js';

export const STDLIB_MODULES_FILE = join(PACKAGE_ROOT, 'data', 'stdlib-module-names.txt');
export const STDLIB_BLOCKED_FILE = join(PACKAGE_ROOT, 'data', 'stdlib-blocked-names.txt');

const stripOuter = (name: string) => name.replace(/^[-_.]+|[-_.]+$/g, '');

/** Every normalized form the module list blocks, sorted: each module name and each of its dotted prefixes. */
export function blockedNamesOf(moduleList: string): string[] {
  const blocked = new Set<string>();
  for (const line of moduleList.split('\n')) {
    const module = line.trim();
    if (!module) continue;
    const parts = module.split('.');
    // Warehouse strips outer `-_.` from module names too, so `__main__` blocks `main`.
    for (let i = 1; i <= parts.length; i++) blocked.add(normalizeName(stripOuter(parts.slice(0, i).join('.'))));
  }
  return [...blocked].sort();
}

/** Lookups answered by searching the list's text before it becomes a Set: a Set of its 2,363 names costs about 1.5 ms to build, a search about 10 µs. */
const SEARCHED_LOOKUPS = 32;

/** The derived list shipped with the package, one normalized form per line, with a line break before the first. */
let listText: string | undefined;
let lookups = 0;
let blocked: Set<string> | undefined;

function isBlockedForm(normalized: string): boolean {
  if (blocked) return blocked.has(normalized);
  listText ??= `\n${readFileSync(STDLIB_BLOCKED_FILE, 'utf8').replace(/\n?$/, '\n')}`;
  if (++lookups <= SEARCHED_LOOKUPS) return normalized !== '' && !normalized.includes('\n') && listText.includes(`\n${normalized}\n`);
  blocked = new Set(listText.split('\n').filter((line) => line !== ''));
  return blocked.has(normalized);
}

/** True when PyPI would refuse this name as a standard-library module name. */
export function isStdlibBlocked(name: string): boolean {
  return isBlockedForm(normalizeName(stripOuter(name)));
}
