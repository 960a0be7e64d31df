/**
 * One word for a POSIX shell command line: left bare when it holds only
 * characters no shell treats specially, otherwise single-quoted (inside which
 * nothing is special; a `'` is closed, escaped and reopened).
 */
const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

export function shellWord(text: string): string {
  return SAFE_WORD.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
