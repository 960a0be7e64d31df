/**
 * What the simple-index readers need from an HTML page, gathered in one linear
 * pass (core/html-scan.ts): its anchors, its `<meta name=… content=…>` pairs,
 * whether it is an HTML page at all, and whether it shows any text besides a
 * title and heading (an empty listing shows none).
 */
import { scanHtml } from './html-scan.js';
import { decodeEntities } from './html-entities.js';

export interface HtmlAnchor {
  /** The href, entity-decoded; undefined when the anchor has none. */
  href: string | undefined;
  /** The anchor's text without markup, entity-decoded and trimmed. */
  text: string;
}

export interface HtmlPage {
  /** The body is an HTML page (a doctype or one of the tags every index page has). */
  isHtml: boolean;
  anchors: HtmlAnchor[];
  /** `<meta name>` (lowercased) → content, first one wins. */
  meta: Map<string, string>;
  /** The first words outside anchors, head, title, heading, scripts and styles (an index page has none). */
  otherText: string | undefined;
}

const HTML_MARKERS: ReadonlySet<string> = new Set(['html', 'head', 'body', 'meta', 'title', 'h1', 'a']);
/** Where an index page's own words live, not content. */
const QUIET: ReadonlySet<string> = new Set(['head', 'title', 'h1', 'script', 'style']);

export function readHtmlPage(html: string): HtmlPage {
  const page: HtmlPage = { isHtml: false, anchors: [], meta: new Map(), otherText: undefined };
  let anchor: { href: string | undefined; text: string[] } | undefined;
  let quietDepth = 0;
  const endAnchor = () => {
    if (!anchor) return;
    const raw = anchor.text.join('');
    page.anchors.push({ href: anchor.href, text: (raw.includes('&') ? decodeEntities(raw) : raw).trim() });
    anchor = undefined;
  };
  for (const token of scanHtml(html)) {
    switch (token.kind) {
      case 'declaration':
        if (/^doctype\s+html/i.test(token.text)) page.isHtml = true;
        break;
      case 'open':
        if (HTML_MARKERS.has(token.name)) page.isHtml = true;
        if (QUIET.has(token.name)) quietDepth++;
        if (token.name === 'a') {
          // An anchor never nests: a new one ends the last (as a browser does).
          endAnchor();
          anchor = { href: token.attrs.get('href'), text: [] };
        } else if (token.name === 'meta') {
          const name = token.attrs.get('name')?.toLowerCase();
          const content = token.attrs.get('content');
          if (name !== undefined && content !== undefined && !page.meta.has(name)) page.meta.set(name, content);
        }
        break;
      case 'close':
        if (QUIET.has(token.name) && quietDepth > 0) quietDepth--;
        if (token.name === 'a') endAnchor();
        break;
      case 'text':
        if (anchor) anchor.text.push(token.text);
        else if (quietDepth === 0 && page.otherText === undefined && token.text.trim() !== '') page.otherText = firstWords(token.text);
        break;
    }
  }
  endAnchor();
  return page;
}

function firstWords(text: string): string {
  const words = text.slice(0, 200).replace(/\s+/g, ' ').trim();
  return words.length > 60 ? `${words.slice(0, 60)}…` : words;
}
