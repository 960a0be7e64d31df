/**
 * On-disk copy of an index's project listing, one file per index URL, so that a
 * later run can revalidate it with a 304 instead of downloading ~30 MB, and can
 * still check names when the index is unreachable.
 *
 * File format (UTF-8), chosen to load fast: no object per name.
 *
 *   pypi-reserve project list 1
 *   {"indexUrl":"https://pypi.org/simple/","etag":"…","lastModified":"…","fetchedAt":"2026-…Z","count":2}
 *   Foo
 *   bar-baz
 *
 * One name per line; a name that starts with `"` or contains a line break or a
 * surrogate is written as a JSON string. `count` detects a truncated file.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomicallySync } from '../io/atomic-write.js';
import { readRegularFileHeadSync, readRegularFileSync } from '../io/read-regular.js';
import { stripCredentials } from './project-list.js';

export { CACHE_DIR_ENV, defaultCacheDir } from '../io/cache-dir.js';
const MAGIC = 'pypi-reserve project list 1';

export interface CachedProjectList {
  /** The listing URL, without credentials. */
  indexUrl: string;
  etag?: string;
  lastModified?: string;
  /** When the index last confirmed this list (a 200 or a 304). */
  fetchedAt: Date;
  projects: string[];
}

export type CacheReadResult =
  | { status: 'found'; list: CachedProjectList }
  | { status: 'missing' }
  | { status: 'corrupt'; path: string; reason: string };

/**
 * `<cacheDir>/project-list-<16 hex digits>.txt`: FNV-1a (64 bits) of the
 * credential-free URL's UTF-8 bytes. Only a file's name; its header holds the
 * URL, which a read compares, so two URLs with one name only take turns.
 * Not SHA-256 (what 0.1.0 named the file by): loading `node:crypto` was 12-15 ms
 * before a run's first request on Node 20, where nothing else needs it yet.
 */
export function projectListCachePath(cacheDir: string, indexUrl: string): string {
  return join(cacheDir, `project-list-${fnv1a64(stripCredentials(indexUrl))}.txt`);
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;

function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * FNV64_PRIME);
  return h.toString(16).padStart(16, '0');
}

/** Files named as 0.1.0 named them (20 hex digits of SHA-256): never read by this version. */
const OLD_LIST_FILE = /^project-list-[0-9a-f]{20}\.txt$/;

/**
 * Removes the lists 0.1.0 kept (PyPI's is 10-30 MB): regular files named as it
 * named them that begin as a list does, nothing else (the directory may be one
 * the user shares, PYPI_RESERVE_CACHE_DIR). A file that cannot be read or
 * removed stays; the others are still removed.
 */
function removeOldListFiles(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!OLD_LIST_FILE.test(name)) continue;
    const path = join(cacheDir, name);
    try {
      if (beginsAsList(path)) rmSync(path, { force: true });
    } catch {
      // Kept: only this run's own lists matter to it.
    }
  }
}

/** Whether `path` is a regular file (not through a link, and nothing else opened) whose first line is a list's. */
function beginsAsList(path: string): boolean {
  return readRegularFileHeadSync(path, MAGIC.length + 1)?.toString('latin1') === `${MAGIC}\n`;
}

/** Reads the cached list for `indexUrl`; a damaged file is reported, never thrown. */
export async function readProjectListCache(cacheDir: string, indexUrl: string): Promise<CacheReadResult> {
  const path = projectListCachePath(cacheDir, indexUrl);
  let text: string;
  try {
    // Synchronous, as are the writes below: the run waits for the cache anyway, and a
    // `reserve` then never starts the thread pool or loads node:fs/promises (5-7 ms on Node 20).
    const bytes = readRegularFileSync(path);
    if (!bytes) return { status: 'corrupt', path, reason: 'not a regular file' };
    text = bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'corrupt', path, reason: (err as Error).message };
  }
  const list = decodeCache(text);
  if (typeof list === 'string') return { status: 'corrupt', path, reason: list };
  // Another URL with the same hash prefix, or a hand-copied file: not ours to use.
  if (list.indexUrl !== stripCredentials(indexUrl)) return { status: 'missing' };
  return { status: 'found', list };
}

/** Writes the list atomically (temporary file, then rename): readers see the old or the new file, never half. */
export async function writeProjectListCache(cacheDir: string, list: CachedProjectList): Promise<string> {
  const path = projectListCachePath(cacheDir, list.indexUrl);
  const first = !existsSync(path);
  writeCacheFile(cacheDir, path, [encodeCache(list)]);
  // Once per index: when its list is first kept under the new name.
  if (first) removeOldListFiles(cacheDir);
  return path;
}

