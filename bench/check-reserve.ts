/**
 * Benchmark of `check` and `reserve` against the Warehouse stand-in on
 * loopback, each next to its floor measured in the same run: a bare
 * `node:http` client (bench/floor-client) sending the very requests
 * pypi-reserve sent, as the stand-in logged them. Prints figures; asserts nothing.
 *
 *   npm run build && node dist/bench/check-reserve.js [runs] [check|reserve]
 *
 * 1. check 1,000 names, 20 ms added to every response, concurrency 16
 *    (target ≤ 1.15× the floor client at concurrency 16).
 * 2. reserve 50 names, no added latency (target ≤ 1.3× the floor client over
 *    one keep-alive connection: 1 listing read, 50 project-page reads, 50 uploads
 *    of the same bytes), and twine uploading the same 50 files when installed.
 *    pypi-reserve and the floor run in turns (tool, floor, tool, floor, …), so
 *    a change of load on a shared machine reaches both alike.
 *
 * pypiserver, the server issue 12 measured with, is not installable on the
 * reference machine (no Debian package, no PyPI access), so the stand-in serves;
 * the bench says whether pypiserver or devpi is on PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWarehouse, type LoggedRequest, type Warehouse } from '../test/support/warehouse/index.js';
import { placeholderMetadata } from '../src/core/metadata.js';
import { encodeMultipart } from '../src/core/multipart.js';
import { normalizeName } from '../src/core/names.js';
import { buildSdist } from '../src/core/sdist.js';
import { buildUploadForm } from '../src/core/upload-form.js';
import type { FloorRequest } from './floor-client.js';
import { CLI, bestOf, runsOf, seconds, timeCommand, timeFloor, timeNode, versus, type Timed } from './support.js';

const TOKEN = 'pypi-bench-token-0001';
const OWNER = 'Bench Org';
const AUTH = `Basic ${Buffer.from(`__token__:${TOKEN}`).toString('base64')}`;

/** The GETs pypi-reserve sent, as the stand-in logged them, for the floor client to repeat. */
function replayGets(log: readonly LoggedRequest[]): FloorRequest[] {
  return log.filter((r) => r.method === 'GET').map((r): FloorRequest => ({ method: 'GET', path: r.path, headers: r.accept ? { accept: r.accept } : {} }));
}

/** The upload pypi-reserve sends for a name: the same metadata, sdist and multipart bytes. */
function uploadRequest(name: string, path: string): { request: FloorRequest; sdist: ReturnType<typeof buildSdist> } {
  const meta = placeholderMetadata({ name, normalized: normalizeName(name), source: 'bench' }, { owner: OWNER, version: '0.0.0' });
  const sdist = buildSdist(meta);
  const { contentType, body } = encodeMultipart(buildUploadForm(meta, sdist));
  return { sdist, request: { method: 'POST', path, headers: { authorization: AUTH, accept: '*/*', 'content-type': contentType }, body: Buffer.from(body).toString('base64') } };
}

const storedHashes = (wh: Warehouse, names: readonly string[]) => names.map((n) => wh.project(n)?.files[0]?.sha256 ?? 'missing').join(',');

export async function benchCheck(dir: string, runs: number): Promise<string[]> {
  const names = Array.from({ length: 1000 }, (_, i) => `bench-name-${i}`);
  writeFileSync(join(dir, 'names.txt'), names.join('\n'));
  const wh = await startWarehouse({ latencyMs: 20, projects: names.filter((_, i) => i % 10 === 0).map((name) => ({ name, owner: 'someone-else' })) });
  try {
    const concurrency = 16;
    const args = [CLI, 'check', '-f', 'names.txt', '--owner', OWNER, '--concurrency', String(concurrency), '--index-url', wh.indexUrl, '--repository-url', wh.uploadUrl, '--json'];
    let gets: FloorRequest[] = [];
    const tool = await bestOf(runs, async () => {
      const before = wh.requests.length;
      const t = await timeNode(args, { cwd: dir });
      gets = replayGets(wh.requests.slice(before));
      return t;
    });
    const checked = (JSON.parse(tool.stdout) as { results: unknown[] }).results.length;
    const floor = await bestOf(runs, () => timeFloor({ origin: wh.url, concurrency, requests: gets }, dir));
    const ideal = (gets.length * 20) / concurrency;
    return [
      `check: ${checked} names, +20 ms per response, concurrency ${concurrency} (${gets.length} requests; best of ${runs})`,
      `  floor (bare node:http client, same requests, ${concurrency} keep-alive connections): ${seconds(floor.ms)}  [${runsOf(floor)}; ${gets.length} × 20 ms / ${concurrency} = ${seconds(ideal)}]`,
      `  pypi-reserve check:  ${versus(tool.ms, floor.ms, 1.15)}  [${runsOf(tool)}; exit ${tool.code}, 1 expected: 100 names are taken]`,
    ];
  } finally {
    await wh.close();
  }
}

