/**
 * Warehouse serves its other APIs beside the simple index: `…/simple/` has
 * `…/pypi/` (the JSON API) and `…/rss/packages.xml` (the newest-projects feed)
 * on the same host. For https://pypi.org/simple/ this gives PyPI's own
 * addresses, so no table of known ones is needed; an index laid out otherwise
 * (devpi's `…/+simple/`) has nothing known beside it.
 */
export function besideSimpleIndex(indexUrl: string, path: string): string | undefined {
  const url = new URL(indexUrl);
  if (!url.pathname.endsWith('/simple/')) return undefined;
  url.pathname = `${url.pathname.slice(0, -'simple/'.length)}${path}`;
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  return url.href;
}
