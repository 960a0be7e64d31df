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
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { readTextFile, type TextReader } from './read-once.js';

export function readRegularFileSync(path: string): Buffer | undefined {
  if (!statSync(path).isFile()) return undefined;
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
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
