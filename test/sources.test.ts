/**
 * Where names come from: requirements files, pyproject.toml, private indexes,
 * names files and the command line, combined in a fixed order, de-duplicated,
 * and narrowed by include/exclude patterns. Every problem names its file and
 * line; a source that cannot be read or names nothing is an error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, MockAgent } from 'undici';
import type { ConfigValues } from '../src/config/types.js';
import { gatherNames, type GatherContext } from '../src/sources/gather.js';
import { mergeNamesSpec } from '../src/sources/merge-spec.js';
import { globToRegExp, patternProblem } from '../src/sources/name-patterns.js';
import { parseNetrc, netrcEntryFor } from '../src/sources/netrc.js';
import { specifierName } from '../src/sources/pep508.js';
import { readPyproject } from '../src/sources/pyproject.js';
import { logicalLines } from '../src/core/requirements-lines.js';
import { readRequirements } from '../src/sources/requirements.js';
import { redactUrl } from '../src/core/redact-url.js';
import type { NamesSpec } from '../src/sources/spec.js';
import { workDirs } from './support/work-dirs.js';
import { problemsOf } from './support/input-errors.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/sources/', import.meta.url));

const workDir = workDirs('pypi-reserve-sources-test-');

function spec(parts: Partial<NamesSpec>): NamesSpec {
  return { positional: [], namesFiles: [], requirements: [], pyproject: [], fromIndex: [], include: [], exclude: [], ...parts };
}

function context(cwd: string, extra: Partial<GatherContext> = {}): GatherContext {
  return { cwd, env: {}, readStdin: async () => '', ...extra };
}


describe('PEP 508 specifiers', () => {
  it('reads the name before extras, versions, URLs and markers', () => {
    const cases: [string, string][] = [
      ['requests', 'requests'],
      ['Acme_Utils[cli, test]==3.0 ; python_version < "3.9"', 'Acme_Utils'],
      ['acme (>=1.0, <2)', 'acme'],
      ['acme @ https://files.example/acme-1.0.whl', 'acme'],
      ['acme[x]@ git+https://git.example/acme.git', 'acme'],
      ['acme===weird-legacy', 'acme'],
      ['acme ; sys_platform == "win32"', 'acme'],
    ];
    for (const [text, name] of cases) assert.deepEqual(specifierName(text), { kind: 'name', name }, text);
  });

  it('recognises bare paths and URLs, which name no project', () => {
    for (const text of ['./pkg', '../x', '/abs/pkg', 'sub/pkg', 'file:../x.tar.gz', 'git+https://git.example/x.git', 'pkg-1.0-py3-none-any.whl', 'C:\\pkgs\\x']) {
      assert.equal(specifierName(text, { allowUnnamed: true }).kind, 'unnamed', text);
    }
  });

  it('rejects what it cannot read instead of guessing', () => {
    for (const text of ['acme thing', 'acme >= ', 'acme[', 'acme @', 'acme ;', '-acme', 'acme[bad extra]']) {
      assert.equal(specifierName(text).kind, 'invalid', text);
    }
  });
});

describe('requirements files', () => {
  it('takes every project name from awkward but valid pip syntax, each with its file:line', async () => {
    const cwd = FIXTURES;
    const read = await readRequirements('requirements/main.txt', { cwd, env: { ACME_PREFIX: 'acme' } });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(
      read.entries.map((e) => `${e.name} ${e.source}`),
      [
        'acme-core requirements/main.txt:9',
        'Acme_Utils requirements/main.txt:10',
        'acme-hashed requirements/main.txt:11',
        'acme.continued-name requirements/main.txt:14',
        'acme-direct requirements/main.txt:16',
        'acme-git requirements/main.txt:17',
        'acme-egg requirements/main.txt:18',
        'acme-editable requirements/main.txt:19',
        'acme-from-env requirements/main.txt:24',
        'acme-spaced requirements/main.txt:25',
        'acme-included requirements/sub/more.txt:1',
        'acme-shared requirements/shared.txt:1',
        'acme-core requirements/shared.txt:2',
        'acme-constrained requirements/constraints.txt:1',
      ],
    );
  });

  it('skips paths and URLs without #egg= visibly, not silently', async () => {
    const read = await readRequirements('requirements/main.txt', { cwd: FIXTURES, env: { ACME_PREFIX: 'acme' } });
    assert.deepEqual(
      read.skipped.map((s) => s.source),
      ['requirements/main.txt:20', 'requirements/main.txt:21', 'requirements/main.txt:22', 'requirements/main.txt:23'],
    );
  });

  it('reads CRLF files, a BOM and continuations across CRLF lines', async () => {
    const cwd = workDir({ 'req.txt': '\uFEFFacme-one\r\nacme-two==1 \\\r\n    --hash=sha256:00\r\n# comment \\\r\nacme-three\r\n' });
    const read = await readRequirements('req.txt', { cwd });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.entries, [
      { name: 'acme-one', source: 'req.txt:1' },
      { name: 'acme-two', source: 'req.txt:2' },
      { name: 'acme-three', source: 'req.txt:5' },
    ]);
  });

  it("follows pip's rule that a comment line ends a continuation", () => {
    assert.deepEqual(logicalLines('a \\\n# note\nb'), [
      { line: 1, text: 'a' },
      { line: 3, text: 'b' },
    ]);
  });

  it('reports an include cycle at the line that closes it', async () => {
    const read = await readRequirements('requirements/cycle-a.txt', { cwd: FIXTURES });
    assert.deepEqual(read.entries.map((e) => e.name), ['acme-a', 'acme-b']);
    assert.equal(read.problems.length, 1);
    assert.equal(read.problems[0]?.code, 'E_REQUIREMENTS_CYCLE');
    assert.equal(read.problems[0]?.source, 'requirements/cycle-b.txt:2');
    assert.match(read.problems[0]?.message ?? '', /cycle-a\.txt → requirements\/cycle-b\.txt → requirements\/cycle-a\.txt/);
  });

  it('reports every line it cannot read, an unknown option, a missing include and an unset variable', async () => {
    const read = await readRequirements('requirements/bad.txt', { cwd: FIXTURES, env: {} });
    assert.deepEqual(
      read.problems.map((p) => [p.code, p.source]),
      [
        ['E_REQUIREMENT_INVALID', 'requirements/bad.txt:2'],
        ['E_REQUIREMENT_OPTION', 'requirements/bad.txt:3'],
        ['E_SOURCE_UNREADABLE', 'requirements/bad.txt:4'],
        ['E_REQUIREMENT_INVALID', 'requirements/bad.txt:5'],
      ],
    );
    assert.match(read.problems[3]?.hint ?? '', /UNSET_VAR_FOR_TEST is not set/);
  });

  it('refuses to fetch an include given as a URL', async () => {
    const cwd = workDir({ 'r.txt': '-r https://files.example/reqs.txt\n' });
    const read = await readRequirements('r.txt', { cwd });
    assert.equal(read.problems[0]?.code, 'E_REQUIREMENT_OPTION');
    assert.match(read.problems[0]?.message ?? '', /not fetched/);
  });
});

describe('pyproject.toml', () => {
  it('reads the project name, dependencies, optional dependencies and dependency groups with include-group', async () => {
    const read = await readPyproject('pyproject/pyproject.toml', { cwd: FIXTURES });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(
      read.entries.map((e) => `${e.name} ${e.source}`),
      [
        'acme-app pyproject/pyproject.toml:2',
        'acme-core pyproject/pyproject.toml:5',
        'requests pyproject/pyproject.toml:6',
        'acme-cli pyproject/pyproject.toml:10',
        'acme-docs-theme pyproject/pyproject.toml:12',
        'acme-testkit pyproject/pyproject.toml:16',
        'acme-lint pyproject/pyproject.toml:17',
        'acme-devtools pyproject/pyproject.toml:18',
      ],
    );
  });

  it('reports a dependency-group cycle and an unknown group', async () => {
    const read = await readPyproject('pyproject/cycle.toml', { cwd: FIXTURES });
    assert.deepEqual(
      read.problems.map((p) => [p.code, p.source]),
      [
        ['E_PYPROJECT_GROUP_CYCLE', 'pyproject/cycle.toml:3'],
        ['E_PYPROJECT_GROUP_UNKNOWN', 'pyproject/cycle.toml:4'],
      ],
    );
  });

  it('reports bad TOML with its line', async () => {
    const cwd = workDir({ 'pyproject.toml': '[project]\nname = "acme"\ndependencies = [\n' });
    const read = await readPyproject('pyproject.toml', { cwd });
    assert.equal(read.problems[0]?.code, 'E_PYPROJECT_SYNTAX');
    assert.match(read.problems[0]?.source ?? '', /^pyproject\.toml:\d+$/);
  });
});

describe('include and exclude patterns', () => {
  it('match the normalized name, case-insensitively, with * ? and [...]', () => {
    assert.ok(globToRegExp('acme-*').test('acme-core'));
    assert.ok(globToRegExp('ACME_*').test('acme-core'), 'pattern is normalized like a name');
    assert.ok(globToRegExp('acme.?').test('acme-x'));
    assert.ok(!globToRegExp('acme-?').test('acme-xy'));
    assert.ok(globToRegExp('acme-[a-c]*').test('acme-beta'));
    assert.ok(!globToRegExp('acme-[!a-c]*').test('acme-beta'));
    assert.ok(!globToRegExp('acme').test('acme-core'), 'patterns are anchored');
  });

  it('reject patterns that cannot work', () => {
    assert.match(patternProblem('') ?? '', /empty/);
    assert.match(patternProblem('acme/*') ?? '', /never appears/);
    assert.match(patternProblem('acme-[ab') ?? '', /unclosed/);
  });

  it('keep the included names minus the excluded ones, and report what was left out', async () => {
    const cwd = workDir();
    const result = await gatherNames(
      spec({ positional: ['acme-core', 'requests', 'acme-public-sdk', 'Acme.Tools'], include: ['acme-*', 'ACME_tools'], exclude: ['acme-public-*'] }),
      context(cwd),
      { duplicates: 'merge' },
    );
    assert.deepEqual(result.names.map((n) => n.name), ['acme-core', 'Acme.Tools']);
    assert.deepEqual(
      result.filteredOut.map((f) => [f.name, f.verdict]),
      [
        ['requests', 'not-included'],
        ['acme-public-sdk', 'excluded'],
      ],
    );
    assert.deepEqual(result.contributions, [{ source: 'command line', found: 4, added: 2, filteredOut: 2, skipped: 0 }]);
  });

  it('is an error when the patterns leave no name at all', async () => {
    const problems = await problemsOf(gatherNames(spec({ positional: ['requests'], include: ['acme-*'] }), context(workDir())));
    assert.equal(problems[0]?.code, 'E_NO_NAMES');
  });
});

describe('combining sources', () => {
  it('reads sources in a fixed order and keeps the first place of a name seen twice', async () => {
    const cwd = workDir({
      'names.txt': 'acme-core\nacme-names-only\n',
      'requirements.txt': 'acme-core==1\nacme-req-only\nACME_NAMES_ONLY\n',
      'pyproject.toml': '[project]\nname = "acme-req-only"\ndependencies = ["acme-py-only"]\n',
    });
    const result = await gatherNames(
      spec({ positional: ['acme-cli'], namesFiles: ['names.txt'], requirements: ['requirements.txt'], pyproject: ['pyproject.toml'] }),
      context(cwd),
      { duplicates: 'merge' },
    );
    assert.deepEqual(
      result.names.map((n) => `${n.name} ${n.source}`),
      ['acme-cli argument 1', 'acme-core names.txt:1', 'acme-names-only names.txt:2', 'acme-req-only requirements.txt:2', 'acme-py-only pyproject.toml:3'],
    );
    assert.deepEqual(
      result.contributions.map((c) => [c.source, c.found, c.added]),
      [
        ['command line', 1, 1],
        ['names.txt', 2, 2],
        ['requirements.txt', 3, 1],
        ['pyproject.toml', 2, 1],
      ],
    );
    assert.deepEqual(result.merged.map((m) => m.dropped.source), ['requirements.txt:1', 'requirements.txt:3', 'pyproject.toml:2']);
  });

  it('reports a source that cannot be read and one that names nothing, together', async () => {
    const cwd = workDir({ 'empty.txt': '# nothing here\n\n', 'paths.txt': './pkg\n-e .\n', 'pyproject.toml': '[build-system]\nrequires = []\n' });
    const problems = await problemsOf(
      gatherNames(
        spec({ namesFiles: ['missing.txt', 'empty.txt'], requirements: ['paths.txt'], pyproject: ['pyproject.toml'] }),
        context(cwd),
      ),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.source]),
      [
        ['E_SOURCE_UNREADABLE', 'missing.txt'],
        ['E_SOURCE_EMPTY', 'empty.txt'],
        ['E_SOURCE_EMPTY', 'paths.txt'],
        ['E_SOURCE_EMPTY', 'pyproject.toml'],
      ],
    );
    assert.match(problems[2]?.hint ?? '', /2 line\(s\) skipped/);
  });

  it('reads standard input once for "-"', async () => {
    const result = await gatherNames(spec({ namesFiles: ['-'] }), context(workDir(), { readStdin: async () => 'acme-stdin\n' }));
    assert.deepEqual(result.names.map((n) => n.source), ['<stdin>:1']);
  });
});

describe('mergeNamesSpec', () => {
  const config: ConfigValues = {
    file: '/etc/acme/pypi-reserve.toml',
    sources: { requirements: ['/etc/acme/requirements.txt'], include: ['acme-*'], exclude: ['acme-old'], indexCredentialsEnv: 'FILE_VAR' },
    lines: {},
  };

  it('keeps the file values for keys not given on the command line', () => {
    const merged = mergeNamesSpec({ positional: ['acme-x'] }, config, '/work');
    assert.deepEqual(merged.requirements, ['/etc/acme/requirements.txt']);
    assert.deepEqual(merged.include, ['acme-*']);
    assert.equal(merged.indexCredentialsEnv, 'FILE_VAR');
  });

  it('lets a flag replace the file value for its key, not add to it, with paths resolved against cwd', () => {
    const merged = mergeNamesSpec({ requirements: ['reqs/dev.txt'], include: ['corp-*'], indexCredentialsEnv: 'FLAG_VAR', namesFiles: ['-'] }, config, '/work');
    assert.deepEqual(merged.requirements, ['/work/reqs/dev.txt']);
    assert.deepEqual(merged.include, ['corp-*']);
    assert.deepEqual(merged.exclude, ['acme-old']);
    assert.equal(merged.indexCredentialsEnv, 'FLAG_VAR');
    assert.deepEqual(merged.namesFiles, ['-']);
  });
});

describe('a requirements file named by a config file', () => {
  it('includes only files in the config file\'s directory and expands only PYPI_RESERVE_ variables; from the command line, anything', async () => {
    const root = workDir({
      'keys/id_ed25519': 'ssh-private-key-line\n',
      'repo/requirements.txt': '-r ../keys/id_ed25519\n-r sub/more.txt\n${GITHUB_TOKEN}\n${PYPI_RESERVE_EXTRA}\n',
      'repo/sub/more.txt': 'acme-more\n',
    });
    const dir = join(root, 'repo');
    const env = { GITHUB_TOKEN: 'ghs-secret-token-value', PYPI_RESERVE_EXTRA: 'acme-extra' };
    const config: ConfigValues = { file: join(dir, 'pypi-reserve.toml'), sources: { requirements: [join(dir, 'requirements.txt')] }, lines: {} };
    const problems = await problemsOf(gatherNames(mergeNamesSpec({}, config, dir), context(dir, { env }), { duplicates: 'merge' }));
    assert.deepEqual(
      problems.map((p) => [p.code, p.source]),
      [
        ['E_CONFIG_PATH', 'requirements.txt:1'],
        ['E_REQUIREMENT_INVALID', 'requirements.txt:3'],
      ],
    );
    assert.ok(!JSON.stringify(problems).includes('ghs-secret') && !JSON.stringify(problems).includes('ssh-private'), JSON.stringify(problems));
    const fromFlag = await gatherNames(mergeNamesSpec({ requirements: ['requirements.txt'] }, undefined, dir), context(dir, { env }), { duplicates: 'merge' });
    assert.deepEqual(fromFlag.names.map((n) => n.name), ['ssh-private-key-line', 'acme-more', 'ghs-secret-token-value', 'acme-extra']);
  });
});

describe('.netrc', () => {
  it('finds the entry for a host, else the default, and skips macros', () => {
    const netrc = parseNetrc(
      'machine other.example login x password y\nmacdef init\nmachine fake login no password no\n\nmachine Index.Example\n  login alice\n  password "s3 cret"\ndefault login anon password guest\n',
    );
    assert.deepEqual(netrcEntryFor(netrc, 'index.example'), { login: 'alice', password: 's3 cret' });
    assert.deepEqual(netrcEntryFor(netrc, 'elsewhere.example'), { login: 'anon', password: 'guest' });
    assert.equal(netrc.machines.has('fake'), false);
  });
});

describe('private indexes', () => {
  const USER = 'alice';
  const SECRET = 's3cret-pw';
  const TOKEN = 'tok-abc123';
  const PROJECTS = ['acme-core', 'Acme_Utils', 'acme.tools'];
  const basic = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`;
  let server: Server;
  let base: string;
  let agent: Agent;
  const seen: { url: string; authorization: string | undefined }[] = [];

  const html = (hrefs: (name: string) => string): string =>
    `<!DOCTYPE html><html><head><title>Simple index</title></head><body>\n${PROJECTS.map((p) => `<a href="${hrefs(p)}">${p}</a><br/>`).join('\n')}\n</body></html>`;

  function route(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization;
    seen.push({ url: req.url ?? '', authorization: auth });
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = req.url ?? '';
    const needsBasic = path.startsWith('/nexus/') || path.startsWith('/artifactory/') || path.startsWith('/gitlab/');
    if (needsBasic && auth !== basic) return send(401, 'text/plain', 'Unauthorized');
    if (path.startsWith('/bearer/') && auth !== `Bearer ${TOKEN}`) return send(401, 'text/plain', 'Unauthorized');
    switch (path) {
      case '/nexus/repository/pypi-internal/simple/':
        return send(200, 'text/html', html((p) => `${p.toLowerCase()}/`));
      case '/artifactory/api/pypi/pypi-local/simple/':
      case '/bearer/simple/':
        return send(200, 'application/vnd.pypi.simple.v1+json', JSON.stringify({ meta: { 'api-version': '1.1' }, projects: PROJECTS.map((name) => ({ name })) }));
      case '/gitlab/api/v4/projects/7/packages/pypi/simple/':
        return send(200, 'text/html', html((p) => `${base}/gitlab/api/v4/projects/7/packages/pypi/simple/${p}`));
      case '/root/dev/+simple/':
        return send(200, 'text/html', html((p) => `/root/dev/+simple/${p}/`));
      case '/simple/':
        return send(200, 'text/html', html((p) => `/simple/${p}/`));
      case '/login/simple/':
        return send(200, 'text/html', '<html><body><h1>Sign in</h1><a href="/forgot">Forgot password?</a> <a href="/help">Help</a> <a href="/sso">Sign in with SSO</a></body></html>');
      case '/not-json/simple/':
        return send(200, 'application/json', '{"error":"this is not an index"}');
      case '/empty/simple/':
        return send(200, 'text/html', '<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Simple index</title></head><body></body></html>');
      default:
        return send(404, 'text/plain', 'Not Found');
    }
  }

  before(async () => {
    server = createServer(route);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    agent = new Agent();
  });
  after(async () => {
    await agent.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const withCreds = (path: string): string => `http://${USER}:${SECRET}@127.0.0.1:${new URL(base).port}${path}`;
  const gather = (fromIndex: string, extra: Partial<GatherContext> & { credentialsEnv?: string } = {}) =>
    gatherNames(
      spec({ fromIndex: [fromIndex], ...(extra.credentialsEnv ? { indexCredentialsEnv: extra.credentialsEnv } : {}) }),
      context(workDir(), { dispatcher: agent, env: { HOME: workDir() }, ...extra }),
      { duplicates: 'merge' },
    );
  const assertNoSecret = (value: unknown): void => {
    const text = JSON.stringify(value);
    assert.ok(!text.includes(SECRET) && !text.includes(TOKEN), `secret leaked: ${text}`);
  };

  it('lists a Nexus-style HTML index with credentials from the URL, which never appear in labels', async () => {
    const result = await gather(withCreds('/nexus/repository/pypi-internal/simple/'));
    assert.deepEqual(result.names.map((n) => n.name), PROJECTS);
    assert.equal(result.contributions[0]?.source, `http://***@127.0.0.1:${new URL(base).port}/nexus/repository/pypi-internal/simple/`);
    assert.equal(seen.at(-1)?.authorization, basic);
    assertNoSecret(result);
  });

  it('lists an Artifactory-style PEP 691 JSON index with credentials from ~/.netrc', async () => {
    const home = workDir({ '.netrc': `machine 127.0.0.1\n  login ${USER}\n  password ${SECRET}\n` });
    const result = await gather(`${base}/artifactory/api/pypi/pypi-local/simple/`, { env: { HOME: home } });
    assert.deepEqual(result.names.map((n) => n.name), PROJECTS);
    assertNoSecret(result);
  });

  it('sends the .netrc default entry to a --from-index URL, but only an exact machine entry to one from a config file', async () => {
    const home = workDir({ '.netrc': `default\n  login ${USER}\n  password ${SECRET}\n` });
    const url = `${base}/artifactory/api/pypi/pypi-local/simple/`;
    const fromFlag = await gather(url, { env: { HOME: home } });
    assert.deepEqual(fromFlag.names.map((n) => n.name), PROJECTS);
    const config: ConfigValues = { file: join(home, 'pypi-reserve.toml'), sources: { fromIndex: [url] }, lines: {} };
    const before = seen.length;
    const problems = await problemsOf(gatherNames(mergeNamesSpec({}, config, home), context(home, { dispatcher: agent, env: { HOME: home } }), { duplicates: 'merge' }));
    assert.ok(problems.length > 0, 'the index answers 401 without credentials');
    assert.ok(seen.length > before && seen.slice(before).every((r) => r.authorization === undefined), 'the default login went to a host the config file chose');
    const exact = workDir({ '.netrc': `machine 127.0.0.1\n  login ${USER}\n  password ${SECRET}\n` });
    const listed = await gatherNames(mergeNamesSpec({}, config, exact), context(exact, { dispatcher: agent, env: { HOME: exact } }), { duplicates: 'merge' });
    assert.deepEqual(listed.names.map((n) => n.name), PROJECTS);
  });

  it('sends user:secret from the named environment variable as Basic auth', async () => {
    const result = await gather(`${base}/gitlab/api/v4/projects/7/packages/pypi/simple`, {
      env: { ACME_INDEX_AUTH: `${USER}:${SECRET}` },
      credentialsEnv: 'ACME_INDEX_AUTH',
    });
    assert.deepEqual(result.names.map((n) => n.name), PROJECTS);
  });

  it('sends a bare token from the named environment variable as a Bearer token', async () => {
    const result = await gather(`${base}/bearer/simple/`, { env: { ACME_TOKEN: TOKEN }, credentialsEnv: 'ACME_TOKEN' });
    assert.deepEqual(result.names.map((n) => n.name), PROJECTS);
    assert.equal(seen.at(-1)?.authorization, `Bearer ${TOKEN}`);
  });

  it('reads devpi and pypiserver listings without credentials', async () => {
    for (const path of ['/root/dev/+simple/', '/simple/']) {
      const result = await gather(`${base}${path}`);
      assert.deepEqual(result.names.map((n) => n.name), PROJECTS, path);
    }
  });

  it('says which credential source was refused on 401, without the secret', async () => {
    const problems = await problemsOf(gather(`http://${USER}:wrong-${SECRET}@127.0.0.1:${new URL(base).port}/nexus/repository/pypi-internal/simple/`));
    assert.equal(problems[0]?.code, 'E_INDEX_UNAUTHORIZED');
    assert.match(problems[0]?.message ?? '', /the URL \(user alice\)/);
    assertNoSecret(problems);
  });

  it('on 401 without credentials, says where it looked and that the named variable is unset', async () => {
    const problems = await problemsOf(gather(`${base}/nexus/repository/pypi-internal/simple/`, { credentialsEnv: 'UNSET_INDEX_VAR' }));
    assert.equal(problems[0]?.code, 'E_INDEX_UNAUTHORIZED');
    assert.match(problems[0]?.hint ?? '', /UNSET_INDEX_VAR is not set/);
  });

  it('refuses to send credentials over plain http to a host that is not loopback, before connecting', async () => {
    const offline = new MockAgent();
    offline.disableNetConnect();
    const problems = await problemsOf(gather(`http://${USER}:${SECRET}@index.invalid/simple/`, { dispatcher: offline }));
    await offline.close();
    assert.equal(problems[0]?.code, 'E_INDEX_INSECURE');
    assert.equal(problems[0]?.source, 'http://***@index.invalid/simple/');
    assertNoSecret(problems);
  });

  it('rejects a login page and a JSON document that are not simple indexes', async () => {
    for (const path of ['/login/simple/', '/not-json/simple/']) {
      const problems = await problemsOf(gather(`${base}${path}`));
      assert.equal(problems[0]?.code, 'E_INDEX_NOT_SIMPLE', path);
      assert.equal(problems[0]?.source, `${base}${path}`);
    }
  });

  it('reports a 404, an unreachable index and an empty index as errors naming the index', async () => {
    const missing = await problemsOf(gather(`${base}/nowhere/simple/`));
    assert.equal(missing[0]?.code, 'E_INDEX_NOT_FOUND');
    assert.match(missing[0]?.hint ?? '', /Nexus/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await problemsOf(gather(`http://127.0.0.1:${port}/simple/`));
    assert.equal(unreachable[0]?.code, 'E_INDEX_UNREACHABLE');

    const empty = await problemsOf(gather(`${base}/empty/simple/`));
    assert.equal(empty[0]?.code, 'E_SOURCE_EMPTY');
    assert.equal(empty[0]?.source, `${base}/empty/simple/`);
  });
});

describe('labels', () => {
  it('mask any userinfo in a URL', () => {
    assert.equal(redactUrl('https://u:p@host.example/simple/'), 'https://***@host.example/simple/');
    assert.equal(redactUrl('https://token@host.example/'), 'https://***@host.example/');
    assert.equal(redactUrl('https://host.example/simple/'), 'https://host.example/simple/');
  });
});
