/**
 * What a PyPI API token says about itself, read offline (fact sheet §10).
 *
 * A token is `pypi-` + a pymacaroons v2 macaroon (or a v1 one, pymacaroons'
 * default serialization) in URL-safe base64. Its
 * location names the index it belongs to; its first-party caveats are JSON:
 * `[0, expires_at, not_before]`, `[1, [project names]]`, `[2, [project ids]]`,
 * `[3, user id]`, `[4, …]` (a trusted publisher), or, in older tokens, the legacy
 * objects `{"version": 1, "permissions": "user" | {"projects": [...]}}` and
 * `{"exp": …, "nbf": …}`. Anyone holding a token can add caveats, and every
 * caveat must hold, so several project caveats intersect and the earliest expiry
 * wins. Only the signature and revocation need the server.
 *
 * A value that does not decode as such a macaroon (a private index's password,
 * a test server's token) yields `undefined`: it is used as given, bound only by
 * the configuration.
 */

export type TokenScope =
  | { kind: 'account' }
  | { kind: 'projects'; names: string[] }
  | { kind: 'project-ids'; ids: string[] }
  | { kind: 'publisher' };

export interface PypiTokenFacts {
  /** The macaroon's location: `pypi.org`, `test.pypi.org`, or whatever the issuer wrote. */
  location: string;
  /** Unix seconds; the earliest of all expiry caveats. */
  expiresAt?: number;
  /** Unix seconds; the latest of all not-before caveats. */
  notBefore?: number;
  scope: TokenScope;
  /** Caveats this reader did not understand (their server will judge them). */
  unknownCaveats: number;
}

const EOS = 0;
const LOCATION = 1;
const IDENTIFIER = 2;
const VID = 4;
const SIGNATURE = 6;
/** A real token is a few hundred bytes; anything far larger is not one. */
const MAX_TOKEN_LENGTH = 64 * 1024;

/** The facts of a `pypi-…` token, or undefined when the value is not a PyPI macaroon. */
export function readPypiToken(token: string): PypiTokenFacts | undefined {
  const trimmed = token.trim();
  if (!trimmed.startsWith('pypi-') || trimmed.length > MAX_TOKEN_LENGTH) return undefined;
  const encoded = trimmed.slice('pypi-'.length);
  if (!/^[A-Za-z0-9_\-+/]+={0,2}$/.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  // pymacaroons' serialize() writes v1 unless asked for v2: a v1 token must be bound to its host as well.
  const macaroon = parseMacaroonV2(bytes) ?? parseMacaroonV1(bytes);
  if (!macaroon) return undefined;
  return factsOf(macaroon);
}

/** The upload host a token's location allows: `pypi.org` uploads to `upload.pypi.org`, `test.pypi.org` to itself. */
export function uploadHostOf(location: string): string {
  return location.toLowerCase() === 'pypi.org' ? 'upload.pypi.org' : location.toLowerCase();
}

interface Macaroon {
  location: string;
  caveats: string[];
}

/** Strict v2 binary parse: any structural surprise means "not a macaroon". Linear in the input. */
function parseMacaroonV2(bytes: Buffer): Macaroon | undefined {
  if (bytes.length < 2 || bytes[0] !== 2) return undefined;
  let pos = 1;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= bytes.length) return undefined;
      const b = bytes[pos++]!;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  };
  /** Reads fields up to an EOS; undefined on malformed input. */
  const section = (): Map<number, Buffer> | undefined => {
    const fields = new Map<number, Buffer>();
    for (;;) {
      const type = varint();
      if (type === undefined) return undefined;
      if (type === EOS) return fields;
      const length = varint();
      if (length === undefined || pos + length > bytes.length || fields.has(type)) return undefined;
      fields.set(type, bytes.subarray(pos, pos + length));
      pos += length;
    }
  };
  const header = section();
  if (!header?.has(IDENTIFIER)) return undefined;
  const caveats: string[] = [];
  for (;;) {
    if (pos >= bytes.length) return undefined;
    if (bytes[pos] === EOS) {
      pos++;
      break;
    }
    const caveat = section();
    const id = caveat?.get(IDENTIFIER);
    if (!caveat || !id) return undefined;
    // A third-party caveat (with a verification id) is not one of PyPI's; it is counted as unknown.
    caveats.push(caveat.has(VID) ? '\u0000third-party' : id.toString('utf8'));
  }
  // The signature follows as a last packet (pymacaroons writes no EOS after it).
  const type = varint();
  const length = varint();
  if (type !== SIGNATURE || length === undefined || pos + length > bytes.length) return undefined;
  return { location: header.get(LOCATION)?.toString('utf8') ?? '', caveats };
}

