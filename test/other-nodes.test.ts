/**
 * scripts/test-on-other-nodes.mjs, the part of `npm test` that runs every spec
 * again on the Node binaries PYPI_RESERVE_TEST_NODES lists (CI: Node 22 and
 * 24). Run here on a package of its own: the script, a package.json with its
 * engines, and one probe spec that says which Node runs it and which `node`
 * it finds on PATH. The "other Node" is this one behind a wrapper that
 * answers --version with a version of its choosing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/github-action.js';

const PROBE_SPEC = `
import { it } from 'node:test';
import { execFileSync } from 'node:child_process';
it('probe', () => {
  process.stdout.write('PROBE path-node=' + execFileSync('node', ['--version'], { encoding: 'utf8' }).trim() + ' NODE=' + process.env.NODE + '\\n');
});
`;

describe('the specs on other Node binaries (scripts/test-on-other-nodes.mjs)', () => {
  let root: string;
  let fakeNode: (version: string) => string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pypi-reserve-other-nodes-'));
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'dist', 'test'), { recursive: true });
    copyFileSync(join(REPO, 'scripts', 'test-on-other-nodes.mjs'), join(root, 'scripts', 'test-on-other-nodes.mjs'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', engines: { node: '>=20.18.1' } }));
    writeFileSync(join(root, 'dist', 'test', 'probe.test.js'), PROBE_SPEC);
    // This Node, answering --version as another would: what `node` on PATH is shows in the probe.
    fakeNode = (version) => {
      const dir = mkdtempSync(join(root, 'bin-'));
      const file = join(dir, `node-${version}`);
      writeFileSync(file, `#!/bin/sh\nif [ "$1" = --version ]; then echo ${version}; exit 0; fi\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const runScript = (list: string | undefined, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'test-on-other-nodes.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(list === undefined ? {} : { PYPI_RESERVE_TEST_NODES: list }), ...env },
    });

  it('runs every spec on each listed Node, with that Node as `node` on PATH and as NODE, whatever its file is called', () => {
    const other = fakeNode('v99.1.2');
    const r = runScript(other);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /the specs on Node v99\.1\.2 \(/);
    assert.match(r.stdout, /PROBE path-node=v99\.1\.2 NODE=\S+node-v99\.1\.2/);
  });

  it('runs a Node listed twice, or by another path to the same file, once', () => {
    const other = fakeNode('v99.1.3');
    const link = join(root, 'link-to-node');
    symlinkSync(other, link);
    const r = runScript([other, link, other].join(':'));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/the specs on Node v99\.1\.3/g)?.length, 1);
  });

  it('takes a relative path from where npm test was started (INIT_CWD), not from the package', () => {
    const other = fakeNode('v99.1.4');
    const started = mkdtempSync(join(root, 'started-'));
    symlinkSync(other, join(started, 'node-here'));
    const r = runScript('./node-here', { INIT_CWD: started });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /the specs on Node v99\.1\.4/);
  });

  it('refuses, naming each, a bare name, a missing file, a binary that is not Node and a Node older than engines, and fails the run', () => {
    const r = runScript(['node', join(root, 'missing', 'node'), '/bin/true', fakeNode('v20.18.0')].join(':'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /lists "node": give the path to a Node binary/);
    assert.match(r.stderr, /lists "[^"]*missing\/node": \S+ cannot be run \(ENOENT\)/);
    assert.match(r.stderr, /lists "\/bin\/true": it answers --version with .*which is not a Node version/);
    assert.match(r.stderr, /it is Node v20\.18\.0; this package supports Node 20\.18\.1 and later/);
    assert.doesNotMatch(r.stdout, /the specs on Node/);
  });

  it('names the Node whose specs failed, and fails the run', () => {
    writeFileSync(join(root, 'dist', 'test', 'zz-failing.test.js'), "import { it } from 'node:test';\nit('fails', () => { throw new Error('on purpose'); });\n");
    try {
      const r = runScript(fakeNode('v99.1.5'));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /error: the specs failed on Node v99\.1\.5 \(\S+\): exit 1/);
    } finally {
      rmSync(join(root, 'dist', 'test', 'zz-failing.test.js'));
    }
  });

  it('skips the Node the specs already ran on, which in CI leaves no other Node: an error there', () => {
    const alone = runScript(process.execPath);
    assert.equal(alone.status, 0, alone.stderr);
    assert.match(alone.stderr, /the Node the specs just ran on: skipped/);
    const inCi = runScript(process.execPath, { CI: '1' });
    assert.equal(inCi.status, 1);
    assert.match(inCi.stderr, /names no Node but the one the specs just ran on/);
  });

  it('without a list: a note outside CI, an error in CI (CI set to anything but empty, as in the rest of the suite)', () => {
    const outside = runScript(undefined);
    assert.equal(outside.status, 0);
    assert.match(outside.stderr, /^note: PYPI_RESERVE_TEST_NODES names no Node binary/);
    assert.equal(runScript(undefined, { CI: '' }).status, 0);
    for (const ci of ['true', '1']) {
      const inCi = runScript('', { CI: ci });
      assert.equal(inCi.status, 1, `CI=${ci}`);
      assert.match(inCi.stderr, /^error: PYPI_RESERVE_TEST_NODES names no Node binary .*CI runs them on Node 22 and 24 too/);
    }
  });
});
