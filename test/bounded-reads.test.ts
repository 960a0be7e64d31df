/**
 * No server can hang, exhaust or stall a run (issue 9 items 5–6, 12): every
 * read has a size cap and an overall deadline, a gzip bomb ends at the cap
 * counted after decompression, a 429 makes the whole run wait once instead of
 * each name asking again, and Ctrl-C ends a slow check at once. Each spec runs
 * against a misbehaving loopback server; none asserts a duration.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getText } from '../src/registry/read.js';
import { HttpError, ReadGate, withReadRetries } from '../src/registry/http.js';
import { fetchProjectList, ProjectListFetchError } from '../src/registry/project-list.js';
import { sendUpload } from '../src/registry/upload.js';
import { projectListCachePath } from '../src/registry/project-list-cache.js';
import { baseEnv, CLI_PATH, runCli } from './support/cli.js';
import { endlessBody, listingPage, noAnswer, startLoopback, tricklingBody, type LoopbackServer } from './support/loopback-server.js';

const META = ['--owner', 'Acme Security', '--contact', 'security@acme.example'];
const isHttpError = (code: string) => (err: unknown) => err instanceof HttpError && err.code === code;

/** Each run's project-list cache: a directory of its own, all under one removed when the tests end. */
const CACHES = mkdtempSync(join(tmpdir(), 'bounds-cache-'));
process.on('exit', () => {
  try {
    rmSync(CACHES, { recursive: true, force: true });
  } catch {
    // Left for the system's temporary-file cleaning: an exit handler must not throw.
  }
});

function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return baseEnv({ PYPI_RESERVE_CACHE_DIR: mkdtempSync(join(CACHES, 'run-')), PYPI_RESERVE_BACKOFF_SCALE: '0', ...extra });
}

