/**
 * Keeps secrets out of every message. A Redactor knows the secrets of a run
 * (registered at start-up, before any output) and blanks them wherever they
 * appear, including in server responses that echo what they were sent.
 *
 * A server or an output format may reshape a secret before it is printed, so
 * the text is searched as written and in decoded readings where every escaped
 * character counts as the character it stands for: URL-encoding (`%2D`, also
 * encoded twice), JSON and JavaScript escapes (`\u002d`, `\x2d`), HTML
 * character references (`&#45;`, `&#45` without `;`, `&#x2d;`, `&hyphen;`) and
 * backslash escapes (Markdown's `\-`, JSON's `\/`), in any mix; a last reading
 * also drops line breaks and invisible break characters (a token wrapped at 76
 * columns). The raw text is searched too, since a secret may itself contain
 * `%41` or `\-` literally and be echoed verbatim (each secret's own decoded
 * reading is registered as well, for a server that decodes it).
 * What matches is blanked in the text as written. A secret's base64 (at each of
 * the three byte alignments it can have inside a longer base64 text, e.g. a
 * Basic header) and hex forms are secrets of their own.
 *
 * A long secret is blanked wherever any WINDOW consecutive characters of it
 * show, so a message that keeps only its middle or its tail (`...` + tail, a
 * column cut, the last line of a wrapped token) still shows nothing of it
 * beyond fewer than WINDOW characters at each end of what is left.
 */

import { normalizeName } from '../core/names.js';

/** A secret shorter than this is not matched at all (it would blank ordinary words). */
const MIN_SECRET = 4;
/** A derived form (base64 at an offset, hex) shorter than this is not matched: too likely to occur by chance. */
const MIN_DERIVED = 12;
/**
 * Consecutive characters of a secret that identify it. Every pypi.org token
 * starts with the same 20 characters (`pypi-` and its location), so fewer would
 * blank other tokens' public prefix; more would let a cut token show more.
 */
const WINDOW = 24;
/** Readings decoded in turn (double URL-encoding needs two). */
const MAX_DECODE_PASSES = 3;

