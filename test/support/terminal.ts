/**
 * Runs the real CLI on a pseudo-terminal, under `script` (util-linux), for specs
 * of what happens only on an interactive terminal (live progress, prompts).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI_PATH } from './cli.js';

const SCRIPT = '/usr/bin/script';

/** Skips where `script` is missing, except in CI, where a missing tool must fail the spec. */
export function terminalSkip(): string | false {
  return !existsSync(SCRIPT) && !process.env.CI ? 'util-linux script is not installed' : false;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

export interface TerminalAnswer {
  prompt: RegExp;
  /** Typed followed by Enter; Ctrl-C (`\u0003`) or Ctrl-D (`\u0004`) at the end is typed as is. */
  text: string;
}

/** Runs the CLI on a pseudo-terminal; `answer` is typed once `prompt` appears. */
export function onTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  answer?: TerminalAnswer,
  options: { cwd?: string } = {},
): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let screen = '';
    let answered = false;
    const onData = (d: Buffer) => {
      screen += d.toString('utf8');
      if (answer && !answered && answer.prompt.test(screen)) {
        answered = true;
        child.stdin.write(/^\u0003|\u0004$/.test(answer.text) ? answer.text : `${answer.text}\r`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}
