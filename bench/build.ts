/**
 * Benchmark of `build`: 1,000 placeholder sdists.
 *
 * 1. In one process through the library API (`buildPlaceholders`, which plans,
 *    builds in memory and writes to a directory like the command does).
 * 2. Through the real CLI, `node dist/pypi-reserve.mjs build -f names.txt ...`,
 *    timed from spawn to exit so Node's start-up and module loading count.
 * 3. A floor: a bare Node process writing the same number of files of a
 *    placeholder's size the way build does (temporary file, then rename, with
 *    synchronous calls), so what start-up and the file system cost alone on
 *    this machine is known; and the same through fs/promises with 16 files in
 *    flight, the way build wrote before, for comparison.
 *
 * Target on the 2-core reference machine (issue 12): 1,000 sdists in under
 * 0.5 s of wall time including start-up, peak RSS under 120 MB. Wall time is
 * the best of the CLI runs; CPU time (user + system) is printed too, since it
 * is less disturbed by other load on a shared machine, and system time shows
 * what the file system took. Prints figures; asserts nothing.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/build.js [count]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildPlaceholders } from '../src/ops/build.js';
import { normalizeName } from '../src/core/names.js';
import type { PlaceholderOptions } from '../src/core/metadata.js';
import { CLI } from './support.js';

/** Milliseconds from process start until this module's imports were done. */
const importedAt = performance.now();

const OPTIONS: PlaceholderOptions = {
  owner: 'Example Corp',
  contact: 'security@example.com',
  url: 'https://example.com/security',
  note: 'Internal packages are on https://pypi.example.com/simple/.',
  version: '0.0.0',
};

export interface BuildBenchFigures {
  count: number;
  /** cpuMs (user + system) is less disturbed than wall time by other load on the machine. */
  library: { ms: number; cpuMs: number; perSecond: number; importMs: number; maxRssMb: number };
  cli: { runs: CliRun[]; bestMs: number; bestCpuMs: number; maxRssMb: number; perSecond: number };
  floor: { runs: CliRun[]; bestMs: number; bestCpuMs: number };
  floorAsync: { runs: CliRun[]; bestMs: number; bestCpuMs: number };
}

interface CliRun {
  ms: number;
  cpuMs: number;
  systemMs: number;
  maxRssMb: number;
}

/** The floor's bytes per file: about a placeholder's size. */
const FLOOR_FILE_BYTES = 1600;

function names(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `acme-internal-${['api', 'utils', 'Data_Pipeline', 'auth.client'][i % 4]}-${i}`);
}

async function libraryRun(count: number): Promise<BuildBenchFigures['library']> {
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-bench-lib-'));
  try {
    const list = names(count).map((name, i) => ({ name, normalized: normalizeName(name), source: `bench:${i + 1}` }));
    const start = performance.now();
    const cpu = process.cpuUsage();
    const results = await buildPlaceholders({ names: list, options: OPTIONS, outDir: dir });
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (results.length !== count || readdirSync(dir).length !== count) throw new Error('bench: not every sdist was written');
    return { ms, cpuMs: (used.user + used.system) / 1000, perSecond: (count / ms) * 1000, importMs: importedAt, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One run of `node <args>` in a fresh output directory. Its peak RSS and CPU
 * time come from a preloaded module that prints `process.resourceUsage()` as
 * the child exits (Node has no RUSAGE_CHILDREN).
 */
function timedRun(args: (out: string) => string[], preload: string, work: string): Promise<CliRun> {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, ...args(out)], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      rmSync(out, { recursive: true, force: true });
      const usage = /^bench-usage (\d+) (\d+) (\d+)$/m.exec(stderr);
      if (code !== 0 || !usage) return reject(new Error(`bench: ${args(out).join(' ')} exited ${code}:\n${stderr}`));
      const [maxRss, user, system] = usage.slice(1).map(Number) as [number, number, number];
      resolve({ ms, cpuMs: (user + system) / 1000, systemMs: system / 1000, maxRssMb: maxRss / 1024 });
    });
  });
}

/** The floor: Node writing `count` files atomically (temporary file, then rename), nothing else. */
const FLOOR_SCRIPT = `
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
const [out, count] = [process.argv[2], Number(process.argv[3])];
mkdirSync(out, { recursive: true });
const bytes = new Uint8Array(${FLOOR_FILE_BYTES}).fill(42);
for (let i = 0; i < count; i++) {
  writeFileSync(\`\${out}/.tmp-\${i}\`, bytes, { flag: 'wx' });
  renameSync(\`\${out}/.tmp-\${i}\`, \`\${out}/file-\${i}.tar.gz\`);
}
`;

