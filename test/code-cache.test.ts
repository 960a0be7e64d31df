/**
 * The executable runs the bundled program through V8's code cache
 * (src/cli/code-cache.ts): the cache is written once, used after, trusted only
 * as the user's own file, and any trouble with it only means a run without it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEPT_CACHE_FILES, cacheFileName, readTrustedCache, runScriptWithCodeCache } from '../src/cli/code-cache.js';
import { baseEnv, runCli } from './support/cli.js';

const isPosix = typeof process.getuid === 'function';

describe('the code cache of a script', () => {
  let dir: string;
  let script: string;
  let cacheDir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-code-cache-'));
    script = join(dir, 'program-0123456789abcdef.cjs');
    writeFileSync(script, "'use strict';\nconst add = (a, b) => a + b;\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n");
    cacheDir = join(dir, 'cache', 'code-cache');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cacheFiles = () => readdirSync(cacheDir).filter((name) => name.endsWith('.v8'));
  const theCache = () => join(cacheDir, cacheFileName(script, statSync(script)));

  it('runs the script as CommonJS and gives its exports', () => {
    const run = runScriptWithCodeCache(script, { directory: undefined });
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
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
    writeFileSync(script, "'use strict';\nconst add = (a, b) => a + b; // garbage\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n");
    writeFileSync(theCache(), Buffer.alloc(4096, 0x5a), { mode: 0o600 });
    const run = runScriptWithCodeCache(script, { directory: cacheDir });
    assert.deepEqual(run.exports, { answer: 42, where: script, needs: 'function' });
    run.saveCache();
    assert.notDeepEqual(readFileSync(theCache()), Buffer.alloc(4096, 0x5a));
  });

  it('does not trust a cache others can write: it is ignored and replaced by a private one', { skip: !isPosix && 'no POSIX modes here' }, () => {
    const planted = Buffer.alloc(2048, 0x41);
    writeFileSync(script, "'use strict';\nconst add = (a, b) => a + b; // planted\nmodule.exports = { answer: add(40, 2), where: __filename, needs: typeof require('node:path').join };\n");
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
    writeFileSync(script, "'use strict';\nmodule.exports = { answer: 43 };\n");
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
    writeFileSync(script, "'use strict';\nmodule.exports = { answer: 44 };\n");
    runScriptWithCodeCache(script, { directory: cacheDir }).saveCache();
    const left = cacheFiles();
    assert.equal(left.length, KEPT_CACHE_FILES);
    assert.ok(left.includes(cacheFileName(script, statSync(script))), 'the new cache stays');
    assert.ok(!left.includes('program-old0.cjs-1-1-v0.0.0-x64.v8'), 'the oldest went');
  });

  it('runs without a cache, silently, where its directory cannot be made', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const run = runScriptWithCodeCache(script, { directory: join(blocked, 'code-cache') });
    assert.deepEqual(run.exports, { answer: 44 });
    assert.doesNotThrow(() => run.saveCache());
  });
});

describe('the executable and its code cache', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-code-cache-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const build = (env: NodeJS.ProcessEnv, out: string) =>
    runCli(['build', 'acme-cached', '--owner', 'Example Corp', '-o', out], { cwd: dir, env: baseEnv({ SOURCE_DATE_EPOCH: '1700000000', ...env }) });

  it('writes one cache on the first run and uses it on the next, with the same results', async () => {
    const cacheHome = join(dir, 'cache-home');
    const first = await build({ PYPI_RESERVE_CACHE_DIR: cacheHome }, 'one');
    assert.equal(first.code, 0, first.stderr);
    const files = readdirSync(join(cacheHome, 'code-cache'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^program-[0-9a-f]{16}\.cjs-\d+-\d+-v[\d.]+-\w+\.v8$/);
    const cache = join(cacheHome, 'code-cache', files[0]!);
    utimesSync(cache, new Date(1_000_000), new Date(1_000_000));
    const second = await build({ PYPI_RESERVE_CACHE_DIR: cacheHome }, 'two');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.replace(/two/g, 'one'), first.stdout);
    assert.equal(second.stderr, first.stderr);
    assert.deepEqual(readFileSync(join(dir, 'two', 'acme_cached-0.0.0.tar.gz')), readFileSync(join(dir, 'one', 'acme_cached-0.0.0.tar.gz')));
    assert.equal(statSync(cache).mtimeMs, 1_000_000, 'the second run used the cache and did not write it again');
  });

  it('keeps no cache with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const cacheHome = join(dir, 'cache-off');
    const run = await build({ PYPI_RESERVE_CACHE_DIR: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1' }, 'three');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(join(cacheHome, 'code-cache')), false);
  });

  it('runs as usual, saying nothing of it, where the cache directory cannot be made', async () => {
    writeFileSync(join(dir, 'not-a-directory'), '');
    const run = await build({ PYPI_RESERVE_CACHE_DIR: join(dir, 'not-a-directory', 'cache') }, 'four');
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /cache|ENOTDIR/i);
  });
});
