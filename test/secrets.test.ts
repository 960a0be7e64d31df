/**
 * Secrets (issue 9 items 1–4, 10, 12): a token goes only where it belongs and
 * never shows, on any output sink, in any shape a server or a format gives it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '../src/registry/redact.js';
import { maskAssignment } from '../src/core/redact-url.js';
import { parsePypirc } from '../src/registry/pypirc.js';
import { isLoopbackHost } from '../src/registry/http.js';
import { assertTokenBoundTo } from '../src/registry/credentials.js';
import { readPypiToken } from '../src/index.js';
import { baseEnv, runCli, type CliResult } from './support/cli.js';
import { ECHO_NAMES, startEchoServer, type EchoServer } from './support/echo-server.js';
import { mintPypiToken } from './support/pypi-tokens.js';

const META = ['--owner', 'Acme Security', '--contact', 'security@acme.example'];

/** 181 characters like a real token, with `-` and `_` (which Markdown escapes), but not a macaroon: used as given. */
function fakeToken(): string {
  return `pypi-Zz-_${randomBytes(129).toString('base64url')}`.slice(0, 181);
}

const SHAPES: Record<string, (s: string) => string> = {
  raw: (s) => s,
  markdown: (s) => s.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`),
  json: (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  html: (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join(''),
  url: (s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join(''),
};

/** No 16-character stretch of the secret, in any shape, nor its Basic forms, appears in `text`. */
function assertNoSecret(secret: string, sink: string, text: string, basicUsers: string[] = ['__token__']): void {
  for (const [shape, f] of Object.entries(SHAPES)) {
    for (let i = 0; i + 16 <= secret.length; i += 4) {
      assert.ok(!text.includes(f(secret.slice(i, i + 16))), `${sink} shows part of the secret (${shape} form, at ${i}):\n${text}`);
    }
  }
  for (const user of basicUsers) {
    const basic = Buffer.from(`${user}:${secret}`).toString('base64');
    assert.ok(!text.includes(basic.slice(0, 40)), `${sink} shows the Basic credential of ${user}:\n${text}`);
  }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pypi-reserve-secrets-'));
}

describe('the redactor', () => {
  const secret = fakeToken();
  const r = new Redactor();
  r.add(secret);

  it('blanks a secret in every shape a server or an output format gives it', () => {
    for (const [shape, f] of Object.entries(SHAPES)) assert.equal(r.redact(`a ${f(secret)} b`), 'a *** b', shape);
    assert.equal(r.redact(`x ${SHAPES.json!(secret).toUpperCase().replace(/\\U/g, '\\u')} y`), 'x *** y', 'upper-case hex');
    assert.equal(r.redact(secret.replace(/-/g, '&hyphen;').replace(/_/g, '&#x5F;')), '***', 'named and hex references');
    assert.equal(r.redact(`Basic ${Buffer.from(`__token__:${secret}`).toString('base64')}`), 'Basic ***');
    assert.equal(r.redact(Buffer.from(`__token__:${secret}`).toString('base64url')), '***');
  });

  it('blanks a secret cut short, from any 24 of its characters on, and nothing shorter', () => {
    assert.equal(r.redact(`message ${secret.slice(0, 99)}…`), 'message ***…');
    assert.equal(r.redact(`[${SHAPES.markdown!(secret.slice(0, 40))}]`), '[***]');
    assert.equal(r.redact(secret.slice(0, 20)), secret.slice(0, 20), 'a token\'s public beginning (pypi- and its location) stays');
  });

  it('blanks a secret that holds an escape literally (%41, &amp;, \\-, \\u0041), echoed verbatim or decoded', () => {
    for (const literal of ['%41%2D', '&hyphen;', '\\-', '\\u0041']) {
      const odd = `s3cr3t${literal}${randomBytes(6).toString('hex')}`;
      const own = new Redactor();
      own.add(odd);
      assert.equal(own.redact(`echo ${odd} end`), 'echo *** end', `verbatim ${literal}`);
      const decoded = odd.replace('%41%2D', 'A-').replace('&hyphen;', '-').replace('\\-', '-').replace('\\u0041', 'A');
      assert.equal(own.redact(`echo ${decoded} end`), 'echo *** end', `decoded ${literal}`);
    }
  });

  it('blanks any 24 consecutive characters of a long secret, in every reshaping a server may give it', () => {
    const token = `pypi-AgEIcHlwaS5vcmcC${randomBytes(120).toString('base64url')}`;
    const own = new Redactor();
    own.addBasic('__token__', token);
    const b64 = (t: string): string => Buffer.from(t).toString('base64');
    const shapes: Record<string, string> = {
      tail: `...${token.slice(30)}`,
      'without its first 40': token.slice(40),
      'wrapped at 76': token.match(/.{1,76}/g)!.join('\n'),
      'wrapped with CRLF': token.match(/.{1,60}/g)!.join('\r\n'),
      'soft hyphens': token.match(/.{1,40}/g)!.join('\u00ad'),
      '<wbr>': token.match(/.{1,40}/g)!.join('<wbr>'),
      'base64 at offset 1': b64(`x__token__:${token}`),
      'base64 at offset 2': b64(`xy__token__:${token}`),
      'base64url at offset 1': Buffer.from(`x__token__:${token}`).toString('base64url'),
      'double URL-encoding': [...token].map((c) => `%25${c.charCodeAt(0).toString(16)}`).join(''),
      '&#NN without ;': [...token].map((c) => `&#${c.charCodeAt(0)}`).join(''),
      '\\x escapes': [...token].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join(''),
      hex: Buffer.from(token).toString('hex'),
      HEX: Buffer.from(token).toString('hex').toUpperCase(),
    };
    for (const [shape, text] of Object.entries(shapes)) {
      const out = own.redact(`msg ${text} end`);
      assert.ok(out.includes('***'), `${shape}: ${out}`);
      for (let i = 20; i + 24 <= token.length; i += 8) assert.ok(!out.includes(token.slice(i, i + 24)), `${shape} shows the token at ${i}: ${out}`);
      assert.ok(!/[A-Za-z0-9+/_%&#\\-]{30,}/.test(out.replace('msg ', '').replace(' end', '').replace(/\*\*\*/g, ' ')), `${shape} leaves a long stretch: ${out}`);
    }
    assert.equal(own.redact(`[${token.slice(0, 20)}]`), `[${token.slice(0, 20)}]`, 'the public beginning of every pypi.org token stays');
  });

  it('stays cheap: 100 KB of escaped text with five tokens registered', () => {
    const many = new Redactor();
    for (let i = 0; i < 5; i++) many.addBasic('__token__', `pypi-AgEIcHlwaS5vcmcC${randomBytes(120).toString('base64url')}`);
    let text = '';
    while (text.length < 100_000) text += `line https://x.example/simple/p/?a=1&b=2 50% \\n \\u00e9 &amp; ${randomBytes(30).toString('base64')}\n`;
    many.redact(text);
    const started = performance.now();
    many.redact(text);
    assert.ok(performance.now() - started < 250, `took ${performance.now() - started} ms`);
  });

  it('learns a password and its Basic form from an Authorization header, and from a user:password pair', () => {
    const fromHeader = new Redactor();
    fromHeader.addAuthorization(`Basic ${Buffer.from('ci:s3cr3t/p@ss').toString('base64')}`);
    assert.equal(fromHeader.redact('pw s3cr3t/p@ss and s3cr3t%2Fp%40ss'), 'pw *** and ***');
    const basic = new Redactor();
    basic.addBasic('alice', 'hunter22');
    assert.equal(basic.redact(Buffer.from('alice:hunter22').toString('base64')), '***');
  });
});

