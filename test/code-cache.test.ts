/**
 * The executable runs the bundled program through V8's code cache
 * (src/cli/code-cache.ts): the cache is written once, used after, trusted only
 * as the user's own file, and any trouble with it only means a run without it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEPT_CACHE_FILES, WRAPPER_HEAD, WRAPPER_TAIL, cacheFileName, codeCacheDirectory, readTrustedCache, runScriptWithCodeCache } from '../src/cli/code-cache.js';

/** A program file's text: CommonJS code inside the function wrapper the file holds itself. */
const wrapped = (code: string) => `${WRAPPER_HEAD}${code}${WRAPPER_TAIL}`;
import { baseEnv, runCli } from './support/cli.js';

const isPosix = typeof process.getuid === 'function';

describe('the code cache of a script', () => {
  let dir: string;
  let script: string;
  let cacheDir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-code-cache-'));
    script = join(dir, 'program-0123456789abcdef.cjs');
    writeFileSync(script, wrapped("'use strict';\nconst add = (a, b) => a + b;\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n"));
    cacheDir = join(dir, 'cache', 'code-cache');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cacheFiles = () => readdirSync(cacheDir).filter((name) => name.endsWith('.v8'));
  const theCache = () => join(cacheDir, cacheFileName(script, statSync(script)));

  it('runs the script as CommonJS and gives its exports', () => {
    const run = runScriptWithCodeCache(script, { directory: undefined });
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
  });

  /** A directory of its own, so the specs that list `dir` see only theirs. */
  const others: string[] = [];
  const elsewhere = () => others[others.push(mkdtempSync(join(tmpdir(), 'pypi-reserve-code-cache-other-'))) - 1]!;
  after(() => others.forEach((other) => rmSync(other, { recursive: true, force: true })));

  it('refuses a file that does not begin and end with the wrapper (a damaged or foreign file), running none of it', () => {
    const bare = join(elsewhere(), 'bare.cjs');
    writeFileSync(bare, "'use strict';\nglobalThis.ranBare = true;\nmodule.exports = 1;\n");
    assert.throws(() => runScriptWithCodeCache(bare, { directory: undefined }), /bare\.cjs is not a pypi-reserve program file \(no function wrapper around it\)/);
    assert.equal((globalThis as { ranBare?: boolean }).ranBare, undefined);
  });

  it('is how the shipped program is written: its text is the wrapper around the bundle, compiled as read', () => {
    const shipped = readdirSync(fileURLToPath(new URL('../cli/', import.meta.url))).filter((f) => /^program-[0-9a-f]{16}\.cjs$/.test(f));
    assert.equal(shipped.length, 1);
    const text = readFileSync(fileURLToPath(new URL(`../cli/${shipped[0]}`, import.meta.url)), 'latin1');
    assert.ok(text.startsWith(`${WRAPPER_HEAD}"use strict";`), text.slice(0, 80));
    assert.ok(text.endsWith(WRAPPER_TAIL));
  });

  it('keeps line numbers in stack traces the file\'s own', () => {
    const thrower = join(elsewhere(), 'program-thrower.cjs');
    writeFileSync(thrower, wrapped("'use strict';\nmodule.exports = () => { throw new Error('here'); };\n"));
    const fail = runScriptWithCodeCache(thrower, { directory: undefined }).exports as () => void;
    assert.throws(fail, (err: Error) => new RegExp(`${thrower.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:`).test(err.stack ?? ''));
  });

  it('writes no cache without a directory', () => {
    runScriptWithCodeCache(script, { directory: undefined }).saveCache();
    assert.deepEqual(readdirSync(dir).sort(), ['program-0123456789abcdef.cjs']);
  });

  it('writes the cache once, in a private directory, as a private file named for the script, its size, time and Node', () => {
    runScriptWithCodeCache(script, { directory: cacheDir }).saveCache();
    assert.deepEqual(cacheFiles(), [cacheFileName(script, statSync(script))]);
    assert.match(cacheFiles()[0]!, new RegExp(`^program-0123456789abcdef\\.cjs-\\d+-\\d+-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`));
    if (isPosix) {
      assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
      assert.equal(statSync(theCache()).mode & 0o777, 0o600);
    }
  });

  it('uses the cache it finds: nothing is written again', () => {
    const before = statSync(theCache());
    utimesSync(theCache(), new Date(1_000_000), new Date(1_000_000));
    const run = runScriptWithCodeCache(script, { directory: cacheDir });
    run.saveCache();
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
    assert.equal(statSync(theCache()).mtimeMs, 1_000_000, 'the accepted cache is left as it is');
    assert.equal(statSync(theCache()).size, before.size);
  });

  it('replaces a cache V8 rejects (garbage in the file) and still runs the script', () => {
    // New source text: V8 would take source it compiled before in this process from its own memory, not the file.
    writeFileSync(script, wrapped("'use strict';\nconst add = (a, b) => a + b; // garbage\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n"));
    writeFileSync(theCache(), Buffer.alloc(4096, 0x5a), { mode: 0o600 });
    const run = runScriptWithCodeCache(script, { directory: cacheDir });
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
    run.saveCache();
    assert.notDeepEqual(readFileSync(theCache()), Buffer.alloc(4096, 0x5a));
  });

  it('does not trust a cache others can write: it is ignored and replaced by a private one', { skip: !isPosix && 'no POSIX modes here' }, () => {
    const planted = Buffer.alloc(2048, 0x41);
    writeFileSync(script, wrapped("'use strict';\nconst add = (a, b) => a + b; // planted\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n"));
    writeFileSync(theCache(), planted);
    chmodSync(theCache(), 0o600);
    assert.deepEqual(readTrustedCache(theCache()), planted, 'a private file of the user is read');
    chmodSync(theCache(), 0o666);
    assert.equal(readTrustedCache(theCache()), undefined, 'one others can write is not');
    chmodSync(theCache(), 0o620);
    assert.equal(readTrustedCache(theCache()), undefined, 'nor one its group can write');
    chmodSync(theCache(), 0o666);
    const run = runScriptWithCodeCache(script, { directory: cacheDir });
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
    run.saveCache();
    assert.equal(statSync(theCache()).mode & 0o777, 0o600);
    assert.notDeepEqual(readFileSync(theCache()), planted);
  });

  it('names another cache once the script changes (its size or time)', () => {
    const old = cacheFileName(script, statSync(script));
    writeFileSync(script, wrapped("'use strict';\nmodule.exports = { answer: 43 };\n"));
    const run = runScriptWithCodeCache(script, { directory: cacheDir });
    assert.deepEqual(run.exports, { answer: 43 });
    run.saveCache();
    assert.notEqual(cacheFileName(script, statSync(script)), old);
    assert.ok(cacheFiles().includes(cacheFileName(script, statSync(script))));
  });

  it(`keeps the ${KEPT_CACHE_FILES} newest cache files and removes older ones`, () => {
    for (let i = 0; i < KEPT_CACHE_FILES + 3; i++) {
      const old = join(cacheDir, `program-old${i}.cjs-1-1-v0.0.${i}-x64.v8`);
      writeFileSync(old, 'stale', { mode: 0o600 });
      utimesSync(old, new Date(2_000_000 + i * 1000), new Date(2_000_000 + i * 1000));
    }
    writeFileSync(script, wrapped("'use strict';\nmodule.exports = { answer: 44 };\n"));
    runScriptWithCodeCache(script, { directory: cacheDir }).saveCache();
    const left = cacheFiles();
    assert.equal(left.length, KEPT_CACHE_FILES);
    assert.ok(left.includes(cacheFileName(script, statSync(script))), 'the new cache stays');
    assert.ok(!left.includes('program-old0.cjs-1-1-v0.0.0-x64.v8'), 'the oldest went');
  });

  it('trusts no cache through a link, in a linked directory, with a second hard link, or that is a pipe', { skip: !isPosix && 'POSIX only' }, () => {
    const real = join(dir, 'real-cache');
    mkdirSync(real, { mode: 0o700 });
    const file = join(real, 'x.v8');
    writeFileSync(file, 'bytes', { mode: 0o600 });
    assert.deepEqual(readTrustedCache(file), Buffer.from('bytes'), 'a private file in a private directory is read');
    const linkedDir = join(dir, 'linked-cache');
    symlinkSync(real, linkedDir);
    assert.equal(readTrustedCache(join(linkedDir, 'x.v8')), undefined, 'not in a directory reached through a link');
    symlinkSync(file, join(real, 'link.v8'));
    assert.equal(readTrustedCache(join(real, 'link.v8')), undefined, 'not through a link to a file');
    linkSync(file, join(real, 'hard.v8'));
    assert.equal(readTrustedCache(file), undefined, 'not a file with a second hard link');
    rmSync(join(real, 'hard.v8'));
    execFileSync('mkfifo', [join(real, 'pipe.v8')]);
    const started = Date.now();
    assert.equal(readTrustedCache(join(real, 'pipe.v8')), undefined, 'not a pipe, and without waiting for a writer');
    assert.ok(Date.now() - started < 1000);
    chmodSync(real, 0o770);
    assert.equal(readTrustedCache(file), undefined, 'not in a directory its group can write');
    chmodSync(real, 0o700);
  });

  it('neither writes into nor makes a directory another user owns (root with a user\'s HOME)', { skip: !(isPosix && process.geteuid?.() === 0) && 'needs root to hand a directory to another user' }, () => {
    const home = join(dir, 'users-home');
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, 4321, 4321);
    const run = runScriptWithCodeCache(script, { directory: join(home, '.cache', 'pypi-reserve', 'code-cache') });
    run.saveCache();
    assert.deepEqual(readdirSync(home), [], 'nothing made in the other user\'s home');
  });

  it('prunes around a dangling link and removes temporary files a killed run left', { skip: !isPosix && 'POSIX only' }, () => {
    const dangling = join(cacheDir, 'dangling.v8');
    symlinkSync(join(dir, 'nowhere'), dangling);
    const stale = join(cacheDir, 'old.v8.123.456.tmp');
    writeFileSync(stale, 'partial');
    utimesSync(stale, new Date(1_000_000), new Date(1_000_000));
    const fresh = join(cacheDir, 'new.v8.123.789.tmp');
    writeFileSync(fresh, 'being written');
    writeFileSync(script, wrapped("'use strict';\nmodule.exports = { answer: 45 };\n"));
    runScriptWithCodeCache(script, { directory: cacheDir }).saveCache();
    assert.ok(cacheFiles().includes(cacheFileName(script, statSync(script))), 'the new cache is written');
    assert.equal(existsSync(stale), false, 'an hour-old temporary file goes');
    assert.equal(existsSync(fresh), true, 'one being written now stays');
  });

  it('runs without a cache, silently, where its directory cannot be made', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const run = runScriptWithCodeCache(script, { directory: join(blocked, 'code-cache') });
    assert.deepEqual(run.exports, { answer: 45 });
    assert.doesNotThrow(() => run.saveCache());
  });
});

