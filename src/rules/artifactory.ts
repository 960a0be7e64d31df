/**
 * Exclude patterns for a JFrog Artifactory PyPI remote repository.
 *
 * Artifactory applies a repository's Includes/Excludes Pattern (Ant-style:
 * `*` = any characters within one path segment, `?` = one character, `**` = any
 * number of segments; patterns separated by commas) to the path an item has in
 * the repository, not to the URL the client asked for:
 * - the simple page of a project is cached as `.pypi/<name>.html`, always in
 *   lowercase (JFrog knowledge base, "How to use Include and Exclude patterns on
 *   PyPI repositories"); excluding it stops resolution through the remote;
 * - distribution files keep the upstream layout under `packages/`
 *   (`packages/ab/cd/<hash>/acme_foo-1.0.tar.gz`) and keep their own spelling.
 *
 * Ant patterns cannot say "any run of `-_.`", "any letter case" or "a digit",
 * so we list spellings: the lowercase name with `-`, `_` and `.` separators
 * (spelling.ts), and for files each version start digit `0`–`9` after `-` so that
 * `acme-foo` does not exclude `acme-foo-bar-1.0.tar.gz`. File patterns are
 * confined to `packages/` so that `acme-foo-2`'s page `.pypi/acme-foo-2.html` is
 * not caught by `acme-foo-2*`. What stays uncovered is listed in the README.
 */
import { realisticSpellings } from './spelling.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The exclude patterns for one normalized name: metadata first, then files. */
export function artifactoryExcludes(normalized: string): string[] {
  const spellings = realisticSpellings(normalized);
  const metadata = spellings.flatMap((s) => [`.pypi/${s}.html`, `.pypi/${s}/**`]);
  const files = spellings.flatMap((s) => DIGITS.map((d) => `**/packages/**/${s}-${d}*`));
  return [...metadata, ...files];
}

/** The value of the "Excludes Pattern" field (`excludesPattern` in the repository JSON). */
export function artifactoryExcludesPattern(normalizedNames: readonly string[]): string {
  return normalizedNames.flatMap(artifactoryExcludes).join(',');
}

export function renderArtifactoryExcludes(normalizedNames: readonly string[]): string {
  return `${artifactoryExcludesPattern(normalizedNames)}\n`;
}

/**
 * The repository configuration body for Artifactory's "update repository
 * configuration" REST call: only `excludesPattern`, which that call replaces
 * as a whole (existing excludes must be merged in by the caller).
 */
export function renderArtifactoryJson(normalizedNames: readonly string[]): string {
  return `${JSON.stringify({ excludesPattern: artifactoryExcludesPattern(normalizedNames) }, null, 2)}\n`;
}
