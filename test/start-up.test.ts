/**
 * What a run of the shipped CLI loads on its way (issue 12). Start-up is most
 * of what `check` of one name costs, and each of Node's modules costs its load
 * (node:http 2-3 ms on Node 20, node:fs/promises 1-2 ms, node:crypto 3-6 ms):
 * a run must not load what it does not use. These specs say which modules a
 * run leaves alone; none asserts a duration.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, runCli, runProcess } from './support/cli.js';
import { undiciTakesSimdParser } from '../src/registry/parser-precompile.js';
import { listingPage, startLoopback, type LoopbackServer } from './support/loopback-server.js';

/** Node's modules a `check` of a free name never uses, each loaded only where a run needs it. */
const UNUSED_BY_CHECK = [
  'http', // undici's copy asks for it only to destroy a node:http message or to learn a header cap we set
  'http2', // no agent offers HTTP/2
  'https',
  'tls',
  'module', // the program's require is process.getBuiltinModule
  'crypto', // nothing is hashed: no placeholder is built for a free name; a listing's cache file is named by FNV-1a, its temporary file by Math.random
  'zlib', // no archive is written, no listing decompressed
  'fs/promises', // no config file here: its absence is learnt without it
  'readline',
  'child_process',
  'assert', // undici's invariants hold
  'timers/promises',
];

describe('a check of one free name through the shipped CLI', () => {
  const checkArgs = () => ['check', 'acme-start-up', '--owner', 'Acme', '--no-preflight', '--index-url', `${server.origin}/simple/`, '--repository-url', `${server.origin}/legacy/`, '--json'];
  let server: LoopbackServer;
  let dir: string;
  before(async () => {
    server = await startLoopback({ '/simple/': listingPage([]) });
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-start-up-'));
    // Loaded before the CLI: at exit, the modules loaded since (Node's own start-up left out).
    writeFileSync(
      join(dir, 'loaded.cjs'),
      "const before = new Set(process.moduleLoadList);\nprocess.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));\n",
    );
    // Counts the WebAssembly modules compiled on the main thread (`new WebAssembly.Module`) and those compiled in the background.
    writeFileSync(
      join(dir, 'compiles.cjs'),
      [
        'const counts = { onMainThread: 0, inBackground: 0 };',
        'const { Module, compile } = WebAssembly;',
        'WebAssembly.Module = new Proxy(Module, { construct(target, args) { counts.onMainThread++; return Reflect.construct(target, args); } });',
        'WebAssembly.compile = (...args) => { counts.inBackground++; return compile.apply(WebAssembly, args); };',
        "process.on('exit', () => require('node:fs').writeFileSync(process.env.COMPILES_OUT, JSON.stringify(counts)));",
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const preflight of [false, true]) {
    it(`loads none of Node's modules it does not use${preflight ? ', the listing read and cached too' : ''}`, async () => {
      const out = join(dir, 'loaded.json');
      const args = preflight ? checkArgs().filter((a) => a !== '--no-preflight') : checkArgs();
      const cacheHome = mkdtempSync(join(dir, 'cache-'));
      const run = await runCli(args, { cwd: dir, nodeArgs: ['--require', join(dir, 'loaded.cjs')], env: baseEnv({ LOADED_OUT: out, XDG_CACHE_HOME: cacheHome }) });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).results[0].status, 'free');
      const loaded = new Set((JSON.parse(readFileSync(out, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)));
      assert.ok(loaded.has('net'), 'the list is of this run: it reached the index');
      if (preflight) assert.ok(readdirSync(join(cacheHome, 'pypi-reserve')).some((f) => /^project-list-[0-9a-f]{16}\.txt$/.test(f)), 'the listing was cached');
      assert.deepEqual(
        UNUSED_BY_CHECK.filter((m) => loaded.has(m)),
        [],
      );
    });
  }

  it("uses undici's parser as compiled in the background from the start, compiling none on the main thread", async () => {
    const out = join(dir, 'compiles.json');
    const run = await runCli(checkArgs(), { cwd: dir, nodeArgs: ['--require', join(dir, 'compiles.cjs')], env: baseEnv({ COMPILES_OUT: out }) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).results[0].status, 'free');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { onMainThread: 0, inBackground: 1 });
  });

  it('compiles the parser on the main thread, as undici does, where undici will not take the one with SIMD (UNDICI_NO_WASM_SIMD=1), and still reads the index', async () => {
    const out = join(dir, 'compiles-no-simd.json');
    const run = await runCli(checkArgs(), { cwd: dir, nodeArgs: ['--require', join(dir, 'compiles.cjs')], env: baseEnv({ COMPILES_OUT: out, UNDICI_NO_WASM_SIMD: '1' }) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).results[0].status, 'free');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { onMainThread: 1, inBackground: 0 });
  });

  it('waits at most a little for a parser compile that never ends, then compiles on the main thread and reads the index', async () => {
    writeFileSync(join(dir, 'stalled.cjs'), 'WebAssembly.compile = () => new Promise(() => {});\n');
    const run = await runCli(checkArgs(), { cwd: dir, nodeArgs: ['--require', join(dir, 'stalled.cjs')], env: baseEnv() });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).results[0].status, 'free');
  });

  it('runs where Node has no WebAssembly (--jitless): help as ever, and a check that says at once why it cannot read, asking nothing', async () => {
    const requestsBefore = ((n) => () => n)(server.requests.filter((r) => r.path === '/simple/acme-start-up/').length);
    const help = await runCli(['check', '--help'], { cwd: dir, nodeArgs: ['--jitless'], env: baseEnv() });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: pypi-reserve check/);
    const run = await runCli(checkArgs(), { cwd: dir, nodeArgs: ['--jitless'], env: baseEnv() });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /error: this Node runs without WebAssembly \(--jitless or --no-expose-wasm\), which the HTTP client needs/);
    assert.equal(server.requests.filter((r) => r.path === '/simple/acme-start-up/').length, requestsBefore(), 'nothing was asked of the index');
  });

  it('reads its names from a named pipe whose producer is already waiting (the names file is read synchronously only when it is a regular file)', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(dir, 'names.fifo');
    execFileSync('mkfifo', [fifo]);
    const producer = spawn('sh', ['-c', `printf 'acme-from-pipe\\n' > '${fifo}'`]);
    const produced = new Promise<number | null>((resolve) => producer.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const args = checkArgs().filter((a) => a !== 'acme-start-up');
    const run = await runCli([...args, '-f', fifo], { cwd: dir, env: baseEnv(), timeoutMs: 20_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout).results as { name: string }[]).map((r) => r.name), ['acme-from-pipe']);
    assert.equal(await produced, 0, 'the producer wrote everything');
  });
});

