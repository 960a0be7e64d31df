/**
 * The Simple API (fact sheet §1; warehouse api/simple.py, PEP 503/691/700/792):
 * content negotiation by Accept (text/html when nothing matches, never 406),
 * 301 to the normalized name, plain-text 404, 200 for a project without files.
 * Also answers conditional requests (ETag / Last-Modified → 304), which PyPI's
 * CDN does and a client cache relies on.
 */
import { createHash } from 'node:crypto';
import { acceptableOffers } from './negotiation.js';
import { pyIsoformat, pyJson } from './python-text.js';
import { type Answer, WarehouseError } from './responses.js';
import type { Project, Store } from './store.js';
import type { StoredFile } from './types.js';
import { sortVersionStrings } from './versions.js';

export const API_VERSION = '1.4';
const OFFERS = ['text/html', 'application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+json'];

export interface RequestView {
  method: string;
  pathname: string;
  search: string;
  headers: Record<string, string | string[] | undefined>;
}

const header = (req: RequestView, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** Where a stored file is downloaded from (files.pythonhosted.org layout: blake2 path). */
export function fileUrl(baseUrl: string, file: StoredFile): string {
  const b = file.blake2_256;
  return `${baseUrl}/packages/${b.slice(0, 2)}/${b.slice(2, 4)}/${b.slice(4)}/${encodeURIComponent(file.filename)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** Accept → one of OFFERS; the first acceptable offer, text/html when none. */
export function chooseSimpleType(accept: string | undefined): string {
  return acceptableOffers(accept, OFFERS)[0] ?? 'text/html';
}

function sortedFiles(files: StoredFile[]): StoredFile[] {
  const order = sortVersionStrings([...new Set(files.map((f) => f.version))]);
  return [...files].sort(
    (a, b) => order.indexOf(a.version) - order.indexOf(b.version) || (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0),
  );
}

function indexBody(store: Store, type: string): string {
  // Quarantined projects are left out of the root listing (§10).
  const projects = [...store.projects.values()].filter((p) => p.status !== 'quarantined').sort((a, b) => (a.normalized < b.normalized ? -1 : 1));
  if (type.endsWith('json')) {
    return pyJson({
      meta: { 'api-version': API_VERSION, '_last-serial': store.serial },
      projects: projects.map((p) => ({ name: p.name, '_last-serial': p.lastSerial })),
    });
  }
  const anchors = projects.map((p) => `    <a href="/simple/${p.normalized}/">${escapeHtml(p.name)}</a>\n`).join('');
  return (
    `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="${API_VERSION}">\n` +
    `    <title>Simple index</title>\n  </head>\n  <body>\n${anchors}  </body>\n</html>`
  );
}

/** The files installers may see: none while a project is quarantined (§10). */
export function visibleFiles(project: Project): StoredFile[] {
  return project.status === 'quarantined' ? [] : project.files;
}

function detailBody(project: Project, type: string, baseUrl: string): string {
  const files = sortedFiles(visibleFiles(project));
  const releaseOf = (f: StoredFile) => f.metadata.requires_python;
  if (type.endsWith('json')) {
    return pyJson({
      meta: { 'api-version': API_VERSION, '_last-serial': project.lastSerial },
      name: project.normalized,
      versions: sortVersionStrings([...new Set(files.map((f) => f.version))]),
      'alternate-locations': [],
      'project-status': { status: project.status },
      files: files.map((f) => ({
        filename: f.filename,
        url: fileUrl(baseUrl, f),
        hashes: { sha256: f.sha256 },
        'requires-python': typeof releaseOf(f) === 'string' ? releaseOf(f) : null,
        size: f.size,
        'upload-time': pyIsoformat(f.uploadedAt) + 'Z',
        yanked: false,
        'data-dist-info-metadata': false,
        'core-metadata': false,
        provenance: null,
      })),
    });
  }
  const anchors = files
    .map((f) => {
      const rp = releaseOf(f);
      const attr = typeof rp === 'string' ? ` data-requires-python="${escapeHtml(rp)}"` : '';
      return `    <a href="${escapeHtml(fileUrl(baseUrl, f))}#sha256=${f.sha256}"${attr}>${escapeHtml(f.filename)}</a><br />\n`;
    })
    .join('');
  return (
    `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="${API_VERSION}">\n` +
    `    <meta name="pypi:project-status" content="${project.status}">\n    <title>Links for ${project.normalized}</title>\n  </head>\n` +
    `  <body>\n    <h1>Links for ${project.normalized}</h1>\n${anchors}  </body>\n</html>\n<!--SERIAL ${project.lastSerial}-->`
  );
}

export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/** 200 with validators, or 304 when the client's copy is current (If-None-Match wins over If-Modified-Since). */
export function conditional(req: RequestView, type: string, body: string, lastModified: number, serial: number): Answer {
  const etag = `"${createHash('sha256').update(type).update('\0').update(body).digest('hex').slice(0, 32)}"`;
  const headers: Record<string, string> = {
    'Content-Type': type,
    Vary: 'Accept',
    'Cache-Control': 'max-age=600, public',
    'Access-Control-Allow-Origin': '*',
    'X-PyPI-Last-Serial': String(serial),
    ETag: etag,
    'Last-Modified': httpDate(lastModified),
  };
  const inm = header(req, 'if-none-match');
  const ims = header(req, 'if-modified-since');
  let notModified = false;
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    notModified = tags.includes('*') || tags.includes(etag);
  } else if (ims !== undefined) {
    const since = Date.parse(ims);
    notModified = !Number.isNaN(since) && Math.floor(lastModified / 1000) * 1000 <= since;
  }
  if (notModified) {
    delete headers['Content-Type'];
    return { status: 304, reason: 'Not Modified', headers, body: '' };
  }
  return { status: 200, reason: 'OK', headers, body };
}

function moved(location: string): never {
  throw new WarehouseError(301, undefined, { location, headers: { 'Access-Control-Allow-Origin': '*' } });
}

/** GET /simple/…; throws WarehouseError for redirects. */
export function simpleRoute(req: RequestView, store: Store, baseUrl: string): Answer {
  const { pathname, search } = req;
  if (pathname === '/simple') moved('/simple/' + search);
  const type = chooseSimpleType(header(req, 'accept'));
  if (pathname === '/simple/') {
    return conditional(req, type, indexBody(store, type), store.indexChangedAt, store.serial);
  }
  const detail = /^\/simple\/([^/]+)\/$/.exec(pathname);
  if (detail) {
    let name: string;
    try {
      name = decodeURIComponent(detail[1]!);
    } catch {
      name = detail[1]!;
    }
    const project = store.find(name);
    if (project) {
      if (name !== project.normalized) moved(`/simple/${project.normalized}/`);
      return conditional(req, type, detailBody(project, type, baseUrl), project.changedAt, project.lastSerial);
    }
  } else if (/^\/simple\/[^/]+$/.test(pathname)) {
    // Pyramid's append_slash: the name is kept as given; the detail view normalizes next.
    moved(pathname + '/' + search);
  }
  return { status: 404, reason: 'Not Found', headers: { 'Content-Type': 'text/plain; charset=UTF-8' }, body: '404 Not Found' };
}
