import { after, before, beforeEach, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { ReserveError } from '../src/core/errors.js';
import { baseEnv, runCli } from './support/cli.js';
import { normalizeName } from '../src/core/names.js';
import {
  parseProjectList,
  parseProjectListHtml,
  parseProjectListJson,
} from '../src/core/project-list-parse.js';
import { fetchProjectList, ProjectListFetchError } from '../src/registry/project-list.js';
import {
  decodeCache,
  defaultCacheDir,
  encodeCache,
  projectListCachePath,
  readProjectListCache,
  writeProjectListCache,
} from '../src/registry/project-list-cache.js';
import { DAY_MS, findSimilar, loadProjectList, matchProjectList } from '../src/ops/preflight.js';

const requested = (...names: string[]) => names.map((name) => ({ name, normalized: normalizeName(name) }));


const LISTING = 'https://pypi.org/simple/';
describe('project list parsers', () => {
  it('reads the names of a PEP 691 JSON listing, as displayed, escapes decoded', () => {
    const body = JSON.stringify({
      meta: { 'api-version': '1.4', '_last-serial': 9 },
      projects: [{ '_last-serial': 1, name: 'Foo.Bar' }, { name: 'caf\u00e9' }, { name: 'odd"na\\me' }],
    });
    assert.deepEqual(parseProjectListJson(body), ['Foo.Bar', 'caf\u00e9', 'odd"na\\me']);
  });

  it('reads the anchor texts of a PEP 503 HTML listing, entities decoded and trimmed', () => {
    const body = `<!DOCTYPE html>
<html><head><meta name="pypi:repository-version" content="1.1"><title>Simple index</title></head>
<body>
  <a href="/simple/foo-bar/">Foo-Bar</a>
  <a href="/simple/a-b/" data-x="1"> a&#46;b </a>
  <A HREF="/simple/cd/">&#x63;&#100;</A>
</body></html>`;
    assert.deepEqual(parseProjectListHtml(body, LISTING), ['Foo-Bar', 'a.b', 'cd']);
  });

  it('accepts empty listings in both formats', () => {
    assert.deepEqual(parseProjectListJson('{"meta":{"api-version":"1.0"},"projects":[]}'), []);
    const html = '<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Simple index</title></head><body><h1>Simple index</h1></body></html>';
    assert.deepEqual(parseProjectListHtml(html, LISTING), []);
  });

  it('rejects pages that are not listings instead of reading them as an empty index', () => {
    const notListings: [string, string][] = [
      ['{"message": "Not Found"}', 'application/json'],
      ['{"projects": [{"title": "x"}]}', 'application/vnd.pypi.simple.v1+json'],
      ['not json', 'application/json'],
      ['<html><body><p>Service temporarily unavailable</p></body></html>', 'text/html'],
      ['404 Not Found', 'text/plain'],
    ];
    for (const [body, type] of notListings) {
      assert.throws(
        () => parseProjectList(body, type, LISTING),
        (err: unknown) => err instanceof ReserveError && err.code === 'E_PROJECT_LIST_FORMAT',
        `${type}: ${body}`,
      );
    }
  });

  it('chooses the format by Content-Type, or by the first character without one', () => {
    assert.deepEqual(parseProjectList('{"projects":[{"name":"a"}]}', 'application/vnd.pypi.simple.v1+json', LISTING), ['a']);
    assert.deepEqual(parseProjectList('<html><a href="/simple/b/">b</a></html>', 'text/html; charset=utf-8', LISTING), ['b']);
    assert.deepEqual(parseProjectList(' {"projects":[{"name":"c"}]}', undefined, LISTING), ['c']);
    assert.deepEqual(parseProjectList('<html><a href="/simple/d/">d</a></html>', undefined, LISTING), ['d']);
  });
});

describe('findSimilar', () => {
  const projects = ['foo-bar', 'c00l', 'Django', 'Requests', 'oi1', 'o-i-l', 'unrelated'];

  it('reports a requested name that ultranormalizes like an existing project, naming it', () => {
    const similar = findSimilar(requested('foobar', 'cool'), projects);
    assert.deepEqual([...similar], [
      ['foobar', ['foo-bar']],
      ['cool', ['c00l']],
    ]);
  });

  it('names every colliding project, in list order', () => {
    assert.deepEqual(findSimilar(requested('OIL'), projects).get('oil'), ['oi1', 'o-i-l']);
  });

  it('does not call a project similar to itself: the same normalized project is "exists"', () => {
    const match = matchProjectList(requested('Foo_Bar', 'requests'), projects);
    assert.equal(match.similar.size, 0);
    assert.deepEqual([...match.existing], [
      ['foo-bar', 'foo-bar'],
      ['requests', 'Requests'],
    ]);
  });

  it('leaves a requested name that exists out of the similar ones, even when other spellings collide', () => {
    // PyPI only applies the rule when creating a project; uploading to 'oi1' creates nothing.
    const match = matchProjectList(requested('oi1'), projects);
    assert.equal(match.similar.size, 0);
    assert.equal(match.existing.get('oi1'), 'oi1');
  });

  it('warns that of two requested names that collide with each other only the first can be created', () => {
    const match = matchProjectList(requested('acme-foo', 'Acme.Bar', 'acmefoo', 'acme_f00', 'acmebar'), projects);
    assert.deepEqual([...match.amongRequested], [
      ['acmefoo', ['acme-foo']],
      ['acme-f00', ['acme-foo', 'acmefoo']],
      ['acmebar', ['Acme.Bar']],
    ]);
    assert.equal(match.similar.size, 0);
  });

  it('reports nothing for names without a collision', () => {
    assert.equal(findSimilar(requested('acme-internal', 'foobaz', 'col'), projects).size, 0);
  });
});

describe('project list cache file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pypi-reserve-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives in the platform cache directory unless PYPI_RESERVE_CACHE_DIR says otherwise', () => {
    assert.equal(defaultCacheDir({}, 'linux', '/home/u'), '/home/u/.cache/pypi-reserve');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, 'linux', '/home/u'), '/var/cache/u/pypi-reserve');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u'), '/home/u/.cache/pypi-reserve');
    assert.equal(defaultCacheDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches/pypi-reserve');
    assert.equal(
      defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
      'C:\\Users\\u\\AppData\\Local\\pypi-reserve\\Cache',
    );
    assert.equal(defaultCacheDir({ PYPI_RESERVE_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/y' }, 'linux', '/home/u'), '/tmp/x');
  });

  it('round-trips any name, line breaks, quotes and lone surrogates included', () => {
    const list = {
      indexUrl: 'https://example.test/simple/',
      etag: '"abc"',
      fetchedAt: new Date('2026-01-02T03:04:05.000Z'),
      projects: ['plain', 'two\nlines', '"quoted', 'cr\r', 'lone\ud800', '', 'caf\u00e9'],
    };
    assert.deepEqual(decodeCache(encodeCache(list)), list);
  });

  it('stores one name per line, not one JSON object per name', () => {
    const text = encodeCache({ indexUrl: 'https://example.test/simple/', fetchedAt: new Date(0), projects: ['a', 'b'] });
    assert.deepEqual(text.split('\n').slice(2), ['a', 'b', '']);
  });

  it('reports a truncated file as corrupt', async () => {
    const list = { indexUrl: 'https://example.test/simple/', fetchedAt: new Date(0), projects: ['a', 'b', 'c'] };
    const file = await writeProjectListCache(dir, list);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/c\n$/, ''));
    const read = await readProjectListCache(dir, list.indexUrl);
    assert.equal(read.status, 'corrupt');
  });

  it('keys the file by URL without credentials, and never stores them', async () => {
    await writeProjectListCache(dir, { indexUrl: 'https://u:s3cret@example.test/simple/', fetchedAt: new Date(0), projects: ['a'] });
    assert.equal(
      projectListCachePath(dir, 'https://u:s3cret@example.test/simple/'),
      projectListCachePath(dir, 'https://example.test/simple/'),
    );
    const [file] = fs.readdirSync(dir);
    assert.ok(file !== undefined && !fs.readFileSync(path.join(dir, file), 'utf8').includes('s3cret'));
    assert.equal((await readProjectListCache(dir, 'https://example.test/simple/')).status, 'found');
  });

  it('names the file by FNV-1a (64 bits) of the URL, hex: no node:crypto to load before the first request', () => {
    // The same digest from Python: h = 0xcbf29ce484222325; for b in url.encode(): h = ((h ^ b) * 0x100000001b3) % 2**64
    assert.equal(projectListCachePath(dir, 'https://example.test/simple/'), path.join(dir, 'project-list-128e8db44a25bc3e.txt'));
  });

  it("removes the lists 0.1.0 kept under SHA-256 names when it first keeps one under the new name, and nothing that is not such a list", async () => {
    const list = (url: string) => `pypi-reserve project list 1\n{"indexUrl":"${url}","fetchedAt":"2026-01-01T00:00:00.000Z","count":1}\na\n`;
    const oldLists = ['project-list-0123456789abcdef0123.txt', 'project-list-ffffffffffffffffffff.txt'];
    const notLists = ['project-list-aaaaaaaaaaaaaaaaaaaa.txt', 'project-list-notes.txt', 'watch-state.json', 'project-list-0123456789abcdef0123.txt.bak'];
    for (const name of oldLists) fs.writeFileSync(path.join(dir, name), list('https://old.example.test/simple/'));
    fs.writeFileSync(path.join(dir, notLists[0]!), "another tool's file under a name like a list's\n");
    for (const name of notLists.slice(1)) fs.writeFileSync(path.join(dir, name), list('https://old.example.test/simple/'));
    const linkedTo = path.join(dir, 'elsewhere.txt');
    fs.writeFileSync(linkedTo, list('https://old.example.test/simple/'));
    fs.symlinkSync(linkedTo, path.join(dir, 'project-list-bbbbbbbbbbbbbbbbbbbb.txt'));
    fs.mkdirSync(path.join(dir, 'project-list-cccccccccccccccccccc.txt'));
    const kept = [...notLists, 'elsewhere.txt', 'project-list-bbbbbbbbbbbbbbbbbbbb.txt', 'project-list-cccccccccccccccccccc.txt'];
    // A named pipe is left alone (and never opened: read-regular.ts says why).
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'project-list-dddddddddddddddddddd.txt')]);
      kept.push('project-list-dddddddddddddddddddd.txt');
    }
    const file = await writeProjectListCache(dir, { indexUrl: 'https://example.test/simple/', fetchedAt: new Date(0), projects: ['a'] });
    assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(file), ...kept].sort());
    // Written again (the index sent a new list): an old list put back meanwhile, by 0.1.0 sharing the directory, stays.
    fs.writeFileSync(path.join(dir, oldLists[0]!), list('https://old.example.test/simple/'));
    await writeProjectListCache(dir, { indexUrl: 'https://example.test/simple/', fetchedAt: new Date(1), projects: ['a', 'b'] });
    assert.ok(fs.existsSync(path.join(dir, oldLists[0]!)));
  });
});

