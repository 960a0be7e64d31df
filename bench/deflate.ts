/**
 * Benchmark of the deflate alone: 1,000 placeholder tars gzipped by our own
 * deflate (core/gzip.ts, guided by the stand-in's parse) and by fflate at
 * level 4 (the compression of earlier versions, core/legacy-sdist.ts), in CPU
 * time: the first 1,000 in a fresh process (what a CLI run pays, code not yet
 * optimized by V8) and warm, with the average archive size. Each side runs in
 * its own process, alternating, median of the runs. Prints figures and ratios;
 * asserts nothing.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/deflate.js [runs]`
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { placeholderTar } from '../src/core/sdist.js';
import { placeholderMetadata, type PlaceholderOptions } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';
import { gzip, gzipReference } from '../src/core/gzip.js';

const OPTIONS: PlaceholderOptions = { owner: 'Example Corp', contact: 'security@example.com', version: '0.0.0' };
const COUNT = 1000;
const WARM_PASSES = 4;
type Side = 'ours' | 'fflate';

interface SideRun {
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
  for (let pass = 0; pass <= WARM_PASSES; pass++) {
    const start = cpuMs();
    bytes = 0;
    if (fflate) for (const tar of tars) bytes += fflate.gzipSync(tar, { level: 4, mtime: 0 }).length;
    else {
      // The reference counts: every process that builds placeholders makes one.
      const reference = gzipReference(standIn);
      for (const tar of tars) bytes += gzip(tar, reference).length;
    }
    passes.push(cpuMs() - start);
  }
  return { coldMs: passes[0]!, warmMs: Math.min(...passes.slice(1)), averageBytes: bytes / COUNT };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchDeflate(runs = 5): Record<Side, SideRun> {
  const script = fileURLToPath(import.meta.url);
  const results: Record<Side, SideRun[]> = { ours: [], fflate: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of ['fflate', 'ours'] as const) {
      const child = spawnSync(process.execPath, [script, '--side', side], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`bench: ${side} exited ${child.status}:\n${child.stderr}`);
      results[side].push(JSON.parse(child.stdout) as SideRun);
    }
  }
  const summary = (side: Side): SideRun => ({
    coldMs: median(results[side].map((r) => r.coldMs)),
    warmMs: median(results[side].map((r) => r.warmMs)),
    averageBytes: results[side][0]!.averageBytes,
  });
  return { ours: summary('ours'), fflate: summary('fflate') };
}

export function formatDeflateBench(f: Record<Side, SideRun>, runs: number): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const line = (label: string, r: SideRun) => `  ${label}: first ${COUNT} in a process ${ms(r.coldMs)} CPU, warm ${ms(r.warmMs)} CPU, ${r.averageBytes.toFixed(0)} bytes an archive`;
  return [
    `deflate: ${COUNT} placeholder tars gzipped (CPU time, median of ${runs} runs in fresh processes)`,
    line('fflate level 4 (earlier versions)', f.fflate),
    line('ours (guided by the stand-in)   ', f.ours),
    `  ratio: first ${COUNT} ${(f.fflate.coldMs / f.ours.coldMs).toFixed(2)}× faster, warm ${(f.fflate.warmMs / f.ours.warmMs).toFixed(2)}× faster, archives ${(((f.ours.averageBytes - f.fflate.averageBytes) / f.fflate.averageBytes) * 100).toFixed(1)}% larger`,
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
