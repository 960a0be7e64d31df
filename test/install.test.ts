/**
 * The package installs safely and runs anywhere: `npm pack` gives a tarball with
 * the compiled program and nothing that runs at install time, and
 * `npm install -g` of that tarball gives a `pypi-reserve` command that works
 * from any directory. README's set-up commands are these.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/github-action.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm's own variables (set when the suite runs under `npm test`) would steer the child npm: leave them out. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('installing the packed tarball', () => {
  let dir: string;
  let tarball: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-install-'));
    // The suite compiled dist/ already; --ignore-scripts skips prepack's second compile of the same files.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], REPO);
    assert.equal(pack.code, 0, pack.stderr);
    const packed = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(packed, `npm pack wrote a tarball: ${pack.stdout}`);
    tarball = join(dir, packed);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs nothing at install time: the compiled program ships, the build happens on pack', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string>; files: string[] };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(manifest.scripts[hook], undefined, `no ${hook} script`);
    assert.match(manifest.scripts.prepack ?? '', /tsc|build/);
    assert.equal(manifest.bin['pypi-reserve'], 'dist/pypi-reserve.cjs');
  });

  it('holds the program, its templates and data, and no sources or specs', async () => {
    const list = await run('tar', ['-tzf', tarball], dir);
    assert.equal(list.code, 0, list.stderr);
    const files = list.stdout.split('\n').filter(Boolean);
    for (const needed of ['package/dist/pypi-reserve.cjs', 'package/dist/src/cli/main.js', 'package/dist/src/index.js', 'package/README.md', 'package/action.yml']) {
      assert.ok(files.includes(needed), `${needed} is packed`);
    }
    assert.ok(files.some((f) => f.startsWith('package/templates/')));
    assert.deepEqual(files.filter((f) => f.startsWith('package/dist/cli/')).map((f) => f.replace(/[0-9a-f]{16}/, 'HASH')).sort(), ['package/dist/cli/llhttp.wasm', 'package/dist/cli/llhttp_simd.wasm', 'package/dist/cli/program-HASH.cjs', 'package/dist/cli/program-HASH.cjs.LEGAL.txt'], 'the program the executable runs (and undici\'s HTTP parser beside it) is packed, and nothing else under dist/cli');
    assert.deepEqual(files.filter((f) => /^package\/(src|test|bench|dist\/test|dist\/bench|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts')), []);
  });

  it('installs into an empty prefix (dependencies from the npm cache) and builds a placeholder from another directory', async () => {
    const prefix = join(dir, 'prefix');
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], dir);
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /install-scripts|prepare/, 'nothing of ours asks to run at install time');
    const bin = join(prefix, 'bin', 'pypi-reserve');
    assert.ok(existsSync(bin));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const env = cleanEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, SOURCE_DATE_EPOCH: '1700000000' });
    const build = await run('pypi-reserve', ['build', 'acme-x', '--owner', 'Example Corp', '-o', 'out'], elsewhere, env);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /^built +\S*acme_x-0\.0\.0\.tar\.gz +sha256:[0-9a-f]{64}/m);
    assert.ok(existsSync(join(elsewhere, 'out', 'acme_x-0.0.0.tar.gz')));
    // `--version` alone is answered before the CLI loads (src/cli/main.ts): the same line the full parser prints.
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['-V'], ['-V', '-V']]) {
      const shown = await run('pypi-reserve', args, elsewhere, env);
      assert.deepEqual([shown.code, shown.stdout, shown.stderr], [0, `${version}\n`, ''], args.join(' '));
    }
  });
});

describe('a damaged installation', () => {
  let copy: string;
  before(() => {
    // The executable, its program and the files the program reads, as a package would hold them.
    copy = mkdtempSync(join(tmpdir(), 'pypi-reserve-damaged-'));
    for (const part of ['package.json', 'dist/pypi-reserve.cjs', 'dist/cli', 'templates', 'data']) cpSync(join(REPO, part), join(copy, part), { recursive: true });
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  async function checkAgainstStandIn(): Promise<Run> {
    const server = createServer((req, res) => {
      if (req.url === '/simple/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"></head><body></body></html>');
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
    try {
      return await run(process.execPath, [join(copy, 'dist', 'pypi-reserve.cjs'), 'check', 'acme-x', '--owner', 'X', '--no-preflight', '--index-url', index], copy, cleanEnv({ PYPI_RESERVE_BACKOFF_SCALE: '0' }));
    } finally {
      server.close();
    }
  }

  it('says so when a file of its own is missing or not the one it was built with, instead of blaming the index', async () => {
    const ok = await checkAgainstStandIn();
    assert.equal(ok.code, 0, ok.stderr);
    for (const damage of ['changed in place', 'cut short', 'missing'] as const) {
      for (const file of ['llhttp.wasm', 'llhttp_simd.wasm']) {
        const path = join(copy, 'dist', 'cli', file);
        const built = readFileSync(join(REPO, 'dist', 'cli', file));
        if (damage === 'missing') rmSync(path);
        else if (damage === 'cut short') writeFileSync(path, built.subarray(0, 100));
        else writeFileSync(path, Buffer.concat([built.subarray(0, 3000), Buffer.from([0xff, 0xfe]), built.subarray(3002)]));
      }
      const broken = await checkAgainstStandIn();
      assert.equal(broken.code, 2, `${damage}: ${broken.stderr}`);
      assert.match(broken.stderr, /error: pypi-reserve is damaged: .*llhttp(_simd)?\.wasm/, damage);
      assert.match(broken.stderr, /hint: reinstall pypi-reserve/);
      assert.doesNotMatch(broken.stderr + broken.stdout, /cannot reach|unknown|retrying/, damage);
    }
  });

  it('says so when only the parser with SIMD is damaged, instead of quietly taking the one without', async () => {
    for (const file of ['llhttp.wasm', 'llhttp_simd.wasm']) cpSync(join(REPO, 'dist', 'cli', file), join(copy, 'dist', 'cli', file));
    const ok = await checkAgainstStandIn();
    assert.equal(ok.code, 0, ok.stderr);
    const built = readFileSync(join(REPO, 'dist', 'cli', 'llhttp_simd.wasm'));
    writeFileSync(join(copy, 'dist', 'cli', 'llhttp_simd.wasm'), Buffer.concat([built.subarray(0, 3000), Buffer.from([0xff, 0xfe]), built.subarray(3002)]));
    const broken = await checkAgainstStandIn();
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /error: pypi-reserve is damaged: .*llhttp_simd\.wasm is not the file it was built with/);
  });
});
