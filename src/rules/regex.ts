/**
 * One regular expression per private name that matches every request path a
 * Python client or proxy makes for that project, and nothing else.
 *
 * Shape (N = every spelling of the name, Nd = the same without `-`; see spelling.ts):
 *
 *   ^(?:[^?#]*\/)?                   any path prefix: Nexus `/`, Pulp `/pypi/<base>/`, devpi `/<user>/<index>/`,
 *                                    `/packages/ab/cd/<hash>/` on files.pythonhosted.org, a full URL
 *   (?: \+?simple/N(?:/(?:index\.html)?)?           simple page, with or without the trailing slash
 *     | pypi/N(?:/[^/?#]+)?/json/?                  JSON API, for the project and for one version
 *     | Nd-V[^-/?#]*-[^/?#]*\.(?:whl|egg)S          wheel or egg (the name never contains `-`)
 *     | N-V[^/?#]*\.(?:tar\.gz|zip|…)S               sdist or old installer (the name may contain `-`)
 *   )(?:[?#][\s\S]*)?$             optional query string, line breaks too (Nexus appends the parameters to the path)
 *
 *   V = a version start: a digit, or `v` and a digit; S = optional `.metadata` (PEP 658) or `.asc` (GPG).
 *
 * Anchored at both ends: Nexus matches with Java's `String.matches` (the whole
 * path), and the anchors make `find`-style engines (nginx, JavaScript) agree.
 *
 * Where a name ends:
 * - on pages and the JSON API the name is a whole path segment, so `acme-foo`
 *   never matches `acme-foobar`, `acme-foo-bar`, `xacme-foo` or `acmefoo`.
 * - in wheel and egg names the name has its `-` escaped to `_` (or kept as `.`),
 *   so the first `-` ends it: exact.
 * - PEP 625 sdists (all PyPI accepts today) spell the name with `_`: exact too.
 *   Older sdists and installers may spell it with `-` (`acme-foo-bar-1.0.tar.gz`);
 *   there the boundary is "`-` then a digit, or `v` and a digit", where a version
 *   starts. Residual ambiguity, by the file name alone: a legacy dash-spelled
 *   file `acme-foo-2-1.0.tar.gz` is either project `acme-foo-2` version 1.0 or
 *   project `acme-foo` version `2-1.0` (a legacy post-release spelling). The rule
 *   for `acme-foo` blocks it: over-blocking a few old files of another project
 *   is visible and rare, letting a file of the private name through is not.
 * - the extension list keeps the file branches off page paths (`/simple/acme-foo-2`
 *   without its slash is project `acme-foo-2`'s page, not a file of `acme-foo`).
 *
 * Only syntax shared by Java, PCRE, RE2 and JavaScript is used: `^ $ (?: ) | * + ?`,
 * bracket classes (`[\s\S]` included) and `\.` `\+` escapes. Fixed path words (`simple`, `pypi`,
 * `json`, extensions) are lowercase as servers route them.
 */
import { spellingPattern, wheelSpellingPattern } from './spelling.js';

/** Any path prefix ending in `/`, or none; never crosses into the query string. */
export const PATH_PREFIX = '(?:[^?#]*/)?';

/**
 * An optional query string or fragment after the path. `[\s\S]`, not `.`: a
 * decoded query can hold a line break, which `.` does not match in Java, PCRE
 * or JavaScript, so `?x=%0A` would otherwise slip a blocked path through.
 */
export const QUERY_SUFFIX = '(?:[?#][\\s\\S]*)?';

/** Archives whose names keep the project's own spelling, `-` included: sdists and old bdist_* installers. */
export const SDIST_EXTENSIONS = [
  'tar\\.gz',
  'tar\\.bz2',
  'tar\\.xz',
  'tar\\.Z',
  'tar',
  'tgz',
  'tbz2',
  'tbz',
  'txz',
  'zip',
  'exe',
  'msi',
  'rpm',
  'deb',
  'dmg',
] as const;

/** Built distributions whose names escape `-` in the project name: `<name>-<version>-<tags>.whl|.egg`. */
export const BUILT_EXTENSIONS = ['whl', 'egg'] as const;

/** Files served next to a distribution: PEP 658 metadata and PEP 503 GPG signatures. */
const SIDE_FILE_SUFFIX = '(?:\\.(?:metadata|asc))?';

/** A version starts with a digit (PEP 440), or `v` and a digit in unnormalized spellings. */
const VERSION_START = '[Vv]?[0-9]';

interface NamePatterns {
  /** Every spelling. */
  any: string;
  /** Every spelling without `-` (wheel and egg file names). */
  dashless: string;
}

function pathRegexFor(names: NamePatterns): string {
  const page = `\\+?simple/${names.any}(?:/(?:index\\.html)?)?`;
  const json = `pypi/${names.any}(?:/[^/?#]+)?/json/?`;
  const built = `${names.dashless}-${VERSION_START}[^-/?#]*-[^/?#]*\\.(?:${BUILT_EXTENSIONS.join('|')})${SIDE_FILE_SUFFIX}`;
  const sdist = `${names.any}-${VERSION_START}[^/?#]*\\.(?:${SDIST_EXTENSIONS.join('|')})${SIDE_FILE_SUFFIX}`;
  return `^${PATH_PREFIX}(?:${page}|${json}|${built}|${sdist})${QUERY_SUFFIX}$`;
}

/** The request-path regex for one normalized project name. */
export function requestPathRegex(normalized: string): string {
  return pathRegexFor({ any: spellingPattern(normalized), dashless: wheelSpellingPattern(normalized) });
}

/** One regex for several names: the same shape with the names as one alternation. */
export function combinedRequestPathRegex(normalizedNames: readonly string[]): string {
  if (normalizedNames.length === 0) throw new Error('combinedRequestPathRegex needs at least one name');
  if (normalizedNames.length === 1) return requestPathRegex(normalizedNames[0] as string);
  return pathRegexFor({
    any: `(?:${normalizedNames.map(spellingPattern).join('|')})`,
    dashless: `(?:${normalizedNames.map(wheelSpellingPattern).join('|')})`,
  });
}

/** The `regex` output: one line per name, or one combined line. */
export function renderRegexRules(normalizedNames: readonly string[], options: { combined?: boolean } = {}): string {
  const lines = options.combined ? [combinedRequestPathRegex(normalizedNames)] : normalizedNames.map(requestPathRegex);
  return lines.map((l) => `${l}\n`).join('');
}