/** The same writes through the thread pool: fs/promises, 16 files in flight. */
const FLOOR_ASYNC_SCRIPT = `
import { mkdir, rename, writeFile } from 'node:fs/promises';
const [out, count] = [process.argv[2], Number(process.argv[3])];
await mkdir(out, { recursive: true });
const bytes = new Uint8Array(${FLOOR_FILE_BYTES}).fill(42);
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  for (let i = next++; i < count; i = next++) {
    await writeFile(\`\${out}/.tmp-\${i}\`, bytes, { flag: 'wx' });
    await rename(\`\${out}/.tmp-\${i}\`, \`\${out}/file-\${i}.tar.gz\`);
  }
}));
`;

const best = (runs: CliRun[]) => ({ runs, bestMs: Math.min(...runs.map((r) => r.ms)), bestCpuMs: Math.min(...runs.map((r) => r.cpuMs)) });

export async function benchBuild(count = 1000, cliRuns = 5): Promise<BuildBenchFigures> {
  const library = await libraryRun(count);
  const work = mkdtempSync(join(tmpdir(), 'pypi-reserve-bench-cli-'));
  try {
    const namesFile = join(work, 'names.txt');
    writeFileSync(namesFile, `${names(count).join('\n')}\n`);
    const preload = join(work, 'usage.mjs');
    writeFileSync(
      preload,
      "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`bench-usage ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\\n`); });\n",
    );
    const floorScript = join(work, 'floor.mjs');
    writeFileSync(floorScript, FLOOR_SCRIPT);
    const floorAsyncScript = join(work, 'floor-async.mjs');
    writeFileSync(floorAsyncScript, FLOOR_ASYNC_SCRIPT);
    const runs: CliRun[] = [];
    const floorRuns: CliRun[] = [];
    const floorAsyncRuns: CliRun[] = [];
    // Alternated, so all meet the same load on the machine.
    for (let i = 0; i < cliRuns; i++) {
      runs.push(await timedRun((out) => [CLI, 'build', '-f', namesFile, '--owner', OPTIONS.owner, '-o', out], preload, work));
      floorRuns.push(await timedRun((out) => [floorScript, out, String(count)], preload, work));
      floorAsyncRuns.push(await timedRun((out) => [floorAsyncScript, out, String(count)], preload, work));
    }
    const cli = best(runs);
    return {
      count,
      library,
      cli: { ...cli, maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)), perSecond: (count / cli.bestMs) * 1000 },
      floor: best(floorRuns),
      floorAsync: best(floorAsyncRuns),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatBuildBench(f: BuildBenchFigures): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const mb = (n: number) => `${n.toFixed(1)} MB`;
  const run = (r: CliRun) => `${ms(r.ms)} wall/${ms(r.cpuMs)} CPU (${ms(r.systemMs)} system)`;
  return [
    `build: ${f.count} placeholder sdists (target: < 500 ms wall including start-up, peak RSS < 120 MB; best of ${f.cli.runs.length})`,
    `  library (buildPlaceholders, one process): ${ms(f.library.ms)} wall, ${ms(f.library.cpuMs)} CPU  ${f.library.perSecond.toFixed(0)} sdists/s  peak RSS ${mb(f.library.maxRssMb)}  (module load ${ms(f.library.importMs)} after process start)`,
    `  CLI (spawn to exit): ${f.cli.runs.map(run).join(', ')}`,
    `    best ${ms(f.cli.bestMs)} wall, ${ms(f.cli.bestCpuMs)} CPU  ${f.cli.perSecond.toFixed(0)} sdists/s  peak RSS ${mb(f.cli.maxRssMb)}`,
    `  floor (node writing ${f.count} files of ${FLOOR_FILE_BYTES} bytes, temporary file then rename): ${f.floor.runs.map(run).join(', ')}`,
    `    best ${ms(f.floor.bestMs)} wall, ${ms(f.floor.bestCpuMs)} CPU; CLI over floor: +${ms(f.cli.bestMs - f.floor.bestMs)} wall (${(f.cli.bestMs / f.floor.bestMs).toFixed(2)}×), +${ms(f.cli.bestCpuMs - f.floor.bestCpuMs)} CPU`,
    `  the same writes through fs/promises, 16 in flight: ${f.floorAsync.runs.map(run).join(', ')}`,
    `    best ${ms(f.floorAsync.bestMs)} wall, ${ms(f.floorAsync.bestCpuMs)} CPU (${(f.floorAsync.bestCpuMs / f.floor.bestCpuMs).toFixed(2)}× the synchronous floor's CPU)`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 1000);
  process.stdout.write(`${formatBuildBench(await benchBuild(count))}\n`);
}
