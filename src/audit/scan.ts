/**
 * Walks the directories given on the command line and lists the files that may
 * configure an index. Bounded so a home directory or a monorepo cannot make it
 * run away: dependency and cache trees are skipped, symlinked directories are
 * not followed, virtual environments are only checked for their own
 * pip.conf / pip.ini, and the walk stops after a fixed depth and entry count.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatForScan } from './file-kinds.js';
import type { AuditTarget } from './types.js';

export interface ScanLimits {
  /** Directory levels below the starting directory. */
  maxDepth: number;
  /** Directory entries looked at, over the whole walk of one starting directory. */
  maxEntries: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxDepth: 12, maxEntries: 100_000 };

/** Never worth entering: installed dependencies, VCS metadata, caches, build output of other ecosystems. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.cache',
  '.eggs',
  'site-packages',
  'dist-packages',
  'bower_components',
  '.terraform',
  '.gradle',
  '.idea',
]);

export interface ScanResult {
  targets: AuditTarget[];
  /** Set when a limit stopped the walk: what was not looked at. */
  truncated?: string;
}

export async function scanDirectory(start: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): Promise<ScanResult> {
  const targets: AuditTarget[] = [];
  let entriesSeen = 0;
  let truncated: string | undefined;
  // Breadth-first, sorted, so the output order is stable and shallow files come first.
  let level: string[] = [start];
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable directory: nothing to audit there
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      entriesSeen += entries.length;
      if (entriesSeen > limits.maxEntries) {
        truncated = `stopped after ${limits.maxEntries} entries under ${start}; pass narrower paths`;
        return { targets, truncated };
      }
      const names = new Set(entries.map((e) => e.name));
      if (names.has('pyvenv.cfg')) {
        // A virtual environment: its pip.conf is the site-level configuration for whoever activates it.
        for (const name of ['pip.conf', 'pip.ini']) {
          if (names.has(name)) targets.push({ path: join(dir, name), format: 'pip-conf', level: 'virtualenv site' });
        }
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) next.push(join(dir, entry.name));
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          const format = formatForScan(entry.name, basename(dir), names);
          if (format) targets.push({ path: join(dir, entry.name), format });
        }
      }
    }
    if (depth >= limits.maxDepth && next.length > 0) {
      truncated = `did not look deeper than ${limits.maxDepth} directory levels below ${start}`;
      break;
    }
    level = next;
  }
  return truncated === undefined ? { targets } : { targets, truncated };
}
