/**
 * `pypi-reserve build`, end to end through the real CLI: what it writes, what
 * the archives look like byte by byte, and how it refuses bad input without
 * writing anything.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { extract } from 'tar-stream';
import { baseEnv, runCli, type CliResult } from './support/cli.js';

const OWNER = 'Example Corp';
const DEFAULT_MTIME = 315532800; // 1980-01-01, used when SOURCE_DATE_EPOCH is unset
const FILES_IN_SDIST = ['PKG-INFO', 'README.md', 'pypi_reserve_placeholder.py', 'pyproject.toml', 'setup.py'];

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'pypi-reserve-build-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh working directory for one test. */
function workDir(): string {
  const dir = join(root, String(++counter));
  mkdirSync(dir);
  return dir;
}

function build(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  return runCli(['build', ...args], { cwd: options.cwd, env: baseEnv(options.env), ...(options.input !== undefined ? { input: options.input } : {}) });
}

interface ArchiveMember {
  header: { name: string; type: string | null; mode: number | null; uid: number | null; gid: number | null; uname: string | null; gname: string | null; mtime: Date | null };
  body: Buffer;
}

/** Reads a .tar.gz with an independent reader (tar-stream extract, fflate gunzip). */
async function readArchive(bytes: Uint8Array): Promise<ArchiveMember[]> {
  const ex = extract();
  ex.end(Buffer.from(gunzipSync(bytes)));
  const members: ArchiveMember[] = [];
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    members.push({ header: entry.header as ArchiveMember['header'], body: Buffer.concat(chunks) });
  }
  return members;
}

