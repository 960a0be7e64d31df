/**
 * Start-up: how much pypi-reserve adds to Node's own start before it can do
 * anything, best of N runs (the machine is shared; the best run is the least
 * disturbed). Prints figures; asserts nothing.
 *
 *   npm run build && node dist/bench/startup.js [runs]
 *
 * - `pypi-reserve --version` next to `node -e 0`;
 * - `pypi-reserve check` of one name against a loopback index (no preflight)
 *   next to the bare node:http client sending the same request.
 * Target: within 0.05 s of the floor.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, bestOf, runsOf, seconds, timeFloor, timeNode } from './support.js';

const TARGET_MS = 50;

function within(ms: number, floorMs: number): string {
  const extra = ms - floorMs;
  return `${seconds(ms)}  (+${(extra / 1000).toFixed(3)} s over the floor, ${(ms / floorMs).toFixed(2)}×; target +${TARGET_MS / 1000} s${extra <= TARGET_MS ? ', target met' : ', target MISSED'})`;
}

export async function benchStartup(runs: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-bench-'));
  // An index with no projects: the root listing (read once per run to prove the address is an
  // index) is an empty PEP 503 page; every project page is a 404. The floor replays the same GETs.
  let paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/simple/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Simple index</title></head><body></body></html>');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const bare = await bestOf(runs, () => timeNode(['-e', '0']));
    const version = await bestOf(runs, () => timeNode([CLI, '--version']));
    const check = await bestOf(runs, () => {
      paths = [];
      return timeNode([CLI, 'check', 'acme-startup', '--owner', 'Bench Org', '--no-preflight', '--index-url', `${origin}/simple/`, '--repository-url', `${origin}/legacy/`, '--json'], { cwd: dir });
    });
    const sent = [...paths];
    const floor = await bestOf(runs, () => timeFloor({ origin, concurrency: 1, requests: sent.map((path) => ({ method: 'GET', path, headers: {} })) }, dir));
    return [
      `start-up (best of ${runs}; node ${process.version})`,
      `  node -e 0: ${seconds(bare.ms)}  [${runsOf(bare)}]`,
      `  pypi-reserve --version: ${within(version.ms, bare.ms)}  [${runsOf(version)}]`,
      `  floor for one check (bare node:http client, the same ${sent.length} GETs): ${seconds(floor.ms)}  [${runsOf(floor)}]`,
      `  pypi-reserve check of one name: ${within(check.ms, floor.ms)}  [${runsOf(check)}; exit ${check.code}]`,
    ];
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchStartup(Number(process.argv[2] ?? 10))) console.log(line);
}
