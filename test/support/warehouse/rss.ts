/**
 * The newest-projects feed (fact sheet §10, "Watching for new projects";
 * warehouse rss/views.py, templates/rss/packages.xml): RSS 2.0, the 40 newest
 * projects that have at least one release, newest first by creation time. Each
 * item's title is "<name> added to PyPI", its link and guid the project page
 * `https://<index host>/project/<normalized>/`, its description the first
 * release's summary, its pubDate the creation time (RFC 822). The answer carries
 * cache validators, as the CDN's does, and honours conditional requests.
 */
import { type Answer, WarehouseError } from './responses.js';
import { conditional, httpDate, type RequestView } from './simple-api.js';
import type { Project, Store } from './store.js';

export const FEED_ITEMS = 40;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function firstRelease(p: Project) {
  return [...p.releases.values()].sort((a, b) => a.createdAt - b.createdAt)[0];
}

/** Newest first; projects created in the same instant keep their creation order, newest first. */
export function newestProjects(store: Store): Project[] {
  const withRelease = [...store.projects.values()].filter((p) => p.releases.size > 0);
  return withRelease
    .map((p, order) => ({ p, order }))
    .sort((a, b) => b.p.createdAt - a.p.createdAt || b.order - a.order)
    .slice(0, FEED_ITEMS)
    .map(({ p }) => p);
}

export function rssRoute(req: RequestView, store: Store, indexHost: string): Answer {
  if (req.pathname !== '/rss/packages.xml') throw new WarehouseError(404, undefined);
  const projects = newestProjects(store);
  const items = projects.map((p) => {
    const link = `https://${indexHost}/project/${p.normalized}/`;
    const summary = firstRelease(p)?.metadata.summary;
    return [
      '    <item>',
      `      <title>${escapeXml(p.name)} added to PyPI</title>`,
      `      <link>${escapeXml(link)}</link>`,
      `      <guid>${escapeXml(link)}</guid>`,
      ...(typeof summary === 'string' && summary ? [`      <description>${escapeXml(summary)}</description>`] : []),
      `      <pubDate>${httpDate(p.createdAt).replace('GMT', '+0000')}</pubDate>`,
      '    </item>',
    ].join('\n');
  });
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0">',
    '  <channel>',
    `    <title>PyPI newest packages</title>`,
    `    <link>https://${indexHost}/</link>`,
    '    <description>Newest packages registered at the Python Package Index</description>',
    '    <language>en</language>',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
  const lastModified = projects[0]?.createdAt ?? 0;
  return conditional(req, 'text/xml; charset=utf-8', body, lastModified, store.serial);
}