describe('quoted input lines', () => {
  it('mask the value of anything that reads like an assignment, and leave requirements alone', () => {
    assert.equal(maskAssignment('PYPI_TOKEN=pypi-abc\u0000HOME=/root'), 'PYPI_TOKEN=***');
    assert.equal(maskAssignment('password = pypi-abc'), 'password = ***');
    assert.equal(maskAssignment('export TOKEN=abc'), 'export TOKEN=***');
    assert.equal(maskAssignment('token: abc'), 'token: ***');
    for (const line of ['requests==2.0', 'foo >= 1', 'bar ~= 1.0', 'https://example.org/x.whl', 'baz; python_version=="3.8"', 'acme[extra]==1']) {
      assert.equal(maskAssignment(line), line);
    }
  });
});

describe('.pypirc read exactly as configparser.RawConfigParser reads it (twine)', () => {
  it('takes a section header with text after its closing bracket, keeps names as written, has no inline comments', () => {
    const rc = parsePypirc('[pypi]   ; comment\nusername = __token__\npassword = a ; b\n[ spaced ]\nrepository = https://x.example/\n[a]b]\nusername = u\n', '.pypirc');
    assert.deepEqual([...rc.keys()], ['pypi', ' spaced ', 'a]b']);
    assert.equal(rc.get('pypi')?.password, 'a ; b');
  });
});

