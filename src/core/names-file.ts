/**
 * The names-file format: one name per line; blank lines and `#` comments (whole
 * line or trailing) are ignored; CRLF line ends and a UTF-8 BOM are accepted.
 */
import type { NameEntry } from './names.js';

/** Splits a names file into entries that remember their file and line. */
export function parseNamesText(text: string, sourceLabel: string): NameEntry[] {
  const entries: NameEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const name = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (name) entries.push({ name, source: `${sourceLabel}:${index + 1}` });
  });
  return entries;
}
