/**
 * What every command says about the names it was given (issue 11, rough edges):
 * one rule for a project given twice (kept once, with one note, in every command),
 * names left out by include/exclude named with their source and reason, a
 * terminal told that `-f -` waits for names, and a long build showing progress.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, runCli } from './support/cli.js';
import { onTerminal, terminalSkip } from './support/terminal.js';
import { workDirs } from './support/work-dirs.js';

const workDir = workDirs('pypi-reserve-names-reporting-test-');

describe('a project given twice', () => {
  it('build keeps it once, in its first spelling, with one note, as check, reserve and export-rules do', async () => {
    const dir = workDir({ 'a.txt': 'Acme.Billing\nacme-auth\n', 'b.txt': 'acme_billing\n' });
    const result = await runCli(['build', '-f', 'a.txt', '-f', 'b.txt', '--owner', 'Acme', '-o', 'out'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['acme_auth-0.0.0.tar.gz', 'acme_billing-0.0.0.tar.gz']);
    assert.match(result.stderr, /^note: b\.txt:1: 'acme_billing' is the same project as 'Acme\.Billing' \(a\.txt:1\); kept once$/m);
    assert.equal(result.stderr.match(/same project/g)?.length, 1);
  });
});

describe('names left out by include/exclude', () => {
  const args = ['build', 'requests', 'acme-a', 'numpy', 'flask', 'django', 'acme-b', 'scipy', 'pandas', 'rich', '--include', 'acme-*', '--owner', 'Acme', '-o', 'out'];

  it('are counted and the first few named, with where each came from and why', async () => {
    const result = await runCli(args, { cwd: workDir() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^note: 7 names left out by include\/exclude: 'requests' \(argument 1: matches no include pattern\), 'numpy' \(argument 3: matches no include pattern\), 'flask' \(argument 4: [^)]*\), 'django' \(argument 5: [^)]*\), 'scipy' \(argument 7: [^)]*\), and 2 more \(--verbose lists every one\)$/m,
    );
  });

  it('are each listed with --verbose, from every source, excluded ones included', async () => {
    const dir = workDir({ 'requirements.txt': 'requests>=2\nacme-internal==1.0\n' });
    const result = await runCli([...args, '--exclude', 'acme-b', '--requirements', 'requirements.txt', '--verbose'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('note: left out by include/exclude: '));
    assert.equal(lines.length, 9, result.stderr);
    assert.ok(lines.includes("note: left out by include/exclude: 'acme-b' (argument 6: matches an exclude pattern)"));
    assert.ok(lines.includes("note: left out by include/exclude: 'requests' (requirements.txt:1: matches no include pattern)"));
  });
});

describe('on an interactive terminal', { skip: terminalSkip() }, () => {
  it('-f - says it reads names from standard input, then reads what is typed', async () => {
    const dir = workDir();
    const result = await onTerminal(
      ['build', '-f', '-', '--owner', 'Acme', '-o', 'out'],
      baseEnv(),
      { prompt: /reading names from standard input/, text: 'acme-typed\r\u0004' },
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.screen);
    assert.match(result.screen, /reading names from standard input, one per line \(end with Ctrl-D\)/);
    assert.deepEqual(readdirSync(join(dir, 'out')), ['acme_typed-0.0.0.tar.gz']);
  });

  it('build shows its progress while it builds and writes, and clears it before the results', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `acme-p${i}`).join('\n');
    const dir = workDir({ 'names.txt': names });
    const result = await onTerminal(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'out'], baseEnv(), undefined, { cwd: dir });
    assert.equal(result.code, 0, result.screen);
    assert.match(result.screen, /building 100\/250/);
    assert.match(result.screen, /writing 250\/250\r\u001b\[2K/);
  });

  it('build shows no progress line in CI', async () => {
    const dir = workDir({ 'names.txt': 'acme-a\n' });
    const result = await onTerminal(['build', '-f', 'names.txt', '--owner', 'Acme', '-o', 'out'], baseEnv({ CI: 'true' }), undefined, { cwd: dir });
    assert.equal(result.code, 0, result.screen);
    assert.doesNotMatch(result.screen, /building|writing/);
  });
});
