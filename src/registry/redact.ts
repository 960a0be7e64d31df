/**
 * Keeps secrets out of every message. A Redactor knows the secrets of a run
 * (registered at start-up, before any output) and blanks them wherever they
 * appear, including in server responses that echo what they were sent.
 *
 * A server or an output format may reshape a secret before it is printed, so
 * the text is searched in a decoded reading where every escaped character
 * counts as the character it stands for: URL-encoding (`%2D`), JSON and
 * JavaScript escapes (`\u002d`), HTML character references (`&#45;`, `&#x2d;`,
 * `&hyphen;`) and backslash escapes (Markdown's `\-`, JSON's `\/`), in any mix.
 * What matches is blanked in the text as written. A secret's Basic-auth base64
 * forms are secrets of their own. A long secret is also blanked when only its
 * beginning is left (a message cut short by a server or a column): its first
 * MIN_PARTIAL characters are enough to recognise it.
 */

/** A secret shorter than this is not matched at all (it would blank ordinary words). */
const MIN_SECRET = 4;
/**
 * Characters of a secret's beginning that identify it. Every pypi.org token
 * starts with the same 20 characters (`pypi-` and its location), so fewer would
 * blank other tokens' public prefix; more would let a cut token show more.
 */
const MIN_PARTIAL = 24;

/** Named HTML references a generator may use for the punctuation in secrets and base64. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  hyphen: '-', dash: '-', lowbar: '_', UnderBar: '_', plus: '+', sol: '/', equals: '=', colon: ':', period: '.',
  amp: '&', AMP: '&', quot: '"', QUOT: '"', apos: "'", lt: '<', LT: '<', gt: '>', GT: '>', commat: '@', percnt: '%',
  excl: '!', num: '#', dollar: '$', ast: '*', midast: '*', comma: ',', semi: ';', quest: '?', bsol: '\\', tilde: '~',
};

export class Redactor {
  /** Every form to look for, longest first so a secret containing another is blanked whole. */
  private forms: string[] = [];

  /** A secret as it may travel: by itself, and as the password of a `__token__` Basic header. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET) return;
    this.addForm(secret);
    this.addBase64Forms(secret);
    this.addBase64Forms(`__token__:${secret}`);
  }

  /** A password and the Basic-auth header value it travels in (the header is a secret even when the password is short). */
  addBasic(username: string, secret: string): void {
    this.add(secret);
    this.addBase64Forms(`${username}:${secret}`);
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

  redact(text: string): string {
    if (this.forms.length === 0 || text.length < MIN_SECRET) return text;
    const decoded = decodeForMatching(text);
    const ranges: [number, number][] = [];
    for (const form of this.forms) {
      for (const [from, to] of occurrences(decoded.plain, form)) ranges.push([decoded.start(from), decoded.end(to - 1)]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    for (const [from, to] of ranges) {
      if (to <= at) continue;
      out += `${text.slice(at, Math.max(at, from))}***`;
      at = to;
    }
    return out + text.slice(at);
  }

  private addBase64Forms(text: string): void {
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    this.addForm(base64);
    this.addForm(base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  }

  private addForm(form: string): void {
    if (form.length < MIN_SECRET || this.forms.includes(form)) return;
    this.forms.push(form);
    this.forms.sort((a, b) => b.length - a.length);
  }
}

/**
 * Where `secret` occurs in `plain`, as [from, to) ranges: whole, or (for a long
 * secret) from its first MIN_PARTIAL characters for as long as it goes on matching.
 */
function occurrences(plain: string, secret: string): [number, number][] {
  const head = secret.length > MIN_PARTIAL ? secret.slice(0, MIN_PARTIAL) : secret;
  const found: [number, number][] = [];
  for (let i = plain.indexOf(head); i !== -1; i = plain.indexOf(head, i + 1)) {
    let end = i + head.length;
    while (end - i < secret.length && plain[end] === secret[end - i]) end++;
    found.push([i, end]);
  }
  return found;
}

/**
 * The text with every escaped character read as the character it stands for,
 * and for each character of that reading where in the text it starts and ends.
 */
function decodeForMatching(text: string): { plain: string; start: (i: number) => number; end: (i: number) => number } {
  // Most output holds no escape at all: then the reading is the text itself.
  if (!/[\\%&]/.test(text)) return { plain: text, start: (i) => i, end: (i) => i + 1 };
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
  parts.push(text.slice(copiedTo));
  return { plain: parts.join(''), start: (k) => starts[k]!, end: (k) => ends[k]! };
}

const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/y;
/** One UTF-8 sequence at most: longer runs are read one sequence at a time. */
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2}){1,4}/y;
const CHARACTER_REFERENCE = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/y;
const BACKSLASH_ESCAPE = /\\([!-/:-@[-`{-~])/y;

/** The escape starting at `at`, if any: the characters it stands for and how long it is. */
function readEscape(text: string, at: number): { chars: string; length: number } | undefined {
  const ch = text[at];
  if (ch === '\\') {
    const u = matchAt(UNICODE_ESCAPE, text, at);
    if (u) return { chars: String.fromCharCode(parseInt(u[1]!, 16)), length: u[0].length };
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
