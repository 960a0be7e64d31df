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
 * Text from outside (an index's messages, a project's metadata) made safe to
 * print: controls, line breaks and bidirectional overrides become spaces, so
 * nothing the server says can start a new line (a forged `::error::` workflow
 * command, a fake result row) or drive the terminal with escape sequences.
 */
export function printable(text: string, maxLength = 500): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
