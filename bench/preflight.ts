/**
 * Similarity preflight benchmark: 1,000 requested names against a synthetic
 * 700,000-project `/simple/` served from 127.0.0.1.
 *
 *   node dist/bench/preflight.js [projectCount]
 *
 * For each listing variant (JSON, gzip-encoded JSON, HTML) it runs, each in a
 * fresh child process so peak RSS is per run:
 *   cold    – empty cache: download, parse, match, write the cache;
 *   warm    – cache present, the server answers 304;
 *   offline – cache present, the server unreachable.
 * Prints wall time (process start to exit), the time inside the operation and
 * peak RSS. No assertions: compare with the targets (cold < 3 s, < 400 MB; warm < 1 s).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { normalizeName } from '../src/core/names.js';
import { findSimilar, loadProjectList } from '../src/ops/preflight.js';

const REQUESTED = 1000;

/** Deterministic PyPI-like names: 1–3 syllables joined by '-', '_', '.' or nothing, a serial, some capitalised. */
function syntheticNames(count: number): string[] {
  const syllables = ['py', 'lib', 'data', 'flask', 'django', 'tool', 'kit', 'core', 'net', 'io', 'ml', 'json', 'yaml', 'web', 'api', 'cli', 'test', 'util', 'async', 'log', 'conf', 'ai', 'opt', 'cloud'];
  const separators = ['-', '_', '.', ''];
  let seed = 12345;
  const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % n);
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const parts = 1 + random(3);
    let name = '';
    for (let j = 0; j < parts; j++) name += (j ? separators[random(4)]! : '') + syllables[random(syllables.length)]!;
    name += String(i);
    names.push(random(10) === 0 ? name[0]!.toUpperCase() + name.slice(1) : name);
  }
  return names;
}

/** Half collide with a listed project under another spelling, half are new. */
function requestedNames(projects: string[]): { name: string; normalized: string }[] {
  const out: { name: string; normalized: string }[] = [];
  for (let i = 0; i < REQUESTED; i++) {
    const name =
      i % 2 === 0
        ? (projects[(i * 7919) % projects.length] ?? 'x').replace(/[-_.]/g, '').replace(/o/g, '0') + (i % 4 === 0 ? '' : '-x')
        : `acme-private-${i}`;
    out.push({ name, normalized: normalizeName(name) });
  }
  return out;
}

interface RunResult {
  wallMs: number;
  opMs: number;
  matchMs: number;
  maxRssMb: number;
  projects: number;
  similar: number;
  fromCache: boolean;
}

async function child(url: string, cacheDir: string): Promise<void> {
  const t0 = performance.now();
  const list = await loadProjectList(url, { cacheDir, retry: { sleep: async () => undefined, policy: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } });
  const t1 = performance.now();
  const similar = findSimilar(requestedNames(list.projects), list.projects);
  const t2 = performance.now();
  const result = {
    opMs: t2 - t0,
    matchMs: t2 - t1,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    projects: list.projects.length,
    similar: similar.size,
    fromCache: list.fromCache,
  };
  process.stdout.write(JSON.stringify(result));
}

function runChild(url: string, cacheDir: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', url, cacheDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}`));
      resolve({ wallMs: performance.now() - started, ...(JSON.parse(out) as Omit<RunResult, 'wallMs'>) });
    });
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 700_000);
  const names = syntheticNames(count);
  const json = Buffer.from(
    JSON.stringify({
      meta: { '_last-serial': 1, 'api-version': '1.4' },
      projects: names.map((name, i) => ({ '_last-serial': i, name })),
    }),
  );
  const html = Buffer.from(
    `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.4">\n    <title>Simple index</title>\n  </head>\n  <body>\n${names
      // Relative, so every entry sits under the listing (/html/simple/), as index sanity requires of a non-PyPI index.
      .map((n) => `    <a href="${normalizeName(n)}/">${n}</a>`)
      .join('\n')}\n  </body>\n</html>\n`,
  );
  const gzipped = gzipSync(json);
  const variants: Record<string, { body: Buffer; type: string; encoding?: string }> = {
    json: { body: json, type: 'application/vnd.pypi.simple.v1+json' },
    'json+gzip': { body: gzipped, type: 'application/vnd.pypi.simple.v1+json', encoding: 'gzip' },
    html: { body: html, type: 'text/html' },
  };
  const server = http.createServer((req, res) => {
    const variant = variants[(req.url ?? '').split('/')[1] ?? ''];
    if (!variant) return void res.writeHead(404).end();
    const etag = `"${variant.body.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { etag, 'content-type': variant.type, ...(variant.encoding ? { 'content-encoding': variant.encoding } : {}) });
    res.end(variant.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  console.log(`${count} projects; ${REQUESTED} requested names; node ${process.version}; ${os.cpus().length} CPUs`);
  console.log(`bodies: json ${mb(json.length)} MB, json+gzip ${mb(gzipped.length)} MB, html ${mb(html.length)} MB`);
  console.log('variant    run      wall ms   op ms  match ms  peak RSS MB  similar  from cache');
  for (const name of Object.keys(variants)) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pypi-reserve-bench-'));
    try {
      const url = `http://127.0.0.1:${port}/${name}/simple/`;
      const runs: [string, string][] = [
        ['cold', url],
        ['warm', url],
        ['offline', url.replace(String(port), String(deadPort))],
      ];
      for (const [run, runUrl] of runs) {
        // The offline run needs the cache file of the live URL: copy it under the dead URL's key.
        if (run === 'offline') await primeOfflineCache(cacheDir, url, runUrl);
        const r = await runChild(runUrl, cacheDir);
        console.log(
          `${name.padEnd(10)} ${run.padEnd(8)} ${r.wallMs.toFixed(0).padStart(7)} ${r.opMs.toFixed(0).padStart(7)} ${r.matchMs
            .toFixed(0)
            .padStart(9)} ${r.maxRssMb.toFixed(0).padStart(12)} ${String(r.similar).padStart(8)}  ${r.fromCache}`,
        );
      }
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function primeOfflineCache(cacheDir: string, liveUrl: string, deadUrl: string): Promise<void> {
  const { readProjectListCache, writeProjectListCache } = await import('../src/registry/project-list-cache.js');
  const read = await readProjectListCache(cacheDir, liveUrl);
  if (read.status !== 'found') throw new Error('no cache after the cold run');
  await writeProjectListCache(cacheDir, { ...read.list, indexUrl: deadUrl });
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '', process.argv[4] ?? '');
} else {
  await main();
}