/** Named HTML references a generator may use for the punctuation in secrets and base64. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  hyphen: '-', dash: '-', lowbar: '_', UnderBar: '_', plus: '+', sol: '/', equals: '=', colon: ':', period: '.',
  amp: '&', AMP: '&', quot: '"', QUOT: '"', apos: "'", lt: '<', LT: '<', gt: '>', GT: '>', commat: '@', percnt: '%',
  excl: '!', num: '#', dollar: '$', ast: '*', midast: '*', comma: ',', semi: ';', quest: '?', bsol: '\\', tilde: '~',
};

export class Redactor {
  /** Forms shorter than WINDOW, matched whole, longest first so a secret containing another is blanked whole. */
  private wholes: string[] = [];
  /** Every WINDOW-character stretch of every longer form. */
  private windows = new Set<string>();
  /** The rolling hashes of those windows, as a bitmap: the fast first test. */
  private bitmap = new Uint8Array(BITMAP_MASK + 1);
  private known = new Set<string>();
  /** Every form, normalized as a project name is (for isSecret). */
  private asNames = new Set<string>();

  /** A secret as it may travel: by itself, and as the password of a `__token__` Basic header. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET) return;
    for (const reading of new Set([secret, decodedSecret(secret)])) {
      this.addForm(reading);
      this.addEncodedForms(reading);
      this.addEncodedForms(`__token__:${reading}`);
    }
  }

  /** A password and the Basic-auth header value it travels in (the header is a secret even when the password is short). */
  addBasic(username: string, secret: string): void {
    this.add(secret);
    this.addEncodedForms(`${username}:${secret}`);
  }

  /** The secret inside an Authorization header value (`Basic …`, `Bearer …`, `token …`). */
  addAuthorization(header: string): void {
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    this.add(value);
    if (scheme?.toLowerCase() !== 'basic') return;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon !== -1) this.addBasic(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  /**
   * Whether `name`, read as a project name (case and runs of `-_.` ignored), is
   * one of the registered secrets or their forms: a source that holds a token
   * (`-r` of a token file) must not send it to an index as a name.
   */
  isSecretName(name: string): boolean {
    return name.length >= MIN_SECRET && this.asNames.size > 0 && this.asNames.has(normalizeName(name));
  }

  redact(text: string): string {
    if (this.known.size === 0 || text.length < MIN_SECRET) return text;
    const ranges: [number, number][] = [];
    for (const reading of readingsOf(text)) {
      const { plain } = reading;
      for (const form of this.wholes) {
        for (let i = plain.indexOf(form); i !== -1; i = plain.indexOf(form, i + 1)) ranges.push([reading.start(i), reading.end(i + form.length - 1)]);
      }
      if (this.windows.size === 0 || plain.length < WINDOW) continue;
      // A rolling hash of each window tested against a bitmap keeps the cost
      // linear and small; only a bitmap hit is compared for real. Runs of
      // matching windows become one range.
      let runFrom = -1;
      let runTo = -1;
      let h = 0;
      for (let i = 0; i < WINDOW - 1; i++) h = (Math.imul(h, HASH_BASE) + plain.charCodeAt(i)) | 0;
      for (let i = 0; i + WINDOW <= plain.length; i++) {
        h = (Math.imul(h, HASH_BASE) + plain.charCodeAt(i + WINDOW - 1)) | 0;
        const hit = (this.bitmap[(h >>> 3) & BITMAP_MASK]! >> (h & 7)) & 1;
        h = (h - Math.imul(plain.charCodeAt(i), HASH_TOP)) | 0;
        if (!hit || !this.windows.has(plain.slice(i, i + WINDOW))) continue;
        if (i > runTo) {
          if (runFrom !== -1) ranges.push([reading.start(runFrom), reading.end(runTo - 1)]);
          runFrom = i;
        }
        runTo = i + WINDOW;
      }
      if (runFrom !== -1) ranges.push([reading.start(runFrom), reading.end(runTo - 1)]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    // Overlapping or touching ranges (one reading's match next to another's) are one blank.
    const merged: [number, number][] = [];
    for (const [from, to] of ranges) {
      const last = merged[merged.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    let out = '';
    let at = 0;
    for (const [from, to] of merged) {
      out += `${text.slice(at, from)}***`;
      at = to;
    }
    return out + text.slice(at);
  }

  /**
   * Base64 (standard and URL-safe) and hex. Inside a longer base64 text (a
   * Basic header with any user name) the secret starts at one of three byte
   * alignments; skipping 0, 1 or 2 of its bytes gives the characters that
   * stand for its bytes alone in each case.
   */
  private addEncodedForms(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const whole = bytes.toString('base64');
    this.addForm(whole);
    this.addForm(whole.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
    for (let skip = 0; skip < 3; skip++) {
      const aligned = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3).toString('base64');
      if (aligned.length < MIN_DERIVED) continue;
      this.addForm(aligned);
      this.addForm(aligned.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    const hex = bytes.toString('hex');
    if (hex.length >= MIN_DERIVED) {
      this.addForm(hex);
      this.addForm(hex.toUpperCase());
    }
  }

  private addForm(form: string): void {
    if (form.length < MIN_SECRET || this.known.has(form)) return;
    this.known.add(form);
    this.asNames.add(normalizeName(form));
    if (form.length < WINDOW) {
      this.wholes.push(form);
      this.wholes.sort((a, b) => b.length - a.length);
      return;
    }
    for (let i = 0; i + WINDOW <= form.length; i++) {
      const window = form.slice(i, i + WINDOW);
      this.windows.add(window);
      const h = hashOf(window);
      this.bitmap[(h >>> 3) & BITMAP_MASK]! |= 1 << (h & 7);
    }
  }
}

const HASH_BASE = 0x01000193;
/** HASH_BASE ** (WINDOW - 1), in 32 bits: what the character leaving the window weighs. */
const HASH_TOP = Array.from({ length: WINDOW - 1 }).reduce<number>((p) => Math.imul(p, HASH_BASE), 1);
/** 2^20 bits (128 KiB): a few percent full for a run's secrets. */
const BITMAP_MASK = (1 << 17) - 1;

function hashOf(window: string): number {
  let h = 0;
  for (let i = 0; i < window.length; i++) h = (Math.imul(h, HASH_BASE) + window.charCodeAt(i)) | 0;
  return h;
}

/** A secret as a server that decodes escapes would echo it. */
function decodedSecret(secret: string): string {
  let reading = secret;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) {
    const next = decodeOnce(reading)?.plain;
    if (next === undefined || next === reading) break;
    reading = next;
  }
  return reading;
}

/** A reading of a text: its characters, and for each where in the text as written it starts and ends. */
interface Reading {
  plain: string;
  start: (i: number) => number;
  end: (i: number) => number;
}

/** The text as written, each decoded reading in turn, and the last one without line breaks. */
function readingsOf(text: string): Reading[] {
  const readings: Reading[] = [{ plain: text, start: (i) => i, end: (i) => i + 1 }];
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) {
    const last = readings[readings.length - 1]!;
    const next = decodeOnce(last.plain);
    if (!next) break;
    readings.push(composed(last, next));
  }
  const last = readings[readings.length - 1]!;
  const joined = withoutBreaks(last.plain);
  if (joined) readings.push(composed(last, joined));
  return readings;
}

/** `inner` reads `outer.plain`; the result maps straight to the text as written. */
function composed(outer: Reading, inner: Reading): Reading {
  return { plain: inner.plain, start: (k) => outer.start(inner.start(k)), end: (k) => outer.end(inner.end(k) - 1) };
}

/** Line breaks (with the indentation after them), soft hyphens, zero-width spaces and `<wbr>` left out; undefined when there are none. */
function withoutBreaks(text: string): Reading | undefined {
  const breaks = /\r?\n[ \t>]*|[\r\u00ad\u200b\u2060\ufeff]|<wbr\s*\/?>/gi;
  if (!breaks.test(text)) return undefined;
  breaks.lastIndex = 0;
  const keep = new Int32Array(text.length);
  const parts: string[] = [];
  let n = 0;
  let at = 0;
  const copy = (to: number): void => {
    parts.push(text.slice(at, to));
    for (let i = at; i < to; i++) keep[n++] = i;
  };
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    copy(m.index);
    at = m.index + m[0].length;
  }
  copy(text.length);
  const plain = parts.join('');
  return { plain, start: (k) => keep[k]!, end: (k) => keep[k]! + 1 };
}

/**
 * The text with every escaped character read as the character it stands for,
 * and for each character of that reading where in the text it starts and ends.
 */
function decodeOnce(text: string): Reading | undefined {
  // Most output holds no escape at all: then there is no other reading.
  if (!/[\\%&]/.test(text)) return undefined;
  const parts: string[] = [];
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let n = 0;
  let copiedTo = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const escape = c === 0x5c || c === 0x25 || c === 0x26 ? readEscape(text, i) : undefined;
    if (!escape) {
      starts[n] = i;
      ends[n++] = ++i;
      continue;
    }
    parts.push(text.slice(copiedTo, i), escape.chars);
    for (let k = 0; k < escape.chars.length; k++) {
      starts[n] = i;
      ends[n++] = i + escape.length;
    }
    i += escape.length;
    copiedTo = i;
  }
  // Nothing decoded (a lone `%` or `&`): no other reading.
  if (copiedTo === 0) return undefined;
  parts.push(text.slice(copiedTo));
  return { plain: parts.join(''), start: (k) => starts[k]!, end: (k) => ends[k]! };
}

const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/y;
/** JavaScript's and Python's `\x2d`. */
const HEX_ESCAPE = /\\x([0-9a-fA-F]{2})/y;
/** One UTF-8 sequence at most: longer runs are read one sequence at a time. */
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2}){1,4}/y;
const CHARACTER_REFERENCE = /&(?:#([0-9]{1,7});?|#[xX]([0-9a-fA-F]{1,6});?|([A-Za-z]{2,8});)/y;
const BACKSLASH_ESCAPE = /\\([!-/:-@[-`{-~])/y;

/** The escape starting at `at`, if any: the characters it stands for and how long it is. */
function readEscape(text: string, at: number): { chars: string; length: number } | undefined {
  const ch = text[at];
  if (ch === '\\') {
    const u = matchAt(UNICODE_ESCAPE, text, at);
    if (u) return { chars: String.fromCharCode(parseInt(u[1]!, 16)), length: u[0].length };
    const x = matchAt(HEX_ESCAPE, text, at);
    if (x) return { chars: String.fromCharCode(parseInt(x[1]!, 16)), length: x[0].length };
    const b = matchAt(BACKSLASH_ESCAPE, text, at);
    if (b) return { chars: b[1]!, length: 2 };
  } else if (ch === '%') {
    const run = matchAt(PERCENT_RUN, text, at);
    if (run) return percentDecoded(run[0]);
  } else if (ch === '&') {
    const ref = matchAt(CHARACTER_REFERENCE, text, at);
    const code = ref?.[1] !== undefined ? parseInt(ref[1], 10) : ref?.[2] !== undefined ? parseInt(ref[2], 16) : undefined;
    if (ref && code !== undefined && code > 0 && code <= 0x10ffff) return { chars: String.fromCodePoint(code), length: ref[0].length };
    const named = ref?.[3] !== undefined ? NAMED_REFERENCES[ref[3]] : undefined;
    if (ref && named) return { chars: named, length: ref[0].length };
  }
  return undefined;
}

/**
 * The first character of a run of `%XX`: one byte when ASCII, else the whole
 * UTF-8 sequence it starts (a lone or broken byte stays as written).
 */
function percentDecoded(run: string): { chars: string; length: number } | undefined {
  const first = parseInt(run.slice(1, 3), 16);
  if (first < 0x80) return { chars: String.fromCharCode(first), length: 3 };
  const bytes = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 0;
  if (bytes === 0 || run.length < bytes * 3) return undefined;
  const chars = Buffer.from(run.slice(0, bytes * 3).replace(/%/g, ''), 'hex').toString('utf8');
  return chars.includes('\ufffd') ? undefined : { chars, length: bytes * 3 };
}

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}
