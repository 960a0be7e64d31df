/**
 * Byte-for-byte reproducible .tar.gz archives, in memory.
 *
 * Reproducible means: entries sorted by path, fixed modes (0755 directories,
 * 0644 files), uid/gid 0 with empty user and group names, one fixed mtime, and
 * a gzip stream made by a pure-JavaScript deflate with a header holding no time
 * and no file name. Node's bundled zlib is not used for the deflate because its
 * output may vary with the Node version and the CPU's SIMD paths; fflate's does not.
 */
import { gzipSync } from 'fflate';
import { pack as tarPack } from 'tar-stream';

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, no leading `./` or `/`. */
  path: string;
  /** File content; absent for a directory. */
  content?: Uint8Array | string;
}

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

/** Builds the tar stream, then gzips it deterministically. */
export async function createTarGz(entries: readonly ArchiveEntry[], mtimeSeconds: number): Promise<Uint8Array> {
  const tar = await createTar(entries, mtimeSeconds);
  // mtime 0 in the gzip header means "no time"; fflate writes no file name unless asked.
  return gzipSync(tar, { level: 9, mtime: 0 });
}

export async function createTar(entries: readonly ArchiveEntry[], mtimeSeconds: number): Promise<Uint8Array> {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const mtime = new Date(mtimeSeconds * 1000);
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const entry of sorted) {
    const common = { name: entry.path, mtime, uid: 0, gid: 0, uname: '', gname: '' };
    if (entry.content === undefined) {
      pack.entry({ ...common, type: 'directory', mode: DIR_MODE });
    } else {
      const body = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : Buffer.from(entry.content);
      pack.entry({ ...common, type: 'file', mode: FILE_MODE, size: body.length }, body);
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
