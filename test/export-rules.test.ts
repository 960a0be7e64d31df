/**
 * `pypi-reserve export-rules`: proxy rules generated from the private names,
 * through the real CLI. The matching properties of the rules themselves are in
 * export-rules.property.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { need, pythonTools, run, unavailable } from './support/python.js';
import { anyCase, realisticSpellings, spellingPattern } from '../src/rules/spelling.js';
import { requestPathRegex } from '../src/rules/regex.js';
import { artifactoryExcludes } from '../src/rules/artifactory.js';
import type { RulesDocument } from '../src/rules/json.js';
import type { NexusRoutingRule } from '../src/rules/nexus.js';

describe('spelling patterns', () => {
  it('spells letters as two-case classes and keeps digits', () => {
    assert.equal(anyCase('ab1'), '[Aa][Bb]1');
  });

  it('joins the labels of the normalized name with any run of separators', () => {
    assert.equal(spellingPattern('acme-foo'), '[Aa][Cc][Mm][Ee][-_.]+[Ff][Oo][Oo]');
  });

  it('lists the lowercase spellings with -, _ and . separators, once each', () => {
    assert.deepEqual(realisticSpellings('acme-foo'), ['acme-foo', 'acme_foo', 'acme.foo']);
    assert.deepEqual(realisticSpellings('acme'), ['acme']);
  });
});

describe('the regex for one name', () => {
  it('is the documented anchored expression (the README example)', () => {
    assert.equal(
      requestPathRegex('acme-foo'),
      '^(?:[^?#]*/)?(?:\\+?simple/[Aa][Cc][Mm][Ee][-_.]+[Ff][Oo][Oo](?:/(?:index\\.html)?)?' +
        '|pypi/[Aa][Cc][Mm][Ee][-_.]+[Ff][Oo][Oo](?:/[^/?#]+)?/json/?' +
        '|[Aa][Cc][Mm][Ee][_.]+[Ff][Oo][Oo]-[Vv]?[0-9][^-/?#]*-[^/?#]*\\.(?:whl|egg)(?:\\.(?:metadata|asc))?' +
        '|[Aa][Cc][Mm][Ee][-_.]+[Ff][Oo][Oo]-[Vv]?[0-9][^/?#]*\\.(?:tar\\.gz|tar\\.bz2|tar\\.xz|tar\\.Z|tar|tgz|tbz2|tbz|txz|zip|exe|msi|rpm|deb|dmg)(?:\\.(?:metadata|asc))?' +
        ')(?:[?#][\\s\\S]*)?$',
    );
  });

  it('blocks the requests pip and proxies make for the name, and not its neighbours', () => {
    const re = new RegExp(requestPathRegex('acme-foo'));
    for (const p of [
      '/simple/acme-foo/',
      '/simple/Acme_Foo',
      '/simple/ACME..foo/',
      '/pypi/acme.foo/json',
      '/pypi/acme-foo/1.0/json',
      '/packages/ab/cd/0123abcd/acme_foo-1.0.tar.gz',
      '/packages/ab/cd/0123abcd/acme_foo-1.0-py3-none-any.whl',
      '/packages/ab/cd/0123abcd/acme_foo-1.0-py3-none-any.whl.metadata',
      '/packages/ab/cd/0123abcd/Acme-Foo-1.0.zip',
      'https://files.pythonhosted.org/packages/ab/cd/0123abcd/acme_foo-1.0.tar.gz',
    ]) {
      assert.ok(re.test(p), `should block ${p}`);
    }
    for (const p of [
      '/simple/acme-foobar/',
      '/simple/acme-foo-bar/',
      '/simple/acmefoo/',
      '/simple/xacme-foo/',
      '/pypi/acme-foo-bar/json',
      '/packages/ab/cd/0123abcd/acme_foo_bar-1.0.tar.gz',
      '/packages/ab/cd/0123abcd/acme-foo-bar-1.0.tar.gz',
      '/packages/ab/cd/0123abcd/acme_foo_bar-1.0-py3-none-any.whl',
      '/packages/ab/cd/0123abcd/acme_foobar-1.0.tar.gz',
    ]) {
      assert.ok(!re.test(p), `should not block ${p}`);
    }
  });
});

