/**
 * A twine-compatible reading of ~/.pypirc: INI sections with `repository`,
 * `username` and `password` (fact sheet §9 for twine's behaviour).
 */
import { readTextFile, type TextReader } from '../io/read-once.js';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

export interface PypircSection {
  name: string;
  repository?: string;
  username?: string;
  password?: string;
}

/**
 * Parses text as twine does (Python's `configparser.RawConfigParser`): `[section]`,
 * `key = value` or `key: value`, `#`/`;` comment lines, indented continuations,
 * no inline comments (`password = a ; b` is the password `a ; b`).
 */
export function parsePypirc(text: string, file: string): Map<string, PypircSection> {
  const sections = new Map<string, PypircSection>();
  let current: PypircSection | undefined;
  let lastKey: string | undefined;
  const problems = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    // configparser's rule, exactly: `[` at the start of the stripped line, the name up to the
    // last `]`, kept as written (`[ pypi ]` is section " pypi "), anything after it ignored
    // (so `[pypi]   ; comment` is section pypi: RawConfigParser has no inline comments).
    const section = /^\[(.+)\]/.exec(raw.trim());
    if (section) {
      current = { name: section[1]! };
      sections.set(current.name, current);
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(raw) && current && lastKey) {
      // A continuation line extends the previous value (index-servers lists names this way).
      if (isKnownKey(lastKey)) current[lastKey] = `${current[lastKey] ?? ''}\n${raw.trim()}`;
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!pair || !current) {
      problems.push({ code: 'E_PYPIRC_SYNTAX', message: 'not a section header or key = value line', source: `${file}:${i + 1}` });
      continue;
    }
    const key = pair[1]!.trim().toLowerCase();
    lastKey = key;
    if (isKnownKey(key)) current[key] = pair[2]!.trim();
  }
  if (problems.length) throw new InputError(problems);
  return sections;
}

/** Reads the file if it exists; a missing default file is simply no configuration. */
export async function loadPypirc(options: { file?: string; home?: string; readFile?: TextReader }): Promise<Map<string, PypircSection> | undefined> {
  const file = options.file ?? (options.home ? join(options.home, '.pypirc') : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    text = await (options.readFile ?? readTextFile)(file);
  } catch (err) {
    if (!options.file && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError([
      { code: 'E_PYPIRC_UNREADABLE', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, source: file },
    ]);
  }
  return parsePypirc(text, file);
}

function isKnownKey(key: string): key is 'repository' | 'username' | 'password' {
  return key === 'repository' || key === 'username' || key === 'password';
}