/** A private index's list may be confidential: the directory and file are the owner's only. */
function writeCacheFile(cacheDir: string, path: string, parts: (string | Buffer)[]): void {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  writeAtomicallySync(path, parts, { mode: 0o600 });
}

/**
 * Records that the index confirmed the cached list (a 304) by rewriting only the
 * header: the names are copied as bytes, not decoded and encoded again. Does
 * nothing (returns false) if the file on disk no longer holds that list (another
 * run replaced it meanwhile).
 */
export async function confirmProjectListCache(cacheDir: string, list: CachedProjectList): Promise<boolean> {
  const path = projectListCachePath(cacheDir, list.indexUrl);
  let bytes: Buffer | undefined;
  try {
    bytes = readRegularFileSync(path);
  } catch {
    return false;
  }
  if (!bytes) return false;
  const magicEnd = bytes.indexOf(0x0a);
  const headerEnd = magicEnd < 0 ? -1 : bytes.indexOf(0x0a, magicEnd + 1);
  if (headerEnd < 0 || bytes.toString('utf8', 0, magicEnd) !== MAGIC) return false;
  const meta = decodeHeader(bytes.toString('utf8', magicEnd + 1, headerEnd));
  if (
    typeof meta === 'string' ||
    meta.indexUrl !== stripCredentials(list.indexUrl) ||
    meta.etag !== list.etag ||
    meta.lastModified !== list.lastModified ||
    meta.count !== list.projects.length
  ) {
    return false;
  }
  const header = Buffer.from(`${MAGIC}\n${encodeHeader(list)}`);
  writeCacheFile(cacheDir, path, [header, bytes.subarray(headerEnd + 1)]);
  return true;
}

const NEEDS_QUOTING = /^"|[\n\r\ud800-\udfff]/;

export function encodeCache(list: CachedProjectList): string {
  const lines = new Array<string>(list.projects.length);
  for (let i = 0; i < list.projects.length; i++) {
    const name = list.projects[i] as string;
    lines[i] = NEEDS_QUOTING.test(name) ? JSON.stringify(name) : name;
  }
  return `${MAGIC}\n${encodeHeader(list)}${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
}

/** The header line, newline included. */
function encodeHeader(list: CachedProjectList): string {
  const meta = {
    indexUrl: stripCredentials(list.indexUrl),
    ...(list.etag !== undefined ? { etag: list.etag } : {}),
    ...(list.lastModified !== undefined ? { lastModified: list.lastModified } : {}),
    fetchedAt: list.fetchedAt.toISOString(),
    count: list.projects.length,
  };
  return `${JSON.stringify(meta)}\n`;
}

interface CacheHeader {
  indexUrl: string;
  etag?: string;
  lastModified?: string;
  fetchedAt: Date;
  count: number;
}

function decodeHeader(line: string): CacheHeader | string {
  let meta: unknown;
  try {
    meta = JSON.parse(line);
  } catch {
    return 'unreadable header';
  }
  const { indexUrl, etag, lastModified, fetchedAt, count } = (meta ?? {}) as Record<string, unknown>;
  const when = typeof fetchedAt === 'string' ? new Date(fetchedAt) : undefined;
  if (
    typeof indexUrl !== 'string' ||
    (etag !== undefined && typeof etag !== 'string') ||
    (lastModified !== undefined && typeof lastModified !== 'string') ||
    !when ||
    Number.isNaN(when.getTime()) ||
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 0
  ) {
    return 'invalid header';
  }
  return {
    indexUrl,
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
    fetchedAt: when,
    count,
  };
}

/** The cached list, or why the text is not a valid cache file. */
export function decodeCache(text: string): CachedProjectList | string {
  const lines = text.split('\n');
  if (lines[0] !== MAGIC) return 'not a pypi-reserve project list file';
  const header = decodeHeader(lines[1] ?? '');
  if (typeof header === 'string') return header;
  const { count, ...meta } = header;
  // Header, names, and the empty string after the final newline.
  if (lines.length !== count + 3 || lines[lines.length - 1] !== '') {
    return `truncated or damaged: header says ${count} names, file has ${Math.max(0, lines.length - 3)}`;
  }
  const projects = lines.slice(2, 2 + count);
  for (let i = 0; i < projects.length; i++) {
    const line = projects[i] as string;
    if (line.charCodeAt(0) !== 0x22 /* " */) continue;
    try {
      projects[i] = JSON.parse(line) as string;
    } catch {
      return `damaged name on line ${i + 3}`;
    }
    if (typeof projects[i] !== 'string') return `damaged name on line ${i + 3}`;
  }
  return { ...meta, projects };
}
