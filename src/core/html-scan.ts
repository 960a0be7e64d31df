/**
 * A single-pass HTML tokenizer for the pages this tool reads (project pages,
 * root listings, error pages). It is linear by construction: every search
 * (`indexOf`) starts where the previous one ended and the cursor only moves
 * forward, so no input, however hostile (`<a href="` a million times, unclosed
 * quotes, endless `<br>`), costs more than one walk over the text.
 *
 * It does not build a tree: callers keep the little state they need (inside an
 * anchor, inside a heading). Attribute values are entity-decoded; text is not
 * (callers decode what they keep, which is usually a small part).
 */
import { decodeEntities } from './html-entities.js';

export type HtmlToken =
  | { kind: 'open'; name: string; attrs: ReadonlyMap<string, string> }
  | { kind: 'close'; name: string }
  | { kind: 'text'; text: string }
  /** `<!DOCTYPE …>` and other `<!…>` declarations, comments excluded. */
  | { kind: 'declaration'; text: string };

/** Elements whose content is raw text up to their end tag, never markup. */
const RAW_TEXT: ReadonlySet<string> = new Set(['script', 'style', 'textarea', 'title']);

export function* scanHtml(html: string): Generator<HtmlToken> {
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      yield { kind: 'text', text: html.slice(i) };
      return;
    }
    if (lt > i) yield { kind: 'text', text: html.slice(i, lt) };
    i = lt;
    const next = html.charCodeAt(i + 1);
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
    } else if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const end = indexOrEnd(html, '>', i + 2);
      yield { kind: 'declaration', text: html.slice(i + 2, end) };
      i = end + 1;
    } else if (next === 0x2f /* / */ && isLetter(html.charCodeAt(i + 2))) {
      const nameEnd = tagNameEnd(html, i + 2);
      yield { kind: 'close', name: html.slice(i + 2, nameEnd).toLowerCase() };
      i = indexOrEnd(html, '>', nameEnd) + 1;
    } else if (isLetter(next)) {
      const nameEnd = tagNameEnd(html, i + 1);
      const name = html.slice(i + 1, nameEnd).toLowerCase();
      const { attrs, end } = readAttributes(html, nameEnd);
      yield { kind: 'open', name, attrs };
      i = end;
      if (RAW_TEXT.has(name)) {
        // Raw text ends at the first matching end tag, case-insensitively.
        const close = indexOfCaseInsensitive(html, `</${name}`, i);
        const stop = close === -1 ? n : close;
        if (stop > i) yield { kind: 'text', text: html.slice(i, stop) };
        if (close !== -1) yield { kind: 'close', name };
        i = close === -1 ? n : indexOrEnd(html, '>', close) + 1;
      }
    } else {
      // A lone '<' is text.
      yield { kind: 'text', text: '<' };
      i += 1;
    }
  }
}

/** Attributes from `start` up to the tag's `>`; `end` is the index just past it. */
function readAttributes(html: string, start: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const n = html.length;
  let i = start;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === 0x2f /* / */) {
      i++;
      continue;
    }
    if (c === 0x3e /* > */) return { attrs, end: i + 1 };
    let j = i;
    while (j < n && !isSpace(html.charCodeAt(j)) && !'=>/'.includes(html[j]!)) j++;
    // A name may not start with '=' (`<a =x>`): take that one character as the name.
    if (j === i) j++;
    const name = html.slice(i, j).toLowerCase();
    i = skipSpaces(html, j);
    let value = '';
    if (html.charCodeAt(i) === 0x3d /* = */) {
      i = skipSpaces(html, i + 1);
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = indexOrEnd(html, quote, i + 1);
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        let k = i;
        while (k < n && !isSpace(html.charCodeAt(k)) && html.charCodeAt(k) !== 0x3e) k++;
        value = html.slice(i, k);
        i = k;
      }
    }
    // The first occurrence wins, as in a browser.
    if (!attrs.has(name)) attrs.set(name, value.includes('&') ? decodeEntities(value) : value);
  }
  return { attrs, end: n };
}

function tagNameEnd(html: string, start: number): number {
  let i = start;
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === 0x3e || c === 0x2f) break;
    i++;
  }
  return i;
}

function indexOrEnd(html: string, needle: string, from: number): number {
  const at = html.indexOf(needle, from);
  return at === -1 ? html.length : at;
}

/** indexOf for an ASCII needle ignoring case, still one forward walk. */
function indexOfCaseInsensitive(html: string, needle: string, from: number): number {
  const lower = needle.toLowerCase();
  const first = lower.charCodeAt(0);
  for (let at = html.indexOf(String.fromCharCode(first), from); at !== -1; at = html.indexOf(String.fromCharCode(first), at + 1)) {
    if (html.slice(at, at + lower.length).toLowerCase() === lower) return at;
  }
  return -1;
}

function skipSpaces(html: string, from: number): number {
  let i = from;
  while (i < html.length && isSpace(html.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