describe('a read ends with a clear error whatever the server sends', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({
      '/simple/': listingPage([]),
      '/simple/endless/': endlessBody,
      '/simple/trickle/': tricklingBody(100),
      '/simple/hostile/': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${'<a href="'.repeat(50_000)}</body></html>`),
      '/bomb/': (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '))),
      '/legacy/': endlessBody,
      '/simple/big-headers/': (_req, res) => res.writeHead(404, { 'content-type': 'text/plain', 'x-padding': 'a'.repeat(20 * 1024) }).end('not found'),
      '/bigroot/simple/': (_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'x-padding': 'a'.repeat(20 * 1024) }).end('<!DOCTYPE html><html><body></body></html>'),
    });
  });
  after(() => server.close());

  it('stops reading an endless body at the cap', async () => {
    await assert.rejects(getText(`${server.origin}/simple/endless/`, 'text/html', undefined, { maxBytes: 1024 * 1024 }), isHttpError('ETOOLARGE'));
  });

  it('ends a body trickling one byte at a time at the overall deadline, though no gap is long', async () => {
    await assert.rejects(getText(`${server.origin}/simple/trickle/`, 'text/html', undefined, { deadlineMs: 1_000 }), (err: unknown) => {
      assert.ok(isHttpError('ETIMEOUT')(err));
      assert.match((err as Error).message, /no complete answer within 1 s/);
      return true;
    });
  });

  it('ends a gzip bomb at the listing cap, counted after decompression', async () => {
    await assert.rejects(fetchProjectList(`${server.origin}/bomb/`, { maxBytes: 1024 * 1024 }), (err: unknown) => {
      assert.ok(err instanceof ProjectListFetchError);
      assert.equal(err.code, 'E_PROJECT_LIST_TOO_LARGE');
      assert.match(err.message, /once decompressed \(gzip\)/);
      return true;
    });
  });

  it('ends a read at once when the interrupt comes while the read is still starting (before undici is at hand)', async () => {
    const stalled = await startLoopback({ '/simple/': noAnswer });
    try {
      const interrupt = new AbortController();
      const reading = getText(`${stalled.origin}/simple/`, 'text/html', undefined, { signal: interrupt.signal, deadlineMs: 5_000 });
      interrupt.abort();
      await assert.rejects(reading, isHttpError('EINTERRUPTED'));
    } finally {
      await stalled.close();
    }
  });

  it('stops reading an endless upload answer at its cap, and keeps its status line', async () => {
    const form = { fields: [{ name: ':action', value: 'file_upload' }], file: { name: 'content' as const, filename: 'x-1.tar.gz', contentType: 'application/octet-stream' as const, bytes: new Uint8Array(1) } };
    const answer = await sendUpload(`${server.origin}/legacy/`, form, { username: '__token__', token: 'not-a-token', source: 'test' }, undefined);
    assert.deepEqual([answer.status, answer.body], [200, '']);
    assert.match(answer.unread ?? '', /larger than 1 MiB/);
  });

  it('reserve: an upload answered 200 with an endless body is judged by its status, and sent once', async () => {
    const before = server.requests.filter((r) => r.method === 'POST').length;
    const result = await runCli(
      ['reserve', 'acme-endless-answer', ...META, '--no-preflight', '--json', '--index-url', `${server.origin}/simple/`, '--repository-url', `${server.origin}/legacy/`],
      { env: cliEnv({ PYPI_TOKEN: 'pypi-not-a-real-token-but-long-enough' }) },
    );
    const posts = server.requests.filter((r) => r.method === 'POST').length - before;
    assert.equal(posts, 1, result.stderr);
    const [outcome] = (JSON.parse(result.stdout) as { results: { status: string }[] }).results;
    assert.equal(outcome?.status, 'uploaded', result.stderr);
  });

  it('check: an endless project page makes that name unknown, naming the cap; the run ends', async () => {
    const result = await runCli(['check', 'endless', ...META, '--index-url', `${server.origin}/simple/`, '--no-preflight', '--json'], { env: cliEnv() });
    assert.equal(result.code, 1, result.stderr);
    const [outcome] = (JSON.parse(result.stdout) as { results: { status: string; detail: string }[] }).results;
    assert.equal(outcome?.status, 'unknown');
    assert.match(outcome?.detail ?? '', /larger than 32 MiB/);
  });

  it('check: an answer with more than 16 KiB of headers makes that name unknown, naming the headers, and is not asked again', async () => {
    const before = server.requests.filter((r) => r.path === '/simple/big-headers/').length;
    const result = await runCli(['check', 'big-headers', ...META, '--index-url', `${server.origin}/simple/`, '--no-preflight', '--json'], { env: cliEnv() });
    assert.equal(result.code, 1, result.stderr);
    const [outcome] = (JSON.parse(result.stdout) as { results: { status: string; detail: string }[] }).results;
    assert.equal(outcome?.status, 'unknown');
    assert.match(outcome?.detail ?? '', /the answer's headers are larger than this client accepts/);
    assert.equal(server.requests.filter((r) => r.path === '/simple/big-headers/').length - before, 1);
  });

  it('the preflight and --from-index: a listing with more than 16 KiB of headers is refused, naming the headers, and asked for once', async () => {
    const asked = () => server.requests.filter((r) => r.path === '/bigroot/simple/').length;
    let before = asked();
    const preflight = await runCli(['check', 'acme-x', ...META, '--index-url', `${server.origin}/bigroot/simple/`, '--json'], { env: cliEnv() });
    assert.equal(preflight.code, 2, preflight.stderr);
    assert.match(preflight.stderr, /bigroot\/simple\/ answered with headers larger than this client accepts/);
    assert.equal(asked() - before, 1);
    before = asked();
    const fromIndex = await runCli(['check', '--from-index', `${server.origin}/bigroot/simple/`, ...META, '--no-preflight', '--index-url', `${server.origin}/simple/`], { env: cliEnv() });
    assert.equal(fromIndex.code, 2, fromIndex.stderr);
    assert.match(fromIndex.stderr, /headers larger than this client accepts/);
    assert.equal(asked() - before, 1);
  });

  it('the preflight: a pipe where the listing cache should be is not waited on, but set aside and replaced by the listing', { skip: process.platform === 'win32' }, async () => {
    const cacheDir = mkdtempSync(join(CACHES, 'fifo-'));
    const cacheFile = projectListCachePath(cacheDir, `${server.origin}/simple/`);
    execFileSync('mkfifo', [cacheFile]);
    const run = await runCli(['check', 'acme-x', ...META, '--index-url', `${server.origin}/simple/`, '--json'], { env: cliEnv({ PYPI_RESERVE_CACHE_DIR: cacheDir }), timeoutMs: 20_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /ignoring the unreadable project list cache .*not a regular file/);
    assert.ok(statSync(cacheFile).isFile(), 'the listing took its place');
  });

  it('proving the address is an index: a root listing with more than 16 KiB of headers is asked for once', async () => {
    const before = server.requests.filter((r) => r.path === '/bigroot/simple/').length;
    const result = await runCli(['check', 'acme-x', ...META, '--no-preflight', '--index-url', `${server.origin}/bigroot/simple/`, '--json'], { env: cliEnv() });
    assert.equal(result.code, 1, result.stderr);
    const [outcome] = (JSON.parse(result.stdout) as { results: { status: string; detail: string }[] }).results;
    assert.equal(outcome?.status, 'unknown');
    assert.match(outcome?.detail ?? '', /headers larger than this client accepts/);
    assert.equal(server.requests.filter((r) => r.path === '/bigroot/simple/').length - before, 1);
  });

  it('check: a hostile project page (`<a href="` × 50,000) is read in one pass and the name is not free', async () => {
    const result = await runCli(['check', 'hostile', ...META, '--index-url', `${server.origin}/simple/`, '--no-preflight', '--json'], { env: cliEnv() });
    const [outcome] = (JSON.parse(result.stdout) as { results: { status: string }[] }).results;
    assert.equal(outcome?.status, 'taken', result.stderr);
  });
});

