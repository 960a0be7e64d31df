/**
 * PyPI's "too similar" rule (fact sheet §4 step 6): a new project is refused when
 * its ultranormalized name equals an existing project's. Warehouse computes it in
 * SQL (migration d18d443f89f0):
 *
 *   lower(replace(replace(replace(name, '.'|'_'|'-' → ''), 'l'|'L'|'i'|'I' → '1'), 'o'|'O' → '0'))
 *
 * so `foo-bar` ~ `foobar`, `c00l` ~ `cool`, `Il1` ~ `111`.
 */

/** Warehouse's `ultranormalize_name`, step for step and in the same order. */
export function ultranormalizeName(name: string): string {
  return name
    .replace(/[._-]/g, '')
    .replace(/[lLiI]/g, '1')
    .replace(/[oO]/g, '0')
    .toLowerCase();
}

/**
 * Finds which of a few wanted names a (much longer) list of names collides with,
 * without building a string per listed name: 700,000 lookups cost one pass over
 * the characters each, and a string is only built on a probable hit.
 */
export class UltranormalIndex<T> {
  /** hash of the ultranormalized form → the forms with that hash and their values. */
  private readonly buckets = new Map<number, { form: string; values: T[] }[]>();

  /** Registers `value` under the ultranormalized form of `name`. */
  add(name: string, value: T): void {
    const form = ultranormalizeName(name);
    const hash = hashString(form);
    let bucket = this.buckets.get(hash);
    if (!bucket) this.buckets.set(hash, (bucket = []));
    const entry = bucket.find((e) => e.form === form);
    if (entry) entry.values.push(value);
    else bucket.push({ form, values: [value] });
  }

  /** The values registered under a name with the same ultranormalized form as `name`. */
  lookup(name: string): readonly T[] | undefined {
    const bucket = this.buckets.get(ultranormalHash(name));
    if (!bucket) return undefined;
    const form = ultranormalizeName(name);
    return bucket.find((e) => e.form === form)?.values;
  }

  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Kept to 30 bits so V8 stores the key as a small integer: a 32-bit value would be
// a heap number, allocated on every one of the 700,000 lookups (~40% slower).
const HASH_MASK = 0x3fffffff;

/** FNV-1a over UTF-16 code units, truncated to 30 bits. */
function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h & HASH_MASK;
}

/**
 * `hashString(ultranormalizeName(name))`, computed character by character for
 * ASCII names (every valid project name). Anything else takes the exact slow
 * path, since `toLowerCase` can change non-ASCII text in ways a per-character
 * mapping would not reproduce.
 */
function ultranormalHash(name: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c > 0x7f) return hashString(ultranormalizeName(name));
    if (c === 0x2d /* - */ || c === 0x2e /* . */ || c === 0x5f /* _ */) continue;
    if (c >= 0x41 && c <= 0x5a) c += 0x20; // A-Z → a-z (the mappings below are case-blind)
    if (c === 0x69 /* i */ || c === 0x6c /* l */) c = 0x31; // → 1
    else if (c === 0x6f /* o */) c = 0x30; // → 0
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h & HASH_MASK;
}
