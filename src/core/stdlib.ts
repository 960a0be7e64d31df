/**
 * PyPI refuses to create projects named after a standard-library module
 * (fact sheet §4 step 6): the requested name, stripped of outer `-_.` and
 * PEP 503-normalized, is compared with every module name and each of its dotted
 * prefixes, normalized the same way. Such a name is protected by PyPI itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { normalizeName } from './names.js';

const DATA_URL = join(PACKAGE_ROOT, 'data', 'stdlib-module-names.txt');

let blocked: Set<string> | undefined;

/** The normalized forms PyPI blocks, loaded once from the data file shipped with the package. */
function blockedNames(): Set<string> {
  if (blocked) return blocked;
  blocked = new Set();
  for (const line of readFileSync(DATA_URL, 'utf8').split('\n')) {
    const module = line.trim();
    if (!module) continue;
    const parts = module.split('.');
    // Warehouse strips outer `-_.` from module names too, so `__main__` blocks `main`.
    for (let i = 1; i <= parts.length; i++) blocked.add(normalizeName(parts.slice(0, i).join('.').replace(/^[-_.]+|[-_.]+$/g, '')));
  }
  return blocked;
}

/** True when PyPI would refuse this name as a standard-library module name. */
export function isStdlibBlocked(name: string): boolean {
  return blockedNames().has(normalizeName(name.replace(/^[-_.]+|[-_.]+$/g, '')));
}