describe('a 429 on reads', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({
      '/simple/': listingPage([]),
      '/simple/*': (_req, res) => res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '0' }).end('Too Many Requests'),
    });
  });
  after(() => server.close());

  it('makes every read wait once for the server, not each name retry on its own: 100 names make fewer GETs than names', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `rate-${i}`);
    const result = await runCli(['check', ...names, ...META, '--index-url', `${server.origin}/simple/`, '--no-preflight', '--json'], { env: cliEnv() });
    assert.equal(result.code, 1, result.stderr);
    const results = (JSON.parse(result.stdout) as { results: { status: string; detail: string }[] }).results;
    assert.ok(results.every((r) => r.status === 'unknown' && /429/.test(r.detail)), JSON.stringify(results.slice(0, 2)));
    const pageReads = server.requests.filter((r) => r.path.startsWith('/simple/rate-')).length;
    // Per-name retries made 5 GETs a name (500); one shared backoff stops after 5 rounds of about --concurrency reads each.
    assert.ok(pageReads < names.length, `${pageReads} GETs for ${names.length} names`);
  });
});

describe('the shared read backoff (ReadGate)', () => {
  it('makes every read of the run wait after one 429, for as long as the server asked', async () => {
    const slept: number[] = [];
    // The clock stands still: the server's wait is never over in this spec.
    const ctx = { now: () => 0, sleep: async (ms: number) => void slept.push(ms), random: () => 0, gate: new ReadGate() };
    let first = true;
    const limitedOnce = () => {
      if (!first) return Promise.resolve('ok');
      first = false;
      return Promise.reject(new HttpError({ method: 'GET', url: 'u', status: 429, retryAfterMs: 30_000 }));
    };
    assert.equal(await withReadRetries(limitedOnce, ctx), 'ok');
    assert.deepEqual(slept, [30_000]);
    // Another name's read, which never saw a 429 itself, waits as well before it is sent.
    let sent = 0;
    assert.equal(await withReadRetries(() => (sent++, Promise.resolve('ok')), ctx), 'ok');
    assert.deepEqual(slept, [30_000, 30_000]);
    assert.equal(sent, 1);
  });

  it('after five rounds of 429 with no success between, answers the rest at once without asking', async () => {
    const ctx = { now: () => 0, sleep: async () => undefined, gate: new ReadGate() };
    let asked = 0;
    const refuse = () => {
      asked++;
      return Promise.reject(new HttpError({ method: 'GET', url: 'u', status: 429 }));
    };
    await assert.rejects(withReadRetries(refuse, ctx), (err: unknown) => err instanceof HttpError && err.status === 429);
    assert.equal(asked, 5);
    await assert.rejects(withReadRetries(refuse, ctx), /kept rate-limiting reads/);
    assert.equal(asked, 5, 'no further request once the server has refused five rounds');
  });
});

