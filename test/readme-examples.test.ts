/**
 * README's example output comes from real runs: scripts/readme-examples.mjs
 * re-runs every marked example and fails when a block drifts from what its
 * command prints; `--write` brings the blocks up to date.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/github-action.js';

const SCRIPT = join(REPO, 'scripts', 'readme-examples.mjs');

function examples(args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
}

describe('README examples', () => {
  it('every marked example in README.md is what its command prints', () => {
    const r = examples([]);
    assert.equal(r.status, 0, `${r.stderr}\n(after an intended output change: node scripts/readme-examples.mjs --write)`);
    assert.match(r.stdout, /every example matches its command/);
  });
});

describe('the README examples script', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-readme-ex-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const stale = [
    '# Demo',
    '',
    '<!-- example: pypi-reserve export-rules --format regex acme -->',
    '```console',
    '$ pypi-reserve export-rules --format regex acme',
    'an old regex',
    '```',
    '',
    'Between the examples.',
    '',
    "<!-- example: pypi-reserve build 'bad name' 2>&1 -->",
    '```text',
    'old error',
    'on two lines',
    '```',
    '',
    '<!-- example: SOURCE_DATE_EPOCH=1700000000 pypi-reserve build acme-x --owner "Example Corp" -->',
    '```text',
    '```',
    '',
  ].join('\n');

  it('lists each drifted block with its line and command, exits 1 and leaves the file as it was', () => {
    const file = join(dir, 'stale.md');
    writeFileSync(file, stale);
    const r = examples(['--readme', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /3 examples no longer match their commands \(run with --write to update\)/);
    assert.match(r.stderr, /line 3: pypi-reserve export-rules --format regex acme\n {4}block line 2:\n {6}README: "an old regex"/);
    assert.match(r.stderr, /line 11: pypi-reserve build 'bad name' 2>&1/);
    assert.equal(readFileSync(file, 'utf8'), stale);
  });

  it('--write replaces each block with the real output (stderr with 2>&1, the prompt line kept, NAME=value as environment), and then the check passes', () => {
    const file = join(dir, 'written.md');
    writeFileSync(file, stale);
    const w = examples(['--write', '--readme', file]);
    assert.equal(w.status, 0, w.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /```console\n\$ pypi-reserve export-rules --format regex acme\n\^\(\?:\[\^\?#\]\*\/\)\?.*\$\n```/);
    assert.match(text, /```text\nerror: 2 problems in the input; nothing was done:\n {2}- argument 1: invalid project name: contains white space/);
    assert.match(text, /```text\nbuilt {14}\/tmp\/readme-ex\/dist\/acme_x-0\.0\.0\.tar\.gz {2}sha256:[0-9a-f]{64}\n```/);
    assert.match(text, /\n\nBetween the examples\.\n\n/);
    const again = examples(['--readme', file]);
    assert.equal(again.status, 0, again.stderr);
    // The same input gives the same bytes: a second --write changes nothing.
    assert.equal(examples(['--write', '--readme', file]).status, 0);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('refuses a marker without a fenced block after it, or a command that is not pypi-reserve', () => {
    const lonely = join(dir, 'lonely.md');
    writeFileSync(lonely, '<!-- example: pypi-reserve build x -->\nno block here\n');
    const r1 = examples(['--readme', lonely]);
    assert.notEqual(r1.status, 0);
    assert.match(r1.stderr, /line 1: an example marker must be followed by a fenced block/);
    const other = join(dir, 'other.md');
    writeFileSync(other, '<!-- example: rm -rf / -->\n```\n```\n');
    const r2 = examples(['--readme', other]);
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr, /an example command is pypi-reserve/);
  });
});
