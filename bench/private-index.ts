/**
 * Private-index names source benchmark: a synthetic private index of 50,000
 * projects served from 127.0.0.1 (PEP 691 JSON and PEP 503 HTML variants),
 * read through the real fetch + parse path, then planned together with a
 * 50,000-line names file (half of it repeats index projects under another
 * spelling): gather, include/exclude, de-duplication.
 *
 *   node dist/bench/private-index.js [projectCount]
 *
 * Each variant runs in a fresh child process so peak RSS is its own. Prints
 * wall time (process start to exit), the time inside gatherNames, and peak RSS
 * (process.resourceUsage().maxRSS, KiB). No assertions: compare with the
 * targets (< 2 s, < 200 MB).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatherNames } from '../src/sources/gather.js';

const USER = 'bench';
const SECRET = 'bench-secret';

function projectName(i: number): string {
  // Mostly private-looking names, some legacy ones to exclude, a few public-looking ones to leave out.
  if (i % 50 === 0) return `public_tool.${i}`;
  if (i % 20 === 0) return `Acme-Legacy-${i}`;
  return `acme-${['core', 'data', 'ml', 'web', 'cli'][i % 5]}_${i}`;
}

async function child(url: string, namesFile: string): Promise<void> {
  const t0 = performance.now();
  const result = await gatherNames(
    {
      positional: [],
      namesFiles: [namesFile],
      requirements: [],
      pyproject: [],
      fromIndex: [url],
      indexCredentialsEnv: 'BENCH_INDEX_AUTH',
      include: ['acme-*', 'acme'],
      exclude: ['acme-legacy-*'],
    },
    { cwd: path.dirname(namesFile), env: { BENCH_INDEX_AUTH: `${USER}:${SECRET}` }, readStdin: async () => '' },
    { duplicates: 'merge' },
  );
  const t1 = performance.now();
  process.stdout.write(
    JSON.stringify({
      gatherMs: t1 - t0,
      maxRssKiB: process.resourceUsage().maxRSS,
      chosen: result.names.length,
      merged: result.merged.length,
      filteredOut: result.filteredOut.length,
    }),
  );
}

async function parent(count: number): Promise<void> {
  const projects = Array.from({ length: count }, (_, i) => projectName(i));
  const json = JSON.stringify({ meta: { 'api-version': '1.1' }, projects: projects.map((name) => ({ name })) });
  const html = `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.1"><title>Simple index</title></head><body>\n${projects
    // Relative, so every entry sits under the listing, as index sanity requires of a non-PyPI index.
    .map((p) => `<a href="${p.toLowerCase()}/">${p}</a><br/>`)
    .join('\n')}\n</body></html>\n`;
  const expected = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end();
      return;
    }
    const body = req.url?.startsWith('/json/') ? json : html;
    res.writeHead(200, { 'content-type': req.url?.startsWith('/json/') ? 'application/vnd.pypi.simple.v1+json' : 'text/html' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pypi-reserve-bench-'));
  const namesFile = path.join(dir, 'names.txt');
  // 50,000 lines: every other one repeats an index project in another spelling.
  const lines = projects.map((p, i) => (i % 2 === 0 ? p.toUpperCase().replace(/-/g, '_') : `acme-extra-${i}`));
  fs.writeFileSync(namesFile, `${lines.join('\n')}\n`);

  process.stdout.write(`private index: ${count} projects (JSON ${(json.length / 1e6).toFixed(1)} MB, HTML ${(html.length / 1e6).toFixed(1)} MB) + names file ${lines.length} lines\n`);
  for (const variant of ['json', 'html']) {
    const url = `http://127.0.0.1:${port}/${variant}/repository/pypi-internal/simple/`;
    const start = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', url, namesFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      proc.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      proc.on('error', reject);
      proc.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`child exited ${code}`))));
    });
    const wallMs = performance.now() - start;
    const r = JSON.parse(out) as { gatherMs: number; maxRssKiB: number; chosen: number; merged: number; filteredOut: number };
    process.stdout.write(
      `${variant.padEnd(4)}  wall ${wallMs.toFixed(0).padStart(5)} ms  gather ${r.gatherMs.toFixed(0).padStart(5)} ms  ` +
        `peak RSS ${r.maxRssKiB} KiB (${(r.maxRssKiB / 1024).toFixed(0)} MB)  chosen ${r.chosen}, merged ${r.merged}, filtered out ${r.filteredOut}\n`,
    );
  }
  process.stdout.write('targets: < 2000 ms, < 200 MB\n');
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string);
} else {
  await parent(Number(process.argv[2] ?? 50_000));
}
