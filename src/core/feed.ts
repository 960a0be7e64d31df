/**
 * PyPI's newest-projects feed (fact sheet §10): RSS 2.0, the 40 newest projects,
 * newest first; each item's title is "<name> added to PyPI" and its guid and
 * link the project page `…/project/<normalized name>/`.
 *
 * A single forward pass with `indexOf`, each search bounded by the item it is in,
 * so a hostile feed costs time linear in its size; no regular expression runs
 * over the whole document.
 */
import { decodeEntities } from './html-entities.js';
import { isValidProjectName, normalizeName } from './names.js';

export interface FeedItem {
  /** The project's name as the title spells it (the link's when the title does not say). */
  name: string;
  normalized: string;
  /**
   * Every name the item gives, normalized: the title's and the link's. They agree
   * on PyPI's feed; where they do not, the item is matched under both, so a feed
   * cannot hide a name behind an innocent title.
   */
  names: string[];
  /**
   * The item's identity across polls: guid (else link) and pubDate. A project
   * deleted and created again under the same name gets a new creation time, so it
   * is a new item, not one seen before.
   */
  id: string;
  link: string | undefined;
  /** Milliseconds since the epoch, when the pubDate parses. */
  publishedAt: number | undefined;
}

export type FeedParse =
  | { ok: true; items: FeedItem[]; unreadable: number }
  | { ok: false; reason: string };

const TITLE_SUFFIX = ' added to PyPI';

export function parseNewProjectsFeed(xml: string): FeedParse {
  const rss = findTag(xml, 'rss', 0);
  if (rss < 0) return { ok: false, reason: `not an RSS document (it starts ${JSON.stringify(xml.trimStart().slice(0, 40))})` };
  const channel = findTag(xml, 'channel', rss);
  if (channel < 0) return { ok: false, reason: 'an RSS document without a <channel>' };
  const items: FeedItem[] = [];
  let unreadable = 0;
  for (let pos = channel; ; ) {
    const start = findTag(xml, 'item', pos);
    if (start < 0) break;
    const end = xml.indexOf('</item>', start);
    if (end < 0) return { ok: false, reason: 'the feed ends inside an <item> (truncated?)' };
    const item = readItem(xml.slice(start, end));
    if (item) items.push(item);
    else unreadable++;
    pos = end + '</item>'.length;
  }
  return { ok: true, items, unreadable };
}

function readItem(body: string): FeedItem | undefined {
  const title = elementText(body, 'title');
  const link = elementText(body, 'link');
  const guid = elementText(body, 'guid');
  const fromLink = projectFromLink(guid) ?? projectFromLink(link);
  const fromTitle = title?.endsWith(TITLE_SUFFIX) ? title.slice(0, -TITLE_SUFFIX.length).trim() : undefined;
  const titleName = fromTitle !== undefined && isValidProjectName(fromTitle) ? fromTitle : undefined;
  const name = titleName ?? fromLink;
  const key = guid ?? link;
  if (name === undefined || key === undefined) return undefined;
  const pubDate = elementText(body, 'pubDate');
  const publishedAt = pubDate === undefined ? undefined : Date.parse(pubDate);
  const names = [...new Set([titleName, fromLink].flatMap((n) => (n === undefined ? [] : [normalizeName(n)])))];
  return {
    name,
    normalized: normalizeName(name),
    names,
    id: `${key} ${pubDate ?? ''}`.trim(),
    link,
    publishedAt: Number.isNaN(publishedAt) ? undefined : publishedAt,
  };
}

/** The last path segment of `…/project/<name>/`, when it is a valid project name. */
function projectFromLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const marker = link.lastIndexOf('/project/');
  if (marker < 0) return undefined;
  const segment = link.slice(marker + '/project/'.length).replace(/\/$/, '');
  return isValidProjectName(segment) ? segment : undefined;
}

/** Index of `<tag>` or `<tag …>` at or after `from`, or -1. */
function findTag(xml: string, tag: string, from: number): number {
  const open = `<${tag}`;
  for (let at = xml.indexOf(open, from); at >= 0; at = xml.indexOf(open, at + 1)) {
    const next = xml.charCodeAt(at + open.length);
    // '>', '/', space, tab, CR, LF: the tag itself, not <items> or <rssfoo>.
    if (next === 62 || next === 47 || next === 32 || next === 9 || next === 13 || next === 10) return at;
  }
  return -1;
}

/** The decoded text of the first `<tag>…</tag>` in an item (CDATA honoured), trimmed. */
function elementText(body: string, tag: string): string | undefined {
  const start = findTag(body, tag, 0);
  if (start < 0) return undefined;
  const contentStart = body.indexOf('>', start) + 1;
  if (contentStart <= 0 || body.charCodeAt(contentStart - 2) === 47) return undefined;
  const end = body.indexOf(`</${tag}>`, contentStart);
  if (end < 0) return undefined;
  const raw = body.slice(contentStart, end).trim();
  if (raw.startsWith('<![CDATA[') && raw.endsWith(']]>')) return raw.slice(9, -3).trim();
  return decodeEntities(raw).trim();
}
