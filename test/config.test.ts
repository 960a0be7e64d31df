/**
 * The config file `pypi-reserve.toml`: how it is found, how every mistake in it
 * is reported at once with its line, and `pypi-reserve init`, which writes a
 * starter file that loads cleanly and never overwrites without --force.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { scanKeyLines } from '../src/config/key-lines.js';
import { STARTER_CONFIG } from '../src/config/starter.js';
import { closestKey } from '../src/config/suggest.js';
import { SOURCE_KEYS, TOP_KEYS } from '../src/config/schema.js';
import { baseEnv, runCli } from './support/cli.js';
import { workDirs } from './support/work-dirs.js';
import { problemsOf } from './support/input-errors.js';

const workDir = workDirs('pypi-reserve-config-test-');


/** The starter file with every `# key = value` line and the `# [sources]` header uncommented. */
function uncommented(text: string): string {
  return text.replace(/^# ([a-z-]+ = .*)$/gm, '$1').replace(/^# (\[sources\])$/m, '$1');
}

const BAD_CONFIG = [
  'ownr = "Acme"', // 1: typo
  'contact = "security@acme.example"', // 2: fine
  'max-new = "4"', // 3: a string
  'url = "ftp://acme.example/"', // 4: not http(s)
  'owner = "Acme\\nSecurity"', // 5: line break
  'version = 1.0', // 6: not a string
  'include = ["acme-*"]', // 7: belongs in [sources]
  '',
  '[sources]', // 9
  'requirments = "requirements.txt"', // 10: typo
  'include = [', // 11
  '  "acme-*",', // 12
  '  "",', // 13: empty glob
  ']',
  'exclude = 3', // 15: wrong type
  'from-index = ["https://user:hunter2@nexus.example/simple/"]', // 16: a secret in the file
].join('\n');

describe('loading the config file', () => {
  it('is optional: no file in the working directory means no values', async () => {
    assert.equal(await loadConfig({ cwd: workDir() }), undefined);
  });

  it('must exist when named with --config', async () => {
    const problems = await problemsOf(loadConfig({ path: 'missing.toml', cwd: workDir() }));
    assert.deepEqual(problems.map((p) => [p.code, p.source]), [['E_CONFIG_MISSING', '--config']]);
  });

  it('reports every unknown key, wrong type and bad value at once, each with file:line', async () => {
    const cwd = workDir({ 'pypi-reserve.toml': BAD_CONFIG });
    const problems = await problemsOf(loadConfig({ cwd }));
    assert.deepEqual(
      problems.map((p) => [p.code, p.source]),
      [
        ['E_CONFIG_UNKNOWN_KEY', 'pypi-reserve.toml:1'],
        ['E_CONFIG_TYPE', 'pypi-reserve.toml:3'],
        ['E_CONFIG_VALUE', 'pypi-reserve.toml:4'],
        ['E_CONFIG_VALUE', 'pypi-reserve.toml:5'],
        ['E_CONFIG_TYPE', 'pypi-reserve.toml:6'],
        ['E_CONFIG_UNKNOWN_KEY', 'pypi-reserve.toml:7'],
        ['E_CONFIG_UNKNOWN_KEY', 'pypi-reserve.toml:10'],
        ['E_CONFIG_VALUE', 'pypi-reserve.toml:13'],
        ['E_CONFIG_TYPE', 'pypi-reserve.toml:15'],
        ['E_CONFIG_SECRET', 'pypi-reserve.toml:16'],
      ],
    );
    const hints = problems.map((p) => p.hint ?? '');
    assert.match(hints[0] ?? '', /did you mean 'owner'\?/);
    assert.match(hints[1] ?? '', /max-new = 4 without quotes/);
    assert.match(hints[5] ?? '', /belongs in the \[sources\] table/);
    assert.match(hints[6] ?? '', /did you mean 'requirements'\?/);
    assert.ok(!JSON.stringify(problems).includes('hunter2'), 'the secret is never echoed');
  });

  it('reports a negative max-new and a TOML syntax error with its line', async () => {
    const negative = await problemsOf(loadConfig({ cwd: workDir({ 'pypi-reserve.toml': 'owner = "A"\nmax-new = -1\n' }) }));
    assert.deepEqual(negative.map((p) => [p.code, p.source]), [['E_CONFIG_VALUE', 'pypi-reserve.toml:2']]);
    const syntax = await problemsOf(loadConfig({ cwd: workDir({ 'pypi-reserve.toml': 'owner = "A"\ncontact = "unterminated\n' }) }));
    assert.deepEqual(syntax.map((p) => [p.code, p.source]), [['E_CONFIG_SYNTAX', 'pypi-reserve.toml:2']]);
  });

  it('resolves paths against the file’s directory, accepts one string for a list, and records lines', async () => {
    const cwd = workDir({
      'conf/custom.toml': [
        '"owner" = "Acme"',
        'max-new = 3',
        'sources.names-files = ["names.txt", "-"]',
        'sources.requirements = "reqs/../reqs/requirements.txt"',
        "sources.from-index = 'https://nexus.example/repository/pypi/simple/'",
        'sources."index-credentials-env" = "PYPI_RESERVE_NEXUS_AUTH"',
      ].join('\n'),
    });
    const config = await loadConfig({ path: 'conf/custom.toml', cwd });
    assert.ok(config);
    assert.equal(config.owner, 'Acme');
    assert.equal(config.maxNew, 3);
    assert.deepEqual(config.sources, {
      namesFiles: [join(cwd, 'conf/names.txt'), '-'],
      requirements: [join(cwd, 'conf/reqs/requirements.txt')],
      fromIndex: ['https://nexus.example/repository/pypi/simple/'],
      indexCredentialsEnv: 'PYPI_RESERVE_NEXUS_AUTH',
    });
    assert.equal(config.lines['owner'], 1);
    assert.equal(config.lines['sources.names-files'], 3);
    assert.equal(config.lines['sources.index-credentials-env'], 6);
  });

  it('refuses a path that leaves the config file\'s directory (absolute, .., a symbolic link out), at its line', async () => {
    const cwd = workDir({
      'outside/awskeys': 'AKIAEXAMPLEKEY\n',
      'conf/pypi-reserve.toml': [
        '[sources]',
        'names-files = [',
        '  "/home/u/.ssh/id_ed25519",',
        '  "../outside/awskeys",',
        '  "link/awskeys",',
        '  "names.txt",',
        ']',
        'pyproject = "sub/../../outside"',
      ].join('\n'),
    });
    symlinkSync(join(cwd, 'outside'), join(cwd, 'conf/link'));
    const problems = await problemsOf(loadConfig({ path: 'conf/pypi-reserve.toml', cwd }));
    assert.deepEqual(
      problems.map((p) => [p.code, p.source]),
      [
        ['E_CONFIG_PATH', 'conf/pypi-reserve.toml:3'],
        ['E_CONFIG_PATH', 'conf/pypi-reserve.toml:4'],
        ['E_CONFIG_PATH', 'conf/pypi-reserve.toml:5'],
        ['E_CONFIG_PATH', 'conf/pypi-reserve.toml:8'],
      ],
    );
    assert.match(problems[0]!.message, /'names-files' item 1 is an absolute path/);
    assert.match(problems[3]!.message, /'pyproject' item 1 leaves the config file's directory/);
  });
});

describe('finding the line of a key', () => {
  it('handles tables, dotted and quoted keys, and ignores look-alikes inside strings and arrays', () => {
    const lines = scanKeyLines(
      ['note = """', 'owner = not a key', '"""', 'a.b = 1', 'list = [', '  "x = 1",', ']', "[ 'sources' ]", '"include" = []', 'sources2 = { exclude = [] }'].join('\n'),
    );
    assert.equal(lines.get('note'), 1);
    assert.equal(lines.has('owner'), false);
    assert.equal(lines.get('a.b'), 4);
    assert.equal(lines.get('list'), 5);
    assert.equal(lines.get('sources'), 8);
    assert.equal(lines.get('sources.include'), 9);
    assert.equal(lines.get('sources.sources2'), 10);
  });
});

describe('did-you-mean suggestions', () => {
  it('suggest the closest key for a typo, forgive underscores and case, and stay quiet for other words', () => {
    assert.equal(closestKey('ownr', Object.keys(TOP_KEYS)), 'owner');
    assert.equal(closestKey('max_new', Object.keys(TOP_KEYS)), 'max-new');
    assert.equal(closestKey('Contact', Object.keys(TOP_KEYS)), 'contact');
    assert.equal(closestKey('exlcude', Object.keys(SOURCE_KEYS)), 'exclude');
    assert.equal(closestKey('colour', Object.keys(TOP_KEYS)), undefined);
  });
});

describe('the starter file', () => {
  it('loads cleanly as written and sets nothing', async () => {
    const config = await loadConfig({ cwd: workDir({ 'pypi-reserve.toml': STARTER_CONFIG }) });
    assert.ok(config);
    assert.deepEqual(config.lines, {});
  });

  it('documents every key with an example that is valid once uncommented', async () => {
    const config = await loadConfig({ cwd: workDir({ 'pypi-reserve.toml': uncommented(STARTER_CONFIG) }) });
    assert.ok(config);
    const set = Object.keys(config.lines).filter((k) => k !== 'sources');
    const documented = [...Object.keys(TOP_KEYS), ...Object.keys(SOURCE_KEYS).map((k) => `sources.${k}`)];
    assert.deepEqual(set.sort(), documented.sort());
  });
});

describe('pypi-reserve init', () => {
  const init = (args: string[], cwd: string) => runCli(['init', ...args], { cwd, env: baseEnv() });

  it('writes the starter file, which `init --check` then accepts', async () => {
    const cwd = workDir();
    const written = await init([], cwd);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, 'wrote pypi-reserve.toml\n');
    assert.equal(readFileSync(join(cwd, 'pypi-reserve.toml'), 'utf8'), STARTER_CONFIG);
    assert.deepEqual(readdirSync(cwd), ['pypi-reserve.toml'], 'no temporary file is left behind');
    const checked = await init(['--check'], cwd);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /pypi-reserve\.toml: ok \(sets nothing\)/);
  });

  it('refuses to overwrite an existing file, leaving it untouched', async () => {
    const cwd = workDir({ 'pypi-reserve.toml': 'owner = "Mine"\n' });
    const result = await init([], cwd);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /already exists/);
    assert.match(result.stderr, /--force/);
    assert.equal(readFileSync(join(cwd, 'pypi-reserve.toml'), 'utf8'), 'owner = "Mine"\n');
    assert.deepEqual(readdirSync(cwd), ['pypi-reserve.toml']);
  });

  it('replaces an existing file with --force', async () => {
    const cwd = workDir({ 'pypi-reserve.toml': 'owner = "Mine"\n' });
    const result = await init(['--force'], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(cwd, 'pypi-reserve.toml'), 'utf8'), STARTER_CONFIG);
  });

  it('`init --check` with no file to check says so and exits 2', async () => {
    const result = await init(['--check'], workDir());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no pypi-reserve\.toml in this directory/);
  });

  it('writes where --config says', async () => {
    const cwd = workDir({ 'ci/.keep': '' });
    const result = await init(['--config', 'ci/reserve.toml'], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(cwd, 'ci/reserve.toml'), 'utf8'), STARTER_CONFIG);
  });

  it('round trip: after editing in typos, `init --check` lists every problem with file:line and exits 2', async () => {
    const cwd = workDir();
    assert.equal((await init([], cwd)).code, 0);
    const file = join(cwd, 'pypi-reserve.toml');
    const edited = uncommented(readFileSync(file, 'utf8'))
      .replace('owner = ', 'ownr = ')
      .replace('max-new = 4', 'max-new = "4"')
      .replace('include = [', 'includ = [');
    writeFileSync(file, edited);
    const lineOf = (needle: string): number => edited.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    const result = await init(['--check'], cwd);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /3 problems in the input/);
    assert.ok(result.stderr.includes(`pypi-reserve.toml:${lineOf('ownr')}: unknown key 'ownr'`), result.stderr);
    assert.ok(result.stderr.includes(`pypi-reserve.toml:${lineOf('max-new')}: 'max-new' must be a whole number`), result.stderr);
    assert.ok(result.stderr.includes(`pypi-reserve.toml:${lineOf('includ ')}: unknown key 'includ' in [sources]`), result.stderr);
    assert.match(result.stderr, /did you mean 'include'\?/);
  });
});

