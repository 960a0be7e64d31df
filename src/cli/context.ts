import { Redactor } from '../registry/redact.js';
import { redactingStream } from './redacting-writer.js';
import { runFileReader, type TextReader } from '../io/read-once.js';

/**
 * Everything a command touches in the outside world, passed in so the library
 * and tests never reach for process globals directly.
 */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds since the epoch; injectable so quota schedules are testable. */
  now: () => number;
  /** Aborted on the first Ctrl-C or SIGTERM when a command asked for a graceful stop. */
  signal: AbortSignal;
  /** Set by a command that can stop cleanly (finish the upload under way, report, exit). */
  graceful: boolean;
  /** What the run is doing, so Ctrl-C says what it stops: reads end at once, an upload in flight finishes. */
  activity: 'starting' | 'checking' | 'uploading' | 'between-uploads';
  /**
   * The secrets of this run (the token, once read). stdout and stderr are wrapped
   * to blank them, and every file the CLI writes (reports, job summaries) goes
   * through it too.
   */
  secrets: Redactor;
  /** Reads the files that hold secrets: a pipe (`--token-file <(…)`) once per run, whatever reads it (io/read-once.ts). */
  readFile: TextReader;
  /** Writes a progress line the run's reporter still holds (set by cli/world.ts): before a message of the executable's own, such as Ctrl-C's. */
  flushProgress?: () => void;
}

export function processContext(signal: AbortSignal): CliContext {
  const secrets = new Redactor();
  return {
    signal,
    graceful: false,
    activity: 'starting',
    secrets,
    stdout: redactingStream(process.stdout, secrets),
    stderr: redactingStream(process.stderr, secrets),
    // Made on first use: Node builds the stdin stream when it is first read
    // (about 1.5 ms), and only a token prompt or `-f -` reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    readFile: runFileReader(),
  };
}