describe('plain http carries credentials only to loopback', () => {
  it('classes only localhost, 127/8 and ::1 as loopback, as URLs normalise them', () => {
    for (const url of ['http://localhost:1/', 'http://127.0.0.1:1/', 'http://127.1/', 'http://[::1]:1/']) assert.ok(isLoopbackHost(new URL(url).hostname), url);
    for (const url of ['http://[::ffff:127.0.0.1]:1/', 'http://0.0.0.0/', 'http://localhost./', 'http://127.0.0.1.example/']) {
      assert.ok(!isLoopbackHost(new URL(url).hostname), url);
    }
  });
});

describe('a PyPI token names its index', () => {
  let pypiToken: string;
  let testToken: string;
  before(async () => {
    [pypiToken, testToken] = await Promise.all([mintPypiToken('pypi.org'), mintPypiToken('test.pypi.org')]);
  });

  it('is read offline by the library, and goes only to its own upload host over https', () => {
    assert.equal(readPypiToken(pypiToken)?.location, 'pypi.org');
    const pypi = { username: '__token__', token: pypiToken, source: 'PYPI_TOKEN' };
    const test = { username: '__token__', token: testToken, source: 'PYPI_TOKEN' };
    assertTokenBoundTo(pypi, 'https://upload.pypi.org/legacy/');
    assertTokenBoundTo(test, 'https://test.pypi.org/legacy/');
    assert.throws(() => assertTokenBoundTo(pypi, 'https://test.pypi.org/legacy/'), /for pypi\.org: it is only ever sent to upload\.pypi\.org, not to test\.pypi\.org/);
    assert.throws(() => assertTokenBoundTo(test, 'https://upload.pypi.org/legacy/'), /for test\.pypi\.org.*not to upload\.pypi\.org/);
    assert.throws(() => assertTokenBoundTo(pypi, 'http://upload.pypi.org/legacy/'), /E_TOKEN_WRONG_HOST|only ever sent/);
    assertTokenBoundTo({ ...pypi, token: 'a-private-index-password' }, 'http://127.0.0.1:9/legacy/');
  });

  it('is read in pymacaroons\' v1 text serialization too (its default), so a v1 token is bound to its host as well', async () => {
    const [v1, v1Projects] = await Promise.all([mintPypiToken('pypi.org', 'v1'), mintPypiToken('test.pypi.org', 'v1-projects')]);
    assert.equal(readPypiToken(v1)?.location, 'pypi.org');
    assert.deepEqual(readPypiToken(v1Projects), { location: 'test.pypi.org', scope: { kind: 'projects', names: ['acme-a', 'acme-b'] }, unknownCaveats: 1 });
    assert.throws(() => assertTokenBoundTo({ username: '__token__', token: v1, source: 'PYPI_TOKEN' }, 'http://127.0.0.1:9/legacy/'), /for pypi\.org: it is only ever sent to upload\.pypi\.org/);
    assert.equal(readPypiToken(`pypi-${Buffer.from('0016location pypi.org\n0010identifier x\n').toString('base64url')}`), undefined, 'no signature: not a macaroon');
  });

  describe('through the CLI', () => {
    let server: EchoServer;
    let dir: string;
    before(async () => {
      server = await startEchoServer();
      dir = tempDir();
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const [label, location] of [['pypi.org', 'pypi.org'], ['test.pypi.org', 'test.pypi.org']] as const) {
      it(`a ${label} token with a loopback --repository-url: exit 2 naming both hosts, before any request`, async () => {
        const token = location === 'pypi.org' ? pypiToken : testToken;
        const result = await runCli(['reserve', 'acme-bound', ...META, '--repository-url', server.uploadUrl], {
          cwd: dir,
          env: baseEnv({ HOME: dir, PYPI_TOKEN: token }),
        });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`for ${location.replace(/\./g, '\\.')}: it is only ever sent to ${location === 'pypi.org' ? 'upload\\.pypi\\.org' : 'test\\.pypi\\.org'}, not to 127\\.0\\.0\\.1:\\d+`));
        assert.deepEqual(server.requests, []);
        assertNoSecret(token, 'stderr', result.stderr);
      });
    }
  });
});

