/**
 * Parsers for a simple index's root listing (`/simple/`), the list of every
 * project the index holds, in the two formats indexes serve:
 *
 * - PEP 691 JSON: `{"meta": {...}, "projects": [{"name": "Foo"}, ...]}`
 *   (PyPI adds `_last-serial` to each project);
 * - PEP 503 HTML: one `<a href="/simple/foo/">Foo</a>` anchor per project
 *   (every link must be such a project entry; see parseProjectListHtml).
 *
 * Both return the project names as the index displays them, in listing order.
 * A body that is not a listing (an error page, a login form, plain text) throws
 * `E_PROJECT_LIST_FORMAT` rather than passing as an empty index.
 */
import { ReserveError } from './errors.js';
import { readHtmlPage, type HtmlAnchor } from './html-page.js';
import { normalizeName } from './names.js';

export const PROJECT_LIST_JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

/**
 * Parses a listing whose format is chosen by its Content-Type (JSON when it
 * mentions `json`, HTML when it mentions `html`), or sniffed from the first
 * character when the type is missing or generic.
 */
export function parseProjectList(body: string, contentType: string | undefined, listingUrl: string): string[] {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) return parseProjectListJson(body);
  if (type.includes('html')) return parseProjectListHtml(body, listingUrl);
  const first = body.trimStart()[0];
  if (first === '{') return parseProjectListJson(body);
  if (first === '<') return parseProjectListHtml(body, listingUrl);
  throw formatError(`expected a JSON or HTML project listing, got ${contentType ? `'${contentType}'` : 'an unknown type'}`, body);
}

/**
 * PEP 691 root listing. Uses the native JSON parser: on a 700,000-project
 * listing it beat both a hand-written scanner and a strict regular expression
 * (bench/preflight.ts), and it decodes every escape exactly.
 */
export function parseProjectListJson(body: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw formatError(`invalid JSON (${(err as Error).message})`, body);
  }
  const projects = isObject(doc) ? doc['projects'] : undefined;
  if (!Array.isArray(projects)) throw formatError("JSON without a 'projects' list", body);
  const names: string[] = [];
  for (let i = 0; i < projects.length; i++) {
    const entry: unknown = projects[i];
    const name = isObject(entry) ? entry['name'] : undefined;
    if (typeof name !== 'string') throw formatError(`'projects' entry ${i + 1} has no string 'name'`, body);
    names.push(name);
  }
  return names;
}

/**
 * PEP 503 root listing at `listingUrl`, read strictly: an anchor is a project
 * entry only when it leads to `<listingUrl><name>/` and its text names the same
 * project (see isProjectEntry). Navigation, sign-in and file links never pass,
 * so a welcome page cannot yield `here` or `login` as names. Every link of a
 * listing is a project entry (indexes render nothing else), and a page showing
 * any text besides its links, title and heading is not a listing either
 * (pypiserver's welcome page links `/simple/` as "simple"). A page without
 * links is an empty index only when it says it is an index (PEP 629's
 * `pypi:repository-version` meta): "It works!", an empty app shell or a
 * sign-in form have no links either, and would make every name free. At a
 * site's root the meta is needed too: a home page's menu (`/login/` "Login")
 * is shaped exactly like project entries there.
 */
export function parseProjectListHtml(body: string, listingUrl: string): string[] {
  const page = readHtmlPage(body);
  if (!page.isHtml) throw formatError('not an HTML page', body);
  if (page.anchors.length === 0 && !page.meta.has('pypi:repository-version')) {
    throw formatError('an HTML page with no project links and no pypi:repository-version meta (PEP 629), so not an empty index', body);
  }
  const listing = new URL(listingUrl);
  const stray = page.anchors.filter((a) => !isProjectEntry(a, listing));
  if (stray.length > 0) {
    const first = stray[0]!;
    throw formatError(
      `${stray.length} of ${page.anchors.length} links are not project entries (e.g. ${JSON.stringify(first.text)} → ${JSON.stringify(first.href ?? '')})`,
      body,
    );
  }
  // An index page shows nothing but its links (and a title or heading): words
  // around links mean a welcome, help or sign-in page, whatever its links look like.
  if (page.otherText !== undefined) {
    throw formatError(`an HTML page with text besides project links (${JSON.stringify(page.otherText)})`, body);
  }
  if (listing.pathname === '/' && !page.meta.has('pypi:repository-version')) {
    throw formatError('a page at the site root without pypi:repository-version meta (PEP 629): its links may be a menu, not projects', body);
  }
  return page.anchors.map((a) => a.text);
}

/** The files an index links to on a project page: never a project entry. */
const DISTRIBUTION_FILE = /\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip|whl|egg|exe|msi|rpm|dmg)$/i;

/**
 * PEP 503's shape of a project link: `<listing>/<name>/`, resolved against the
 * listing's URL (`listing`, its path ending in `/`), the segment naming the same
 * project as the text. Only a page directly under the listing is a project page
 * of this index: `/login/` "Login" beside `/simple/` is a menu. GitLab links
 * projects without the trailing slash PEP 503 asks for, so a slashless href
 * counts too unless it names a distribution file.
 */
export function isProjectEntry(anchor: HtmlAnchor, listing: URL): boolean {
  if (anchor.href === undefined || anchor.text === '') return false;
  let target: URL;
  try {
    target = new URL(anchor.href, listing);
  } catch {
    return false;
  }
  const path = target.pathname;
  if (target.origin !== listing.origin || !path.startsWith(listing.pathname)) return false;
  if (!path.endsWith('/') && DISTRIBUTION_FILE.test(path)) return false;
  const segment = path.slice(listing.pathname.length).replace(/\/$/, '');
  if (segment.includes('/')) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return false;
  }
  return decoded !== '' && normalizeName(decoded) === normalizeName(anchor.text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatError(why: string, body: string): ReserveError {
  const start = body.trimStart().slice(0, 80).replace(/\s+/g, ' ');
  return new ReserveError('E_PROJECT_LIST_FORMAT', `not a simple-index project listing: ${why}`, {
    hint: `the response began with ${JSON.stringify(start)}; check that the URL is the index's /simple/ root`,
  });
}
