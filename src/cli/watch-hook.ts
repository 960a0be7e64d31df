/**
 * `watch --hook`: a command a team runs once per alarm to page someone. It gets
 * the alarm as JSON on stdin, never a credential: variables pypi-reserve reads
 * tokens from, and any variable whose value holds a secret of this run, are
 * left out of its environment. It is bounded in time (its whole process group
 * is stopped, so a backgrounded grandchild cannot hold the run) and in what it
 * may print, and its failure is said but changes nothing else: the alarm has
 * been raised either way.
 */
import { spawn } from 'node:child_process';
import { printableLine } from '../core/text-rules.js';
import type { CliContext } from './context.js';

const HOOK_TIMEOUT_MS = 60_000;
/** What a hook may print before the rest is dropped: enough for an error message, not a flood. */
const HOOK_OUTPUT_BYTES = 16 * 1024;
const CREDENTIAL_VARIABLES = ['PYPI_TOKEN', 'TWINE_PASSWORD', 'TWINE_USERNAME'];

export function hookEnvironment(ctx: CliContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(ctx.env)) {
    if (value === undefined || CREDENTIAL_VARIABLES.includes(key)) continue;
    if (ctx.secrets.redact(value) !== value) continue;
    env[key] = value;
  }
  return env;
}

export async function runAlarmHook(command: string, alarm: unknown, ctx: CliContext, timeoutMs = HOOK_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    // Its own process group, so the timeout can stop everything it started.
    const child = spawn(command, { shell: true, cwd: ctx.cwd, env: hookEnvironment(ctx), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let printed = 0;
    let pending = '';
    // Its output is diagnostics: to our stderr, a line at a time, each made printable and
    // marked as the hook's, so it cannot pose as a result line or a workflow command.
    const relay = (chunk: Buffer) => {
      if (printed >= HOOK_OUTPUT_BYTES) return;
      const text = chunk.toString('utf8').slice(0, HOOK_OUTPUT_BYTES - printed);
      printed += text.length;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) ctx.stderr.write(`hook: ${printableLine(line)}\n`);
      if (printed >= HOOK_OUTPUT_BYTES) ctx.stderr.write(`hook: (more output dropped after ${HOOK_OUTPUT_BYTES} bytes)\n`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    const stopGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      ctx.stderr.write(`warning: the --hook command ran longer than ${timeoutMs / 1000} s and was stopped\n`);
      stopGroup();
    }, timeoutMs);
    let done = false;
    const finish = (problem: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (pending) ctx.stderr.write(`hook: ${printableLine(pending)}\n`);
      // Whatever it left running in the background is not waited for.
      stopGroup();
      child.stdout.destroy();
      child.stderr.destroy();
      if (problem) ctx.stderr.write(`warning: the --hook command ${problem}\n`);
      resolve();
    };
    child.on('error', (err) => finish(`could not be started: ${err.message}`));
    // 'close' once its output is read; a grandchild holding the pipes open gets a second, then is stopped.
    let outcome: string | undefined;
    child.on('exit', (code, signal) => {
      outcome = code === 0 ? undefined : `failed (${signal ?? `exit ${code}`})`;
      setTimeout(() => finish(outcome), 1_000).unref();
    });
    child.on('close', () => finish(outcome));
    child.stdin.on('error', () => undefined);
    child.stdin.end(ctx.secrets.redact(`${JSON.stringify(alarm)}\n`));
  });
}
