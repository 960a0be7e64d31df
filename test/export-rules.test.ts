/**
 * `pypi-reserve export-rules`: proxy rules generated from the private names,
 * through the real CLI. The matching properties of the rules themselves are in
 * export-rules.property.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
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
        ')(?:[?#].*)?$',
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

  it('requires --format and accepts only the four formats', async () => {
    const missing = await runCli(['export-rules', 'acme-foo'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--format <format>'/);
    const wrong = await runCli(['export-rules', '--format', 'nginx', 'acme-foo'], { cwd: dir });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Allowed choices are nexus, artifactory, regex, json/);
  });

  it('says when an option has no effect on the chosen format', async () => {
    const r = await runCli(['export-rules', '--format', 'artifactory', '--combined', 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /--combined has no effect on the artifactory format/);
  });

  it('fails with exit 2 when the output directory does not exist', async () => {
    const r = await runCli(['export-rules', '--format', 'regex', '-o', join('missing', 'rules.txt'), 'acme-foo'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write missing\/rules\.txt: ENOENT/);
  });

  it('fails with no names at all', async () => {
    const r = await runCli(['export-rules', '--format', 'regex'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no names given/);
  });
});
