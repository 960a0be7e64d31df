/**
 * Benchmark of the deflate alone: 1,000 placeholder tars gzipped by our own
 * deflate (core/gzip.ts, guided by the stand-in's parse) as WebAssembly and as
 * TypeScript, and by fflate at level 4 (the compression of earlier versions,
 * core/legacy-sdist.ts), in CPU time: the first 50 and the first 1,000 in a
 * fresh process (what `reserve` and `build` pay, code not yet optimized by V8)
 * and warm, with the average archive size. Each side runs in its own process,
 * with the V8 flags the CLI sets for `reserve` (cli/v8-flags.ts), alternating,
 * median of the runs. Prints figures and ratios; asserts nothing.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/deflate.js [runs]`
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { placeholderTar } from '../src/core/sdist.js';
import { placeholderMetadata, type PlaceholderOptions } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';
import { gzip, gzipReference, gzipWithTypeScript } from '../src/core/gzip.js';
import { INDEX_COMMAND_INTERRUPT_BUDGET } from '../src/cli/v8-flags.js';

const OPTIONS: PlaceholderOptions = { owner: 'Example Corp', contact: 'security@example.com', version: '0.0.0' };
const COUNT = 1000;
const WARM_PASSES = 4;
const FIRST = 50;
const SIDES = ['fflate', 'typescript', 'wasm'] as const;
type Side = (typeof SIDES)[number];
/** What the CLI sets for `reserve` on Node 20 (V8 11), in the order it does. */
const RESERVE_FLAGS = ['--liftoff-only', `--wasm-tiering-budget=${2 ** 31 - 1}`, `--interrupt-budget=${INDEX_COMMAND_INTERRUPT_BUDGET}`, '--no-wasm-lazy-compilation'];

interface SideRun {
  /** CPU of the first FIRST archives in the process, the module and the reference included. */
  firstMs: number;
  coldMs: number;
  warmMs: number;
  averageBytes: number;
}

function tarOf(name: string): Uint8Array {
  const meta = placeholderMetadata({ name, normalized: normalizeName(name), source: 'bench' }, OPTIONS);
  return placeholderTar(meta);
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** In a fresh process: the tars are made first (not timed), then gzipped pass after pass. */
async function runSide(side: Side): Promise<SideRun> {
  const tars = Array.from({ length: COUNT }, (_, i) => tarOf(`acme-internal-${['api', 'utils', 'Data_Pipeline', 'auth.client'][i % 4]}-${i}`));
  const standIn = tarOf('x');
  const fflate = side === 'fflate' ? await import('fflate') : undefined;
  const passes: number[] = [];
  let bytes = 0;
  const compress = side === 'wasm' ? gzip : gzipWithTypeScript;
  let firstMs = 0;
  for (let pass = 0; pass <= WARM_PASSES; pass++) {
    const start = cpuMs();
    bytes = 0;
    // The reference counts: every process that builds placeholders makes one.
    const reference = fflate ? undefined : gzipReference(standIn);
    for (const [i, tar] of tars.entries()) {
      bytes += fflate ? fflate.gzipSync(tar, { level: 4, mtime: 0 }).length : compress(tar, reference).length;
      if (pass === 0 && i === FIRST - 1) firstMs = cpuMs() - start;
    }
    passes.push(cpuMs() - start);
  }
  return { firstMs, coldMs: passes[0]!, warmMs: Math.min(...passes.slice(1)), averageBytes: bytes / COUNT };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchDeflate(runs = 5): Record<Side, SideRun> {
  const script = fileURLToPath(import.meta.url);
  const results: Record<Side, SideRun[]> = { fflate: [], typescript: [], wasm: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of SIDES) {
      const child = spawnSync(process.execPath, [...RESERVE_FLAGS, script, '--side', side], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`bench: ${side} exited ${child.status}:\n${child.stderr}`);
      results[side].push(JSON.parse(child.stdout) as SideRun);
    }
  }
  const summary = (side: Side): SideRun => ({
    firstMs: median(results[side].map((r) => r.firstMs)),
    coldMs: median(results[side].map((r) => r.coldMs)),
    warmMs: median(results[side].map((r) => r.warmMs)),
    averageBytes: results[side][0]!.averageBytes,
  });
  return { fflate: summary('fflate'), typescript: summary('typescript'), wasm: summary('wasm') };
}

export function formatDeflateBench(f: Record<Side, SideRun>, runs: number): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const line = (label: string, r: SideRun) =>
    `  ${label}: first ${FIRST} in a process ${ms(r.firstMs)}, first ${COUNT} ${ms(r.coldMs)}, warm ${ms(r.warmMs)} (CPU), ${r.averageBytes.toFixed(0)} bytes an archive`;
  const faster = (floor: number, ours: number) => `${(floor / ours).toFixed(2)}×`;
  return [
    `deflate: ${COUNT} placeholder tars gzipped (CPU time, median of ${runs} runs in fresh processes with reserve's V8 flags)`,
    line('fflate level 4 (earlier versions)', f.fflate),
    line('ours, TypeScript                 ', f.typescript),
    line('ours, WebAssembly                ', f.wasm),
    `  ours against fflate: first ${COUNT} ${faster(f.fflate.coldMs, f.wasm.coldMs)} faster (TypeScript ${faster(f.fflate.coldMs, f.typescript.coldMs)}), warm ${faster(f.fflate.warmMs, f.wasm.warmMs)} (TypeScript ${faster(f.fflate.warmMs, f.typescript.warmMs)}), archives ${(((f.wasm.averageBytes - f.fflate.averageBytes) / f.fflate.averageBytes) * 100).toFixed(1)}% larger`,
    `  WebAssembly against TypeScript: first ${FIRST} ${faster(f.typescript.firstMs, f.wasm.firstMs)} faster, first ${COUNT} ${faster(f.typescript.coldMs, f.wasm.coldMs)}, warm ${faster(f.typescript.warmMs, f.wasm.warmMs)}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sideAt = process.argv.indexOf('--side');
  if (sideAt > 0) process.stdout.write(JSON.stringify(await runSide(process.argv[sideAt + 1] as Side)));
  else {
    const runs = Number(process.argv[2] ?? 5);
    process.stdout.write(`${formatDeflateBench(benchDeflate(runs), runs)}\n`);
  }
}
