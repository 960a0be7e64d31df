/**
 * Input echoed back in messages (issue 9 items 9 and 12): whatever a config file,
 * a requirements file, a pyproject.toml, a names file or a flag contains, what
 * reaches the terminal or a CI log is printable text on the line it belongs to:
 * no raw control character, no bidirectional override, no line separator, and so
 * no forged GitHub workflow command (`::error …`) and no terminal escape.
 * Inherited object names (`toString`, `constructor`, `__proto__`) are never
 * mistaken for known keys or repositories.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printable, printableLine } from '../src/core/text-rules.js';
import { runCli, type CliResult } from './support/cli.js';
import { workDirs } from './support/work-dirs.js';

const workDir = workDirs('pypi-reserve-echoes-test-');

/** Every character the printable rule must escape, as found in the attacks below. */
const RAW_UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function assertPrintable(result: CliResult): void {
  for (const [name, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    const raw = RAW_UNPRINTABLE.exec(text);
    assert.equal(raw, null, `${name} holds a raw U+${raw?.[0].codePointAt(0)?.toString(16)}: ${JSON.stringify(text)}`);
    for (const line of text.split('\n')) assert.ok(!line.startsWith('::'), `${name} has a forged workflow command: ${line}`);
  }
}

describe('the printable-text rule', () => {
  it('writes controls, line separators, bidi overrides and invisible characters as visible escapes', () => {
    assert.equal(printableLine('a\nb'), 'a\\nb');
    assert.equal(printableLine('\u001b]0;x\u0007'), '\\x1b]0;x\\x07');
    assert.equal(printableLine('x\u2028y\u2029z\u0085'), 'x\\u2028y\\u2029z\\x85');
    assert.equal(printableLine('evil\u202eexe.txt\u2066'), 'evil\\u202eexe.txt\\u2066');
    assert.equal(printableLine('\ufeffname\u00a0'), '\\ufeffname\\xa0');
    assert.equal(printableLine('caf\u00e9 \u2014 ok'), 'caf\u00e9 \u2014 ok');
  });

  it('lays a server text out on one line and cuts it, escaping what is not layout', () => {
    assert.equal(printable('400 Bad\r\n\r\n  Request\t\u001b[31m'), '400 Bad Request \\x1b[31m');
    assert.equal(printable('x'.repeat(600)).length, 500);
  });
});

describe('input echoed in error messages', () => {
  it('an unknown config key cannot forge a workflow command', async () => {
    const dir = workDir({ 'pypi-reserve.toml': 'owner = "Acme"\n"x\\n::error title=Forged::all clear" = 1\n' });
    const result = await runCli(['init', '--check'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pypi-reserve\.toml:2: unknown key 'x\\n::error title=Forged::all clear'/);
    assertPrintable(result);
  });

  it('a -r path and a version specifier with ESC, BEL and OSC are shown escaped', async () => {
    const dir = workDir({ 'requirements.txt': '-r "gone\u001b]0;pwned\u0007\u001b[31m.txt"\nacme>=1.0\u001b[2J\u0007\n' });
    const result = await runCli(['check', '--requirements', 'requirements.txt', '--owner', 'Acme'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /requirements\.txt:1: cannot read requirements file gone\\x1b\]0;pwned\\x07\\x1b\[31m\.txt/);
    assert.match(result.stderr, /requirements\.txt:2: .*>=1\.0\\x1b\[2J\\x07/);
    assertPrintable(result);
  });

  it('an include-group name with escapes and a bidi override is shown escaped', async () => {
    const dir = workDir({
      'pyproject.toml': '[project]\nname = "acme"\n[dependency-groups]\ndev = [{include-group = "x\\u001b[2J\\u202e"}]\n',
    });
    const result = await runCli(['build', '--pyproject', 'pyproject.toml', '--owner', 'Acme'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown group 'x\\x1b\[2J\\u202e'/);
    assertPrintable(result);
  });

  it('U+202E and U+2028 in a names file are shown escaped, with their line', async () => {
    const dir = workDir({ 'names.txt': 'acme-ok\nevil\u202eexe\n@split\u2028::error::x\n' });
    const result = await runCli(['build', '-f', 'names.txt', '--owner', 'Acme'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /names\.txt:2: .*evil\\u202eexe/);
    assert.match(result.stderr, /names\.txt:3: .*@split\\u2028::error::x/);
    assertPrintable(result);
  });

  it('a BOM or a no-break space inside a names-file line is an error at its line; a leading file BOM is fine', async () => {
    const dir = workDir({ 'names.txt': '\ufeffacme-first\nacme-nbsp\u00a0\n\ufeffacme-bom\n', 'more.txt': '\ufeffacme-other\n' });
    const result = await runCli(['build', '-f', 'names.txt', '-f', 'more.txt', '--owner', 'Acme'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /names\.txt:2: invalid project name: contains an invisible character \(U\+00A0\)/);
    assert.match(result.stderr, /names\.txt:3: invalid project name: contains an invisible character \(U\+FEFF\)/);
    assert.doesNotMatch(result.stderr, /names\.txt:1|more\.txt/);
    assertPrintable(result);
  });
});

describe('inherited object names', () => {
  it('config keys toString, constructor and __proto__ are unknown keys', async () => {
    const dir = workDir({
      'pypi-reserve.toml': 'owner = "Acme"\ntoString = "x"\nconstructor = 2\n"__proto__" = "y"\n[sources]\nconstructor = ["a"]\n',
    });
    const result = await runCli(['init', '--check'], { cwd: dir });
    assert.equal(result.code, 2);
    for (const [line, key] of [
      [2, "'toString'"],
      [3, "'constructor'"],
      [4, "'__proto__'"],
      [6, "'constructor' in \\[sources\\]"],
    ] as const) {
      assert.match(result.stderr, new RegExp(`pypi-reserve\\.toml:${line}: unknown key ${key}`));
    }
  });

  for (const name of ['constructor', 'toString', '__proto__']) {
    it(`--repository ${name} is an unknown repository, listing the known ones`, async () => {
      const result = await runCli(['check', 'acme-x', '--owner', 'Acme', '--repository', name], { cwd: workDir() });
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`--repository: unknown repository '${name}'`));
      assert.match(result.stderr, /known repositories: pypi, testpypi/);
      assert.doesNotMatch(result.stderr, /0 problems/);
    });
  }

  it('--repository lists each known repository once, though .pypirc has [pypi] and [testpypi] too', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'rc'), '[distutils]\nindex-servers = pypi testpypi private\n[pypi]\nusername = __token__\n[testpypi]\nusername = __token__\n[private]\nrepository = https://private.example/legacy/\n');
    const result = await runCli(['check', 'acme-x', '--owner', 'Acme', '--repository', 'nope', '--pypirc', 'rc'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /known repositories: pypi, testpypi, private \(/);
  });
});
