/**
 * Test helpers for talking to the stand-in the way clients do: build sdists
 * (tar-stream + gzip, deterministic), build upload forms like twine's, post
 * raw multipart bodies and read the raw status line. Independent of src/.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { blake2b256Hex } from './blake2b.js';

export interface TarEntry {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory';
}

/** A gzipped tar of exactly these entries (mtime fixed, so the bytes are reproducible). */
export function tarGz(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', () => resolve(gzipSync(Buffer.concat(chunks), { level: 9 })));
    pack.on('error', reject);
  });
  for (const e of entries) {
    const mtime = new Date(0);
    if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory', mode: 0o755, mtime });
    else pack.entry({ name: e.name, mode: 0o644, mtime }, typeof e.content === 'string' ? Buffer.from(e.content) : (e.content ?? Buffer.alloc(0)));
  }
  pack.finalize();
  return done;
}

export function pkgInfo(fields: { metadataVersion?: string; name: string; version: string; summary?: string; extra?: string[] }): string {
  return [
    `Metadata-Version: ${fields.metadataVersion ?? '2.2'}`,
    `Name: ${fields.name}`,
    `Version: ${fields.version}`,
    ...(fields.summary ? [`Summary: ${fields.summary}`] : []),
    ...(fields.extra ?? []),
    '',
  ].join('\n');
}

/** PEP 625 filename: normalized name with `_`, then the version. */
export function sdistFilename(name: string, version: string): string {
  return `${name.replace(/[-_.]+/g, '-').toLowerCase().replace(/-/g, '_')}-${version}.tar.gz`;
}

/** A minimal valid sdist: `<stem>/`, `<stem>/PKG-INFO`, `<stem>/pyproject.toml`. */
export function buildSdist(spec: { name: string; version: string; summary?: string; metadataVersion?: string; extraFiles?: Record<string, string> }): Promise<Buffer> {
  const stem = sdistFilename(spec.name, spec.version).slice(0, -'.tar.gz'.length);
  return tarGz([
    { name: `${stem}/`, type: 'directory' },
    { name: `${stem}/PKG-INFO`, content: pkgInfo({ ...spec, summary: spec.summary ?? 'placeholder' }) },
    { name: `${stem}/pyproject.toml`, content: '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n' },
    ...Object.entries(spec.extraFiles ?? {}).map(([n, content]) => ({ name: `${stem}/${n}`, content })),
  ]);
}

export type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; contentType?: string | null };

/** The form twine sends for an sdist (fact sheet §9), as ordered parts ending with `content`. */
export function uploadParts(
  file: { filename: string; content: Buffer },
  meta: { name: string; version: string; metadataVersion?: string; summary?: string },
  overrides: Record<string, string | string[] | null> = {},
): Part[] {
  const fields: Record<string, string | string[] | null> = {
    name: meta.name,
    version: meta.version,
    filetype: 'sdist',
    pyversion: 'source',
    metadata_version: meta.metadataVersion ?? '2.2',
    summary: meta.summary ?? 'placeholder',
    sha256_digest: createHash('sha256').update(file.content).digest('hex'),
    blake2_256_digest: blake2b256Hex(file.content),
    ':action': 'file_upload',
    protocol_version: '1',
    ...overrides,
  };
  const parts: Part[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push({ name, value: v });
  }
  parts.push({ name: 'content', filename: file.filename, content: file.content, contentType: 'application/octet-stream' });
  return parts;
}

export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = '----standin' + createHash('sha256').update(String(parts.length)).digest('hex').slice(0, 16);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      const type = p.contentType === null ? '' : `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n`;
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n${type}\r\n`));
      chunks.push(p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawResponse {
  status: number;
  /** The reason phrase exactly as on the status line. */
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with node:http (no redirects followed, raw status line kept). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          reason: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function tokenAuth(token: string): string {
  return 'Basic ' + Buffer.from(`__token__:${token}`).toString('base64');
}

/** POSTs multipart parts to the upload URL with optional Authorization and Accept. */
export function postUpload(url: string, parts: Part[], opts: { authorization?: string; accept?: string } = {}): Promise<RawResponse> {
  const { body, contentType } = multipart(parts);
  const headers: Record<string, string> = { 'Content-Type': contentType, 'Content-Length': String(body.length) };
  if (opts.authorization) headers.Authorization = opts.authorization;
  if (opts.accept !== undefined) headers.Accept = opts.accept;
  return send(url, { method: 'POST', headers, body });
}

/** Builds a valid sdist for name/version and uploads it with `token`; overrides change form fields. */
export async function uploadSdist(
  uploadUrl: string,
  token: string | undefined,
  name: string,
  version: string,
  overrides: Record<string, string | string[] | null> = {},
  opts: { accept?: string; content?: Buffer; filename?: string } = {},
): Promise<RawResponse> {
  const content = opts.content ?? (await buildSdist({ name, version }));
  const parts = uploadParts({ filename: opts.filename ?? sdistFilename(name, version), content }, { name, version }, overrides);
  // `*/*` unless told otherwise, as Python's requests (twine) sends; `{ accept: undefined }` sends none.
  const accept = 'accept' in opts ? opts.accept : '*/*';
  return postUpload(uploadUrl, parts, { ...(token ? { authorization: tokenAuth(token) } : {}), ...(accept !== undefined ? { accept } : {}) });
}
