/**
 * Every way a client may spell one project name, as a regular expression, and
 * the few literal spellings a glob-only proxy can be given instead.
 *
 * pip normalizes a name before it asks the index (PEP 503: lowercase, every run
 * of `-`, `_`, `.` becomes `-`), but other clients, scripts, lock files and
 * proxies pass on whatever spelling they were given. Any string that normalizes
 * to the same project is therefore the same project, and a blocking rule has to
 * match all of them.
 *
 * The regex dialect is deliberately tiny so that the same text means the same
 * thing in Java (Nexus), PCRE (nginx, Apache), RE2 (Go proxies) and JavaScript:
 * letters become explicit `[Aa]` classes instead of a case-insensitive flag,
 * because `(?i)` is not JavaScript syntax before Node 23 and a flag set elsewhere
 * (nginx `~*`) is easy to forget.
 */

/** One non-empty run of separators: pip treats `-`, `_`, `.` and any mix of them alike. */
export const SEPARATOR_RUN = '[-_.]+';

/** The same inside wheel and egg file names, where `-` separates fields and the name escapes it. */
export const DASHLESS_SEPARATOR_RUN = '[_.]+';

/** `acme` → `[Aa][Cc][Mm][Ee]`; digits stay as they are (project names are ASCII letters and digits). */
export function anyCase(label: string): string {
  return [...label].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
}

/** The parts of a normalized name between its separators: `acme-foo-bar` → `acme`, `foo`, `bar`. */
export function labels(normalized: string): string[] {
  return normalized.split('-');
}

/**
 * A regex (no anchors) matching exactly the spellings of the project: each
 * label in any letter case, joined by any non-empty run of `-`, `_`, `.`.
 * It never matches a spelling with a separator dropped (`acmefoo` is another
 * project for pip) or with extra characters; where the match may stop is the
 * caller's business (see regex.ts for the boundaries).
 */
export function spellingPattern(normalized: string): string {
  return labels(normalized).map(anyCase).join(SEPARATOR_RUN);
}

/** Like spellingPattern, for the name part of wheel and egg file names (no `-`). */
export function wheelSpellingPattern(normalized: string): string {
  return labels(normalized).map(anyCase).join(DASHLESS_SEPARATOR_RUN);
}

/**
 * The lowercase spellings a proxy without regexes is given: the normalized
 * name and the same with every separator as `_` (wheels, PEP 625 sdists) and as
 * `.` (older sdists such as `zope.interface-…`). Mixed separators, runs of them
 * and other letter cases are left out on purpose; see the README's limits.
 */
export function realisticSpellings(normalized: string): string[] {
  return [...new Set(['-', '_', '.'].map((sep) => labels(normalized).join(sep)))];
}
