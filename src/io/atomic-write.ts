/**
 * Writes a file so that a reader sees the old content or the new, never half:
 * the bytes go to a temporary file next to the target, which is then renamed
 * (or linked) into place. A failure leaves no temporary file behind.
 *
 * In core (not ops) because the index layer's cache uses it too; its only I/O
 * is the one file it writes.
 */
import { access, link, rename, rm, writeFile } from 'node:fs/promises';
import { closeSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type AtomicWriteData = string | Uint8Array | Iterable<string | Uint8Array>;

export interface AtomicWriteOptions {
  /** Permission bits of a newly created file (before the umask); e.g. 0o600 for private data. */
  mode?: number;
  /**
   * false: never replace an existing file, even one created by someone else
   * between a check and the write; fails with an `EEXIST` error then.
   */
  overwrite?: boolean;
}

/**
 * Writes `data` (a string, bytes, or parts written one after another) to `path`.
 * The temporary name is short and hidden: a target name near the file system's
 * 255-byte limit must not be pushed over it by a suffix.
 */
export async function writeAtomically(path: string, data: AtomicWriteData, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPath(path);
  let renamed = false;
  try {
    // `wx`: a file (or symlink) planted under the temporary name is never written through.
    await writeFile(temp, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }) });
    if (options.overwrite === false) await linkOrRename(temp, path);
    else {
      await rename(temp, path);
      renamed = true;
    }
  } finally {
    // After a rename the temporary name is gone already; after a link (or a failure) it is removed here.
    if (!renamed) await rm(temp, { force: true }).catch(() => undefined);
  }
}

/** link(2) fails if the target exists; where the file system has no hard links, a check then a rename (a small race, but no partial file). */
async function linkOrRename(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
    await rename(temp, path);
  }
}

/**
 * The same guarantee, synchronously, replacing any existing file: for many
 * small files on a local disk (`build`), where each file's round trips through
 * the thread pool cost more CPU than its four system calls (bench/build.ts),
 * and for a run's cache files, written while the run waits for them anyway
 * (the thread pool and node:fs/promises then never start in a `reserve`). A
 * file system that fails mid-way leaves no temporary file.
 */
export function writeAtomicallySync(path: string, data: string | Uint8Array | readonly (string | Uint8Array)[], options: { mode?: number } = {}): void {
  const temp = tempPath(path);
  let created = false;
  try {
    // `wx`: a file (or symlink) planted under the temporary name is never written through.
    const fd = openSync(temp, 'wx', options.mode ?? 0o666);
    created = true;
    try {
      for (const part of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) writeFileSync(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    // A temporary file we created is ours to remove; one that was there before us is not.
    if (created) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // The write's own error is the one worth reporting.
      }
    }
    throw err;
  }
}

/** One random part per process and a counter: unguessable enough for `wx` to do the rest, without asking for randomness per file. */
let tempPrefix: string | undefined;
let tempCounter = 0;

function tempPath(target: string): string {
  // 48 random bits from Math.random, whose generator V8 seeds from the OS: not to be guessed by
  // another user who might plant a file under the name (and `wx` never writes through one), and
  // no `node:crypto`, whose loading was 12-15 ms of a `reserve` before its first request.
  tempPrefix ??= Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');
  return join(dirname(target), `.pypi-reserve-${tempPrefix}-${(tempCounter++).toString(36)}.tmp`);
}
