/**
 * Project-name rules Warehouse applies (fact sheet §4 step 6 and the name regex
 * at the end of §4). Written independently of src/ on purpose: the client is
 * judged against this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** warehouse utils/project.py PROJECT_NAME_RE: ASCII, case-insensitive, no length limit. */
export const PROJECT_NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** PEP 503 (`packaging.utils.canonicalize_name`): runs of `-_.` become `-`, lowercase. */
export function normalize(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The database function `ultranormalize_name` (§4 step 6): drop `.`, `_`, `-`,
 * read `l`/`L`/`i`/`I` as `1` and `o`/`O` as `0`, lowercase. Two names with the
 * same result are "too similar".
 */
export function ultranormalize(name: string): string {
  return name
    .replace(/[._-]/g, '')
    .replace(/[lLiI]/g, '1')
    .replace(/[oO]/g, '0')
    .toLowerCase();
}

/** Where the module list lives: `data/` at the repository root, found by walking up from this file. */
function findStdlibList(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'data', 'stdlib-module-names.txt');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('warehouse stand-in: data/stdlib-module-names.txt not found above ' + fileURLToPath(import.meta.url));
}

let stdlibBlocked: Set<string> | undefined;

/**
 * Warehouse's STDLIB_PROHIBITED: every module of stdlib-list and each dotted
 * prefix, stripped of outer `-_.` and PEP 503-normalized (§4 step 6).
 */
export function stdlibProhibited(): Set<string> {
  if (stdlibBlocked) return stdlibBlocked;
  const set = new Set<string>();
  for (const line of readFileSync(findStdlibList(), 'utf8').split('\n')) {
    const module = line.trim();
    if (!module) continue;
    const parts = module.split('.');
    for (let i = 1; i <= parts.length; i++) {
      set.add(normalize(parts.slice(0, i).join('.').replace(/^[-_.]+|[-_.]+$/g, '')));
    }
  }
  stdlibBlocked = set;
  return set;
}

export function isStdlibName(name: string): boolean {
  return stdlibProhibited().has(normalize(name.replace(/^[-_.]+|[-_.]+$/g, '')));
}
