/**
 * Reading the files that hold secrets (`--token-file`, `--pypirc`, `.netrc`),
 * which may be pipes: `--token-file <(pass show pypi)` hands the run a pipe,
 * which gives its text to the first read only, and a run reads such a file
 * more than once (its secrets are registered with the redactor before anything
 * is printed, the token's host is checked before any request, and the
 * credential is taken at the first upload).
 *
 * A run's reader (runFileReader) reads a regular file afresh each time and a
 * pipe once, keeping its text for that run only: a library call without one
 * reads afresh (readTextFile), and nothing outlives the run.
 *
 * A pipe is read through the event loop, not by a thread of libuv's pool: a
 * pool thread blocked on a pipe whose writer hangs (a password manager waiting
 * for a passphrase) kept the process from exiting, so Ctrl-C could not stop
 * the run. A named pipe nobody has opened for writing yet is waited on (on
 * Linux; Ctrl-C still stops the wait). A pipe is read once whatever happens:
 * after a failed read (past MAX_PIPE_BYTES, say) a second reader would get
 * what comes next in the stream, not the file's text, so the failure is kept
 * for the run too.
 */
import { closeSync, constants, openSync, readFile as readFileWithCallback, stat as statWithCallback, type Stats } from 'node:fs';
import { Socket } from 'node:net';

// node:fs's callback forms, not node:fs/promises: every networked run reads
// through here, and loading node:fs/promises costs 1-2 ms on Node 20.
const readFile = (path: string): Promise<string> =>
  new Promise((resolve, reject) => readFileWithCallback(path, 'utf8', (err, text) => (err ? reject(err) : resolve(text))));
const stat = (path: string): Promise<Stats> => new Promise((resolve, reject) => statWithCallback(path, (err, stats) => (err ? reject(err) : resolve(stats))));

/** Reads a file's text; rejects as readFile does (ENOENT, EACCES, …). */
export type TextReader = (path: string) => Promise<string>;

/** A file's text, read afresh. */
export const readTextFile: TextReader = readFile;

/** More than a token, a .pypirc or a .netrc could need: a pipe that goes on is cut off with an error. */
export const MAX_PIPE_BYTES = 1024 * 1024;

/** One run's reader: regular files afresh, each pipe once (its text kept for this reader only). */
export function runFileReader(): TextReader {
  const pipes = new Map<string, Promise<string>>();
  return async (path) => {
    const stats = await stat(path);
    // A terminal (`--token-file /dev/stdin` typed into) or /dev/zero would hold a thread
    // of libuv's pool, and so the process, for as long as it reads: refused.
    if (stats.isCharacterDevice() && path !== '/dev/null') throw Object.assign(new Error(`${path} is a device, not a file`), { code: 'EDEVICE' });
    if (!stats.isFIFO() && !stats.isSocket()) return readFile(path);
    let text = pipes.get(path);
    if (!text) {
      text = readPipe(path);
      pipes.set(path, text);
      text.catch(() => undefined); // kept, and met by every reader that asks
    }
    return text;
  };
}

function readPipe(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      reject(err);
      return;
    }
    let pipe: Socket;
    try {
      // The socket owns the descriptor from here and closes it.
      pipe = new Socket({ fd, readable: true, writable: false });
    } catch (err) {
      closeSync(fd);
      reject(err);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    pipe.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PIPE_BYTES) {
        pipe.destroy(Object.assign(new Error(`more than ${MAX_PIPE_BYTES / 1024 / 1024} MB came from the pipe`), { code: 'EFBIG' }));
        return;
      }
      chunks.push(chunk);
    });
    pipe.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    pipe.once('error', reject);
  });
}