describe('where the code cache lives', () => {
  const home = '/home/u';
  it('is code-cache/ in the user cache directory of each platform', () => {
    assert.equal(codeCacheDirectory({}, 'linux', home), '/home/u/.cache/pypi-reserve/code-cache');
    assert.equal(codeCacheDirectory({ XDG_CACHE_HOME: '/xdg' }, 'linux', home), '/xdg/pypi-reserve/code-cache');
    assert.equal(codeCacheDirectory({ XDG_CACHE_HOME: 'relative' }, 'linux', home), '/home/u/.cache/pypi-reserve/code-cache', 'a relative XDG_CACHE_HOME is ignored');
    assert.equal(codeCacheDirectory({}, 'darwin', home), '/home/u/Library/Caches/pypi-reserve/code-cache');
    assert.equal(codeCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', home)?.includes('pypi-reserve'), true);
    assert.equal(codeCacheDirectory({}, 'win32', home), undefined, 'no LOCALAPPDATA, no cache');
  });

  it('is never under PYPI_RESERVE_CACHE_DIR, the directory README suggests CI caches between jobs', () => {
    assert.equal(codeCacheDirectory({ PYPI_RESERVE_CACHE_DIR: '/ci/cache' }, 'linux', home), '/home/u/.cache/pypi-reserve/code-cache');
  });

  it('is nowhere in CI or with NODE_DISABLE_COMPILE_CACHE=1', () => {
    for (const env of [{ CI: 'true' }, { CI: '1' }, { GITHUB_ACTIONS: 'true' }, { GITLAB_CI: 'true' }, { JENKINS_URL: 'https://ci.example/' }, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
      assert.equal(codeCacheDirectory(env, 'linux', home), undefined, JSON.stringify(env));
    }
    assert.equal(codeCacheDirectory({ CI: 'false' }, 'linux', home), '/home/u/.cache/pypi-reserve/code-cache');
  });
});

describe('the executable and its code cache', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-code-cache-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** `build` with the user cache directory at `cacheHome` (XDG_CACHE_HOME). */
  const build = (cacheHome: string, out: string, env: NodeJS.ProcessEnv = {}) =>
    runCli(['build', 'acme-cached', '--owner', 'Example Corp', '-o', out], { cwd: dir, env: baseEnv({ SOURCE_DATE_EPOCH: '1700000000', XDG_CACHE_HOME: cacheHome, ...env }) });
  const cachesIn = (cacheHome: string) => {
    const directory = join(cacheHome, 'pypi-reserve', 'code-cache');
    return existsSync(directory) ? readdirSync(directory).map((name) => join(directory, name)) : [];
  };

  it('writes one cache on the first run and uses it on the next, with the same results', async () => {
    const cacheHome = join(dir, 'cache-home');
    const first = await build(cacheHome, 'one');
    assert.equal(first.code, 0, first.stderr);
    const files = cachesIn(cacheHome);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /program-[0-9a-f]{16}\.cjs-\d+-\d+-local-v[\d.]+-\w+\.v8$/);
    utimesSync(files[0]!, new Date(1_000_000), new Date(1_000_000));
    const second = await build(cacheHome, 'two');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.replace(/two/g, 'one'), first.stdout);
    assert.equal(second.stderr, first.stderr);
    assert.deepEqual(readFileSync(join(dir, 'two', 'acme_cached-0.0.0.tar.gz')), readFileSync(join(dir, 'one', 'acme_cached-0.0.0.tar.gz')));
    assert.equal(statSync(files[0]!).mtimeMs, 1_000_000, 'the second run used the cache and did not write it again');
  });

  it('keeps one cache for the commands that wait on an index and one for the others (their V8 flags differ), so alternating rewrites neither', async () => {
    const cacheHome = join(dir, 'cache-variants');
    assert.equal((await build(cacheHome, 'six')).code, 0);
    const help = () => runCli(['check', '--help'], { cwd: dir, env: baseEnv({ XDG_CACHE_HOME: cacheHome }) });
    assert.equal((await help()).code, 0);
    const files = cachesIn(cacheHome).sort();
    assert.deepEqual(files.map((f) => /-(index|local)-v/.exec(f)?.[1]), ['index', 'local']);
    for (const f of files) utimesSync(f, new Date(1_000_000), new Date(1_000_000));
    assert.equal((await build(cacheHome, 'six')).code, 0);
    assert.equal((await help()).code, 0);
    for (const f of files) assert.equal(statSync(f).mtimeMs, 1_000_000, `${f} was used, not written again`);
  });

  it('rejects a damaged cache (V8 checks its checksum) and replaces it, with the same results, wherever the damage is', async () => {
    const cacheHome = join(dir, 'cache-damaged');
    const first = await build(cacheHome, 'five');
    assert.equal(first.code, 0, first.stderr);
    const [cache] = cachesIn(cacheHome);
    const good = readFileSync(cache!);
    for (const at of [40, 200, Math.floor(good.length / 3), Math.floor(good.length / 2), good.length - 8]) {
      const damaged = Buffer.from(good);
      for (let i = 0; i < 4; i++) damaged[at + i] = damaged[at + i]! ^ 0xa5;
      writeFileSync(cache!, damaged, { mode: 0o600 });
      const run = await build(cacheHome, `five-${at}`);
      assert.deepEqual([run.code, run.stdout.replace(`five-${at}`, 'five'), run.stderr], [first.code, first.stdout, first.stderr], `damage at ${at}`);
      assert.notDeepEqual(readFileSync(cache!), damaged, `the cache damaged at ${at} was written again`);
    }
  });

  it('keeps no cache with NODE_DISABLE_COMPILE_CACHE=1, in CI, or under PYPI_RESERVE_CACHE_DIR', async () => {
    for (const [label, env] of [
      ['off', { NODE_DISABLE_COMPILE_CACHE: '1' }],
      ['ci', { CI: 'true' }],
      ['ci-cached', { PYPI_RESERVE_CACHE_DIR: join(dir, 'ci-cached', 'pypi-reserve') }],
    ] as const) {
      const cacheHome = join(dir, `cache-${label}`);
      const run = await build(label === 'ci-cached' ? join(dir, 'elsewhere') : cacheHome, label, env);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(cachesIn(label === 'ci-cached' ? join(dir, 'ci-cached') : cacheHome), [], label);
    }
  });

  it('runs as usual, saying nothing of it, where the cache directory cannot be made', async () => {
    writeFileSync(join(dir, 'not-a-directory'), '');
    const run = await build(join(dir, 'not-a-directory', 'cache'), 'four');
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /cache|ENOTDIR/i);
  });
});
