/**
 * Keeps secrets out of every message. A Redactor knows the secrets of a run
 * (registered at start-up, before any output) and blanks them wherever they
 * appear, including in server responses that echo what they were sent.
 *
 * A server or an output format may reshape a secret before it is printed, so
 * each secret is matched character by character in any of the spellings that
 * survive a round trip through a format: as itself, URL-encoded (`%2D`), as a
 * JSON or JavaScript escape (`\u002d`), as an HTML character reference
 * (`&#45;`, `&#x2d;`, `&hyphen;`), or backslash-escaped (Markdown's `\-`, JSON's
 * `\/`). Their Basic-auth base64 forms are secrets of their own, matched the
 * same way. A long secret is also blanked when only its beginning is left (a
 * message cut short by a server or a column): the first MIN_PARTIAL characters
 * are enough to recognise it.
 */

/** A secret shorter than this is not matched at all (it would blank ordinary words). */
const MIN_SECRET = 4;
/**
 * Characters of a secret's beginning that identify it. Every pypi.org token
 * starts with the same 20 characters (`pypi-` and its location), so fewer would
 * blank other tokens' public prefix; more would let a cut token show more.
 */
const MIN_PARTIAL = 24;

/** Named HTML references for the punctuation that secrets and base64 contain. */
const NAMED_REFERENCES: Readonly<Record<string, readonly string[]>> = {
  '-': ['hyphen', 'dash'],
  _: ['lowbar', 'UnderBar'],
  '+': ['plus'],
  '/': ['sol'],
  '=': ['equals'],
  ':': ['colon'],
  '.': ['period'],
  '&': ['amp', 'AMP'],
  '"': ['quot', 'QUOT'],
  "'": ['apos'],
  '<': ['lt', 'LT'],
  '>': ['gt', 'GT'],
  '@': ['commat'],
  '%': ['percnt'],
  '!': ['excl'],
  '#': ['num'],
  $: ['dollar'],
  '*': ['ast', 'midast'],
  ',': ['comma'],
  ';': ['semi'],
  '?': ['quest'],
  '\\': ['bsol'],
  '~': ['tilde'],
};

export class Redactor {
  /** One pattern per secret form, longest secret first so a secret containing another is blanked whole. */
  private patterns: { length: number; re: RegExp }[] = [];
  private readonly known = new Set<string>();

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
    let out = text;
    for (const { re } of this.patterns) out = out.replace(re, '***');
    return out;
  }

  private addBase64Forms(text: string): void {
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    this.addForm(base64);
    this.addForm(base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  }

  private addForm(secret: string): void {
    if (secret.length < MIN_SECRET || this.known.has(secret)) return;
    this.known.add(secret);
    this.patterns.push({ length: secret.length, re: new RegExp(secretPattern(secret), 'g') });
    this.patterns.sort((a, b) => b.length - a.length);
  }
}

/**
 * The whole secret, or (for a long one) any beginning of it of at least
 * MIN_PARTIAL characters: nested optional groups, so the longest present
 * beginning is taken and matching stays linear.
 */
function secretPattern(secret: string): string {
  const units = [...secret].map(spellings);
  if (units.length <= MIN_PARTIAL) return units.join('');
  let tail = '';
  for (let i = units.length - 1; i >= MIN_PARTIAL; i--) tail = `(?:${units[i]}${tail})?`;
  return units.slice(0, MIN_PARTIAL).join('') + tail;
}

/** Every spelling of one character that a format could turn it into. */
function spellings(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const forms = [literal(ch)];
  // Backslash escapes (Markdown, JSON's \/ and \", workflow-command-safe text) only ever apply to ASCII punctuation.
  if (/[!-/:-@[-`{-~]/.test(ch)) forms.push(`\\\\${literal(ch)}`);
  forms.push(
    [...Buffer.from(ch, 'utf8')].map((b) => `%${hexDigits(b, 2)}`).join(''),
    cp < 0x10000 ? `\\\\u${hexDigits(cp, 4)}` : utf16Escape(ch),
    `&#0*${cp};`,
    `&#[xX]0*${hexDigits(cp, 0)};`,
    ...(NAMED_REFERENCES[ch] ?? []).map((name) => `&${name};`),
  );
  return `(?:${forms.join('|')})`;
}

function utf16Escape(ch: string): string {
  return [...Array(ch.length).keys()].map((i) => `\\\\u${hexDigits(ch.charCodeAt(i), 4)}`).join('');
}

/** A hex number as a pattern that accepts either case (`2d`, `2D`), padded to `width`. */
function hexDigits(n: number, width: number): string {
  return [...n.toString(16).padStart(width, '0')].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

function literal(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}
