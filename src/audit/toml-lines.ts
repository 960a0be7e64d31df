/**
 * Line numbers for a TOML document that smol-toml already accepted (smol-toml
 * returns values without positions). Tracks `[table]` and `[[array.of.tables]]`
 * headers and `key = value` lines, and skips the inside of multi-line strings,
 * which is all a valid document needs for "where is this key".
 *
 * Paths are dotted keys with array-of-table indexes: `tool.uv.index[1].url`.
 */

export interface TomlLineMap {
  /** Line of the key or table at `path`, or of the closest enclosing table found, or undefined. */
  lineOf(path: string): number | undefined;
}

const BARE_OR_QUOTED = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED_KEY = String.raw`${BARE_OR_QUOTED}(?:\s*\.\s*${BARE_OR_QUOTED})*`;
const ARRAY_HEADER = new RegExp(String.raw`^\s*\[\[\s*(${DOTTED_KEY})\s*\]\]`);
const TABLE_HEADER = new RegExp(String.raw`^\s*\[\s*(${DOTTED_KEY})\s*\]`);
const KEY_LINE = new RegExp(String.raw`^\s*(${DOTTED_KEY})\s*=`);
const KEY_PART = new RegExp(BARE_OR_QUOTED, 'g');

export function mapTomlLines(text: string): TomlLineMap {
  const lines = new Map<string, number>();
  const arrayLengths = new Map<string, number>();
  let table = '';
  let openString: '"""' | "'''" | null = null;

  const record = (path: string, line: number): void => {
    if (!lines.has(path)) lines.set(path, line);
  };
  /** Resolves header keys against the arrays of tables seen so far (`a.b` inside `[[a]]` is `a[2].b`). */
  const resolve = (keys: string[]): string => {
    let path = '';
    for (const key of keys) {
      path = path === '' ? key : `${path}.${key}`;
      const length = arrayLengths.get(path);
      if (length !== undefined) path = `${path}[${length - 1}]`;
    }
    return path;
  };

  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((raw, index) => {
      const lineNo = index + 1;
      if (openString) {
        if (countDelimiter(raw, openString) % 2 === 1) openString = null;
        return;
      }
      const arrayHeader = ARRAY_HEADER.exec(raw);
      if (arrayHeader) {
        const keys = splitKey(arrayHeader[1] as string);
        const parent = resolve(keys.slice(0, -1));
        const base = parent === '' ? (keys.at(-1) as string) : `${parent}.${keys.at(-1) as string}`;
        const length = (arrayLengths.get(base) ?? 0) + 1;
        arrayLengths.set(base, length);
        table = `${base}[${length - 1}]`;
        record(base, lineNo);
        record(table, lineNo);
        return;
      }
      const tableHeader = TABLE_HEADER.exec(raw);
      if (tableHeader) {
        table = resolve(splitKey(tableHeader[1] as string));
        record(table, lineNo);
        return;
      }
      const keyLine = KEY_LINE.exec(raw);
      if (keyLine) {
        const keys = splitKey(keyLine[1] as string);
        let path = table;
        for (const key of keys) {
          path = path === '' ? key : `${path}.${key}`;
          record(path, lineNo);
        }
        const rest = raw.slice(keyLine[0].length);
        for (const delimiter of ['"""', "'''"] as const) {
          if (countDelimiter(rest, delimiter) % 2 === 1) openString = delimiter;
        }
      }
    });

  return {
    lineOf(path: string): number | undefined {
      let probe = path;
      for (;;) {
        const line = lines.get(probe);
        if (line !== undefined) return line;
        const cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
        if (cut <= 0) return undefined;
        probe = probe.slice(0, cut);
      }
    },
  };
}

function splitKey(dotted: string): string[] {
  return (dotted.match(KEY_PART) ?? []).map((part) =>
    part.startsWith('"') ? (JSON.parse(part) as string) : part.startsWith("'") ? part.slice(1, -1) : part,
  );
}

function countDelimiter(text: string, delimiter: string): number {
  return text.split(delimiter).length - 1;
}
