/**
 * A name is `free` only on an address proven to be a simple index (issue 8
 * items 4–5): any address but the built-in pypi and testpypi ones must serve a
 * root listing, read once per run (with --no-preflight too); an address that is
 * not an index is an input error naming it, what was there and the likely fix.
 * Upload URLs lead to their index for Warehouse, devpi and pypiserver layouts;
 * for any other, --index-url is required. Listings are read strictly, so a
 * welcome or sign-in page never turns into names.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveIndexUrl } from '../src/registry/repositories.js';
import { baseEnv, runCli } from './support/cli.js';
import { listingPage, startLoopback, type LoopbackServer, type Route } from './support/loopback-server.js';
import { devpiListing, pypiserverListing, pypiserverWelcome, signInPage } from './support/index-layouts.js';

const META = ['--owner', 'Acme Security', '--contact', 'security@acme.example'];
/** Each run's project-list cache: a directory of its own, all under one removed when the tests end. */
const CACHES = mkdtempSync(join(tmpdir(), 'sanity-cache-'));
process.on('exit', () => {
  try {
    rmSync(CACHES, { recursive: true, force: true });
  } catch {
    // Left for the system's temporary-file cleaning: an exit handler must not throw.
  }
});
const env = () => baseEnv({ PYPI_RESERVE_CACHE_DIR: mkdtempSync(join(CACHES, 'run-')), PYPI_RESERVE_BACKOFF_SCALE: '0' });
const statuses = (stdout: string) => Object.fromEntries((JSON.parse(stdout) as { results: { name: string; status: string }[] }).results.map((r) => [r.name, r.status]));

describe('an index URL that is not a simple index', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({
      '/': pypiserverWelcome,
      '/simple/': pypiserverListing(['acme-internal']),
      '/acme/prod/': signInPage,
      '/acme/prod/+simple/': devpiListing('acme/prod', []),
    });
  });
  after(() => server.close());

  for (const preflight of [[], ['--no-preflight']]) {
    it(`pypiserver's root instead of /simple/ ${preflight.length ? 'with --no-preflight ' : ''}is exit 2 naming the URL and the fix, never free`, async () => {
      const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/`, ...preflight], { env: env() });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /not a simple index: 2 of 3 links are not project entries \(e.g. "here" → "\/packages\/"\)/);
      assert.ok(result.stderr.includes(`${server.origin}/`), 'names the URL');
      assert.ok(result.stderr.includes(`likely ${server.origin}/simple/`), result.stderr);
      assert.doesNotMatch(result.stderr, /--no-preflight to go on|pass --no-preflight/);
      assert.ok(!server.requests.some((r) => r.path === '/acme-secret/'), 'no name is read on an address that is not an index');
    });
  }

  it('a 404 at the listing is "not an index", not a network problem, and the hint is the right URL', async () => {
    const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/nothing/here/`], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /not a simple index: its root answered 404 Not Found/);
    assert.match(result.stderr, /\+simple\//, 'devpi\'s +simple/ is suggested for a /<user>/<index>/ path');
    assert.doesNotMatch(result.stderr, /cannot load|network|--no-preflight/);
  });

  it('devpi\'s index page instead of its +simple/ is exit 2 suggesting +simple/', async () => {
    const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/acme/prod/`, '--no-preflight'], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.ok(result.stderr.includes(`${server.origin}/acme/prod/+simple/`), result.stderr);
  });

  it('a real listing, even an empty one, proves the index: the name is free', async () => {
    const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/acme/prod/+simple/`, '--no-preflight', '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result.stdout), { 'acme-secret': 'free' });
  });
});

describe('the index beside an upload URL', () => {
  it('is known for Warehouse, devpi and pypiserver layouts, and unknown otherwise', () => {
    assert.equal(deriveIndexUrl('https://host/legacy/'), 'https://host/simple/');
    assert.equal(deriveIndexUrl('https://host/pypi/legacy/'), 'https://host/pypi/simple/');
    assert.equal(deriveIndexUrl('https://host/acme/prod/'), 'https://host/acme/prod/+simple/');
    assert.equal(deriveIndexUrl('https://host/'), 'https://host/simple/');
    assert.equal(deriveIndexUrl('https://host/api/upload/v1/x'), undefined);
    assert.equal(deriveIndexUrl('https://host/upload'), undefined);
  });

  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({ '/acme/prod/+simple/': devpiListing('acme/prod', []), '/simple/': listingPage([]) });
  });
  after(() => server.close());

  it('a devpi upload URL reads devpi\'s +simple/ index', async () => {
    const result = await runCli(['reserve', 'acme-devpi', ...META, '--repository-url', `${server.origin}/acme/prod/`, '--dry-run', '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result.stdout), { 'acme-devpi': 'would-upload' });
    assert.ok(server.requests.some((r) => r.path === '/acme/prod/+simple/acme-devpi/'), JSON.stringify(server.requests));
    assert.ok(!server.requests.some((r) => r.path.startsWith('/simple/')), 'never the host\'s /simple/');
  });

  it('an upload URL of another layout requires --index-url, and nothing is sent', async () => {
    const before = server.requests.length;
    const result = await runCli(['check', 'acme-x', ...META, '--repository-url', `${server.origin}/api/upload/v1`], { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot tell where the simple index of this upload URL is/);
    assert.match(result.stderr, /--index-url/);
    assert.equal(server.requests.length, before);
  });
});

describe('--from-index reads listings strictly', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopback({ '/': pypiserverWelcome, '/login/': signInPage });
  });
  after(() => server.close());

  for (const [what, path, words] of [
    ["pypiserver's welcome page", '/', ['here', 'simple', 'pypiserver']],
    ['a sign-in page', '/login/', ['home', 'help', 'login']],
  ] as const) {
    it(`${what} never yields names: exit 2 naming the URL`, async () => {
      const result = await runCli(['check', '--from-index', `${server.origin}${path}`, ...META, '--json'], { env: env() });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.ok(result.stderr.includes(`${server.origin}${path}`), result.stderr);
      assert.match(result.stderr, /not a simple-index project listing/);
      for (const word of words) assert.ok(!server.requests.some((r) => r.path.includes(`/${word}/`) && r.path !== path), `${word} was not read as a name`);
    });
  }
});

