/**
 * Byte-for-byte reproducible .tar.gz archives, in memory, synchronously.
 *
 * Reproducible means: entries sorted by path, fixed modes (0755 directories,
 * 0644 files), uid/gid 0 with empty user and group names, one fixed mtime, and
 * a gzip stream whose bytes depend only on its input (core/gzip.ts).
 *
 * The tar writer is our own rather than tar-stream's: we write six small files
 * held in memory, and a synchronous writer over a POSIX ustar layout (with a
 * pax `path` record for names longer than ustar holds) is a few dozen lines,
 * leaves nothing to chance in the headers, and is fast: it writes into one
 * buffer reused from archive to archive, since a fresh one each time costs more
 * than filling it (bench/build.ts).
 */
import { gzip } from './gzip.js';

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, no leading `./` or `/`; directories end with `/`. */
  path: string;
  /** File content; absent for a directory. */
  content?: Uint8Array | string;
}

const BLOCK = 512;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

export function createTarGz(entries: readonly ArchiveEntry[], mtimeSeconds: number): Uint8Array {
  return gzip(writeTar(entries, mtimeSeconds));
}

export function createTar(entries: readonly ArchiveEntry[], mtimeSeconds: number): Uint8Array {
  return Buffer.from(writeTar(entries, mtimeSeconds)); // a copy: writeTar's buffer is reused
}

let scratch = Buffer.alloc(0);

/** The archive in the shared scratch buffer: valid until the next call. */
export function writeTar(entries: readonly ArchiveEntry[], mtimeSeconds: number): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let need = 2 * BLOCK;
  for (const entry of sorted) need += 3 * BLOCK + padded(Buffer.byteLength(entry.path) * 2 + 32) + padded(contentBytes(entry.content));
  if (scratch.length < need) scratch = Buffer.alloc(Math.max(need, 64 * 1024, 2 * scratch.length));
  const out = scratch;
  let pos = 0;
  for (const entry of sorted) {
    const isDir = entry.content === undefined;
    const split = splitPath(entry.path);
    if (!split) {
      // Too long for ustar: a pax extended header carries the full path (POSIX.1-2001).
      const record = paxRecord('path', entry.path);
      writeHeader(out, pos, 'PaxHeader', '', FILE_MODE, record.length, mtimeSeconds, 'x');
      out.set(record, pos + BLOCK);
      pos += BLOCK + zeroPad(out, pos + BLOCK, record.length);
    }
    const { name, prefix } = split ?? { name: truncateUtf8(entry.path, 100), prefix: '' };
    // The body first, so its size is known when the header is written.
    const content = entry.content;
    const size = content === undefined ? 0 : typeof content === 'string' ? out.write(content, pos + BLOCK, 'utf8') : (out.set(content, pos + BLOCK), content.length);
    writeHeader(out, pos, name, prefix, isDir ? DIR_MODE : FILE_MODE, size, mtimeSeconds, isDir ? '5' : '0');
    pos += BLOCK + zeroPad(out, pos + BLOCK, size);
  }
  out.fill(0, pos, pos + 2 * BLOCK); // end-of-archive marker
  return out.subarray(0, pos + 2 * BLOCK);
}

function contentBytes(content: ArchiveEntry['content']): number {
  return content === undefined ? 0 : typeof content === 'string' ? Buffer.byteLength(content) : content.length;
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/** Zeroes the rest of the last block of `size` bytes at `start`; returns the padded size. */
function zeroPad(out: Buffer, start: number, size: number): number {
  const full = padded(size);
  out.fill(0, start + size, start + full);
  return full;
}

/** A ustar header at `at`; fields the writer leaves alone (uname, gname, linkname) stay zero. */
function writeHeader(out: Buffer, at: number, name: string, prefix: string, mode: number, size: number, mtime: number, type: string): void {
  out.fill(0, at, at + BLOCK);
  const nameBytes = out.write(name, at, 100, 'utf8');
  octal(out, at + 100, mode, 8);
  octal(out, at + 108, 0, 8); // uid
  octal(out, at + 116, 0, 8); // gid
  octal(out, at + 124, size, 12);
  octal(out, at + 136, mtime, 12);
  out.fill(0x20, at + 148, at + 156); // the checksum counts as spaces while summing
  out[at + 156] = type.charCodeAt(0);
  out.write('ustar\u000000', at + 257, 'latin1'); // POSIX magic and version; uname/gname stay empty
  octal(out, at + 329, 0, 8); // devmajor
  octal(out, at + 337, 0, 8); // devminor
  const prefixBytes = prefix ? out.write(prefix, at + 345, 155, 'utf8') : 0;
  // The checksum sums the whole block; only these ranges can hold anything but zeros.
  const sum =
    sumOf(out, at, at + nameBytes) + sumOf(out, at + 100, at + 157) + sumOf(out, at + 257, at + 265) + sumOf(out, at + 329, at + 345 + prefixBytes);
  octal(out, at + 148, sum, 7); // six digits and a NUL,
  out[at + 155] = 0x20; // then the space that was counted
}

function sumOf(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += bytes[i]!;
  return sum;
}

/** `value` in octal, zero-padded to width - 1 digits, then a NUL. */
function octal(out: Buffer, at: number, value: number, width: number): void {
  for (let i = at + width - 2; i >= at; i--) {
    out[i] = 0x30 + (value % 8);
    value = Math.floor(value / 8);
  }
  out[at + width - 1] = 0;
}

/** ustar keeps paths up to 100 bytes in `name`, or 155 + 100 split at a `/` into `prefix` and `name`. */
function splitPath(path: string): { name: string; prefix: string } | undefined {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { name: path, prefix: '' };
  const body = path.endsWith('/') ? path.slice(0, -1) : path;
  for (let i = body.indexOf('/'); i !== -1; i = body.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { name, prefix };
  }
  return undefined;
}

/** One pax record: "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): Uint8Array {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest);
  while (String(length).length + Buffer.byteLength(rest) !== length) length = String(length).length + Buffer.byteLength(rest);
  return Buffer.from(`${length}${rest}`, 'utf8');
}

function truncateUtf8(text: string, bytes: number): string {
  return Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8');
}
