/**
 * One escaper per file syntax. Each turns arbitrary (already single-line) user
 * text into something that file's parser reads back as exactly that text and
 * nothing more: no new header, no new TOML key, no Python code, no Markdown markup.
 */

/** Printable ASCII but `"` and `\\`: text both Python and TOML take as it is between quotes. */
const PLAIN_QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A Python string literal, ASCII only, so the source file's encoding can never matter. */
export function pythonString(text: string): string {
  if (PLAIN_QUOTABLE.test(text)) return `"${text}"`; // the common case, without a string built a character at a time
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x100) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** A TOML basic string, ASCII only (TOML's \u and \U escapes cover the rest). */
export function tomlString(text: string): string {
  if (PLAIN_QUOTABLE.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/**
 * An RFC 822-style header value. Validation already refused line breaks and
 * controls; this is the last guard, because a line break here would let user
 * text add a metadata header.
 */
export function headerValue(text: string): string {
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(text)) {
    throw new Error('internal: a header value with a line break or control character reached the renderer');
  }
  return text;
}

/** Markdown text: every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them). */
export function markdownText(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