/** Every file under a directory with its content hash and mtime: a snapshot to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    out[name] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ino=${st.ino} mtime=${st.mtimeMs}`;
  }
  return out;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('build writes one sdist per name, named as PEP 625 and PyPI require', () => {
  it('names awkward spellings by their normalized, underscored form', async () => {
    const cwd = workDir();
    const r = await build(['Foo.Bar_baz', 'A', 'x--y', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(cwd, 'out')).sort(), ['a-0.0.0.tar.gz', 'foo_bar_baz-0.0.0.tar.gz', 'x_y-0.0.0.tar.gz']);
    assert.match(r.stdout, /^built\s+\S+foo_bar_baz-0\.0\.0\.tar\.gz\s+sha256:[0-9a-f]{64}$/m);
  });

  it('uses the PEP 440-normalized version in the file name and top directory', async () => {
    const cwd = workDir();
    for (const [given, normalized] of [
      ['1.0-alpha', '1.0a0'],
      ['v1.0', '1.0'],
      ['0.0.1', '0.0.1'],
      ['1.0.0.RC1', '1.0.0rc1'],
    ] as const) {
      const r = await build(['x', '--owner', OWNER, '--version', given, '-o', given], { cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(join(cwd, given)), [`x-${normalized}.tar.gz`]);
      const members = await readArchive(readFileSync(join(cwd, given, `x-${normalized}.tar.gz`)));
      const pkgInfo = members.find((m) => m.header.name === `x-${normalized}/PKG-INFO`);
      assert.ok(pkgInfo, `x-${normalized}/PKG-INFO is in the archive`);
      assert.match(pkgInfo.body.toString('utf8'), new RegExp(`^Version: ${normalized.replace(/\./g, '\\.')}$`, 'm'));
    }
  });

  it('writes into ./dist when no --output-dir is given', async () => {
    const cwd = workDir();
    const r = await build(['x', '--owner', OWNER], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(cwd, 'dist')), ['x-0.0.0.tar.gz']);
  });
});

describe("the archive obeys PyPI's archive rules and is reproducible in every byte", () => {
  const names = ['Foo.Bar_baz', 'A', 'x--y'];
  let out: string;
  before(async () => {
    const cwd = workDir();
    const r = await build([...names, '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    out = join(cwd, 'out');
  });

  for (const [name, base] of [
    ['Foo.Bar_baz', 'foo_bar_baz-0.0.0'],
    ['A', 'a-0.0.0'],
    ['x--y', 'x_y-0.0.0'],
  ] as const) {
    it(`${name}: one top-level directory ${base}/ with PKG-INFO at ${base}/PKG-INFO, no ./ prefixes`, async () => {
      const members = await readArchive(readFileSync(join(out, `${base}.tar.gz`)));
      assert.deepEqual(
        members.map((m) => m.header.name),
        [`${base}/`, ...FILES_IN_SDIST.map((f) => `${base}/${f}`)],
      );
      for (const m of members) {
        assert.ok(!m.header.name.startsWith('./') && !m.header.name.startsWith('/'), m.header.name);
        assert.ok(!m.header.name.split('/').includes('..'), m.header.name);
      }
      const pkgInfo = members.find((m) => m.header.name === `${base}/PKG-INFO`)!.body.toString('utf8');
      assert.match(pkgInfo, /^Metadata-Version: 2\.2\nName: /);
      assert.match(pkgInfo, new RegExp(`^Name: ${name.replace(/\./g, '\\.')}$`, 'm'));
    });

    it(`${name}: members are plain, owned by nobody, 0755/0644, all at one fixed time`, async () => {
      const members = await readArchive(readFileSync(join(out, `${base}.tar.gz`)));
      for (const { header } of members) {
        const isDir = header.name.endsWith('/');
        assert.equal(header.type, isDir ? 'directory' : 'file', header.name);
        assert.equal(header.mode, isDir ? 0o755 : 0o644, header.name);
        assert.equal(header.uid, 0);
        assert.equal(header.gid, 0);
        assert.equal(header.uname, '');
        assert.equal(header.gname, '');
        assert.equal(header.mtime?.getTime(), DEFAULT_MTIME * 1000);
      }
    });

    it(`${name}: the gzip header holds no time and no file name`, () => {
      const bytes = readFileSync(join(out, `${base}.tar.gz`));
      assert.deepEqual([...bytes.subarray(0, 3)], [0x1f, 0x8b, 8], 'gzip magic and deflate');
      assert.equal(bytes[3]! & 0x08, 0, 'FNAME flag is clear');
      assert.equal(bytes[3], 0, 'no optional header fields at all');
      assert.deepEqual([...bytes.subarray(4, 8)], [0, 0, 0, 0], 'MTIME is zero');
    });
  }

  it('two builds of the same input are byte-identical, whatever the time zone or directory', async () => {
    const cwd = workDir();
    const r = await build([...names, '--owner', OWNER, '-o', 'again'], { cwd, env: { TZ: 'Pacific/Kiritimati' } });
    assert.equal(r.code, 0, r.stderr);
    for (const file of readdirSync(out)) {
      assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(cwd, 'again', file))), file);
    }
  });

  it('SOURCE_DATE_EPOCH sets every member time, changes the bytes, and is itself reproducible', async () => {
    const cwd = workDir();
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = await build(['A', '--owner', OWNER, '-o', 'one'], { cwd, env });
    const second = await build(['A', '--owner', OWNER, '-o', 'two'], { cwd, env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const one = readFileSync(join(cwd, 'one', 'a-0.0.0.tar.gz'));
    assert.ok(one.equals(readFileSync(join(cwd, 'two', 'a-0.0.0.tar.gz'))), 'same epoch, same bytes');
    assert.ok(!one.equals(readFileSync(join(out, 'a-0.0.0.tar.gz'))), 'another epoch, other bytes');
    for (const { header } of await readArchive(one)) assert.equal(header.mtime?.getTime(), 1_700_000_000_000);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not a whole number of seconds, writing nothing', async () => {
    const cwd = workDir();
    const r = await build(['A', '--owner', OWNER, '-o', 'out'], { cwd, env: { SOURCE_DATE_EPOCH: '17e8' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /SOURCE_DATE_EPOCH must be a whole number/);
    assert.equal(existsSync(join(cwd, 'out')), false);
  });
});

// Each case has its own directory, so they run side by side.
describe('bad input is reported all at once, exits 2 and writes nothing', { concurrency: true }, () => {
  /** Runs build expecting refusal: exit 2, the output directory never created, stderr returned. */
  async function refused(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; files?: Record<string, string | Buffer> } = {}) {
    const cwd = workDir();
    for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(cwd, name), content);
    const r = await build([...args, '-o', 'out'], { cwd, ...options });
    assert.equal(r.code, 2, `exit 2 expected\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing on stdout');
    assert.equal(existsSync(join(cwd, 'out')), false, 'output directory not created');
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'a message, not a stack trace');
    return r.stderr;
  }

  it('an empty name', async () => {
    assert.match(await refused(['', '--owner', OWNER]), /argument 1: empty project name/);
  });

  it('a name with white space', async () => {
    assert.match(await refused(['bad name', '--owner', OWNER]), /argument 1: invalid project name: contains white space \(got "bad name"\)/);
  });

  it('names starting or ending with punctuation, with the file and line of each', async () => {
    const stderr = await refused(['-f', 'names.txt', '--owner', OWNER], { files: { 'names.txt': 'ok\n-foo\nfoo.\n_x_\n' } });
    assert.match(stderr, /^error: 3 problems in the input; nothing was done:$/m);
    assert.match(stderr, /names\.txt:2: invalid project name: starts or ends with punctuation \(got "-foo"\)/);
    assert.match(stderr, /names\.txt:3: .*\(got "foo\."\)/);
    assert.match(stderr, /names\.txt:4: .*\(got "_x_"\)/);
  });

  it('a non-ASCII name', async () => {
    assert.match(await refused(['café', '--owner', OWNER]), /argument 1: invalid project name: contains non-ASCII characters \(got "café"\)/);
  });

  it('a name with a control character (from a file)', async () => {
    assert.match(await refused(['-f', 'n.txt', '--owner', OWNER], { files: { 'n.txt': 'a\u001bb\n' } }), /n\.txt:1: invalid project name: contains a control character/);
  });

  it('a names file that does not exist, or is a directory', async () => {
    const stderr = await refused(['-f', 'missing.txt', '-f', '.', '--owner', OWNER]);
    assert.match(stderr, /^error: 2 problems in the input/m);
    assert.match(stderr, /^ {2}- missing\.txt: cannot read names file/m);
    assert.match(stderr, /^ {2}- \.: cannot read names file/m);
  });

  it('no names at all', async () => {
    assert.match(await refused(['--owner', OWNER]), /no names given/);
  });

  it('a missing --owner', async () => {
    const stderr = await refused(['x']);
    assert.match(stderr, /--owner: an owner is required/);
    assert.match(stderr, /hint: pass --owner/);
  });

  for (const version of ['1.0+local', 'abc', '']) {
    it(`the version ${JSON.stringify(version)}`, async () => {
      assert.match(await refused(['x', '--owner', OWNER, '--version', version]), /--version: invalid version/);
    });
  }

  // PyPI checks the address with email_validator and refuses the upload (fact sheet §10): so do we, with its reason.
  for (const [contact, why] of [
    ['not-an-address', /An email address must have an @-sign/],
    ['a@b', /It should have a period/],
    ['a b@example.com', /invalid characters before the @-sign: " "/],
    ['äöü@example.com', /invalid characters before the @-sign/],
    ['sec@corp.local', /special-use or reserved name/],
    ['sec@corp.test', /special-use or reserved name/],
    ['sec@tor.onion', /special-use or reserved name/],
    ['a..b@example.com', /two periods in a row/],
    ['.ab@example.com', /cannot start with a period/],
    ['ab.@example.com', /period immediately before the @-sign/],
    ['sec@example.123', /not within a valid top-level domain/],
  ] as const) {
    it(`the contact ${JSON.stringify(contact)}`, async () => {
      const stderr = await refused(['x', '--owner', OWNER, '--contact', contact]);
      assert.match(stderr, /--contact: contact is not an e-mail address PyPI accepts/);
      assert.match(stderr, why);
    });
  }

  for (const [url, why] of [
    ['ftp://example.com/', /must start with http:\/\/ or https:\/\//],
    ['example.com', /is not a valid URL/],
    ['https://user:secret@example.com/', /must not contain credentials/],
    ['https://example.com/a b', /contains white space/],
  ] as const) {
    it(`the URL ${JSON.stringify(url)}`, async () => {
      assert.match(await refused(['x', '--owner', OWNER, '--url', url]), new RegExp(`--url: url ${why.source}`));
    });
  }

  // Everything Python's str.splitlines() or an e-mail header parser would split on,
  // dealt round the four fields so each field meets several and each appears once.
  const breakers: [string, string][] = [
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
    ['VT', '\u000b'],
    ['FF', '\u000c'],
    ['FS', '\u001c'],
    ['NEL', '\u0085'],
    ['LINE SEPARATOR', '\u2028'],
    ['PARAGRAPH SEPARATOR', '\u2029'],
  ];
  const fields = ['owner', 'contact', 'url', 'note'] as const;
  const sample = { owner: (c: string) => `Evil${c}Metadata-Version: 9`, contact: (c: string) => `a${c}@example.com`, url: (c: string) => `https://example.com/${c}x`, note: (c: string) => `first${c}second` };
  for (let round = 0; round * fields.length < breakers.length; round++) {
    const dealt = fields.map((field, i) => [field, breakers[(round * fields.length + i) % breakers.length]!] as const);
    it(`line breaks in every field: ${dealt.map(([f, [label]]) => `${label} in ${f}`).join(', ')}`, async () => {
      const stderr = await refused(['x', ...dealt.flatMap(([field, [, ch]]) => [`--${field}`, sample[field](ch)])]);
      assert.match(stderr, /^error: 4 problems in the input/m);
      for (const field of fields) assert.match(stderr, new RegExp(`--${field}: ${field} contains a line break`));
    });
  }

  const controls: [string, string][] = [['ESC', '\u001b'], ['TAB', '\t'], ['DEL', '\u007f'], ['C1 CSI', '\u009b'], ['BEL', '\u0007']];
  it(`control characters in every field: ${controls.map(([l]) => l).join(', ')}`, async () => {
    const stderr = await refused([
      'x',
      '--owner', `A${controls[0]![1]}B`,
      '--contact', `a${controls[1]![1]}b@example.com`,
      '--url', `https://example.com/${controls[2]![1]}`,
      '--note', `n${controls[3]![1]}${controls[4]![1]}`,
    ]);
    assert.match(stderr, /^error: 4 problems in the input/m);
    for (const field of fields) assert.match(stderr, new RegExp(`--${field}: ${field} contains a control character`));
  });

  it('every kind of problem at once, each with its own message', async () => {
    const stderr = await refused(
      ['bad name', 'café', '-f', 'missing.txt', '--version', '1.0+local', '--contact', 'nope', '--url', 'ftp://x', '--note', 'a\nb'],
      { env: { SOURCE_DATE_EPOCH: 'yesterday' } },
    );
    assert.match(stderr, /^error: 9 problems in the input; nothing was done:$/m);
    for (const expected of [
      /argument 1: .*white space/,
      /argument 2: .*non-ASCII/,
      /missing\.txt: cannot read names file/,
      /--owner: an owner is required/,
      /--contact: /,
      /--url: /,
      /--note: note contains a line break/,
      /--version: /,
      /SOURCE_DATE_EPOCH/,
    ]) {
      assert.match(stderr, expected);
    }
  });
});

