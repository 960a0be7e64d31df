/**
 * Runs the real CLI (the compiled executable) in a child process, the way a user
 * does, and collects what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI as it ships: the bundled file package.json's `bin` names (built by `npm run build`). */
export const CLI_PATH = fileURLToPath(new URL('../../pypi-reserve.cjs', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Environment for the child; by default a minimal one with no PyPI credentials. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
  /** Node options before the script, e.g. `--import` of a test preload. */
  nodeArgs?: readonly string[];
  /** Called with the child once it is started (to signal it, say). */
  onSpawn?: (child: ChildProcess) => void;
}

/** The user cache directory of the CLI runs of this test process (project lists, the code cache): a temporary one, never the real ~/.cache. */
const TEST_CACHE_HOME = mkdtempSync(join(tmpdir(), 'pypi-reserve-test-cache-'));
process.on('exit', () => rmSync(TEST_CACHE_HOME, { recursive: true, force: true }));

/** A clean environment: no tokens or CI variables leak in from the machine running the tests, and caches go to a temporary directory. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1', XDG_CACHE_HOME: TEST_CACHE_HOME, ...extra };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [...(options.nodeArgs ?? []), CLI_PATH, ...args], options);
}

/** Any program, run and collected as runCli runs the CLI (for a shell line that runs it, say). */
export function runProcess(file: string, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