describe('the artifactory patterns for one name', () => {
  it('exclude the lowercase cached page and dist files of each spelling, confined to packages/', () => {
    const patterns = artifactoryExcludes('acme-foo');
    assert.deepEqual(patterns.slice(0, 6), [
      '.pypi/acme-foo.html',
      '.pypi/acme-foo/**',
      '.pypi/acme_foo.html',
      '.pypi/acme_foo/**',
      '.pypi/acme.foo.html',
      '.pypi/acme.foo/**',
    ]);
    assert.equal(patterns.length, 6 + 3 * 10);
    assert.ok(patterns.includes('**/packages/**/acme_foo-1*'));
    assert.ok(patterns.every((p) => p === p.toLowerCase() && !p.includes(',')));
  });
});

// ----------------------------------------------------------------------- CLI

describe('pypi-reserve export-rules (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-export-rules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one regex per name, in input order', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', 'acme-foo', 'Acme.Bar'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [requestPathRegex('acme-foo'), requestPathRegex('acme-bar'), '']);
  });

  it('prints one alternation for all names with --combined', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', '--combined', 'acme-foo', 'acme-bar'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const re = new RegExp(lines[0] as string);
    assert.ok(re.test('/simple/acme-foo/') && re.test('/simple/ACME_BAR/') && !re.test('/simple/acme-baz/'));
  });

  it('prints a Nexus BLOCK routing rule ready for the REST API', async () => {
    const r = await runCli(['export-rules', '--format', 'nexus', '--rule-name', 'block-private-pypi', 'acme-foo', 'acme-bar'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const rule = JSON.parse(r.stdout) as NexusRoutingRule;
    assert.deepEqual(Object.keys(rule), ['name', 'description', 'mode', 'matchers']);
    assert.equal(rule.name, 'block-private-pypi');
    assert.equal(rule.mode, 'BLOCK');
    assert.deepEqual(rule.matchers, [requestPathRegex('acme-foo'), requestPathRegex('acme-bar')]);
    assert.match(rule.description, /2 private Python project names/);
  });

  it('prints the Artifactory excludes pattern as one comma-separated line', async () => {
    const r = await runCli(['export-rules', '--format', 'artifactory', 'acme-foo', 'acme'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${[...artifactoryExcludes('acme-foo'), ...artifactoryExcludes('acme')].join(',')}\n`);
  });

  it('prints every format at once as json, keeping the spelling the user gave', async () => {
    const r = await runCli(['export-rules', '--format', 'json', 'Acme_Foo'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as RulesDocument;
    assert.deepEqual(doc.names, [
      { name: 'Acme_Foo', normalized: 'acme-foo', regex: requestPathRegex('acme-foo'), artifactory: artifactoryExcludes('acme-foo') },
    ]);
    assert.equal(doc.nexus.mode, 'BLOCK');
    assert.deepEqual(doc.nexus.matchers, [requestPathRegex('acme-foo')]);
  });

  it('reads names files and stdin, and lists a project given twice once, with a note', async () => {
    writeFileSync(join(dir, 'names.txt'), '# private\nacme-foo\nacme-bar  # team b\n');
    const r = await runCli(['export-rules', '--format', 'regex', '-f', 'names.txt', '-f', '-'], { cwd: dir, input: 'ACME_FOO\nacme-baz\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), ['acme-foo', 'acme-bar', 'acme-baz'].map(requestPathRegex));
    assert.match(r.stderr, /<stdin>:1: 'ACME_FOO' is the same project as 'acme-foo' \(names\.txt:2\); kept once/);
    assert.equal(r.stderr.match(/same project/g)?.length, 1, 'the note is printed once');
  });

  it('writes --output atomically and says so on stderr, printing nothing on stdout', async () => {
    const out = join(dir, 'rule.json');
    writeFileSync(out, 'old content');
    const r = await runCli(['export-rules', '--format', 'nexus', '-o', 'rule.json', 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /wrote nexus rules for 1 name to rule\.json/);
    assert.deepEqual((JSON.parse(readFileSync(out, 'utf8')) as NexusRoutingRule).matchers, [requestPathRegex('acme-foo')]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('rejects invalid names with exit 2, reporting all of them, and writes nothing', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', '-o', 'never.txt', 'acme-foo', 'bad name', '-', '_x'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /3 problems in the input; nothing was done/);
    assert.match(r.stderr, /argument 2: invalid project name: contains white space/);
    assert.match(r.stderr, /argument 4: invalid project name: starts or ends with punctuation/);
    assert.ok(!existsSync(join(dir, 'never.txt')));
  });

  it('rejects a routing rule name Nexus would refuse, together with bad names', async () => {
    const r = await runCli(['export-rules', '--format', 'nexus', '--rule-name', '_bad name', 'ok', 'not ok'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--rule-name: invalid routing rule name/);
    assert.match(r.stderr, /argument 2: invalid project name/);
  });

  it('requires --format and accepts only the known formats', async () => {
    const missing = await runCli(['export-rules', 'acme-foo'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--format <format>'/);
    const wrong = await runCli(['export-rules', '--format', 'nginx', 'acme-foo'], { cwd: dir });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Allowed choices are nexus, artifactory, artifactory-json, codeartifact, regex, json, uv, poetry, pdm/);
  });

  it('says when an option has no effect on the chosen format', async () => {
    const r = await runCli(['export-rules', '--format', 'artifactory', '--combined', 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /--combined has no effect on the artifactory format/);
  });

  it('creates missing parent directories of -o, as build -o does', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', '-o', join('newdir', 'deeper', 'rules.txt'), 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'newdir', 'deeper', 'rules.txt'), 'utf8'), /\[Aa\]\[Cc\]\[Mm\]\[Ee\]/);
  });

  it('fails with exit 2 and a sentence when -o cannot be written (a file where a directory should be)', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const r = await runCli(['export-rules', '--format', 'regex', '-o', join('plain-file', 'rules.txt'), 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write plain-file\/rules\.txt: /);
    assert.doesNotMatch(r.stderr, /: E[A-Z]+$/m);
  });

  it('fails with no names at all', async () => {
    const r = await runCli(['export-rules', '--format', 'regex'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no names given/);
  });
});

describe('pypi-reserve export-rules: CodeArtifact, Artifactory JSON, Nexus limits, client pins (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-export-more-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the generated script with a stand-in `aws` first on PATH that records each call's arguments. */
  function runWithFakeAws(script: string, env: NodeJS.ProcessEnv = {}): { status: number | null; calls: string[][]; stderr: string } {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(dir, 'aws-calls.log');
    rmSync(log, { force: true });
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\t' "$a"; done >> '${log}'\necho >> '${log}'\n`, { mode: 0o755 });
    const r = spawnSync('sh', ['-c', script], { env: { PATH: `${bin}:${process.env.PATH}`, ...env }, encoding: 'utf8' });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => l.replace(/\t$/, '').split('\t')) : [];
    return { status: r.status, calls, stderr: r.stderr };
  }

  it('prints one CodeArtifact origin-control call per name, with the name normalized as CodeArtifact stores it', async () => {
    const r = await runCli(['export-rules', '--format', 'codeartifact', '--domain', 'acme', '--repository', 'pypi-store', '--domain-owner', '111122223333', 'Acme_Foo', 'acme..bar'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const run = runWithFakeAws(r.stdout);
    assert.equal(run.status, 0, run.stderr);
    const call = (pkg: string) => [
      'codeartifact', 'put-package-origin-configuration', '--domain', 'acme', '--domain-owner', '111122223333', '--repository', 'pypi-store',
      '--format', 'pypi', '--package', pkg, '--restrictions', 'publish=ALLOW,upstream=BLOCK',
    ];
    assert.deepEqual(run.calls, [call('acme-foo'), call('acme-bar')]);
  });

  it('without --domain and --repository, the commands take them from the environment and refuse to run without them', async () => {
    const r = await runCli(['export-rules', '--format', 'codeartifact', 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const unset = runWithFakeAws(r.stdout);
    assert.notEqual(unset.status, 0);
    assert.deepEqual(unset.calls, []);
    assert.match(unset.stderr, /set CODEARTIFACT_DOMAIN or pass --domain/);
    const set = runWithFakeAws(r.stdout, { CODEARTIFACT_DOMAIN: 'acme', CODEARTIFACT_REPOSITORY: 'store' });
    assert.equal(set.status, 0, set.stderr);
    assert.deepEqual(set.calls[0]?.slice(2, 6), ['--domain', 'acme', '--repository', 'store']);
  });

  it('refuses a domain, repository or owner CodeArtifact would refuse, all at once, before printing anything', async () => {
    const r = await runCli(['export-rules', '--format', 'codeartifact', '--domain', 'Acme; rm -rf ~', '--repository', "it's", '--domain-owner', '123', 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /3 problems in the input/);
    assert.match(r.stderr, /--domain: not a CodeArtifact domain \(got "Acme; rm -rf ~"\)/);
    assert.match(r.stderr, /--repository: not a CodeArtifact repository/);
    assert.match(r.stderr, /--domain-owner: not a CodeArtifact domain owner .*\n.*12-digit AWS account ID/);
  });

  it('prints the Artifactory repository configuration body with the excludes pattern', async () => {
    const r = await runCli(['export-rules', '--format', 'artifactory-json', 'acme-foo', 'acme'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { excludesPattern: [...artifactoryExcludes('acme-foo'), ...artifactoryExcludes('acme')].join(',') });
  });

  it('refuses a Nexus rule name over 200 characters and a description over 400 or with a line break', async () => {
    const ok = await runCli(['export-rules', '--format', 'nexus', '--rule-name', 'a'.repeat(200), '--description', 'd'.repeat(400), 'acme'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const long = await runCli(['export-rules', '--format', 'nexus', '--rule-name', 'a'.repeat(201), '--description', 'd'.repeat(401), 'acme'], { cwd: dir });
    assert.equal(long.code, 2);
    assert.match(long.stderr, /--rule-name: routing rule name is 201 characters long; Nexus accepts at most 200/);
    assert.match(long.stderr, /--description: routing rule description is 401 characters long; Nexus accepts at most 400/);
    const broken = await runCli(['export-rules', '--format', 'json', '--description', 'one\ntwo', 'acme'], { cwd: dir });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /--description: routing rule description contains a line break/);
  });

  it('blocks a path whose query string holds a line break (Nexus decodes %0A before matching)', async () => {
    const r = await runCli(['export-rules', '--format', 'nexus', 'acme-foo'], { cwd: dir });
    const [matcher] = (JSON.parse(r.stdout) as NexusRoutingRule).matchers;
    assert.ok(new RegExp(matcher as string).test('/simple/acme-foo/?x=1\ny=2'));
  });

  const python = pythonTools().python;
  const pyprojectOf = (snippet: string) =>
    run(need(python), ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: snippet }).then((p) => {
      assert.equal(p.code, 0, p.stderr);
      return JSON.parse(p.stdout) as { tool: Record<string, Record<string, unknown>> };
    });
  const pinArgs = (format: string) => ['export-rules', '--format', format, '--private-index', 'https://pypi.example.com/simple/', 'Acme_Foo', 'acme-bar'];

  it('pins each name to an explicit uv index (parsed by Python tomllib)', { skip: unavailable(python) }, async () => {
    const r = await runCli(pinArgs('uv'), { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const uv = (await pyprojectOf(r.stdout)).tool.uv as Record<string, unknown>;
    assert.deepEqual(uv.index, [{ name: 'private', url: 'https://pypi.example.com/simple/', explicit: true }]);
    assert.deepEqual(uv.sources, { 'acme-foo': { index: 'private' }, 'acme-bar': { index: 'private' } });
  });

  it('pins each name to an explicit Poetry source (parsed by Python tomllib)', { skip: unavailable(python) }, async () => {
    const r = await runCli([...pinArgs('poetry'), '--private-index-name', 'corp'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const poetry = (await pyprojectOf(r.stdout)).tool.poetry as Record<string, unknown>;
    assert.deepEqual(poetry.source, [{ name: 'corp', url: 'https://pypi.example.com/simple/', priority: 'explicit' }]);
    assert.deepEqual(poetry.dependencies, { 'acme-foo': { version: '*', source: 'corp' }, 'acme-bar': { version: '*', source: 'corp' } });
  });

  it('lists the names in the PDM source include_packages (parsed by Python tomllib)', { skip: unavailable(python) }, async () => {
    const r = await runCli(pinArgs('pdm'), { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const pdm = (await pyprojectOf(r.stdout)).tool.pdm as Record<string, unknown>;
    assert.deepEqual(pdm.source, [{ name: 'private', url: 'https://pypi.example.com/simple/', include_packages: ['acme-foo', 'acme-bar'] }]);
  });

  it('needs --private-index for client pins, and refuses one with credentials (masked) or a bad index name', async () => {
    const missing = await runCli(['export-rules', '--format', 'uv', 'acme'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--private-index: the private index is required for this format/);
    const secret = await runCli(['export-rules', '--format', 'pdm', '--private-index', 'https://me:s3cret@pypi.example.com/simple/', '--private-index-name', 'a b', 'acme'], { cwd: dir });
    assert.equal(secret.code, 2);
    assert.match(secret.stderr, /--private-index: the private index URL holds credentials.*"https:\/\/\*\*\*@pypi\.example\.com\/simple\/"/);
    assert.match(secret.stderr, /--private-index-name: invalid index name/);
    assert.ok(!secret.stderr.includes('s3cret'));
  });

  it('says when a CodeArtifact or client-pin option has no effect on the chosen format', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', '--domain', 'acme', '--private-index', 'https://pypi.example.com/simple/', 'acme'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--domain has no effect on the regex format/);
    assert.match(r.stderr, /--private-index has no effect on the regex format/);
  });
});
