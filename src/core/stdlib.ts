/**
 * PyPI refuses to create projects named after a standard-library module
 * (fact sheet §4 step 6): the requested name, stripped of outer `-_.` and
 * PEP 503-normalized, is compared with every module name and each of its dotted
 * prefixes, normalized the same way. Such a name is protected by PyPI itself.
 *
 * `data/stdlib-module-names.txt` is the module list as Warehouse has it;
 * `data/stdlib-blocked-names.txt` is what `blockedNamesOf` derives from it,
 * written by `node scripts/stdlib-blocked.mjs` and checked against the
 * derivation by a spec. It is searched as text (below); deriving it in every
 * run cost 15-20 ms of cold regular expressions, a third of the start-up budget
 * of `check` (bench/startup).
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

/** The derived list shipped with the package, one normalized form per line, sorted as JavaScript sorts strings. */
let listText: string | undefined;

/**
 * A binary search of the list's text, line by line: about a dozen probes a
 * lookup and nothing built. A Set of its 2,363 names cost about 1.5 ms to
 * build, on the path of every run of more than a few names.
 */
function isBlockedForm(normalized: string): boolean {
  if (normalized === '' || normalized.includes('\n')) return false;
  const text = (listText ??= readFileSync(STDLIB_BLOCKED_FILE, 'utf8').replace(/\n?$/, '\n'));
  // [lo, hi) is a range of the text that starts and ends at line starts.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : text.lastIndexOf('\n', mid - 1) + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end);
    if (line === normalized) return true;
    if (line < normalized) lo = end + 1;
    else hi = start;
  }
  return false;
}

/** True when PyPI would refuse this name as a standard-library module name. */
export function isStdlibBlocked(name: string): boolean {
  return isBlockedForm(normalizeName(stripOuter(name)));
}