describe("undici's parser compiled ahead", () => {
  it('is the one undici takes: with SIMD unless UNDICI_NO_WASM_SIMD=1, or on ppc64 before Node 24.12 (where UNDICI_NO_WASM_SIMD=0 forces it)', () => {
    assert.equal(undiciTakesSimdParser({}, 'x64', '20.20.2'), true);
    assert.equal(undiciTakesSimdParser({ UNDICI_NO_WASM_SIMD: '1' }, 'x64', '24.22.3'), false);
    assert.equal(undiciTakesSimdParser({}, 'ppc64', '24.11.0'), false);
    assert.equal(undiciTakesSimdParser({}, 'ppc64', '24.12.0'), true);
    assert.equal(undiciTakesSimdParser({}, 'ppc64', '25.0.0'), true);
    assert.equal(undiciTakesSimdParser({ UNDICI_NO_WASM_SIMD: '0' }, 'ppc64', '20.20.2'), true);
  });

  it('is waited for with a timer: a compile under way keeps no process alive (Node 24 ended runs with status 0 having done nothing)', async () => {
    const module = new URL('../src/registry/parser-precompile.js', import.meta.url).href;
    const script = `import { PARSER_SLOT, parserCompiled } from ${JSON.stringify(module)};\nglobalThis[PARSER_SLOT] = { file: 'x.wasm', bytes: new Uint8Array(0), ready: new Promise(() => {}) };\nawait parserCompiled(50);\nconsole.log('waited');\n`;
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { env: baseEnv() });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'waited\n');
  });
});
