/**
 * A regular file's bytes, read synchronously: for files a run waits for anyway
 * (the names file, the project-list cache), where the asynchronous read would
 * start libuv's thread pool and load node:fs/promises for nothing.
 *
 * The file is opened without blocking and judged by what was opened: a pipe or
 * a device put where a file was expected is not waited on (a synchronous wait
 * would keep Ctrl-C from stopping the run), and nothing can be swapped in
 * between a check and the read. Anything but a regular file gives undefined,
 * for the caller to read another way or refuse.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

export function readRegularFileSync(path: string): Buffer | undefined {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}
