/**
 * Parsers for a simple index's root listing (`/simple/`), the list of every
 * project the index holds, in the two formats indexes serve:
 *
 * - PEP 691 JSON: `{"meta": {...}, "projects": [{"name": "Foo"}, ...]}`
 *   (PyPI adds `_last-serial` to each project);
 * - PEP 503 HTML: one `<a href="/simple/foo/">Foo</a>` anchor per project.
 *
 * Both return the project names as the index displays them, in listing order.
 * A body that is not a listing (an error page, a login form, plain text) throws
 * `E_PROJECT_LIST_FORMAT` rather than passing as an empty index.
 */
import { ReserveError } from './errors.js';
import { decodeEntities } from './html-entities.js';

export const PROJECT_LIST_JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

/**
 * Parses a listing whose format is chosen by its Content-Type (JSON when it
 * mentions `json`, HTML when it mentions `html`), or sniffed from the first
 * character when the type is missing or generic.
 */
export function parseProjectList(body: string, contentType?: string): string[] {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) return parseProjectListJson(body);
  if (type.includes('html')) return parseProjectListHtml(body);
  const first = body.trimStart()[0];
  if (first === '{') return parseProjectListJson(body);
  if (first === '<') return parseProjectListHtml(body);
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

// `<a ...>text</a>`; names cannot contain '<', so the text is everything up to it.
const ANCHOR_RE = /<a(?:\s[^>]*)?>([^<]*)<\/a\s*>/gi;
const HTML_TAG_RE = /<(?:!doctype\s+html|html|head|body|meta|title|h1|a)[\s>]/i;

/**
 * PEP 503 root listing: the text of every anchor, entity-decoded and trimmed.
 * A page with no anchors is an empty index only if it has no other text than a
 * title and heading (what indexes render for an empty listing).
 */
export function parseProjectListHtml(body: string): string[] {
  if (!HTML_TAG_RE.test(body)) throw formatError('not an HTML page', body);
  const names: string[] = [];
  ANCHOR_RE.lastIndex = 0;
  for (let m = ANCHOR_RE.exec(body); m !== null; m = ANCHOR_RE.exec(body)) {
    const raw = m[1] ?? '';
    const text = (raw.includes('&') ? decodeEntities(raw) : raw).trim();
    if (text !== '') names.push(text);
  }
  if (names.length === 0 && visibleText(body) !== '') {
    throw formatError('HTML page with text but no project links', body);
  }
  return names;
}


/** Text outside markup, ignoring head, title, heading, scripts and styles. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|title|h1|script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<[^>]*>/g, '')
    .trim();
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
