/**
 * The archive checks of §4 step 18 (`_is_valid_dist_file` in forklift/legacy.py).
 * Python semantics kept on purpose:
 *   - the top level is `os.path.commonprefix` of the member names, which is
 *     character-wise: a one-file tar's "top level" is the file itself;
 *   - directory names have no trailing slash in a tar (tarfile strips it) but
 *     keep it in a zip;
 *   - `PKG-INFO` is looked up by exact member name, so `./pkg-1.0/PKG-INFO`
 *     does not count for `pkg-1.0/PKG-INFO`;
 *   - an uncompressed tar named `.tar.gz` passes `is_tarfile` but fails to open
 *     as gzip, and Warehouse then reports the detail `None`.
 */
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { unzipSync } from 'fflate';
import tar from 'tar-stream';

export type ArchiveResult = { ok: true; names: string[]; topLevel: string } | { ok: false; detail: string | null };

/** `os.path.commonprefix`: the longest common leading substring. */
export function commonPrefix(names: string[]): string {
  if (!names.length) return '';
  let prefix = names[0]!;
  for (const n of names) {
    let i = 0;
    while (i < prefix.length && i < n.length && prefix[i] === n[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/** `os.path.join(a, b)` for relative b. */
export function pathJoin(a: string, b: string): string {
  return !a || a.endsWith('/') ? a + b : `${a}/${b}`;
}

interface TarListing {
  names: string[];
  sparse: boolean;
}

/** Member names of a tar; undefined when the first header is not a tar header ("not a tarfile"). */
async function listTar(data: Buffer): Promise<TarListing | undefined> {
  // tarfile: an empty or truncated first block is "empty file" / "truncated header"; an all-zero one is an empty archive.
  if (data.length < 512) return undefined;
  const extract = tar.extract({ allowUnknownFormat: true });
  const listing: TarListing = { names: [], sparse: false };
  const done = new Promise<TarListing | undefined>((resolve) => {
    extract.on('entry', (header, stream, next) => {
      const pax = (header as { pax?: Record<string, string> | null }).pax ?? {};
      if (Object.keys(pax).some((k) => k.startsWith('GNU.sparse'))) listing.sparse = true;
      listing.names.push(header.type === 'directory' ? header.name.replace(/\/+$/, '') : header.name);
      stream.on('end', () => next());
      stream.resume();
    });
    extract.on('finish', () => resolve(listing));
    // tarfile only refuses a bad FIRST header; later damage just ends the archive.
    extract.on('error', () => resolve(listing.names.length ? listing : undefined));
  });
  extract.end(data);
  return done;
}

/** A valid tar header checksum in the first block (what `is_tarfile` needs for a plain tar). */
function looksLikePlainTar(data: Buffer): boolean {
  if (data.length < 512) return false;
  const header = data.subarray(0, 512);
  const stored = parseInt(header.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum !== 256 && sum === stored;
}

/** `zipfile.is_zipfile`: an end-of-central-directory record near the end. */
export function isZip(data: Buffer): boolean {
  const sig = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  if (data.length >= 22 && data.subarray(data.length - 22, data.length - 18).equals(sig)) return true;
  const from = Math.max(0, data.length - (65535 + 22));
  const at = data.lastIndexOf(sig);
  return at >= from && at + 22 <= data.length;
}

async function checkTarGz(data: Buffer): Promise<ArchiveResult> {
  let inflated: Buffer | undefined;
  let gzipBroken = false;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      inflated = gunzipSync(data);
    } catch {
      gzipBroken = true;
      try {
        inflated = gunzipSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch {
        inflated = undefined;
      }
    }
  }
  if (inflated !== undefined) {
    const listing = await listTar(inflated);
    if (!listing) return { ok: false, detail: 'File is not a tarfile' };
    // is_tarfile passed, but reading every member hits the broken gzip stream: ReadError/EOFError → None.
    if (gzipBroken) return { ok: false, detail: null };
    if (isZip(data)) return { ok: false, detail: 'File is both a zip and a tar file' };
    if (listing.sparse) {
      return { ok: false, detail: 'tar archive not accepted: Sparse members are not allowed. See https://docs.pypi.org/archives for more information' };
    }
    const topLevel = commonPrefix(listing.names);
    if (['.', '/', ''].includes(topLevel)) return { ok: false, detail: 'Incorrect number of top-level directories in sdist' };
    const target = pathJoin(topLevel, 'PKG-INFO');
    if (!listing.names.includes(target)) return { ok: false, detail: `PKG-INFO not found at ${target}` };
    return { ok: true, names: listing.names, topLevel };
  }
  // Not gzip: is_tarfile still accepts a plain (or bz2/xz) tar, then "r:gz" fails → detail None.
  const bz2OrXz = data.subarray(0, 3).toString('latin1') === 'BZh' || data.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
  if (looksLikePlainTar(data) || bz2OrXz) return { ok: false, detail: null };
  return { ok: false, detail: 'File is not a tarfile' };
}

function zipNames(data: Buffer): string[] | undefined {
  if (!isZip(data)) return undefined;
  const names: string[] = [];
  try {
    unzipSync(data, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return undefined;
  }
  return names;
}

function checkZip(data: Buffer, filename: string): ArchiveResult {
  const names = zipNames(data);
  if (!names) return { ok: false, detail: 'File is not a zipfile' };
  if (filename.endsWith('.zip')) {
    const topLevel = commonPrefix(names);
    if (['.', '/', ''].includes(topLevel)) return { ok: false, detail: 'Incorrect number of top-level directories in sdist' };
    const target = pathJoin(topLevel, 'PKG-INFO');
    if (!names.includes(target)) return { ok: false, detail: `PKG-INFO not found at ${target}` };
    return { ok: true, names, topLevel };
  }
  const parts = filename.split('/').pop()!.split('-');
  if (parts.length < 3) return { ok: false, detail: 'Unable to parse name and version from wheel filename' };
  const target = `${parts[0]}-${parts[1]}.dist-info/WHEEL`;
  if (!names.includes(target)) return { ok: false, detail: `WHEEL not found at ${target}` };
  return { ok: true, names, topLevel: '' };
}

/** `_is_valid_dist_file(filename, filetype)`. */
export async function inspectDistribution(data: Buffer, filename: string): Promise<ArchiveResult> {
  if (filename.endsWith('.zip') || filename.endsWith('.whl')) return checkZip(data, filename);
  if (filename.endsWith('.tar.gz')) return checkTarGz(data);
  return { ok: true, names: [], topLevel: '' };
}
