/**
 * A file's text, where the file may be a pipe: `--token-file <(pass show pypi)`
 * hands the run a pipe, which gives its text to the first read only. A run
 * reads the token file more than once (its secrets are registered with the
 * redactor before anything is printed, the token's host is checked before any
 * request, and the credential is taken at the first upload), so a file that is
 * not a regular one is read once per process and its text remembered, keyed by
 * device and inode; a regular file is read afresh each time.
 */
import { readFile, stat } from 'node:fs/promises';

const readOnce = new Map<string, Promise<string>>();

/** Rejects as readFile does (ENOENT, EACCES, …). */
export async function readTextOnce(path: string): Promise<string> {
  const stats = await stat(path);
  if (stats.isFile()) return readFile(path, 'utf8');
  const key = `${stats.dev}:${stats.ino}`;
  let text = readOnce.get(key);
  if (!text) {
    text = readFile(path, 'utf8');
    readOnce.set(key, text);
    // A failed read is not remembered: the next reader meets the file as it is then.
    text.catch(() => readOnce.delete(key));
  }
  return text;
}