describe('values init --check refuses, as every command does', () => {
  it('a url, repository-url or index-url with credentials is refused, and shown masked', async () => {
    const cwd = workDir({
      'pypi-reserve.toml': [
        'owner = "Acme"',
        'url = "https://bob:s3cret-page@acme.example/security"',
        'repository-url = "https://ci:s3cret-upload@upload.acme.example/legacy/"',
        'index-url = "https://ci:s3cret-index@acme.example/simple/"',
      ].join('\n'),
    });
    for (const args of [['init', '--check'], ['build', 'acme-x']]) {
      const result = await runCli(args, { cwd, env: baseEnv() });
      assert.equal(result.code, 2);
      assert.doesNotMatch(result.stderr + result.stdout, /s3cret/);
      assert.match(result.stderr, /pypi-reserve\.toml:2: 'url' has credentials in the URL; .* \(got "https:\/\/\*\*\*@acme\.example\/security"\)/);
      assert.match(result.stderr, /pypi-reserve\.toml:3: 'repository-url' has credentials/);
      assert.match(result.stderr, /pypi-reserve\.toml:4: 'index-url' has credentials/);
    }
  });

  it('a --url flag with credentials is refused and shown masked', async () => {
    const result = await runCli(['build', 'acme-x', '--owner', 'Acme', '--url', 'https://bob:s3cret@acme.example/x'], { cwd: workDir(), env: baseEnv() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--url: url must not contain credentials \(got "https:\/\/\*\*\*@acme\.example\/x"\)/);
    assert.doesNotMatch(result.stderr, /s3cret/);
  });

  it('init --check reports a contact and a version PyPI refuses together with the other problems, each at its line', async () => {
    const cwd = workDir({ 'pypi-reserve.toml': 'owner = "Acme"\ncontact = "sec@acme.local"\nversion = "1.0+local"\nmax-nwe = 4\n' });
    const result = await runCli(['init', '--check'], { cwd, env: baseEnv() });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /3 problems in the input/);
    assert.match(result.stderr, /pypi-reserve\.toml:2: contact is not an e-mail address PyPI accepts/);
    assert.match(result.stderr, /pypi-reserve\.toml:3: invalid version: local versions \(with "\+"\) are not allowed on PyPI/);
    assert.match(result.stderr, /pypi-reserve\.toml:4: .*max-nwe/);
  });

  it('an empty list in [sources] is reported with its line, not left to fail later as "no names given"', async () => {
    const cwd = workDir({ 'pypi-reserve.toml': 'owner = "Acme"\n[sources]\nrequirements = []\ninclude = []\n' });
    const result = await runCli(['init', '--check'], { cwd, env: baseEnv() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pypi-reserve\.toml:3: 'requirements' is an empty list/);
    assert.match(result.stderr, /pypi-reserve\.toml:4: 'include' is an empty list/);
  });
});