/** Review of the index proof: five ways a page or address that is no index still gave `free`. */
describe('only an address proven to be a simple index says free', () => {
  const page = (body: string): Route => (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
  const menu = page('<html><head><title>Acme Portal</title></head><body><a href="/login/">Login</a> <a href="/help/">Help</a></body></html>');
  const linkless: Record<string, string> = {
    apache: '<html><body><h1>It works!</h1></body></html>',
    spa: '<!doctype html><html><head><title>Portal</title><script src="/app.js"></script></head><body><div id="root"></div></body></html>',
    signin: '<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1><form method="post"><input name="u"><input type="password" name="p"></form></body></html>',
  };
  let server: LoopbackServer;
  let other: LoopbackServer;
  before(async () => {
    other = await startLoopback({ '/simple/': listingPage(['acme-x']) });
    server = await startLoopback({
      '/': menu,
      '/portal/simple/': menu,
      '/simple/': listingPage(['other']),
      '/simple/*': (req, res) => res.writeHead(302, { location: `${other.origin}${req.url}` }).end(),
      '/moved/simple/': (_req, res) => res.writeHead(302, { location: `${other.origin}/simple/` }).end(),
      '/empty/simple/': listingPage([]),
      ...Object.fromEntries(Object.entries(linkless).map(([k, body]) => [`/${k}/simple/`, page(body)])),
    });
  });
  after(async () => {
    await server.close();
    await other.close();
  });

  for (const kind of Object.keys(linkless)) {
    it(`a page without links and without PEP 629 meta (${kind}) is not an empty index: exit 2`, async () => {
      const url = `${server.origin}/${kind}/simple/`;
      const result = await runCli(['check', 'acme-secret', ...META, '--index-url', url], { env: env() });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /no project links and no pypi:repository-version meta/);
      assert.ok(result.stderr.includes(url), result.stderr);
    });
  }

  it('an empty listing that carries the PEP 629 meta is an empty index', async () => {
    const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/empty/simple/`, '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result.stdout), { 'acme-secret': 'free' });
  });

  for (const path of ['/portal/simple/', '/']) {
    it(`menu links named like their path (${path}) are not project names for --from-index or the proof`, async () => {
      const fromIndex = await runCli(['check', '--from-index', `${server.origin}${path}`, ...META, '--index-url', `${server.origin}/empty/simple/`], { env: env() });
      assert.equal(fromIndex.code, 2, fromIndex.stdout + fromIndex.stderr);
      assert.doesNotMatch(fromIndex.stdout, /Login|Help/);
      const proof = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}${path}`], { env: env() });
      assert.equal(proof.code, 2, proof.stdout + proof.stderr);
      assert.match(proof.stderr, /not a simple index/);
    });
  }

  for (const suffix of ['?x=1', '#f']) {
    it(`an index URL with a query or fragment (${suffix}) is an input error, and nothing is read`, async () => {
      const before = server.requests.length;
      const url = `${server.origin}/empty/simple${suffix}`;
      for (const args of [['--index-url', url], ['--from-index', url], ['--preflight-index', url]]) {
        const result = await runCli(['check', 'acme-secret', ...META, ...args], { env: env() });
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
        assert.match(result.stderr, /query .* or fragment/);
      }
      assert.equal(server.requests.length, before);
    });
  }

  for (const preflight of [[], ['--no-preflight']]) {
    it(`a listing redirected to another index ${preflight.length ? 'with --no-preflight ' : ''}proves that one, not this: exit 2 naming both`, async () => {
      const url = `${server.origin}/moved/simple/`;
      const result = await runCli(['check', 'acme-x', ...META, '--index-url', url, ...preflight], { env: env() });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.ok(result.stderr.includes(url) && result.stderr.includes(`${other.origin}/simple/`), result.stderr);
      assert.match(result.stderr, /pass it as --index-url/);
      assert.ok(!other.requests.some((r) => r.path === '/simple/acme-x/'), 'no name is read on the other index');
    });
  }

  it('a project page redirected to another host is unknown, and the other host never learns the name', async () => {
    const result = await runCli(['check', 'acme-secret', ...META, '--index-url', `${server.origin}/simple/`, '--json'], { env: env() });
    assert.equal(result.code, 1, result.stderr);
    const [entry] = (JSON.parse(result.stdout) as { results: { status: string; detail?: string }[] }).results;
    assert.equal(entry?.status, 'unknown');
    assert.ok(JSON.stringify(entry).includes(`${other.origin}/simple/acme-secret/`), JSON.stringify(entry));
    assert.ok(!other.requests.some((r) => r.path.includes('acme-secret')), 'the private name never reached the other host');
  });
});
