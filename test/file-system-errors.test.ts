/**
 * File-system errors (issue 9 item 11, issue 11's raw ENOENT/EISDIR): `build`,
 * `init` and `--report` say which path failed and why in a sentence, `build`
 * lists what was and was not written, and the exit code is the documented one
 * (2 when nothing was done, 1 when some files are on disk), never an internal
 * error with a stack. A full or read-only disk is simulated by a preload that
 * fails `writeFile` with the real errno code (test/support/fs-faults.ts); the
 * other failures are real.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { baseEnv, runCli, type CliResult } from './support/cli.js';
import { workDirs } from './support/work-dirs.js';

const workDir = workDirs('pypi-reserve-fs-errors-test-');
const FS_FAULTS = fileURLToPath(new URL('./support/fs-faults.js', import.meta.url));
const NAMES = Array.from({ length: 100 }, (_, i) => `acme-n${i + 1}`).join('\n');

function buildWithFault(dir: string, fault: string, extra: string[] = []): Promise<CliResult> {
  return runCli(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'out', ...extra], {
    cwd: dir,
    env: baseEnv({ FS_FAULT: fault }),
    nodeArgs: ['--import', FS_FAULTS],
  });
}

function assertNoCrash(result: CliResult): void {
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
}

describe('build on a failing file system', () => {
  it('a disk that fills up after 16 of 100 files: names the file and the cause, lists what was written, exits 1', async () => {
    const dir = workDir({ 'names.txt': NAMES });
    const result = await buildWithFault(dir, 'ENOSPC:16');
    assert.equal(result.code, 1);
    assertNoCrash(result);
    assert.match(result.stderr, /^error: cannot write \S*out\/acme_n\d+-0\.0\.0\.tar\.gz: no space left on the device \(ENOSPC\); 16 of 100 sdists were written$/m);
    assert.equal((result.stderr.match(/^written {6}\S+\.tar\.gz$/gm) ?? []).length, 10);
    assert.match(result.stderr, /^written {6}… and 6 more \(--verbose lists every one\)$/m);
    assert.match(result.stderr, /^not written {2}… and 74 more/m);
    const onDisk = readdirSync(join(dir, 'out'));
    assert.equal(onDisk.length, 16, 'exactly the files reported as written, and no temporary file');

    const verbose = await buildWithFault(dir, 'ENOSPC:0', ['--verbose']);
    assert.equal((verbose.stderr.match(/^not written {2}\S+\.tar\.gz$/gm) ?? []).length, 84, '--verbose lists every file');
    assert.match(verbose.stderr, /0 of 84 sdists were written/);

    const again = await runCli(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'out'], { cwd: dir });
    assert.equal(again.code, 0, 'with space again, the same command finishes the job');
    assert.equal((again.stdout.match(/\(unchanged\)$/gm) ?? []).length, 16);
    assert.equal(readdirSync(join(dir, 'out')).length, 100);
  });

  it('a read-only file system: one sentence, exit 1, nothing on disk', async () => {
    const dir = workDir({ 'names.txt': 'acme-a\nacme-b\n' });
    mkdirSync(join(dir, 'out'));
    const result = await buildWithFault(dir, 'EROFS:0');
    assert.equal(result.code, 1);
    assertNoCrash(result);
    assert.match(result.stderr, /cannot write \S+: the file system is read-only \(EROFS\); 0 of 2 sdists were written/);
    assert.match(result.stderr, /^not written {2}\S+acme_a-0\.0\.0\.tar\.gz$/m);
    assert.deepEqual(readdirSync(join(dir, 'out')), []);
  });

  it('a directory where an sdist should go is refused even with --force, before anything is written (exit 2)', async () => {
    const dir = workDir({ 'names.txt': 'acme-a\nacme-b\n' });
    mkdirSync(join(dir, 'out', 'acme_b-0.0.0.tar.gz'), { recursive: true });
    const result = await runCli(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'out', '--force'], { cwd: dir });
    assert.equal(result.code, 2);
    assertNoCrash(result);
    assert.match(result.stderr, /a directory is in the way of this file \(got "\S+acme_b-0\.0\.0\.tar\.gz"\)/);
    assert.equal(existsSync(join(dir, 'out', 'acme_a-0.0.0.tar.gz')), false);
  });

  it('an output directory below a regular file is refused before anything is written (exit 2)', async () => {
    const dir = workDir({ 'names.txt': 'acme-a\n', 'plain-file': '' });
    const result = await runCli(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'plain-file/deeper/out'], { cwd: dir });
    assert.equal(result.code, 2);
    assertNoCrash(result);
    assert.match(result.stderr, /--output-dir: the output directory cannot be read: a part of the path is a file, not a directory \(ENOTDIR\)/);
  });
});

describe('init on a failing file system', () => {
  it('creates the directories of --config, as build -o does, and its hint names the file', async () => {
    const dir = workDir();
    const result = await runCli(['init', '-c', 'ci/reserve.toml'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(dir, 'ci', 'reserve.toml')));
    assert.match(result.stderr, /pypi-reserve init --check --config ci\/reserve\.toml/);
    const check = await runCli(['init', '--check', '-c', 'ci/reserve.toml'], { cwd: dir });
    assert.equal(check.code, 0, check.stderr);
  });

  it('a file in the way of the directory, or a directory in the way of the file: a sentence, exit 2', async () => {
    const dir = workDir({ 'plain-file': '' });
    mkdirSync(join(dir, 'taken.toml'));
    const below = await runCli(['init', '-c', 'plain-file/x.toml'], { cwd: dir });
    assert.equal(below.code, 2);
    assert.match(below.stderr, /^error: cannot write the config file plain-file\/x\.toml: a part of the path is a file, not a directory \(ENOTDIR\); nothing was written$/m);
    const directory = await runCli(['init', '-c', 'taken.toml', '--force'], { cwd: dir });
    assert.equal(directory.code, 2);
    assert.match(directory.stderr, /^error: cannot write the config file taken\.toml: is a directory \(EISDIR\); nothing was written$/m);
    for (const r of [below, directory]) assertNoCrash(r);
  });

  it('init --check of a missing file says how to create it or name another', async () => {
    const dir = workDir();
    const none = await runCli(['init', '--check'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /hint: .*pypi-reserve init --check --config PATH/);
    const named = await runCli(['init', '--check', '-c', 'ci/missing.toml'], { cwd: dir });
    assert.equal(named.code, 2);
    assert.match(named.stderr, /cannot read config file ci\/missing\.toml: no such file or directory \(ENOENT\)/);
    assert.match(named.stderr, /hint: create it with: pypi-reserve init --config ci\/missing\.toml/);
  });
});

describe('--report', () => {
  it('a report path that is a directory is refused before anything is sent (exit 2)', async () => {
    const dir = workDir();
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'names.txt'), 'acme-a\n');
    const result = await runCli(['check', '-f', 'names.txt', '--owner', 'Acme', '--report', 'reports', '--index-url', 'http://127.0.0.1:9/simple/'], { cwd: dir });
    assert.equal(result.code, 2);
    assertNoCrash(result);
    assert.match(result.stderr, /--report: the report path is a directory; name a file inside it \(got "reports"\)/);
  });
});