describe('Ctrl-C during the check phase', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({ '/simple/': listingPage([]), '/simple/*': noAnswer });
  });
  after(() => server.close());

  // reserve is stopped by SIGTERM (as CI cancels a job): its names must not speak of Ctrl-C.
  for (const [command, sig] of [['check', 'SIGINT'], ['reserve', 'SIGTERM']] as const) {
    it(`${command} (${sig}): ends reads that get no answer at once, reports the names as not checked, and does not speak of an upload`, async () => {
      const before = server.requests.length;
      const names = Array.from({ length: 30 }, (_, i) => `${command}-slow-${i}`);
      const extra = command === 'reserve' ? ['--repository-url', `${server.origin}/legacy/`, '--dry-run'] : [];
      const child = spawn(process.execPath, [CLI_PATH, command, ...names, ...META, '--index-url', `${server.origin}/simple/`, '--no-preflight', '--json', ...extra], {
        env: cliEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const giveUp = setTimeout(() => child.kill('SIGKILL'), 30_000);
      // Wait until the project reads are in flight (and hanging), then interrupt.
      while (server.requests.slice(before).filter((r) => r.path.includes('-slow-')).length < 8) await new Promise((r) => setTimeout(r, 20));
      child.kill(sig);
      const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
      clearTimeout(giveUp);
      assert.equal(signal, null, `ended by ${signal}: the reads did not stop on Ctrl-C`);
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`${sig}: stopping; names not yet checked are reported as not checked`));
      assert.doesNotMatch(stderr, /finishing the upload/);
      const results = (JSON.parse(stdout) as { results: { status: string; detail: string }[] }).results;
      assert.equal(results.length, names.length);
      assert.ok(results.every((r) => /not checked: the run was interrupted/.test(r.detail) && !/Ctrl-C/.test(r.detail)), JSON.stringify(results[0]));
      assert.ok(server.requests.slice(before).filter((r) => r.path.includes('-slow-')).length <= 8, 'no read starts after Ctrl-C');
    });
  }

  it('check: Ctrl-C while the index listing downloads ends the run at once with exit 130, not an internal error', async () => {
    const stalled = await startLoopback({ '/simple/': noAnswer });
    try {
      const child = spawn(process.execPath, [CLI_PATH, 'check', 'acme-one', ...META, '--index-url', `${stalled.origin}/simple/`], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const giveUp = setTimeout(() => child.kill('SIGKILL'), 30_000);
      while (stalled.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGINT');
      const [code] = await new Promise<[number | null]>((r) => child.once('exit', (c) => r([c])));
      clearTimeout(giveUp);
      assert.equal(code, 130, stderr);
      assert.match(stderr, /interrupted before any name was checked/);
      assert.doesNotMatch(stderr, /internal error|finishing the upload/);
    } finally {
      await stalled.close();
    }
  });
});
