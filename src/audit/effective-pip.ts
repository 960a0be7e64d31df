/**
 * What `pip install` will really look in, computed the way pip 23 does it
 * (pip/_internal/cli/parser.py, configuration.py, req/req_file.py):
 *
 * 1. Configuration files are merged into one `section.key` table, later files
 *    replacing earlier ones (global → user → site → PIP_CONFIG_FILE); then the
 *    `[global]` keys apply, then `[install]`, then the `PIP_*` variables. So a
 *    value is replaced, never added to: `extra-index-url` in the user file
 *    replaces the global file's, and `PIP_EXTRA_INDEX_URL` replaces both.
 *    List options (`extra-index-url`, `find-links`, `requirement`,
 *    `constraint`) are split on white space.
 * 2. The finder starts with `[index-url] + extra-index-url` (none with `no-index`).
 * 3. Constraints files, then requirements files, are read in order, following
 *    `-r`/`-c` where they stand: `--index-url` replaces every index so far,
 *    `--extra-index-url` adds one, `--no-index` drops them all, and the first
 *    `--find-links` of a line is added (joined to the file's directory when
 *    that path exists).
 * The result is what pip prints as "Looking in indexes:" / "Looking in links:".
 */
import { dirname, join } from 'node:path';
import { splitUrlList } from './finding.js';
import { normalizePipOptionName, type ParsedIni } from './ini.js';
import type { ParsedRequirements } from './requirements.js';

export const PYPI_SIMPLE = 'https://pypi.org/simple';

/** The I/O the resolution needs: reading a requirements file and asking whether a path exists. */
export interface PipFileAccess {
  /** The parsed file, or undefined when it cannot be read (pip would stop; we leave it out). */
  readRequirements(path: string): Promise<ParsedRequirements | undefined>;
  exists(path: string): Promise<boolean>;
}

export interface PipEffective {
  indexes: string[];
  findLinks: string[];
  /** Requirements and constraints files pip reads for this, in order. */
  files: string[];
}

/** The option values after merging the files and the environment, as pip's option parser sees them. */
export function pipOptionValues(files: readonly ParsedIni[], env: NodeJS.ProcessEnv, command = 'install'): Map<string, string> {
  const merged = new Map<string, { section: string; key: string; value: string }>();
  for (const file of files) {
    for (const option of file.options) {
      const key = normalizePipOptionName(option.key);
      const value = option.values.map((v) => v.text).join('\n');
      merged.set(`${option.section}.${key}`, { section: option.section, key, value });
    }
  }
  const values = new Map<string, string>();
  for (const section of ['global', command]) {
    for (const entry of merged.values()) if (entry.section === section) values.set(entry.key, entry.value);
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('PIP_') || value === undefined || name === 'PIP_CONFIG_FILE') continue;
    values.set(normalizePipOptionName(name.slice(4)), value);
  }
  return values;
}

/** Resolves the indexes and find-links locations, reading the constraints and requirements files named. */
export async function resolvePip(
  values: ReadonlyMap<string, string>,
  given: readonly string[],
  cwd: string,
  access: PipFileAccess,
): Promise<PipEffective> {
  const list = (key: string): string[] => splitUrlList(values.get(key) ?? '');
  const noIndex = isTrue(values.get('no-index'));
  let indexes = noIndex ? [] : [values.get('index-url')?.trim() || PYPI_SIMPLE, ...list('extra-index-url')];
  let indexesOff = noIndex;
  const findLinks = list('find-links');
  const files: string[] = [];

  const walk = async (path: string, depth: number): Promise<void> => {
    const parsed = depth > 20 ? undefined : await access.readRequirements(path);
    if (!parsed) return;
    files.push(path);
    const events = [
      ...parsed.options.map((o) => ({ line: o.line, option: o })),
      ...parsed.includes.map((i) => ({ line: i.line, include: i })),
    ].sort((a, b) => a.line - b.line);
    const findLinksLines = new Set<number>();
    for (const event of events) {
      if ('include' in event) {
        const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(event.include.path) ? undefined : join(dirname(path), event.include.path);
        if (target !== undefined) await walk(event.include.path.startsWith('/') ? event.include.path : target, depth + 1);
        continue;
      }
      const option = event.option;
      switch (option.option) {
        case 'no-index':
          indexesOff = true;
          indexes = [];
          break;
        case 'index-url':
          if (!indexesOff) indexes = [option.value];
          break;
        case 'extra-index-url':
          if (!indexesOff) indexes.push(option.value);
          break;
        case 'find-links': {
          // pip takes the first --find-links of a line only.
          if (findLinksLines.has(option.line)) break;
          findLinksLines.add(option.line);
          // os.path.join without normalising, so the location reads exactly as pip prints it.
          const relative = `${dirname(path)}/${option.value}`;
          findLinks.push(option.value.startsWith('/') || !(await access.exists(relative)) ? option.value : relative);
          break;
        }
      }
    }
  };

  const absolute = (p: string): string => (p.startsWith('/') ? p : join(cwd, p));
  for (const path of list('constraint')) await walk(absolute(path), 0);
  for (const path of [...list('requirement'), ...given]) await walk(absolute(path), 0);
  return { indexes, findLinks, files };
}

/** pip's strtobool for a store_true option read from a file or variable. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(?:y|yes|t|true|on|1)$/i.test(value.trim());
}
