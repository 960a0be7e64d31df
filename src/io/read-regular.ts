/**
 * A regular file's bytes, read synchronously: for files a run waits for anyway
 * (the names file, the project-list cache), where the asynchronous read would
 * start libuv's thread pool and load node:fs/promises for nothing.
 *
 * Anything but a regular file gives undefined, for the caller to read another
 * way or refuse, and is never opened here: opening a named pipe, even without
 * blocking, and closing it again would let a producer waiting on it write into
 * a pipe nobody reads (it dies of SIGPIPE, and a later read waits for a writer
 * that is gone). A regular file is opened without blocking and judged again by
 * what was opened, so nothing swapped in between the two looks is read
 * synchronously (a synchronous wait would keep Ctrl-C from stopping the run).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readTextFile, type TextReader } from './read-once.js';

export function readRegularFileSync(path: string): Buffer | undefined {
  return withRegularFile(path, true, (fd) => readFileSync(fd));
}

/**
 * Up to `length` bytes from the start of the regular file `path` names itself,
 * not through a link (a link, like anything but a regular file, gives
 * undefined): enough to tell what a file is without reading all of it.
 */
export function readRegularFileHeadSync(path: string, length: number): Buffer | undefined {
  return withRegularFile(path, false, (fd) => {
    const head = Buffer.alloc(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  });
}

/** `read` of the regular file at `path`, opened as the module comment says; undefined, unopened, for anything else. */
function withRegularFile(path: string, followLinks: boolean, read: (fd: number) => Buffer): Buffer | undefined {
  if (!(followLinks ? statSync(path) : lstatSync(path)).isFile()) return undefined;
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (followLinks ? 0 : (constants.O_NOFOLLOW ?? 0)));
  try {
    return fstatSync(fd).isFile() ? read(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's text: read synchronously when it is a regular file, else by
 * `readOther` (a pipe, a device: read afresh by default, or by a run's reader,
 * which reads a pipe once). Rejects as a read does (ENOENT, EACCES, …).
 */
export async function readText(path: string, readOther: TextReader = readTextFile): Promise<string> {
  return readRegularFileSync(path)?.toString('utf8') ?? readOther(path);
}
