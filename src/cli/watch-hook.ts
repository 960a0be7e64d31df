/**
 * `watch --hook`: a command a team runs once per alarm to page someone. It gets
 * the alarm as JSON on stdin, never a credential: variables pypi-reserve reads
 * tokens from, and any variable whose value holds a secret of this run, are
 * left out of its environment. It is bounded in time, and its failure is said
 * but changes nothing else: the alarm has been raised either way.
 */
import { spawn } from 'node:child_process';
import type { CliContext } from './context.js';

const HOOK_TIMEOUT_MS = 60_000;
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

export function runAlarmHook(command: string, alarm: unknown, ctx: CliContext): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, cwd: ctx.cwd, env: hookEnvironment(ctx), stdio: ['pipe', 'pipe', 'pipe'] });
    // Its output is diagnostics: to our stderr, through the redactor like everything else.
    child.stdout.on('data', (d: Buffer) => ctx.stderr.write(d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => ctx.stderr.write(d.toString('utf8')));
    const timer = setTimeout(() => {
      ctx.stderr.write(`warning: the --hook command ran longer than ${HOOK_TIMEOUT_MS / 1000} s and was stopped\n`);
      child.kill('SIGKILL');
    }, HOOK_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      ctx.stderr.write(`warning: the --hook command could not be started: ${err.message}\n`);
      resolve();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) ctx.stderr.write(`warning: the --hook command failed (${signal ?? `exit ${code}`})\n`);
      resolve();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(ctx.secrets.redact(`${JSON.stringify(alarm)}\n`));
  });
}