export async function benchReserve(dir: string, runs: number): Promise<string[]> {
  const names = Array.from({ length: 50 }, (_, i) => `bench-reserve-${i}`);
  writeFileSync(join(dir, 'fifty.txt'), names.join('\n'));
  const fresh = () => startWarehouse({ tokens: { [TOKEN]: { user: 'bench' } }, quota: { limit: 1000, windowSeconds: 86_400 } });
  const uploads = names.map((n) => uploadRequest(n, '/legacy/'));

  // The floor sends the requests pypi-reserve sent in the run before it, in its
  // order, uploads with the bytes it sent, over one connection.
  const byFilename = new Map(uploads.map((u) => [u.sdist.filename, u.request]));
  const toolRuns: Timed[] = [];
  const floorRuns: Timed[] = [];
  let log: LoggedRequest[] = [];
  let toolHashes = '';
  let floorHashes = '';
  for (let i = 0; i < runs; i++) {
    let wh = await fresh();
    try {
      const args = [CLI, 'reserve', '-f', 'fifty.txt', '--owner', OWNER, '--index-url', wh.indexUrl, '--repository-url', wh.uploadUrl, '--max-new', '50', '--json'];
      toolRuns.push(await timeNode(args, { cwd: dir, env: { PYPI_TOKEN: TOKEN } }));
      log = [...wh.requests];
      toolHashes = storedHashes(wh, names);
    } finally {
      await wh.close();
    }
    const plan: FloorRequest[] = log.map((r) => (r.method === 'POST' ? byFilename.get(r.filename ?? '')! : replayGets([r])[0]!));
    wh = await fresh();
    try {
      floorRuns.push(await timeFloor({ origin: wh.url, concurrency: 1, requests: plan }, dir));
      floorHashes = storedHashes(wh, names);
    } finally {
      await wh.close();
    }
  }
  const tool = best(toolRuns);
  const floor = best(floorRuns);
  const posts = log.filter((r) => r.method === 'POST').length;
  const lines = [
    `reserve: 50 names, no added latency (${log.length - posts} reads + ${posts} uploads; best of ${runs})`,
    `  floor (bare node:http client, same requests and bytes, one keep-alive connection): ${seconds(floor.ms)}  [${runsOf(floor)}]`,
    `  pypi-reserve reserve: ${versus(tool.ms, floor.ms, 1.3)}  [${runsOf(tool)}; exit ${tool.code}; median of each run over the floor run after it: ${pairedMedian(toolRuns, floorRuns).toFixed(2)}×]`,
  ];
  if (floorHashes !== toolHashes) lines.push('  WARNING: the floor uploaded other bytes than pypi-reserve; the comparison is off');
  lines.push(`  ${await twineLine(dir, uploads.map((u) => u.sdist), fresh, runs, floor.ms)}`);
  lines.push(`  ${otherServersLine()}`);
  return lines;
}

/** The median of run i's time over floor run i's, pair by pair: what a load that changed between runs does to both. */
function pairedMedian(tool: readonly Timed[], floor: readonly Timed[]): number {
  const ratios = tool.map((t, i) => t.ms / floor[i]!.ms).sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  return ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

/** The fastest of some timed runs, with all their times. */
function best(all: Timed[]): Timed & { all: number[] } {
  return { ...all.reduce((a, b) => (b.ms < a.ms ? b : a)), all: all.map((t) => t.ms) };
}

/** Issue 12 asks for the ratio on a server that is not ours too, where one is installed. */
function otherServersLine(): string {
  const found = ['pypi-server', 'devpi-server'].filter((command) => {
    try {
      execFileSync(command, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  return found.length === 0
    ? 'pypiserver, devpi: not installed, so no ratio on a server that is not ours (neither has a Debian package, and the reference machine has no PyPI access)'
    : `${found.join(', ')} installed, but this bench drives only the stand-in: time reserve against it by hand as issue 12 did`;
}

async function twineLine(dir: string, sdists: ReturnType<typeof buildSdist>[], fresh: () => Promise<Warehouse>, runs: number, floorMs: number): Promise<string> {
  try {
    execFileSync('twine', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'twine: not installed (skipped)';
  }
  const files = join(dir, 'twine-files');
  mkdirSync(files, { recursive: true });
  for (const s of sdists) writeFileSync(join(files, s.filename), s.bytes);
  const paths = sdists.map((s) => join(files, s.filename));
  const twine = await bestOf(runs, async () => {
    const wh = await fresh();
    try {
      return await timeCommand('twine', ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', wh.uploadUrl, '-u', '__token__', '-p', TOKEN, ...paths], { cwd: dir });
    } finally {
      await wh.close();
    }
  });
  return `twine upload of the same 50 files (uploads only, for comparison): ${versus(twine.ms, floorMs)}  [${runsOf(twine)}; exit ${twine.code}]`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-bench-'));
  try {
    const only = process.argv[3];
    if (only !== 'reserve') for (const line of await benchCheck(dir, runs)) console.log(line);
    if (only !== 'check') for (const line of await benchReserve(dir, runs)) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
