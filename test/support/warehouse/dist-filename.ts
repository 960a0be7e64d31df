/**
 * Filename rules: the early checks of §4 step 11 (`_validate_filename`) and the
 * PEP 625 sdist checks of §4 step 19, with Warehouse's exact messages.
 */
import { normalize } from './names.js';
import { pyRepr } from './python-text.js';
import { type Pep440Version, normalizeVersion, parseVersion } from './versions.js';

const EXTENSIONS: Record<string, string[]> = { sdist: ['.zip', '.tar.gz'], bdist_wheel: ['.whl'] };

/** §4 step 11: printable, no path separators, a known extension matching the filetype. */
export function filenameProblem(filename: string, filetype: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(filename)) {
    return 'Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name.';
  }
  if (filename.includes('/') || filename.includes('\\')) return "Cannot upload a file with '/' or '\\' in the name.";
  const m = /^.+?(\.(tar\.gz|zip|whl))$/i.exec(filename);
  if (!m) {
    return (
      'Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 ' +
      'and https://peps.python.org/pep-0715/ for more information'
    );
  }
  const extension = m[1]!;
  if (!(EXTENSIONS[filetype] ?? []).includes(extension)) {
    return `Invalid file extension: Extension ${extension} is invalid for filetype ${filetype}. See https://www.python.org/dev/peps/pep-0527 for more information.`;
  }
  return undefined;
}

/** `packaging.utils.parse_sdist_filename`; undefined when it raises InvalidSdistFilename. */
function parseSdistFilename(filename: string): { name: string; version: Pep440Version } | undefined {
  let stem: string;
  if (filename.endsWith('.tar.gz')) stem = filename.slice(0, -'.tar.gz'.length);
  else if (filename.endsWith('.zip')) stem = filename.slice(0, -'.zip'.length);
  else return undefined;
  const dash = stem.lastIndexOf('-');
  if (dash < 0) return undefined;
  const version = parseVersion(stem.slice(dash + 1));
  if (!version) return undefined;
  return { name: normalize(stem.slice(0, dash)), version };
}

/**
 * §4 step 19 for an sdist of `project` (display and normalized name) whose
 * metadata version is `version` and name `metaName`.
 */
export function sdistFilenameProblem(
  filename: string,
  project: { name: string; normalized: string },
  metaName: string,
  version: Pep440Version,
): string | undefined {
  const parsed = parseSdistFilename(filename);
  if (!parsed) return `Invalid source distribution filename: ${filename}`;
  let nameFromFilename = parsed.name;
  // Versions with a hyphen (post-releases like 1.0-1): retry splitting at the second-to-last hyphen.
  if (version.post !== undefined && nameFromFilename !== normalize(metaName) && filename.split('-').length - 1 >= 2) {
    const withoutLast = filename.slice(0, filename.lastIndexOf('-'));
    nameFromFilename = withoutLast.slice(0, Math.max(0, withoutLast.lastIndexOf('-')));
  }
  const underscored = project.normalized.replace(/-/g, '_');
  if (normalize(nameFromFilename) !== project.normalized) {
    return `Start filename for ${pyRepr(project.name)} with ${pyRepr(underscored)}.`;
  }
  const expected = `${underscored}-${normalizeVersion(version)}.tar.gz`;
  if (filename !== expected) return `Filename ${pyRepr(filename)} is invalid, should be ${pyRepr(expected)}.`;
  return undefined;
}
