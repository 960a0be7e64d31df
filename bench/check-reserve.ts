/**
 * Benchmark for check and reserve (issue 3), against the Warehouse stand-in on
 * loopback. Prints figures; asserts nothing.
 *
 *   npm run build && node dist/bench/check-reserve.js
 *
 * 1. check 2,000 names with 20 ms added to every response, at concurrency 16:
 *    wall time next to the floor 2,000 × 20 ms / 16, and the CLI's peak RSS.
 * 2. reserve 50 names with no added latency.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWarehouse } from '../test/support/warehouse/index.js';

const CHILD = fileURLToPath(new URL('./cli-child.js', import.meta.url));
const TOKEN = 'pypi-bench-token-0001';

interface ChildResult {
  code: number;
  wallMs: number;
  maxRssKiB: number;
  stdout: string;
}

function runChild(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CHILD, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const line = stderr.split('\n').reverse().find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`no BENCH line; stderr:\n${stderr}`));
      const own = JSON.parse(line.slice(6)) as { code: number; maxRssKiB: number };
      resolve({ code: own.code, maxRssKiB: own.maxRssKiB, wallMs: performance.now() - started, stdout });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-bench-'));
try {
  // 1. check 2,000 names, 20 ms per response, concurrency 16.
  const names = Array.from({ length: 2000 }, (_, i) => `bench-name-${i}`);
  writeFileSync(join(dir, 'names.txt'), names.join('\n'));
  const slow = await startWarehouse({
    latencyMs: 20,
    projects: names.filter((_, i) => i % 10 === 0).map((name) => ({ name, owner: 'someone-else' })),
  });
  const concurrency = 16;
  const floorMs = (names.length * 20) / concurrency;
  const check = await runChild(
    ['check', '-f', 'names.txt', '--owner', 'Bench Org', '--concurrency', String(concurrency), '--index-url', slow.indexUrl, '--repository-url', slow.uploadUrl, '--json'],
    {},
    dir,
  );
  await slow.close();
  const checked = (JSON.parse(check.stdout) as { results: unknown[] }).results.length;
  console.log(`check: ${checked} names, concurrency ${concurrency}, +20 ms per response`);
  console.log(`  wall ${(check.wallMs / 1000).toFixed(2)} s (process start to exit), floor ${(floorMs / 1000).toFixed(2)} s, ratio ${(check.wallMs / floorMs).toFixed(2)}× (target ≤ 1.5×)`);
  console.log(`  peak RSS ${(check.maxRssKiB / 1024).toFixed(1)} MB (target < 150 MB), exit ${check.code} (1 expected: 200 names are taken)`);

  // 2. reserve 50 names, no added latency.
  const fast = await startWarehouse({ tokens: { [TOKEN]: { user: 'bench' } }, quota: { limit: 1000, windowSeconds: 86_400 } });
  const fifty = Array.from({ length: 50 }, (_, i) => `bench-reserve-${i}`);
  writeFileSync(join(dir, 'fifty.txt'), fifty.join('\n'));
  const reserve = await runChild(
    ['reserve', '-f', 'fifty.txt', '--owner', 'Bench Org', '--index-url', fast.indexUrl, '--repository-url', fast.uploadUrl, '--max-new', '50', '--json'],
    { PYPI_TOKEN: TOKEN },
    dir,
  );
  const uploads = fast.uploads().length;
  await fast.close();
  console.log(`reserve: 50 names, no added latency`);
  console.log(`  wall ${(reserve.wallMs / 1000).toFixed(2)} s, ${uploads} uploads, ${(reserve.wallMs / 50).toFixed(1)} ms per name, peak RSS ${(reserve.maxRssKiB / 1024).toFixed(1)} MB, exit ${reserve.code}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
