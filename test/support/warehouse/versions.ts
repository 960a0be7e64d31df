/**
 * PEP 440 as `packaging.version` (26.x) implements it: parsing, the normalized
 * string (`str(Version(v))`, used by the PEP 625 filename check, §4 step 19),
 * `canonicalize_version` (one release per canonical version, §4 step 10) and
 * ordering (latest version in the JSON API).
 */

const VERSION_RE = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[._-]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[._-]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[._-]?(?<post_l>post|rev|r)[._-]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[._-]?(?<dev_l>dev)[._-]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[._-][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: { letter: 'a' | 'b' | 'rc'; number: number };
  post?: number;
  dev?: number;
  /** Normalized local segment (`abc.1`), absent when there is none. */
  local?: string;
}

function preLetter(letter: string): 'a' | 'b' | 'rc' {
  const l = letter.toLowerCase();
  if (l === 'alpha' || l === 'a') return 'a';
  if (l === 'beta' || l === 'b') return 'b';
  return 'rc';
}

/** Parses like `packaging.version.Version`; undefined means InvalidVersion. */
export function parseVersion(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const v: Pep440Version = {
    epoch: g.epoch ? Number(g.epoch) : 0,
    release: g.release!.split('.').map(Number),
  };
  if (g.pre_l) v.pre = { letter: preLetter(g.pre_l), number: g.pre_n ? Number(g.pre_n) : 0 };
  if (g.post_n1 !== undefined) v.post = Number(g.post_n1);
  else if (g.post_l) v.post = g.post_n2 ? Number(g.post_n2) : 0;
  if (g.dev_l) v.dev = g.dev_n ? Number(g.dev_n) : 0;
  if (g.local) {
    v.local = g.local
      .toLowerCase()
      .split(/[._-]/)
      .map((part) => (/^[0-9]+$/.test(part) ? String(Number(part)) : part))
      .join('.');
  }
  return v;
}

function render(v: Pep440Version, release: number[]): string {
  let out = release.join('.');
  if (v.epoch) out = `${v.epoch}!${out}`;
  if (v.pre) out += `${v.pre.letter}${v.pre.number}`;
  if (v.post !== undefined) out += `.post${v.post}`;
  if (v.dev !== undefined) out += `.dev${v.dev}`;
  if (v.local !== undefined) out += `+${v.local}`;
  return out;
}

function withoutTrailingZeros(release: number[]): number[] {
  const out = [...release];
  while (out.length > 1 && out[out.length - 1] === 0) out.pop();
  return out;
}

/** `str(Version(text))`, e.g. `1.0-alpha` → `1.0a0`, `v1.0` → `1.0`. */
export function normalizeVersion(v: Pep440Version): string {
  return render(v, v.release);
}

/** `packaging.utils.canonicalize_version`: the normalized form without trailing release zeros. */
export function canonicalVersion(v: Pep440Version): string {
  return render(v, withoutTrailingZeros(v.release));
}

type KeyPart = number | string;

function localKey(local: string | undefined): Array<[number, string]> | undefined {
  if (local === undefined) return undefined;
  // Numeric segments sort after alphanumeric ones (packaging's _cmpkey).
  return local.split('.').map((p) => (/^[0-9]+$/.test(p) ? [Number(p), ''] : [-Infinity, p]));
}

function compareParts(a: KeyPart, b: KeyPart): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Orders versions as packaging does (negative when a < b). */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  const key = (v: Pep440Version): KeyPart[] => {
    const rank = { a: 0, b: 1, rc: 2 } as const;
    let pre: KeyPart[];
    if (!v.pre && v.post === undefined && v.dev !== undefined) pre = [-Infinity, 0];
    else if (!v.pre) pre = [Infinity, 0];
    else pre = [rank[v.pre.letter], v.pre.number];
    return [v.epoch, ...pre, v.post === undefined ? -Infinity : v.post, v.dev === undefined ? Infinity : v.dev];
  };
  const c = compareParts(a.epoch, b.epoch);
  if (c) return c;
  const ra = withoutTrailingZeros(a.release);
  const rb = withoutTrailingZeros(b.release);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const d = compareParts(ra[i] ?? -1, rb[i] ?? -1);
    if (d) return d;
  }
  const ka = key(a);
  const kb = key(b);
  for (let i = 1; i < ka.length; i++) {
    const d = compareParts(ka[i]!, kb[i]!);
    if (d) return d;
  }
  const la = localKey(a.local);
  const lb = localKey(b.local);
  if (!la || !lb) return la === lb ? 0 : la ? 1 : -1;
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const pa = la[i];
    const pb = lb[i];
    if (!pa || !pb) return pa ? 1 : -1;
    const d = compareParts(pa[0], pb[0]) || compareParts(pa[1], pb[1]);
    if (d) return d;
  }
  return 0;
}

/** Sorts version strings the way Warehouse orders releases; unparsable ones go first. */
export function sortVersionStrings(versions: string[]): string[] {
  return [...versions].sort((x, y) => {
    const a = parseVersion(x);
    const b = parseVersion(y);
    if (!a || !b) return a ? 1 : b ? -1 : x.localeCompare(y);
    return compareVersions(a, b);
  });
}
