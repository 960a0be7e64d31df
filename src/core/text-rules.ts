/**
 * What user text may contain before it goes into generated files. Line breaks are
 * refused rather than escaped: a line break in a metadata field would start a new
 * header, so nothing that any parser (Python's str.splitlines included) treats as
 * a line break may pass.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Why a single-line text is unacceptable, or undefined when it is fine. */
export function singleLineProblem(text: string): string | undefined {
  if (/[\r\n\u2028\u2029\u0085\u000b\u000c\u001c-\u001e]/.test(text)) return 'contains a line break';
  if (FORBIDDEN_CHAR.test(text)) return 'contains a control character';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (lone surrogate)';
  return undefined;
}

/**
 * What must never reach a terminal, a log or a GitHub workflow command as is:
 * C0/C1 controls (ESC, BEL, line breaks), DEL, the Unicode line and paragraph
 * separators, bidirectional marks, embeddings, overrides and isolates, and the
 * invisible characters that make two different texts look alike (no-break
 * space, soft hyphen, zero-width characters, byte-order mark), plus lone surrogates.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Surrogate}/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The one printable-text rule for user input on its way to a terminal, a log or
 * a workflow command: every character above is written as a visible escape
 * (`\n`, `\x1b`, `\u202e`), so nothing can start a new line (a forged
 * `::error::` command, a fake result row), drive the terminal, or hide what the
 * text really contains.
 */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE, visibleEscape);
}

/**
 * Text from a server (an index's messages, a project's metadata), printed as one
 * line: its ordinary layout (line breaks, tabs, runs of spaces) becomes single
 * spaces, since an HTML error page is not meant to be read as escapes; anything
 * else unprintable is escaped by the rule above. Long texts are cut to `maxLength`.
 */
export function printable(text: string, maxLength = 500): string {
  const visible = printableLine(text.replace(/[\t\n\r ]+/g, ' ').trim());
  return visible.length > maxLength ? `${visible.slice(0, maxLength - 1)}…` : visible;
}

function visibleEscape(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short) return short;
  const cp = ch.codePointAt(0)!;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}
