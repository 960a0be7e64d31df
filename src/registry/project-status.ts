/**
 * Where a name stands on an index, read from the simple API (PEP 691 JSON
 * preferred, PEP 503 HTML accepted). Not the JSON API alone: it answers 404 for
 * projects that exist with no releases (fact sheet §1), which would make a taken
 * name look free.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { connectionMessage, HttpError, retryAfterMs } from './http.js';
import { decodeEntities } from '../core/html-entities.js';

export interface IndexFile {
  filename: string;
  sha256: string | undefined;
}

export type ProjectPresence = { exists: false } | { exists: true; files: IndexFile[] };

const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';
const MAX_REDIRECTS = 3;

/** One GET of `/simple/<name>/`, redirects to the normalized URL followed. Throws HttpError for anything but 200/404. */
export async function fetchProjectPresence(indexUrl: string, normalized: string, dispatcher: Dispatcher | undefined): Promise<ProjectPresence> {
  let url = new URL(`${encodeURIComponent(normalized)}/`, indexUrl).href;
  for (let hop = 0; ; hop++) {
    const response = await get(url, SIMPLE_ACCEPT, dispatcher);
    const body = response.body;
    if ([301, 302, 303, 307, 308].includes(response.status) && hop < MAX_REDIRECTS) {
      const location = header(response.headers, 'location');
      if (!location) throw new HttpError({ method: 'GET', url, status: response.status, reason: 'redirect without Location' });
      url = new URL(location, url).href;
      continue;
    }
    if (response.status === 404) return { exists: false };
    if (response.status !== 200) {
      const retryAfter = retryAfterMs(header(response.headers, 'retry-after'), Date.now());
      throw new HttpError({ method: 'GET', url, status: response.status, body, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
    }
    const files = parseProjectPage(body, header(response.headers, 'content-type') ?? '');
    if (!files) {
      throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not a simple-index project page', body: body.slice(0, 200) });
    }
    return { exists: true, files };
  }
}

/** The files of a project page, or undefined when the page is not a simple-index page. */
export function parseProjectPage(body: string, contentType: string): IndexFile[] | undefined {
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(body) as { files?: unknown };
      if (!Array.isArray(json.files)) return undefined;
      return json.files.flatMap((f: { filename?: unknown; hashes?: { sha256?: unknown } }) =>
        typeof f.filename === 'string'
          ? [{ filename: f.filename, sha256: typeof f.hashes?.sha256 === 'string' ? f.hashes.sha256 : undefined }]
          : [],
      );
    } catch {
      return undefined;
    }
  }
  // PEP 503: an HTML page whose anchors are the files; a page with no anchors is a project with no files.
  if (!/<html|<!doctype html|<body|<h1/i.test(body)) return undefined;
  const files: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s[^>]*href\s*=\s*"([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)) {
    const href = decodeEntities(m[1]!);
    const filename = decodeEntities(m[2]!.replace(/<[^>]*>/g, '')).trim();
    const sha256 = /#sha256=([0-9a-f]{64})/i.exec(href)?.[1]?.toLowerCase();
    files.push({ filename, sha256 });
  }
  return files;
}

export interface ProjectInfo {
  author?: string;
  summary?: string;
  keywords: string[];
  version?: string;
}

/** The latest release's metadata from the JSON API, or undefined for 404 (no releases). */
export async function fetchProjectInfo(jsonApiUrl: string, normalized: string, dispatcher: Dispatcher | undefined): Promise<ProjectInfo | undefined> {
  const url = new URL(`${encodeURIComponent(normalized)}/json`, jsonApiUrl).href;
  const response = await get(url, 'application/json', dispatcher);
  const body = response.body;
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new HttpError({ method: 'GET', url, status: response.status, body });
  try {
    const info = (JSON.parse(body) as { info?: Record<string, unknown> }).info ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const keywords = str(info.keywords)?.split(/[,\s]+/).filter(Boolean) ?? [];
    return { author: str(info.author), summary: str(info.summary), version: str(info.version), keywords };
  } catch {
    throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not JSON' });
  }
}


/**
 * One GET with undici's low-level `request` (no redirect following; much less
 * overhead per call than fetch, which matters for thousands of checks).
 */
async function get(url: string, accept: string, dispatcher: Dispatcher | undefined): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  try {
    const { request } = await undici();
    const response = await request(url, { method: 'GET', headers: { accept, 'user-agent': 'pypi-reserve' }, ...(dispatcher ? { dispatcher } : {}) });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  } catch (err) {
    throw new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err });
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
