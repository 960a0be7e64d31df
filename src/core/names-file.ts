/**
 * The names-file format: one name per line; blank lines and `#` comments (whole
 * line or trailing) are ignored; CRLF line ends and a UTF-8 BOM at the start of
 * the file are accepted. Only ASCII spaces and tabs are trimmed: a BOM or a
 * no-break space inside a line stays, so the name is refused with its line
 * rather than passed on looking like something it is not.
 */
import type { NameEntry } from './names.js';

/** Splits a names file into entries that remember their file and line. */
export function parseNamesText(text: string, sourceLabel: string): NameEntry[] {
  const entries: NameEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const name = (hash === -1 ? raw : raw.slice(0, hash)).replace(/^[ \t]+|[ \t]+$/g, '');
    if (name) entries.push({ name, source: `${sourceLabel}:${index + 1}` });
  });
  return entries;
}
