/**
 * Reads the project name out of a PEP 508 dependency specifier
 * (`name[extras] (specifiers | @ url) ; marker`), as written in requirements
 * files and pyproject.toml. Only the name matters to us, but the rest is
 * checked too: a line we cannot read with confidence is reported, never guessed at.
 */

export type SpecifierName =
  /** A named requirement: `requests>=2`, `acme[cli] @ https://…`. */
  | { kind: 'name'; name: string }
  /** A bare path or URL (`./pkg`, `git+https://…`, `x.whl`): names no project by itself. */
  | { kind: 'unnamed'; what: 'path' | 'url' }
  | { kind: 'invalid'; message: string };

/** PEP 508 `identifier`: starts and ends with a letter or digit. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const EXTRA_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** One version clause; `===` allows any non-space string (PEP 440 arbitrary equality). */
const CLAUSE_RE = /^(?:===\s*\S+|(?:~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9_.*+!-]+)$/;
/** What may follow a name in PEP 508. */
const AFTER_NAME_RE = /^(?:$|[\s[(<>=!~@;])/;
/** Archive files pip installs from a path: a bare `pkg-1.0.tar.gz` is a file, not a project. */
const ARCHIVE_RE = /\.(?:whl|zip|tar|tgz|tbz|txz|tlz|tar\.gz|tar\.bz2|tar\.xz|tar\.lz|tar\.lzma)$/i;
/** A URL scheme of two or more characters (`https:`, `git+ssh:`, `file:`); one letter is a Windows drive. */
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/** Whether pip would read this requirement as a URL or a local path rather than a name. */
export function isUrlOrPath(text: string): 'url' | 'path' | undefined {
  if (SCHEME_RE.test(text)) return 'url';
  if (/^[A-Za-z]:/.test(text) || /^[.~/\\]/.test(text) || /[/\\]/.test(text) || ARCHIVE_RE.test(text)) return 'path';
  return undefined;
}

/**
 * The project name of a specifier. `allowUnnamed` accepts pip's bare paths and
 * URLs (requirements files); PEP 621/735 lists require a name.
 */
export function specifierName(specifier: string, options: { allowUnnamed?: boolean } = {}): SpecifierName {
  const text = specifier.trim();
  if (text === '') return { kind: 'invalid', message: 'empty requirement' };
  const match = NAME_RE.exec(text);
  const name = match?.[0];
  const rest = name === undefined ? text : text.slice(name.length);
  const named = name !== undefined && AFTER_NAME_RE.test(rest) && !(rest.trim() === '' && ARCHIVE_RE.test(name));
  if (!named) {
    const unnamed = isUrlOrPath(text);
    if (unnamed && options.allowUnnamed) return { kind: 'unnamed', what: unnamed };
    if (unnamed) return { kind: 'invalid', message: `a ${unnamed} is not a dependency specifier here; write 'name @ ${text}'` };
    return { kind: 'invalid', message: 'does not start with a project name' };
  }
  const problem = tailProblem(rest);
  return problem ? { kind: 'invalid', message: problem } : { kind: 'name', name };
}

/** Checks what follows the name: `[extras]`, then `@ url` or version clauses, then `; marker`. */
function tailProblem(tail: string): string | undefined {
  let rest = tail.trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return "unclosed '[' in extras";
    const inner = rest.slice(1, close).trim();
    const bad = inner === '' ? undefined : inner.split(',').map((e) => e.trim()).find((e) => !EXTRA_RE.test(e));
    if (bad !== undefined) return bad === '' ? 'empty extra name' : `invalid extra name '${bad}'`;
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith('@')) {
    const url = rest.slice(1).trim().split(/\s+;/)[0] ?? '';
    return url === '' ? "missing URL after '@'" : undefined;
  }
  const semicolon = rest.indexOf(';');
  let versions = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
  const marker = semicolon === -1 ? undefined : rest.slice(semicolon + 1).trim();
  if (marker !== undefined && marker === '') return "empty environment marker after ';'";
  if (versions.startsWith('(')) {
    if (!versions.endsWith(')')) return "unclosed '(' in version specifier";
    versions = versions.slice(1, -1).trim();
  }
  if (versions === '') return undefined;
  const clause = versions.split(',').map((c) => c.trim()).find((c) => !CLAUSE_RE.test(c));
  if (clause === undefined) return undefined;
  if (clause === '') return 'empty version clause';
  return /^[<>=!~]/.test(clause) ? `cannot read version specifier '${clause}'` : `unexpected '${clause}' after the project name`;
}

/**
 * The name carried by a URL's `#egg=name` fragment (pip's legacy way of naming
 * a VCS or archive URL), or undefined when there is none.
 */
export function eggName(url: string): SpecifierName | undefined {
  const match = /[#&]egg=([^&\s]*)/.exec(url);
  if (!match) return undefined;
  const value = decodeURIComponentSafe(match[1] ?? '');
  const name = NAME_RE.exec(value)?.[0];
  const rest = name === undefined ? value : value.slice(name.length);
  if (name === undefined || !/^(?:\[[^\]]*\])?$/.test(rest)) {
    return { kind: 'invalid', message: `cannot read the project name in '#egg=${value}'` };
  }
  return { kind: 'name', name };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
