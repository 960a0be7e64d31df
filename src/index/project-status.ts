/**
 * Where a name stands on an index, read from the simple API (PEP 691 JSON
 * preferred, PEP 503 HTML accepted). Not the JSON API alone: it answers 404 for
 * projects that exist with no releases (fact sheet §1), which would make a taken
 * name look free.
 */
import { fetch, type Dispatcher } from 'undici';
import { HttpError } from './http.js';
import { decodeEntities } from './responses.js';

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
    let response;
    try {
      response = await fetch(url, { headers: { accept: SIMPLE_ACCEPT }, redirect: 'manual', ...(dispatcher ? { dispatcher } : {}) });
    } catch (err) {
      throw new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err });
    }
    const body = await response.text();
    if ([301, 302, 303, 307, 308].includes(response.status) && hop < MAX_REDIRECTS) {
      const location = response.headers.get('location');
      if (!location) throw new HttpError({ method: 'GET', url, status: response.status, reason: 'redirect without Location' });
      url = new URL(location, url).href;
      continue;
    }
    if (response.status === 404) return { exists: false };
    if (response.status !== 200) {
      throw new HttpError({ method: 'GET', url, status: response.status, reason: response.statusText, body });
    }
    const files = parseProjectPage(body, response.headers.get('content-type') ?? '');
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
  let response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, ...(dispatcher ? { dispatcher } : {}) });
  } catch (err) {
    throw new HttpError({ method: 'GET', url, message: connectionMessage(err), cause: err });
  }
  const body = await response.text();
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new HttpError({ method: 'GET', url, status: response.status, reason: response.statusText, body });
  try {
    const info = (JSON.parse(body) as { info?: Record<string, unknown> }).info ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const keywords = str(info.keywords)?.split(/[,\s]+/).filter(Boolean) ?? [];
    return { author: str(info.author), summary: str(info.summary), version: str(info.version), keywords };
  } catch {
    throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not JSON' });
  }
}

export function connectionMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? 'connection failed';
}