/**
 * Strict v1 (text packets) parse: each packet is 4 hex digits giving its whole
 * length, `key value`, and a newline; `location`, `identifier`, then caveats
 * (`cid`, with `vid` and `cl` for a third-party one), then `signature` last.
 */
function parseMacaroonV1(bytes: Buffer): Macaroon | undefined {
  const packets: [string, Buffer][] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const header = bytes.subarray(pos, pos + 4).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(header)) return undefined;
    const length = parseInt(header, 16);
    if (length < 6 || pos + length > bytes.length || bytes[pos + length - 1] !== 0x0a) return undefined;
    const body = bytes.subarray(pos + 4, pos + length - 1);
    const space = body.indexOf(0x20);
    if (space <= 0) return undefined;
    packets.push([body.subarray(0, space).toString('latin1'), body.subarray(space + 1)]);
    pos += length;
  }
  if (packets[0]?.[0] !== 'location' || packets[1]?.[0] !== 'identifier' || packets.at(-1)?.[0] !== 'signature') return undefined;
  const caveats: string[] = [];
  for (let i = 2; i < packets.length - 1; i++) {
    const [key, value] = packets[i]!;
    if (key !== 'cid') return undefined;
    if (packets[i + 1]?.[0] === 'vid') {
      if (packets[i + 2]?.[0] !== 'cl') return undefined;
      caveats.push('\u0000third-party');
      i += 2;
    } else caveats.push(value.toString('utf8'));
  }
  return { location: packets[0][1].toString('utf8'), caveats };
}

function factsOf(macaroon: Macaroon): PypiTokenFacts {
  const facts: PypiTokenFacts = { location: macaroon.location, scope: { kind: 'account' }, unknownCaveats: 0 };
  let names: Set<string> | undefined;
  let ids: Set<string> | undefined;
  let publisher = false;
  const intersect = (current: Set<string> | undefined, next: string[]) => new Set(current ? next.filter((n) => current.has(n)) : next);
  const expire = (exp: unknown, nbf: unknown) => {
    if (typeof exp === 'number' && Number.isFinite(exp)) facts.expiresAt = Math.min(facts.expiresAt ?? Infinity, exp);
    if (typeof nbf === 'number' && Number.isFinite(nbf)) facts.notBefore = Math.max(facts.notBefore ?? -Infinity, nbf);
  };
  for (const text of macaroon.caveats) {
    let caveat: unknown;
    try {
      caveat = JSON.parse(text);
    } catch {
      facts.unknownCaveats++;
      continue;
    }
    if (Array.isArray(caveat)) {
      const [tag, a, b] = caveat as unknown[];
      if (tag === 0) expire(a, b);
      else if (tag === 1 && Array.isArray(a)) names = intersect(names, a.map((n) => normalize(String(n))));
      else if (tag === 2 && Array.isArray(a)) ids = intersect(ids, a.map(String));
      else if (tag === 3) continue;
      else if (tag === 4) publisher = true;
      else facts.unknownCaveats++;
    } else if (caveat && typeof caveat === 'object') {
      const legacy = caveat as { version?: unknown; permissions?: unknown; exp?: unknown; nbf?: unknown };
      if ('exp' in legacy || 'nbf' in legacy) expire(legacy.exp, legacy.nbf);
      else if (legacy.permissions === 'user') continue;
      else if (legacy.permissions && typeof legacy.permissions === 'object' && Array.isArray((legacy.permissions as { projects?: unknown }).projects)) {
        names = intersect(names, ((legacy.permissions as { projects: unknown[] }).projects).map((n) => normalize(String(n))));
      } else facts.unknownCaveats++;
    } else facts.unknownCaveats++;
  }
  if (publisher) facts.scope = { kind: 'publisher' };
  else if (names) facts.scope = { kind: 'projects', names: [...names].sort() };
  else if (ids) facts.scope = { kind: 'project-ids', ids: [...ids].sort() };
  return facts;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
