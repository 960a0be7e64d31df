/**
 * `include` / `exclude` glob patterns over project names: `*` (any run of
 * characters), `?` (one character), `[abc]`, `[a-z]`, `[!abc]`. A pattern is
 * normalized like a name (PEP 503: lowercase, runs of `-`, `_`, `.` become
 * `-`) and matched against the normalized name, so `Acme_*` and `acme-*` mean
 * the same. Names have no `/`, so there is no `**`.
 */
import type { Problem } from '../core/errors.js';

export type FilterVerdict = 'kept' | 'not-included' | 'excluded';

export interface NameFilter {
  /** Decides for a PEP 503-normalized name. */
  verdict(normalized: string): FilterVerdict;
  readonly active: boolean;
}

/** Characters that can appear in a pattern: name characters and glob syntax. */
const PATTERN_CHARS_RE = /^[A-Za-z0-9._\-*?[\]!^]*$/;

/** Why a pattern is unusable, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'empty pattern';
  if (!PATTERN_CHARS_RE.test(pattern)) {
    const bad = [...pattern].find((ch) => !/[A-Za-z0-9._\-*?[\]!^]/.test(ch));
    return `'${bad}' never appears in a project name`;
  }
  try {
    globToRegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

/** Compiles a pattern to an anchored, case-insensitive RegExp over normalized names. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      source += '.*';
      while (pattern[i + 1] === '*') i++;
    } else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (end === -1) throw new Error("unclosed '[' in pattern");
      source += classSource(pattern.slice(i + 1, end));
      i = end;
    } else if (/[-_.]/.test(ch)) {
      // A run of separators is one '-' in a normalized name.
      source += '-';
      while (/[-_.]/.test(pattern[i + 1] ?? '')) i++;
    } else if (ch === ']') throw new Error("unmatched ']' in pattern");
    else if (ch === '!' || ch === '^') throw new Error(`'${ch}' outside '[...]' never appears in a project name`);
    else source += ch.toLowerCase().replace(/[\\^$+(){}|]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${source}$`, 'i');
}

/** Index of the `]` closing the class opened at `start`; a `]` right after `[` or `[!` is literal. */
function classEnd(pattern: string, start: number): number {
  let j = start + 1;
  if (pattern[j] === '!' || pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  return pattern.indexOf(']', j);
}

function classSource(body: string): string {
  let negate = false;
  let rest = body;
  if (rest.startsWith('!') || rest.startsWith('^')) {
    negate = true;
    rest = rest.slice(1);
  }
  if (rest === '') throw new Error("empty '[]' in pattern");
  let out = '';
  for (let k = 0; k < rest.length; k++) {
    const ch = rest[k] as string;
    const next = rest[k + 2];
    if (rest[k + 1] === '-' && next !== undefined) {
      if (ch.toLowerCase() > next.toLowerCase()) throw new Error(`bad range '${ch}-${next}' in pattern`);
      out += `${escapeClassChar(ch.toLowerCase())}-${escapeClassChar(next.toLowerCase())}`;
      k += 2;
    } else out += escapeClassChar(/[_.]/.test(ch) ? '-' : ch.toLowerCase());
  }
  return `[${negate ? '^' : ''}${out}]`;
}

function escapeClassChar(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * chosen = (names matching an include pattern, or all when there is none)
 * minus names matching an exclude pattern. Invalid patterns are problems
 * with source `--include` / `--exclude` (patterns from the config file were
 * already checked, with their line, when it was loaded).
 */
export function compileNameFilter(
  include: readonly string[],
  exclude: readonly string[],
): { filter: NameFilter; problems: Problem[] } {
  const problems: Problem[] = [];
  const compile = (patterns: readonly string[], option: string): RegExp[] =>
    patterns.flatMap((pattern) => {
      const problem = patternProblem(pattern);
      if (problem) {
        problems.push({ code: 'E_PATTERN_INVALID', message: `invalid ${option} pattern: ${problem}`, value: pattern, source: `--${option}` });
        return [];
      }
      return [globToRegExp(pattern)];
    });
  const includes = compile(include, 'include');
  const excludes = compile(exclude, 'exclude');
  const filter: NameFilter = {
    active: includes.length > 0 || excludes.length > 0,
    verdict(normalized) {
      if (includes.length > 0 && !includes.some((re) => re.test(normalized))) return 'not-included';
      if (excludes.some((re) => re.test(normalized))) return 'excluded';
      return 'kept';
    },
  };
  return { filter, problems };
}
