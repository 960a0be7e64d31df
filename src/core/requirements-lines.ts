/**
 * The first steps pip takes on a requirements file (pip/_internal/req/req_file.py):
 * `preprocess` (join `\` continuations, drop comments and blank lines) and the
 * `shlex.split` of an option string. Shared by the name reader (sources) and
 * the index audit, so both see a file exactly as pip does.
 */

/** One logical line: continuation lines joined, comments removed, numbered by its first physical line. */
export interface LogicalLine {
  line: number;
  text: string;
}

/** pip's COMMENT_RE: `#` at the start of a line or after white space starts a comment. */
const COMMENT_RE = /(^|\s+)#.*$/;
const COMMENT_LINE_RE = /^\s*#/;

/**
 * pip's `join_lines` then `ignore_comments`: a line ending in `\` continues on
 * the next one (the joined line takes the number of its first line), except a
 * comment line, which also ends a continuation; then comments are removed and
 * blank lines dropped.
 */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let pending: string[] = [];
  let first = 0;
  const emit = (line: number, raw: string): void => {
    const stripped = raw.replace(COMMENT_RE, '').trim();
    if (stripped) out.push({ line, text: stripped });
  };
  physical.forEach((raw, index) => {
    const isComment = COMMENT_LINE_RE.test(raw);
    if (!raw.endsWith('\\') || isComment) {
      // pip prefixes a space so the comment is still stripped once joined to the line before.
      const piece = isComment ? ` ${raw}` : raw;
      if (pending.length > 0) {
        emit(first, pending.join('') + piece);
        pending = [];
      } else emit(index + 1, piece);
    } else {
      if (pending.length === 0) first = index + 1;
      // pip's `line.strip("\\")`: backslashes go from both ends.
      pending.push(raw.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (pending.length > 0) emit(first, pending.join(''));
  return out;
}

const SHLEX_WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Python's `shlex.split` (POSIX mode): white space separates, quotes group, a
 * backslash escapes outside quotes and, inside double quotes, only `"` and `\`.
 * Undefined where shlex raises (an unclosed quote, a backslash at the end):
 * pip then refuses the line.
 */
export function shellSplit(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote === "'") {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === quote) quote = undefined;
      else if (ch === '\\') {
        const next = text[++i];
        if (next === undefined) return undefined;
        current += next === '"' || next === '\\' ? next : `\\${next}`;
      } else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (SHLEX_WHITESPACE.has(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else if (ch === '\\') {
      const next = text[++i];
      if (next === undefined) return undefined;
      current += next;
      inToken = true;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) tokens.push(current);
  return tokens;
}
