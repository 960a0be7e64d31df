/**
 * What every benchmark shares: timing a child process from spawn to exit
 * (start-up counts), best of N runs (the machine is shared: the best run is the
 * one least disturbed by other load), and figures printed with their ratio to
 * a floor measured in the same run.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FloorPlan } from './floor-client.js';

/** The CLI as users run it: the bundled file package.json's `bin` names. */
export const CLI = fileURLToPath(new URL('../pypi-reserve.cjs', import.meta.url));
const FLOOR_CLIENT = fileURLToPath(new URL('./floor-client.js', import.meta.url));

export interface Timed {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` and times it from spawn to exit. */
export function timeNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return timeCommand(process.execPath, args, options);
}

export function timeCommand(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH, HOME: options.cwd ?? process.env.HOME, LANG: 'C.UTF-8', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

/** The fastest of `n` runs; `run` gets the run's index (for fresh servers or directories). */
export async function bestOf(n: number, run: (i: number) => Promise<Timed>): Promise<Timed & { all: number[] }> {
  let best: Timed | undefined;
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = await run(i);
    all.push(t.ms);
    if (!best || t.ms < best.ms) best = t;
  }
  return { ...best!, all };
}

/** Times the bare node:http client on a plan written to `dir`. */
export function timeFloor(plan: FloorPlan, dir: string): Promise<Timed> {
  const file = join(dir, `floor-plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(plan));
  return timeNode([FLOOR_CLIENT, file]);
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** "1.23 s  (1.10× the floor, target ≤ 1.3×)" */
export function versus(ms: number, floorMs: number, target?: number): string {
  const ratio = ms / floorMs;
  const verdict = target === undefined ? '' : ratio <= target ? ', target met' : ', target MISSED';
  return `${seconds(ms)}  (${ratio.toFixed(2)}× the floor${target === undefined ? '' : `, target ≤ ${target}×`}${verdict})`;
}

export function runsOf(t: { all: number[] }): string {
  return `runs ${t.all.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`;
}
