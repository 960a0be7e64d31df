/**
 * Python project name rules, as PyPI applies them (fact sheet §4).
 */
import { throwIfProblems, type Problem } from './errors.js';
import { maskAssignment } from './redact-url.js';

/** PyPI's project name regex (warehouse utils/project.py), ASCII, case-insensitive, no length limit. */
const PROJECT_NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** PEP 503 normalization: lowercase, every run of `-`, `_`, `.` becomes one `-`. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** PEP 625 sdist filename stem: the normalized name with `-` replaced by `_`. */
export function filenameStem(name: string): string {
  return normalizeName(name).replace(/-/g, '_');
}

export function isValidProjectName(name: string): boolean {
  return PROJECT_NAME_RE.test(name);
}

/** Why a name is not a valid project name, or undefined when it is valid. */
export function nameProblem(name: string, source?: string): Problem | undefined {
  const base = { code: 'E_NAME_INVALID', value: maskAssignment(name), ...(source ? { source } : {}) };
  if (name.length === 0) return { ...base, message: 'empty project name' };
  if (isValidProjectName(name)) return undefined;
  let why: string;
  const invisible = /[\u00a0\u00ad\u200b-\u200f\u2060\ufeff]/.exec(name)?.[0];
  if (invisible) why = `contains an invisible character (U+${invisible.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  else if (/[^\x20-\x7e]/.test(name)) {
    why = /[\x00-\x1f\x7f]/.test(name) ? 'contains a control character' : 'contains non-ASCII characters';
  } else if (/\s/.test(name)) why = 'contains white space';
  else if (/^[-_.]|[-_.]$/.test(name)) why = 'starts or ends with punctuation';
  else why = "contains characters other than ASCII letters, digits, '.', '_' and '-'";
  return {
    ...base,
    message: `invalid project name: ${why}`,
    hint: "a name starts and ends with a letter or digit and contains only ASCII letters, digits, '.', '_' and '-'",
  };
}

/**
 * A name typed by a user, with where it came from, so every later message can
 * point back at the file and line.
 */
export interface NameEntry {
  name: string;
  source: string;
}

/** A validated name: the spelling given plus its PEP 503 form. */
export interface ProjectName {
  name: string;
  normalized: string;
  source: string;
}

/**
 * Validates names and merges entries that normalize to the same project. The
 * first spelling keeps its position (input order is the reservation priority).
 * With `duplicates: 'error'` (the default, for lists a person typed) a repeat is a
 * problem naming both places; with `'merge'` (combined sources) it is kept once
 * and reported in `merged`.
 */
export interface MergedName {
  kept: ProjectName;
  dropped: NameEntry;
}

export function validateNames(
  entries: readonly NameEntry[],
  options: { duplicates?: 'error' | 'merge' } = {},
): { names: ProjectName[]; problems: Problem[]; merged: MergedName[] } {
  const names: ProjectName[] = [];
  const problems: Problem[] = [];
  const merged: MergedName[] = [];
  const seen = new Map<string, ProjectName>();
  for (const entry of entries) {
    const problem = nameProblem(entry.name, entry.source);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const normalized = normalizeName(entry.name);
    const first = seen.get(normalized);
    if (first && options.duplicates === 'merge') {
      merged.push({ kept: first, dropped: entry });
      continue;
    }
    if (first) {
      problems.push({
        code: 'E_NAME_DUPLICATE',
        message:
          first.name === entry.name
            ? `duplicate name, already given at ${first.source}`
            : `'${entry.name}' and '${first.name}' (${first.source}) are the same project '${normalized}'`,
        value: entry.name,
        source: entry.source,
        hint: 'list each project once',
      });
      continue;
    }
    const pn = { name: entry.name, normalized, source: entry.source };
    seen.set(normalized, pn);
    names.push(pn);
  }
  return { names, problems, merged };
}

/** What the library API accepts wherever it takes names: a plain string, or a name validateNames returned. */
export type ProjectNameInput = string | ProjectName;

/**
 * Names given to a library function, as ProjectNames: a string is validated and
 * normalized here (an invalid one is an InputError, as on the command line); an
 * object must be a ProjectName. Anything else is a TypeError naming the shape
 * expected, rather than a crash deep inside.
 */
export function toProjectNames(names: unknown, caller: string): ProjectName[] {
  const shape = "an array of project names: strings ('acme-core') or objects from validateNames ({ name, normalized, source })";
  if (!Array.isArray(names)) throw new TypeError(`${caller}: names must be ${shape}, not ${describeValue(names)}`);
  const entries: NameEntry[] = names.map((item: unknown, i) => {
    if (typeof item === 'string') return { name: item, source: `${caller} names[${i}]` };
    const candidate = item as Partial<ProjectName> | null;
    if (typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.source === 'string') {
      if (candidate.normalized === normalizeName(candidate.name)) return { name: candidate.name, source: candidate.source };
    }
    throw new TypeError(`${caller}: names must be ${shape}; names[${i}] is ${describeValue(item)}`);
  });
  const { names: valid, problems } = validateNames(entries, { duplicates: 'merge' });
  throwIfProblems(problems);
  return valid;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `a ${typeof value}`;
}
