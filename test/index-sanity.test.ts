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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveIndexUrl } from '../src/registry/repositories.js';
import { baseEnv, runCli } from './support/cli.js';
import { listingPage, startLoopback, type LoopbackServer } from './support/loopback-server.js';
import { devpiListing, pypiserverListing, pypiserverWelcome, signInPage } from './support/index-layouts.js';

const META = ['--owner', 'Acme Security', '--contact', 'security@acme.example'];
const env = () => baseEnv({ PYPI_RESERVE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'sanity-cache-')), PYPI_RESERVE_BACKOFF_SCALE: '0' });
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
      assert.match(result.stderr, /not a simple index: 1 of 3 links are not project entries \(e.g. "here" → "\/packages\/"\)/);
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
