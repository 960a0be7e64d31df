/**
 * Finds the line on which each key of a TOML file is written, since TOML
 * parsers return values without positions. A line scanner that knows enough
 * TOML for config files: `[table]` and `[[array]]` headers, bare, quoted and
 * dotted keys (`sources.include = […]`), and strings, comments and multi-line
 * arrays/strings so their contents are not mistaken for keys. Keys inside an
 * inline table (`sources = { include = […] }`) are not found; callers fall
 * back to the line of the nearest parent key.
 */

/** Dotted key path (`sources.include`) → 1-based line of its first definition. */
export type KeyLines = Map<string, number>;

const BARE_KEY = '[A-Za-z0-9_-]+';
const BASIC_KEY = '"(?:[^"\\\\]|\\\\.)*"';
const LITERAL_KEY = "'[^']*'";
const SIMPLE_KEY = `(?:${BARE_KEY}|${BASIC_KEY}|${LITERAL_KEY})`;
const KEY_PATH = `${SIMPLE_KEY}(?:\\s*\\.\\s*${SIMPLE_KEY})*`;
const HEADER_RE = new RegExp(`^\\s*\\[(\\[?)\\s*(${KEY_PATH})\\s*\\]\\]?\\s*(?:#.*)?$`);
const KEY_RE = new RegExp(`^\\s*(${KEY_PATH})\\s*=`);
const SIMPLE_KEY_RE = new RegExp(SIMPLE_KEY, 'g');

export function scanKeyLines(text: string): KeyLines {
  const lines: KeyLines = new Map();
  const record = (path: string[], line: number): void => {
    const key = path.join('.');
    if (!lines.has(key)) lines.set(key, line);
  };
  let table: string[] = [];
  const state: ScanState = { depth: 0 };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    let rest = raw;
    if (state.multiline) {
      const close = raw.indexOf(state.multiline);
      if (close === -1) return;
      rest = raw.slice(close + 3);
      state.multiline = undefined;
    } else if (state.depth === 0) {
      const header = HEADER_RE.exec(raw);
      if (header) {
        table = splitKeyPath(header[2] ?? '');
        record(table, line);
        return;
      }
      const key = KEY_RE.exec(raw);
      if (key) {
        const path = [...table, ...splitKeyPath(key[1] ?? '')];
        // Every prefix of a dotted key is defined here too (`sources` for `sources.include`).
        for (let n = table.length + 1; n <= path.length; n++) record(path.slice(0, n), line);
        rest = raw.slice(key[0].length);
      }
    }
    scanValue(rest, state);
  });
  return lines;
}

/** `"a.b".c` → [`a.b`, `c`]. */
export function splitKeyPath(path: string): string[] {
  return (path.match(SIMPLE_KEY_RE) ?? []).map((part) => {
    if (part.startsWith('"')) {
      try {
        return JSON.parse(part) as string;
      } catch {
        return part.slice(1, -1);
      }
    }
    return part.startsWith("'") ? part.slice(1, -1) : part;
  });
}

interface ScanState {
  /** Open `[`/`{` not yet closed: we are inside a multi-line array. */
  depth: number;
  /** Inside a multi-line string closed by this delimiter. */
  multiline?: '"""' | "'''";
}

/** Follows strings, comments and brackets through the rest of a line. */
function scanValue(text: string, state: ScanState): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#') return;
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), i);
      if (triple) {
        const close = text.indexOf(ch.repeat(3), i + 3);
        if (close === -1) {
          state.multiline = ch === '"' ? '"""' : "'''";
          return;
        }
        i = close + 2;
        continue;
      }
      for (i++; i < text.length && text[i] !== ch; i++) if (ch === '"' && text[i] === '\\') i++;
      continue;
    }
    if (ch === '[' || ch === '{') state.depth++;
    else if (ch === ']' || ch === '}') state.depth = Math.max(0, state.depth - 1);
  }
}

/** The line of `key`, else of its nearest parent (`sources.include` → `sources`), else undefined. */
export function lineOfKey(lines: KeyLines, key: string): number | undefined {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const line = lines.get(parts.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return undefined;
}