interface Logged {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A /simple/ root that honours ETag / Last-Modified, and records every request. */
class ListingServer {
  projects: string[] = [];
  etag: string | undefined = '"v1"';
  lastModified: string | undefined;
  format: 'json' | 'html' = 'json';
  gzip = false;
  failWith: number | undefined;
  requireAuth: string | undefined;
  readonly log: Logged[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/simple/`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.log.push({ url: req.url ?? '', headers: req.headers });
    if (this.failWith) return void res.writeHead(this.failWith).end('trouble');
    if (this.requireAuth && req.headers.authorization !== this.requireAuth) return void res.writeHead(401).end();
    if (req.url === '/simple') return void res.writeHead(301, { location: '/simple/' }).end();
    if (req.url !== '/simple/') return void res.writeHead(404).end();
    const validators: Record<string, string> = {};
    if (this.etag) validators['etag'] = this.etag;
    if (this.lastModified) validators['last-modified'] = this.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((this.etag && inm === this.etag) || (!inm && this.lastModified && ims === this.lastModified)) {
      return void res.writeHead(304, validators).end();
    }
    const body =
      this.format === 'json'
        ? JSON.stringify({ meta: { 'api-version': '1.4' }, projects: this.projects.map((name, i) => ({ '_last-serial': i, name })) })
        : `<!DOCTYPE html><html><body>\n${this.projects.map((p) => `<a href="/simple/${normalizeName(p)}/">${p}</a>`).join('\n')}\n</body></html>`;
    const headers: Record<string, string> = {
      ...validators,
      'content-type': this.format === 'json' ? 'application/vnd.pypi.simple.v1+json' : 'text/html',
    };
    if (this.gzip && /gzip/.test(String(req.headers['accept-encoding']))) {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip' }).end(gzipSync(body));
    } else {
      res.writeHead(200, headers).end(body);
    }
  }
}

describe('loadProjectList', () => {
  let server: ListingServer;
  let cacheDir: string;
  let warnings: string[];
  let clock: number;
  const logger = { warn: (m: string) => warnings.push(m) };
  const noWait = { sleep: async () => undefined };
  const load = (url = server.url, extra: { maxAgeMs?: number } = {}) =>
    loadProjectList(url, { cacheDir, now: () => clock, logger, retry: noWait, ...extra });

  beforeEach(async () => {
    server = new ListingServer();
    server.projects = ['foo-bar', 'c00l', 'Django'];
    await server.start();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pypi-reserve-preflight-'));
    warnings = [];
    clock = Date.parse('2026-03-01T12:00:00Z');
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('downloads the listing, caches it, and finds the colliding names', async () => {
    const list = await load();
    assert.deepEqual(list.projects, ['foo-bar', 'c00l', 'Django']);
    assert.equal(list.fromCache, false);
    assert.equal(list.fetchedAt.getTime(), clock);
    assert.deepEqual([...findSimilar(requested('foobar', 'cool', 'django'), list.projects)], [
      ['foobar', ['foo-bar']],
      ['cool', ['c00l']],
    ]);
    const [request] = server.log;
    assert.equal(request?.headers.accept, 'application/vnd.pypi.simple.v1+json, text/html;q=0.1');
    assert.equal(request?.headers['if-none-match'], undefined);
    const cached = await readProjectListCache(cacheDir, server.url);
    assert.equal(cached.status, 'found');
    assert.deepEqual(cached.status === 'found' && cached.list.projects, ['foo-bar', 'c00l', 'Django']);
    assert.deepEqual(warnings, []);
  });

  it('revalidates with If-None-Match on the next run and uses the cache on 304', async () => {
    await load();
    server.projects = ['changed-but-etag-not']; // a 304 must not read this
    clock += 60_000;
    const list = await load();
    assert.equal(server.log.length, 2);
    assert.equal(server.log[1]?.headers['if-none-match'], '"v1"');
    assert.deepEqual(list.projects, ['foo-bar', 'c00l', 'Django']);
    assert.equal(list.fromCache, true);
    assert.equal(list.offline, false);
    assert.equal(list.fetchedAt.getTime(), clock, 'a 304 confirms the list as of now');
  });

  it('downloads again when the ETag changed, and caches the new list', async () => {
    await load();
    server.projects = ['new-project'];
    server.etag = '"v2"';
    const list = await load();
    assert.deepEqual(list.projects, ['new-project']);
    assert.equal(list.fromCache, false);
    const third = await load();
    assert.equal(server.log[2]?.headers['if-none-match'], '"v2"');
    assert.deepEqual(third.projects, ['new-project']);
  });

  it('revalidates with If-Modified-Since when the index only sends Last-Modified', async () => {
    server.etag = undefined;
    server.lastModified = 'Sun, 01 Mar 2026 10:00:00 GMT';
    await load();
    const list = await load();
    assert.equal(server.log[1]?.headers['if-modified-since'], 'Sun, 01 Mar 2026 10:00:00 GMT');
    assert.equal(server.log[1]?.headers['if-none-match'], undefined);
    assert.equal(list.fromCache, true);
  });

  it('reads HTML listings and gzip-encoded bodies', async () => {
    server.format = 'html';
    server.gzip = true;
    server.projects = ['Foo-Bar', 'a.b'];
    const list = await load();
    assert.equal(server.log[0]?.headers['accept-encoding'], 'gzip');
    assert.deepEqual(list.projects, ['Foo-Bar', 'a.b']);
  });

  it('uses the cached list with a warning when the index is down', async () => {
    await load();
    await server.stop();
    clock += 60 * 60_000;
    const list = await load();
    assert.deepEqual(list.projects, ['foo-bar', 'c00l', 'Django']);
    assert.equal(list.offline, true);
    assert.equal(list.stale, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /cannot reach .*; using the project list cached 1 hour ago/);
    server = new ListingServer();
    await server.start(); // for afterEach
  });

  it('fails with E_PREFLIGHT_UNAVAILABLE when the index is down and nothing is cached', async () => {
    await server.stop();
    await assert.rejects(load(), (err: unknown) => {
      assert.ok(err instanceof ReserveError);
      assert.equal(err.code, 'E_PREFLIGHT_UNAVAILABLE');
      assert.match(err.message, /cannot reach http:\/\/127\.0\.0\.1:\d+\/simple\//);
      return true;
    });
    server = new ListingServer();
    await server.start();
  });

  it('retries a server error, then falls back to the cache', async () => {
    await load();
    server.failWith = 503;
    const list = await load();
    assert.equal(server.log.length, 4, 'one download, then three attempts');
    assert.equal(list.offline, true);
    assert.match(warnings[0] ?? '', /answered 503/);
  });

  it('notes that a cached list older than a day is stale', async () => {
    await load();
    server.failWith = 500;
    clock += 2 * DAY_MS;
    const list = await load();
    assert.equal(list.stale, true);
    assert.match(warnings.join('\n'), /project list is 2 days old: projects created since then are not considered/);
  });

  it('does not call an old cache stale once the index confirms it with a 304', async () => {
    await load();
    clock += 10 * DAY_MS;
    const list = await load();
    assert.equal(list.stale, false);
    assert.deepEqual(warnings, []);
  });

  it('renews the cached date on a 304, so a later offline run counts the age from that confirmation', async () => {
    await load();
    clock += 3 * DAY_MS;
    await load(); // 304
    const cached = await readProjectListCache(cacheDir, server.url);
    assert.equal(cached.status === 'found' && cached.list.fetchedAt.getTime(), clock);
    assert.deepEqual(cached.status === 'found' && cached.list.projects, ['foo-bar', 'c00l', 'Django']);
    server.failWith = 500;
    clock += 2 * 60 * 60_000;
    const offline = await load();
    assert.equal(offline.stale, false);
    assert.match(warnings.join('\n'), /cached 2 hours ago/);
  });

  it('ignores a corrupt cache with a warning, downloads, and rewrites it', async () => {
    fs.writeFileSync(projectListCachePath(cacheDir, server.url), 'pypi-reserve project list 1\n{garbage\n');
    const list = await load();
    assert.deepEqual(list.projects, ['foo-bar', 'c00l', 'Django']);
    assert.equal(server.log[0]?.headers['if-none-match'], undefined);
    assert.match(warnings[0] ?? '', /ignoring the unreadable project list cache/);
    assert.equal((await readProjectListCache(cacheDir, server.url)).status, 'found');
  });

  it('keeps nothing on disk with cacheDir null', async () => {
    await loadProjectList(server.url, { cacheDir: null, retry: noWait });
    await loadProjectList(server.url, { cacheDir: null, retry: noWait });
    assert.equal(server.log[1]?.headers['if-none-match'], undefined);
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  it('sends credentials from the URL as Basic auth, and keeps them out of the cache', async () => {
    server.requireAuth = `Basic ${Buffer.from('me:s3cret').toString('base64')}`;
    const url = server.url.replace('http://', 'http://me:s3cret@');
    const list = await load(url);
    assert.deepEqual(list.projects, ['foo-bar', 'c00l', 'Django']);
    for (const file of fs.readdirSync(cacheDir)) {
      assert.ok(!fs.readFileSync(path.join(cacheDir, file), 'utf8').includes('s3cret'));
    }
  });
});

describe('fetchProjectList', () => {
  let server: ListingServer;
  before(async () => {
    server = new ListingServer();
    server.projects = ['a'];
    await server.start();
  });
  after(() => server.stop());

  it('adds the trailing slash to an index URL without one', async () => {
    const answer = await fetchProjectList(server.url.replace(/\/$/, ''));
    assert.deepEqual(answer, { status: 'fresh', projects: ['a'], url: server.url, etag: '"v1"' });
    assert.equal(server.log.at(-1)?.url, '/simple/');
  });

  it('answers not-modified when the validators still hold', async () => {
    assert.deepEqual(await fetchProjectList(server.url, { validators: { etag: '"v1"' } }), { status: 'not-modified' });
  });

  it('throws ProjectListFetchError with the status for an error answer', async () => {
    await assert.rejects(fetchProjectList(server.url.replace('/simple/', '/elsewhere/')), (err: unknown) => {
      assert.ok(err instanceof ProjectListFetchError);
      assert.equal(err.code, 'E_PROJECT_LIST_HTTP');
      assert.equal(err.status, 404);
      return true;
    });
  });
});

describe('the preflight through the CLI', () => {
  it('an index that cannot be read gives one hint naming --no-preflight, said once', async () => {
    const down = http.createServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('down');
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pypi-reserve-preflight-cli-'));
    try {
      const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/simple/`;
      const result = await runCli(['check', 'acme-x', '--owner', 'Acme', '--index-url', url], {
        cwd: home,
        env: baseEnv({ HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), PYPI_RESERVE_BACKOFF_SCALE: '0' }),
      });
      assert.equal(result.code, 2, result.stderr);
      const hints = result.stderr.split('\n').filter((l) => l.startsWith('hint:'));
      assert.equal(hints.length, 1, result.stderr);
      assert.match(hints[0]!, /check network access, or pass --no-preflight to go on without it$/);
      assert.doesNotMatch(hints[0]!, /skip the preflight/);
    } finally {
      await new Promise<void>((resolve) => down.close(() => resolve()));
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