describe('the names file format', () => {
  it('ignores blank lines and comments, accepts CRLF and a UTF-8 BOM, and keeps the order given', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'names.txt'), '\uFEFF# our private packages\r\nalpha\r\n\r\n  beta   # trailing comment\r\n   \r\n#gamma\r\ndelta#no space\r\n');
    const r = await build(['-f', 'names.txt', '--owner', OWNER, '-o', 'out', '--json'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const names = (JSON.parse(r.stdout) as { results: { name: string }[] }).results.map((x) => x.name);
    assert.deepEqual(names, ['alpha', 'beta', 'delta']);
  });

  it('counts lines from 1 despite the BOM and CRLF, so messages point at the right line', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'names.txt'), '\uFEFFok\r\n# comment\r\nnot ok\r\n');
    const r = await build(['-f', 'names.txt', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /names\.txt:3: invalid project name: contains white space \(got "not ok"\)/);
  });

  it('reads - from stdin, after the names on the command line', async () => {
    const cwd = workDir();
    const r = await build(['first', '-f', '-', '--owner', OWNER, '-o', 'out', '--json'], { cwd, input: 'second\n# c\nthird\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { results: { name: string }[] }).results.map((x) => x.name), ['first', 'second', 'third']);
  });

  it('labels stdin problems <stdin>:line', async () => {
    const cwd = workDir();
    const r = await build(['-f', '-', '--owner', OWNER, '-o', 'out'], { cwd, input: 'ok\nno way\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /<stdin>:2: invalid project name/);
  });
});

describe('--json output', () => {
  it('gives name, normalized, status, file, sha256 and size for each name, in input order', async () => {
    const cwd = workDir();
    const r = await build(['Foo.Bar_baz', 'os-path', 'xml.etree', 'OS', '--owner', OWNER, '-o', 'out', '--json'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(parsed), ['results']);
    const [built, ...protectedNames] = parsed.results;
    assert.ok(built);
    assert.deepEqual(Object.keys(built), ['name', 'normalized', 'status', 'file', 'sha256', 'size']);
    const file = join(cwd, 'out', 'foo_bar_baz-0.0.0.tar.gz');
    assert.deepEqual(built, { name: 'Foo.Bar_baz', normalized: 'foo-bar-baz', status: 'built', file, sha256: sha256(file), size: statSync(file).size });
    assert.deepEqual(protectedNames, [
      { name: 'os-path', normalized: 'os-path', status: 'protected-by-pypi', file: null, sha256: null, size: null },
      { name: 'xml.etree', normalized: 'xml-etree', status: 'protected-by-pypi', file: null, sha256: null, size: null },
      { name: 'OS', normalized: 'os', status: 'protected-by-pypi', file: null, sha256: null, size: null },
    ]);
  });
});

describe('standard-library names, which PyPI protects itself', () => {
  it('get no sdist and are reported as protected-by-pypi', async () => {
    const cwd = workDir();
    const r = await build(['os-path', 'xml.etree', 'mine', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(cwd, 'out')), ['mine-0.0.0.tar.gz']);
    assert.match(r.stdout, /^protected-by-pypi\s+os-path\s+\(a Python standard-library module name/m);
    assert.match(r.stdout, /^protected-by-pypi\s+xml\.etree\s/m);
  });

  it('-os- is refused as an invalid name (PyPI checks the name pattern before the stdlib list)', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'n.txt'), '-os-\n');
    const r = await build(['-f', 'n.txt', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /n\.txt:1: invalid project name: starts or ends with punctuation/);
    assert.equal(existsSync(join(cwd, 'out')), false);
  });
});

describe('files already in the output directory', () => {
  it('an identical file is left alone: no error, not rewritten', async () => {
    const cwd = workDir();
    assert.equal((await build(['a', 'b', '--owner', OWNER, '-o', 'out'], { cwd })).code, 0);
    const old = new Date('2001-02-03T04:05:06Z');
    for (const f of readdirSync(join(cwd, 'out'))) utimesSync(join(cwd, 'out', f), old, old);
    const before = snapshot(join(cwd, 'out'));
    const r = await build(['a', 'b', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshot(join(cwd, 'out')), before);
    assert.match(r.stdout, /a-0\.0\.0\.tar\.gz\s+sha256:[0-9a-f]{64}\s+\(unchanged\)/);
  });

  it('a different file is an error naming it, and nothing at all is written, not even other names', async () => {
    const cwd = workDir();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'b-0.0.0.tar.gz'), 'somebody else');
    const before = snapshot(join(cwd, 'out'));
    const r = await build(['a', 'b', 'c', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a different file with this name already exists \(got ".*out\/b-0\.0\.0\.tar\.gz"\)/);
    assert.match(r.stderr, /--force/);
    assert.deepEqual(snapshot(join(cwd, 'out')), before);
  });

  it('a file built with other options counts as different', async () => {
    const cwd = workDir();
    assert.equal((await build(['a', '--owner', OWNER, '-o', 'out'], { cwd })).code, 0);
    const before = snapshot(join(cwd, 'out'));
    const r = await build(['a', '--owner', 'Someone Else', '-o', 'out'], { cwd });
    assert.equal(r.code, 2);
    assert.deepEqual(snapshot(join(cwd, 'out')), before);
  });

  it('--force replaces a different file and writes the rest', async () => {
    const cwd = workDir();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'b-0.0.0.tar.gz'), 'somebody else');
    const r = await build(['a', 'b', '--owner', OWNER, '-o', 'out', '--force'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(cwd, 'out')).sort(), ['a-0.0.0.tar.gz', 'b-0.0.0.tar.gz']);
    const fresh = workDir();
    assert.equal((await build(['b', '--owner', OWNER, '-o', 'out'], { cwd: fresh })).code, 0);
    assert.equal(sha256(join(cwd, 'out', 'b-0.0.0.tar.gz')), sha256(join(fresh, 'out', 'b-0.0.0.tar.gz')));
  });

  it('leaves no temporary files behind', async () => {
    const cwd = workDir();
    assert.equal((await build(['a', 'b', '--owner', OWNER, '-o', 'out'], { cwd })).code, 0);
    assert.deepEqual(readdirSync(join(cwd, 'out')).filter((f) => !f.endsWith('.tar.gz')), []);
  });

  it('an --output-dir that is an existing file is a clear error, not a crash', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'out'), 'a file');
    const r = await build(['a', '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.match(r.stderr, /out/);
  });
});

describe('very long names (PyPI sets no length limit; file systems allow 255 bytes per file name)', () => {
  it('a name whose sdist file name fits in 255 bytes is built', async () => {
    const cwd = workDir();
    const name = `a${'b'.repeat(240)}`; // file name: 241 + '-0.0.0.tar.gz' = 254 bytes
    const r = await build([name, '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(cwd, 'out')), [`${name}-0.0.0.tar.gz`]);
  });

  it('a name too long for a file name is a clear error that writes nothing, not a crash', async () => {
    const cwd = workDir();
    const r = await build(['short', `a${'b'.repeat(250)}`, '--owner', OWNER, '-o', 'out'], { cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.deepEqual(snapshot(join(cwd, 'out')), {}, 'nothing written, not even the short name');
  });
});

describe('build --help', () => {
  it('lists every flag', async () => {
    const r = await runCli(['build', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--names-file', '--owner', '--contact', '--url', '--note', '--version', '--output-dir', '--force', '--json']) {
      assert.match(r.stdout, new RegExp(flag));
    }
  });
});