describe('a server that echoes the credential back, reshaped', () => {
  let server: EchoServer;
  let dir: string;
  before(async () => {
    server = await startEchoServer();
    dir = tempDir();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function reserveAll(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<{ result: CliResult; sinks: Record<string, string> }> {
    const report = join(dir, `report-${randomBytes(4).toString('hex')}.json`);
    const summary = join(dir, `summary-${randomBytes(4).toString('hex')}.md`);
    const result = await runCli(
      ['reserve', ...ECHO_NAMES, ...META, '--repository-url', server.uploadUrl, '--no-preflight', '--max-new', '10', '--report', report, ...extra],
      { cwd: dir, env: baseEnv({ HOME: dir, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, PYPI_RESERVE_BACKOFF_SCALE: '0', ...env }) },
    );
    const annotations = result.stderr.split('\n').filter((l) => l.startsWith('::')).join('\n');
    return { result, sinks: { stdout: result.stdout, stderr: result.stderr, report: readFileSync(report, 'utf8'), summary: readFileSync(summary, 'utf8'), annotations } };
  }

  for (const json of [false, true]) {
    it(`shows the token on no sink${json ? ' (--json)' : ''}: table or JSON, stderr, --report, job summary, annotations`, async () => {
      const token = fakeToken();
      const { result, sinks } = await reserveAll({ PYPI_TOKEN: token }, json ? ['--json'] : []);
      assert.equal(result.code, 1, result.stderr);
      for (const name of ECHO_NAMES) assert.match(sinks.annotations!, new RegExp(`::error title=${name} is taken::`));
      assert.match(sinks.summary!, /You sent \\\*\\\*\\\* \|/, 'the echo reaches the summary, blanked (and Markdown-escaped)');
      for (const [sink, text] of Object.entries(sinks)) assertNoSecret(token, sink, text);
      // What reached the server: the token, in the Authorization header only, to the upload URL only.
      const withAuth = server.requests.filter((r) => r.headers.authorization !== undefined);
      assert.ok(withAuth.every((r) => r.method === 'POST' && r.path === '/legacy/'));
      assert.ok(withAuth.some((r) => r.headers.authorization === `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`));
      assert.ok(server.requests.every((r) => !JSON.stringify({ ...r, headers: { ...r.headers, authorization: '' } }).includes(token)));
    });
  }

  it('shows neither a username/password pair nor its Basic form', async () => {
    const password = `s3cr3t/${randomBytes(12).toString('base64')}`;
    const { sinks } = await reserveAll({ TWINE_USERNAME: 'alice', TWINE_PASSWORD: password });
    for (const [sink, text] of Object.entries(sinks)) assertNoSecret(password, sink, text, ['alice']);
  });
});

describe('secrets in input errors', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an input error that quotes a secret shows *** (the secrets are known before anything is printed)', async () => {
    const password = 'private/index=password!';
    writeFileSync(join(dir, 'names.txt'), `acme-ok\n${password}\n`);
    const result = await runCli(['check', '-f', 'names.txt', ...META], { cwd: dir, env: baseEnv({ HOME: dir, TWINE_PASSWORD: password }) });
    assert.equal(result.code, 2);
    // The secret is now refused as a name before it is validated, so it is not even quoted as ***.
    assert.match(result.stderr, /names\.txt:2: a name in names\.txt is one of this run's credentials/);
    assertNoSecret(password, 'stderr', result.stderr);
  });

  it('a token read as a name (-r of the token file) is refused without being quoted, and nothing is sent', async () => {
    // A valid project name, as this spec is about one: it may not end in `-` (a random token did, 1 in 32 runs, and was refused as no name at all).
    const token = `${fakeToken().replace(/_/g, '-').slice(0, -1)}z`;
    writeFileSync(join(dir, 'tf'), `${token}\n`);
    writeFileSync(join(dir, 'req.txt'), '-r tf\nacme-ok\n');
    // Also as a differently spelled name: PEP 503 normalization makes it the same project.
    writeFileSync(join(dir, 'upper.txt'), `acme-ok\n${token.toUpperCase().replace(/-/g, '.')}\n`);
    const server = await startEchoServer();
    try {
      for (const args of [['--requirements', 'req.txt'], ['-f', 'upper.txt']]) {
        const result = await runCli(['reserve', '--token-file', 'tf', ...args, ...META, '--no-preflight', '--repository-url', server.uploadUrl, '--index-url', server.indexUrl], {
          cwd: dir,
          env: baseEnv({ HOME: dir }),
        });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /(tf|upper\.txt):[12]: a name in (req|upper)\.txt is one of this run's credentials/);
        assertNoSecret(token, 'stderr', result.stderr);
        assertNoSecret(token, 'stdout', result.stdout);
      }
      assert.ok(!server.requests.some((r) => r.path.toLowerCase().includes(token.slice(30, 50).toLowerCase())), 'the token was sent as a name');
    } finally {
      await server.close();
    }
  });

  it('-r of an environment dump or of ~/.pypirc: the lines are quoted with their values masked', async () => {
    const token = fakeToken();
    const rcToken = fakeToken();
    writeFileSync(join(dir, 'environ'), `PATH=/usr/bin\u0000PYPI_TOKEN=${token}\u0000OTHER_SECRET=abc123\u0000`);
    writeFileSync(join(dir, '.pypirc'), `[pypi]\nusername = __token__\npassword = ${rcToken}\n`);
    writeFileSync(join(dir, 'requirements.txt'), '-r environ\n-r .pypirc\n');
    const result = await runCli(['check', '--requirements', 'requirements.txt', ...META], { cwd: dir, env: baseEnv({ HOME: dir, PYPI_TOKEN: token }) });
    assert.equal(result.code, 2);
    assert.doesNotMatch(result.stderr, /abc123|__token__/);
    assert.match(result.stderr, /environ:1: reads like a setting \(KEY = value\), not a requirement: is this a requirements file\? \(got "PATH=\*\*\*"\)/);
    assert.match(result.stderr, /\.pypirc:3: reads like a setting .*\(got "password = \*\*\*"\)/);
    assertNoSecret(token, 'stderr', result.stderr);
    assertNoSecret(rcToken, 'stderr', result.stderr);
  });
});

describe('credentials bound to their destination', () => {
  let server: EchoServer;
  let dir: string;
  const rcPassword = 'pypirc-password-for-pypi-only';
  before(async () => {
    server = await startEchoServer();
    dir = tempDir();
    writeFileSync(join(dir, '.pypirc'), `[pypi]   ; the real one\nusername = __token__\npassword = ${rcPassword}\n`);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sentPassword = () => server.requests.some((r) => (r.headers.authorization ?? '').includes(Buffer.from(`__token__:${rcPassword}`).toString('base64')));

  it('the [pypi] password of .pypirc is not sent to a --repository-url (twine: a URL given means no .pypirc credentials)', async () => {
    const result = await runCli(['reserve', 'acme-rc', ...META, '--no-preflight', '--repository-url', server.uploadUrl], { cwd: dir, env: baseEnv({ HOME: dir }) });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /no upload token found/);
    assert.equal(sentPassword(), false);
  });

  it('nor to a repository-url from pypi-reserve.toml, which is said on stderr before anything is sent', async () => {
    const work = mkdtempSync(join(dir, 'cloned-'));
    writeFileSync(join(work, 'pypi-reserve.toml'), `owner = "Acme"\nrepository-url = "${server.uploadUrl}"\n`);
    const before = server.requests.length;
    const result = await runCli(['reserve', 'acme-toml', '--no-preflight'], { cwd: work, env: baseEnv({ HOME: dir }) });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`note: uploads go to ${server.uploadUrl.replace(/[./]/g, '\\$&')} \\(repository-url from .*pypi-reserve\\.toml:2\\), not pypi\\.org or test\\.pypi\\.org`));
    assert.match(result.stderr, /no upload token found/);
    assert.ok(server.requests.length > before, 'the names were checked on the configured index');
    assert.equal(sentPassword(), false);
  });

  it('check and watch never upload: they say where names are read from, not where uploads go', async () => {
    const work = mkdtempSync(join(dir, 'check-notes-'));
    writeFileSync(join(work, 'pypi-reserve.toml'), `owner = "Acme"\nrepository-url = "${server.uploadUrl}"\n[sources]\nfrom-index = ["${server.indexUrl}"]\n`);
    const result = await runCli(['check', '--no-preflight', '--index-url', server.indexUrl], { cwd: work, env: baseEnv({ HOME: work }) });
    assert.doesNotMatch(result.stderr, /uploads go to/, result.stderr);
    assert.match(result.stderr, /note: names are read from .* \(from-index in .*pypi-reserve\.toml\)/);
  });

  it('an index-url from pypi-reserve.toml away from PyPI is said on stderr too (the names go there)', async () => {
    const work = mkdtempSync(join(dir, 'cloned-index-'));
    writeFileSync(join(work, 'pypi-reserve.toml'), `owner = "Acme"\nindex-url = "${server.indexUrl}"\n`);
    const result = await runCli(['check', 'acme-toml-index'], { cwd: work, env: baseEnv({ HOME: dir }) });
    assert.match(result.stderr, new RegExp(`note: names are checked on ${server.indexUrl.replace(/[./]/g, '\\$&')} \\(index-url from .*pypi-reserve\\.toml:2\\), not pypi\\.org`), result.stderr);
    const flagged = await runCli(['check', 'acme-toml-index', '--index-url', server.indexUrl], { cwd: work, env: baseEnv({ HOME: dir }) });
    assert.doesNotMatch(flagged.stderr, /index-url from/, 'a URL given on the command line is the user\'s own choice');
  });

  it('TWINE_REPOSITORY_URL is honoured with TWINE_PASSWORD: the password goes to that URL, nowhere else', async () => {
    const before = server.requests.length;
    const result = await runCli(['reserve', 'echo-raw', ...META, '--no-preflight', '--max-new', '1'], {
      cwd: dir,
      env: baseEnv({ HOME: dir, TWINE_REPOSITORY_URL: server.uploadUrl, TWINE_USERNAME: 'ci', TWINE_PASSWORD: 'private-index-password' }),
    });
    assert.equal(result.code, 1, result.stderr);
    const uploads = server.requests.slice(before).filter((r) => r.method === 'POST');
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]!.headers.authorization, `Basic ${Buffer.from('ci:private-index-password').toString('base64')}`);
  });

  it('TWINE_REPOSITORY names a .pypirc section, whose own password goes to its own URL', async () => {
    const rc = join(dir, 'corp.pypirc');
    writeFileSync(rc, `[corp]\nrepository = ${server.uploadUrl}\nusername = corp\npassword = corp-password\n`);
    const before = server.requests.length;
    const result = await runCli(['reserve', 'echo-raw', ...META, '--no-preflight', '--pypirc', rc], { cwd: dir, env: baseEnv({ HOME: dir, TWINE_REPOSITORY: 'corp' }) });
    assert.equal(result.code, 1, result.stderr);
    const uploads = server.requests.slice(before).filter((r) => r.method === 'POST');
    assert.equal(uploads[0]?.headers.authorization, `Basic ${Buffer.from('corp:corp-password').toString('base64')}`);
  });

  it('a config file may not name GITHUB_TOKEN as index credentials (only PYPI_RESERVE_*); the command line may', async () => {
    const work = mkdtempSync(join(dir, 'pr-'));
    writeFileSync(join(work, 'pypi-reserve.toml'), `owner = "Acme"\n[sources]\nfrom-index = ["${server.indexUrl}"]\nindex-credentials-env = "GITHUB_TOKEN"\n`);
    const env = baseEnv({ HOME: work, GITHUB_TOKEN: 'ghs_secretvalue1234' });
    const before = server.requests.length;
    const refused = await runCli(['check'], { cwd: work, env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /'index-credentials-env' in a config file may only name a variable starting with PYPI_RESERVE_ \(got "GITHUB_TOKEN"\)/);
    assert.equal(server.requests.length, before);
    rmSync(join(work, 'pypi-reserve.toml'));
    const allowed = await runCli(['check', ...META, '--from-index', server.indexUrl, '--index-credentials-env', 'GITHUB_TOKEN', '--index-url', server.indexUrl], { cwd: work, env });
    assert.ok(server.requests.slice(before).some((r) => r.headers.authorization === 'Bearer ghs_secretvalue1234'), allowed.stderr);
  });

  it('--preflight-index http://user:pw@[::ffff:127.0.0.1]:P/ sends no credentials over plain http', async () => {
    const port = new URL(server.url).port;
    const before = server.requests.length;
    const result = await runCli(['check', 'acme-pre', ...META, '--index-url', server.indexUrl, '--preflight-index', `http://user:pw-secret@[::ffff:127.0.0.1]:${port}/simple/`], {
      cwd: dir,
      env: baseEnv({ HOME: dir }),
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /refusing to send credentials over plain http to \[::ffff:7f00:1\]/);
    assert.ok(server.requests.slice(before).every((r) => r.headers.authorization === undefined));
    assert.doesNotMatch(result.stderr, /pw-secret/);
  });
});
