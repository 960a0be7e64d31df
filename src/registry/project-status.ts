/**
 * Where a name stands on an index, read from the simple API (PEP 691 JSON
 * preferred, PEP 503 HTML accepted). Not the JSON API alone: it answers 404 for
 * projects that exist with no releases (fact sheet §1), which would make a taken
 * name look free.
 */
import type { Dispatcher } from 'undici';
import { HttpError, retryAfterMs } from './http.js';
import { getText as get, header, type ReadLimits } from './read.js';
import { readHtmlPage } from '../core/html-page.js';
import { redactUrl } from '../core/redact-url.js';
import type { ProjectStatus } from '../core/project-status.js';

export interface IndexFile {
  filename: string;
  sha256: string | undefined;
}

export type { ProjectStatus } from '../core/project-status.js';

/** What a project page says: its files, and its PEP 792 status (`active` when the page names none). */
export interface ProjectPage {
  files: IndexFile[];
  status: ProjectStatus;
  /** The raw status text when it was `unrecognised`, for messages. */
  statusText?: string;
}

export type ProjectPresence = { exists: false } | ({ exists: true } & ProjectPage);

const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';
const MAX_REDIRECTS = 3;

/** One GET of `/simple/<name>/`, redirects to the normalized URL followed. Throws HttpError for anything but 200/404. */
export async function fetchProjectPresence(indexUrl: string, normalized: string, dispatcher: Dispatcher | undefined, limits: ReadLimits = {}): Promise<ProjectPresence> {
  let url = new URL(`${encodeURIComponent(normalized)}/`, indexUrl).href;
  for (let hop = 0; ; hop++) {
    const response = await get(url, SIMPLE_ACCEPT, dispatcher, limits);
    const body = response.body;
    if ([301, 302, 303, 307, 308].includes(response.status) && hop < MAX_REDIRECTS) {
      const location = header(response.headers, 'location');
      if (!location) throw new HttpError({ method: 'GET', url, status: response.status, reason: 'redirect without Location' });
      const next = new URL(location, url);
      // Another host would learn the private name, and its 404 would read as free: not followed.
      if (next.origin !== new URL(url).origin) {
        throw new HttpError({ method: 'GET', url, status: response.status, reason: `redirect to another host (${redactUrl(next.href)}), not followed` });
      }
      url = next.href;
      continue;
    }
    if (response.status === 404) return { exists: false };
    if (response.status !== 200) {
      const retryAfter = retryAfterMs(header(response.headers, 'retry-after'), Date.now());
      throw new HttpError({ method: 'GET', url, status: response.status, body, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
    }
    const page = parseProjectPage(body, header(response.headers, 'content-type') ?? '');
    if (!page) {
      throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not a simple-index project page', body: body.slice(0, 200) });
    }
    return { exists: true, ...page };
  }
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(['active', 'archived', 'quarantined', 'deprecated']);

function projectStatus(raw: unknown): Pick<ProjectPage, 'status' | 'statusText'> {
  if (raw === undefined || raw === null) return { status: 'active' };
  const text = String(raw).trim().toLowerCase();
  return KNOWN_STATUSES.has(text) ? { status: text as ProjectStatus } : { status: 'unrecognised', statusText: String(raw) };
}

/** The files and status of a project page, or undefined when the page is not a simple-index page. */
export function parseProjectPage(body: string, contentType: string): ProjectPage | undefined {
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(body) as { files?: unknown; 'project-status'?: unknown };
      if (!Array.isArray(json.files)) return undefined;
      const files = json.files.flatMap((f: { filename?: unknown; hashes?: { sha256?: unknown } }) =>
        typeof f.filename === 'string'
          ? [{ filename: f.filename, sha256: typeof f.hashes?.sha256 === 'string' ? f.hashes.sha256 : undefined }]
          : [],
      );
      // PEP 792 nests the status in an object; a bare value is read as the status itself, never as "active".
      const status = json['project-status'];
      return { files, ...projectStatus(typeof status === 'object' && status !== null ? (status as { status?: unknown }).status : status) };
    } catch {
      return undefined;
    }
  }
  // PEP 503: an HTML page whose anchors are the files; a page with no anchors is a project with no files.
  const page = readHtmlPage(body);
  if (!page.isHtml) return undefined;
  const files: IndexFile[] = page.anchors.flatMap(({ href, text }) =>
    href === undefined ? [] : [{ filename: text, sha256: /#sha256=([0-9a-f]{64})/i.exec(href)?.[1]?.toLowerCase() }],
  );
  return { files, ...projectStatus(page.meta.get('pypi:project-status')) };
}
