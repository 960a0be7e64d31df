/**
 * check and reserve, end to end: the real CLI against the Warehouse stand-in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { baseEnv, CLI_PATH, runCli, runProcess } from './support/cli.js';
import { GOOD_TOKEN, OTHER_TOKEN, OWNER, SCOPED_TOKEN, json, standUp, statuses, type Stand } from './support/reserve-fixture.js';
import { buildSdist } from '../src/core/sdist.js';
import { placeholderMetadata, PLACEHOLDER_KEYWORD } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';

/** The placeholder bytes pypi-reserve builds for a name (what an attacker can rebuild too: it is all public). */
function placeholderFile(name: string, options: { owner: string; contact?: string; version?: string }) {
  const meta = placeholderMetadata({ name, normalized: normalizeName(name), source: 'test' }, { version: '0.0.0', ...options });
  const sdist = buildSdist(meta);
  return { filename: sdist.filename, content: Buffer.from(sdist.bytes), version: meta.version, metadata: { author: options.owner, keywords: PLACEHOLDER_KEYWORD, summary: meta.summary } };
}

/** One member of a .tar.gz, read with an independent reader (node:zlib, tar-stream). */
async function memberText(archive: Uint8Array, path: string): Promise<string> {
  const ex = extract();
  ex.end(gunzipSync(archive));
  let text: string | undefined;
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.name === path) text = Buffer.concat(chunks).toString('utf8');
  }
  assert.ok(text !== undefined, `${path} is in the archive`);
  return text;
}

const TOKEN_ENV = { PYPI_TOKEN: GOOD_TOKEN };
const META = ['--owner', OWNER, '--contact', 'security@acme.example'];

function assertNoToken(...texts: string[]) {
  for (const text of texts) {
    for (const token of [GOOD_TOKEN, OTHER_TOKEN, SCOPED_TOKEN]) {
      assert.ok(!text.includes(token), `a token leaked into output:\n${text}`);
      assert.ok(!text.includes(Buffer.from(`__token__:${token}`).toString('base64')), 'a Basic credential leaked into output');
    }
  }
}

describe('reserve: a fresh list of names', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('uploads a placeholder for every free name, in input order, and exits 0', async () => {
    const result = await stand.run(['reserve', 'acme-billing', 'Acme.Auth_Client', 'acme-infra', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-billing': 'uploaded', 'Acme.Auth_Client': 'uploaded', 'acme-infra': 'uploaded' });
    assert.deepEqual(
      stand.warehouse.uploads().map((u) => u.filename),
      ['acme_billing-0.0.0.tar.gz', 'acme_auth_client-0.0.0.tar.gz', 'acme_infra-0.0.0.tar.gz'],
    );
    const project = stand.warehouse.project('acme-auth-client');
    assert.equal(project?.owner, 'acme');
    assert.equal(project?.files.length, 1);
    assertNoToken(result.stdout, result.stderr);
  });

  it('sends the form fields Warehouse records, from the same metadata as PKG-INFO', () => {
    const upload = stand.warehouse.uploads()[0]!;
    assert.deepEqual(upload.fields?.[':action'], ['file_upload']);
    assert.deepEqual(upload.fields?.name, ['acme-billing']);
    assert.deepEqual(upload.fields?.version, ['0.0.0']);
    assert.deepEqual(upload.fields?.metadata_version, ['2.2']);
    assert.deepEqual(upload.fields?.filetype, ['sdist']);
    assert.deepEqual(upload.fields?.author, [OWNER]);
    assert.deepEqual(upload.fields?.classifiers, ['Development Status :: 7 - Inactive']);
    const stored = stand.warehouse.project('acme-billing')!.files[0]!;
    assert.deepEqual(upload.fields?.sha256_digest, [stored.sha256]);
    assert.equal(upload.authUser, '__token__');
  });

  it("sends the description with PKG-INFO's own line endings, so PyPI stores PKG-INFO's body byte for byte", async () => {
    const stored = stand.warehouse.project('acme-billing')!.files[0]!;
    const pkgInfo = await memberText(stored.content, 'acme_billing-0.0.0/PKG-INFO');
    const body = pkgInfo.slice(pkgInfo.indexOf('\n\n') + 2);
    assert.ok(body.includes('\n') && !body.includes('\r'), 'PKG-INFO has a multi-line body with LF line endings');
    assert.equal(stored.metadata.description, body);
  });

  it('changes nothing when run again at once: every name is reserved, no upload is sent, exit 0', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'acme-billing', 'Acme.Auth_Client', 'acme-infra', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(new Set(Object.values(statuses(result))), new Set(['reserved']));
    assert.equal(stand.warehouse.uploads().length, before);
  });

  it('needs no token when there is nothing to upload', async () => {
    const result = await stand.run(['reserve', 'acme-billing', ...META]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /acme-billing\s+reserved/);
  });

  it('check reports the names as reserved by us and exits 0', async () => {
    const result = await stand.run(['check', 'acme-billing', 'acme-infra', 'acme-unclaimed', ...META, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-billing': 'reserved', 'acme-infra': 'reserved', 'acme-unclaimed': 'free' });
    assert.equal(json(result).summary.exitCode, 0);
  });
});

describe('names someone else holds', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({
      projects: [
        { name: 'acme-stolen', owner: 'mallory' },
        { name: 'acme-empty', owner: 'mallory', files: [] },
      ],
    });
  });
  after(() => stand.close());

  it('check marks a name owned by someone else as taken, raises an alert and exits 1', async () => {
    const result = await stand.run(['check', 'acme-stolen', 'acme-free', ...META]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /acme-stolen\s+taken/);
    assert.match(result.stdout, /acme-free\s+free/);
    assert.match(result.stderr, /ALERT: acme-stolen is taken/);
  });

  it('a project that exists with no files is taken too: the simple API is the truth, not the JSON API', async () => {
    const result = await stand.run(['check', 'acme-empty', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.equal(statuses(result)['acme-empty'], 'taken');
  });

  it('reserve reports taken names, uploads the free ones, and exits 1', async () => {
    const result = await stand.run(['reserve', 'acme-stolen', 'acme-free', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-stolen': 'taken', 'acme-free': 'uploaded' });
    assert.deepEqual(stand.warehouse.uploads().map((u) => u.filename), ['acme_free-0.0.0.tar.gz']);
  });
});

describe('lookalikes: what cannot be faked decides ownership', () => {
  let stand: Stand;
  before(async () => {
    const ourContact = { owner: OWNER, contact: 'security@acme.example' };
    stand = await standUp({
      projects: [
        // Someone uploaded our exact (reproducible) placeholder, then a release of their own.
        {
          name: 'acme-mimic',
          owner: 'mallory',
          files: [placeholderFile('acme-mimic', ourContact), { filename: 'acme_mimic-9.9.9.tar.gz', content: Buffer.from('not ours'), version: '9.9.9' }],
        },
        // Someone copied our metadata into a placeholder of their own.
        { name: 'acme-copycat', owner: 'mallory', files: [placeholderFile('acme-copycat', { owner: OWNER, contact: 'evil@mallory.example' })] },
        // Our own older placeholder, built before the contact changed.
        { name: 'acme-ours-old', owner: 'acme', files: [placeholderFile('acme-ours-old', { owner: OWNER, contact: 'old@acme.example' })] },
        // Metadata written to attack whoever prints it: a forged workflow command, a terminal escape, Markdown.
        {
          name: 'acme-hostile',
          owner: 'mallory',
          files: [
            {
              filename: 'acme_hostile-1.0.tar.gz',
              content: Buffer.from('x'),
              version: '1.0',
              metadata: { author: 'evil\n::error title=fake::all good\n\u001b[31mRED ![pixel](https://evil.example/p.png)' },
            },
          ],
        },
        // A standard-library name that an old project holds.
        { name: 'argparse', owner: 'mallory', files: [{ filename: 'argparse-1.4.0.tar.gz', content: Buffer.from('x'), version: '1.4.0' }] },
      ],
    });
  });
  after(() => stand.close());

  it('our exact placeholder beside a foreign release is taken, with an alarm', async () => {
    const result = await stand.run(['check', 'acme-mimic', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.equal(statuses(result)['acme-mimic'], 'taken');
    assert.match(json(result).results[0]!.detail, /but also acme_mimic-9\.9\.9\.tar\.gz/);
  });

  it('a placeholder naming us that we did not build is taken for check, unverified', async () => {
    const result = await stand.run(['check', 'acme-copycat', 'acme-ours-old', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-copycat': 'taken', 'acme-ours-old': 'taken' });
    assert.match(json(result).results[0]!.detail, /ownership unverified/);
  });

  it('reserve settles such claims with the index: its permission check tells ours from theirs, and no project is created', async () => {
    const result = await stand.run(['reserve', 'acme-copycat', 'acme-ours-old', ...META, '--json', '--max-new', '0'], TOKEN_ENV);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-copycat': 'taken', 'acme-ours-old': 'reserved' });
    assert.match(json(result).results[1]!.detail, /ownership confirmed/);
    assert.equal(json(result).summary.newProjects, 0);
    assert.equal(stand.warehouse.project('acme-copycat')?.files.length, 1, 'nothing was added to their project');
  });

  it('text from the index cannot forge output lines, drive the terminal, or add Markdown to the job summary', async () => {
    const summary = join(stand.dir, 'hostile-summary.md');
    const result = await stand.run(['check', 'acme-hostile', ...META], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(result.code, 1);
    for (const text of [result.stdout, result.stderr]) {
      assert.doesNotMatch(text, /^::error title=fake/m);
      assert.ok(!text.includes('\u001b'), 'no escape sequence');
    }
    const md = readFileSync(summary, 'utf8');
    assert.ok(!md.includes('![pixel]('), md);
    assert.doesNotMatch(md, /^::error/m);
  });

  it('a standard-library name someone already holds is taken, not protected', async () => {
    const result = await stand.run(['check', 'argparse', 'os-path', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { argparse: 'taken', 'os-path': 'protected-by-pypi' });
  });
});

describe('names PyPI refuses', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ prohibited: ['acme-forbidden'], projects: [{ name: 'acmetools', owner: 'someone' }] });
  });
  after(() => stand.close());

  it('a standard-library name is only looked up, never uploaded, and counts as protected', async () => {
    const result = await stand.run(['reserve', 'os-path', 'xml.etree', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'os-path': 'protected-by-pypi', 'xml.etree': 'protected-by-pypi' });
    // Read (an old project could hold such a name), but nothing is sent: no upload, no token needed.
    assert.deepEqual(stand.warehouse.requests.map((r) => r.method), ['GET', 'GET', 'GET']);
  });

  it('the similarity preflight marks a name like an existing project too-similar, naming it, and sends no upload', async () => {
    const result = await stand.run(['reserve', 'acme-tools', 'Acme.T00ls', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 1);
    const byName = Object.fromEntries(json(result).results.map((r) => [r.name, r]));
    assert.equal(byName['acme-tools']!.status, 'too-similar');
    assert.match(byName['acme-tools']!.detail, /too similar to acmetools/);
    assert.equal(byName['Acme.T00ls']!.status, 'too-similar');
    assert.equal(stand.warehouse.uploads().length, 0);
  });

  it('check reports the same names as too-similar before anyone tries', async () => {
    const result = await stand.run(['check', 'acme-tools', 'fresh-name', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-tools': 'too-similar', 'fresh-name': 'free' });
  });

  it('two names of one list that PyPI would confuse: the later one is too-similar', async () => {
    const result = await stand.run(['check', 'acme-cool', 'acmec00l', ...META, '--json']);
    assert.deepEqual(statuses(result), { 'acme-cool': 'free', acmec00l: 'too-similar' });
    assert.match(json(result).results[1]!.detail, /acme-cool, earlier in this list/);
  });

  it("without the preflight, PyPI's own too-similar and prohibited answers are reported with the server message, exit 1", async () => {
    const result = await stand.run(['reserve', 'acme-tools', 'acme-forbidden', ...META, '--json', '--no-preflight'], TOKEN_ENV);
    assert.match(result.stderr, /similarity preflight skipped/);
    assert.equal(result.code, 1);
    const byName = Object.fromEntries(json(result).results.map((r) => [r.name, r]));
    assert.equal(byName['acme-tools']!.status, 'too-similar');
    assert.match(byName['acme-tools']!.detail, /too similar to an existing project/);
    assert.equal(byName['acme-forbidden']!.status, 'prohibited');
    assert.match(byName['acme-forbidden']!.detail, /isn't allowed/);
  });
});

describe('the new-project quota', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ quota: { limit: 4, windowSeconds: 86_400 } });
  });
  after(() => stand.close());
  const names = ['q-one', 'q-two', 'q-three', 'q-four', 'q-five', 'q-six', 'q-seven'];

  it('stops at the first 429: nothing more is sent, the rest are deferred, exit 3, and the pace is printed', async () => {
    const result = await stand.run(['reserve', ...names, ...META, '--max-new', '10'], TOKEN_ENV);
    assert.equal(result.code, 3, result.stderr);
    const posts = stand.warehouse.uploads();
    assert.equal(posts.length, 5, 'four creations and one 429, no retry of the 429');
    assert.equal(posts[4]!.status, 429);
    for (const name of ['q-five', 'q-six', 'q-seven']) assert.match(result.stdout, new RegExp(`${name}\\s+deferred`));
    assert.match(result.stdout, /quota window frees a slot at \d{4}-\d\d-\d\dT/);
    assert.match(result.stdout, /3 names waiting; at 4 new projects per 24 hours, all will be protected by \d{4}-/);
    assert.match(result.stderr, /stopped: the index's new-project quota is used up/);
  });

  it('a run after the window has moved completes the list', async () => {
    stand.warehouse.advance(86_400 + 1);
    const result = await stand.run(['reserve', ...names, ...META, '--max-new', '10', '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    const s = statuses(result);
    assert.deepEqual(names.map((n) => s[n]), ['reserved', 'reserved', 'reserved', 'reserved', 'uploaded', 'uploaded', 'uploaded']);
  });

  it('--max-new limits creations per run before the server has to say no', async () => {
    const result = await stand.run(['reserve', 'm-one', 'm-two', 'm-three', ...META, '--max-new', '1', '--json'], TOKEN_ENV);
    assert.equal(result.code, 3);
    assert.deepEqual(statuses(result), { 'm-one': 'uploaded', 'm-two': 'deferred', 'm-three': 'deferred' });
    assert.equal(json(result).summary.newProjects, 1);
  });
});

describe('credentials', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ projects: [{ name: 'acme-existing', owner: 'acme' }] });
  });
  after(() => stand.close());

  it('a refused token stops after one request and never appears in any output', async () => {
    const bad = 'pypi-test-unknown-token-9999';
    const result = await stand.run(['reserve', 'cred-one', 'cred-two', 'cred-three', ...META, '--json'], { PYPI_TOKEN: bad });
    assert.equal(result.code, 2);
    assert.equal(stand.warehouse.uploads().length, 1);
    assert.match(result.stderr, /the index refused the token/);
    assert.match(result.stderr, /hint: check that the token is current/);
    assert.ok(!result.stdout.includes(bad) && !result.stderr.includes(bad));
    assert.equal(json(result).summary.exitCode, 2);
  });

  it('a project-scoped token cannot create a project: the run stops with the fix', async () => {
    const uploadsBefore = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'scoped-one', 'scoped-two', ...META], { PYPI_TOKEN: SCOPED_TOKEN });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /scoped to other projects/);
    assert.match(result.stderr, /Entire account/);
    assert.equal(stand.warehouse.uploads().length - uploadsBefore, 1);
    assertNoToken(result.stdout, result.stderr);
  });

  it('a username other than __token__ is refused by the index and explained', async () => {
    const result = await stand.run(['reserve', 'cred-user', ...META], { TWINE_USERNAME: 'alice', TWINE_PASSWORD: 'hunter2-password' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /username and password/);
    assert.ok(!result.stderr.includes('hunter2-password'));
  });

  it('a token echoed back by the server is redacted everywhere: output, report file, job summary', async () => {
    stand.warehouse.injectFaults('upload', { status: 400, message: `Bad token ${GOOD_TOKEN} given` });
    const report = join(stand.dir, 'echo-report.json');
    const summary = join(stand.dir, 'echo-summary.md');
    const result = await stand.run(['reserve', 'echo-one', ...META, '--json', '--report', report], { ...TOKEN_ENV, GITHUB_STEP_SUMMARY: summary });
    assert.equal(result.code, 1);
    assertNoToken(result.stdout, result.stderr, readFileSync(report, 'utf8'), readFileSync(summary, 'utf8'));
    assert.match(result.stdout, /Bad token \*\*\* given/);
  });

  it('a --report path that cannot be written is refused before anything is sent; a missing directory is created', async () => {
    const before = stand.warehouse.requests.length;
    const isDir = await stand.run(['reserve', 'report-one', ...META, '--report', stand.dir], TOKEN_ENV);
    assert.equal(isDir.code, 2);
    assert.match(isDir.stderr, /--report: the report path is a directory/);
    const file = join(stand.dir, 'plain-file');
    writeFileSync(file, 'x');
    const underFile = await stand.run(['reserve', 'report-one', ...META, '--report', join(file, 'r.json')], TOKEN_ENV);
    assert.equal(underFile.code, 2);
    assert.match(underFile.stderr, /--report: the report's directory cannot be created/);
    assert.equal(stand.warehouse.requests.length, before, 'nothing was sent');
    const nested = join(stand.dir, 'missing', 'deeper', 'r.json');
    const created = await stand.run(['reserve', 'report-one', ...META, '--report', nested], TOKEN_ENV);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(readFileSync(nested, 'utf8')).results[0].status, 'uploaded');
  });

  it('reads the token from --token-file, and from a .pypirc section with its own URL', async () => {
    const tokenFile = join(stand.dir, 'token');
    writeFileSync(tokenFile, `${GOOD_TOKEN}\n`);
    const fromFile = await stand.run(['reserve', 'file-token', ...META, '--token-file', tokenFile]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const pypirc = join(stand.dir, 'pypirc');
    writeFileSync(pypirc, `[distutils]\nindex-servers =\n    local\n\n[local]\nrepository = ${stand.warehouse.uploadUrl}\nusername = __token__\npassword = ${GOOD_TOKEN}\n`);
    const fromRc = await runCli(['reserve', 'rc-token', ...META, '--pypirc', pypirc, '--repository', 'local', '--index-url', stand.warehouse.indexUrl], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir }),
    });
    assert.equal(fromRc.code, 0, fromRc.stderr);
    assert.match(fromRc.stdout, /rc-token\s+uploaded/);
  });

  // The run reads these files more than once (redactor, host check, index settings, first upload); a pipe empties on the first read.
  for (const [what, name, args] of [
    ['a --token-file', 'pipe-token', `--repository-url "$UPLOAD" --token-file <(printf '%s\\n' "$TOKEN")`],
    ['a --pypirc', 'pipe-rc', `--repository local --pypirc <(printf '[distutils]\\nindex-servers = local\\n[local]\\nrepository = %s\\nusername = __token__\\npassword = %s\\n' "$UPLOAD" "$TOKEN")`],
  ] as const) {
    it(`reads ${what} that is a pipe, such as <(pass show …), which gives its text only once`, async () => {
      const own = await standUp();
      const result = await runProcess('bash', ['-c', `exec "$NODE" "$CLI" reserve ${name} --owner "$OWNER" --index-url "$INDEX" ${args}`], {
        cwd: own.dir,
        env: baseEnv({ HOME: own.dir, NODE: process.execPath, CLI: CLI_PATH, TOKEN: GOOD_TOKEN, OWNER, INDEX: own.warehouse.indexUrl, UPLOAD: own.warehouse.uploadUrl }),
      }).finally(() => own.close());
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`${name}\\s+uploaded`));
      assert.ok(!result.stdout.includes(GOOD_TOKEN) && !result.stderr.includes(GOOD_TOKEN));
    });
  }

  it('refuses a --token-file pipe that gives more than 1 MB, and never takes a token from further along it', async () => {
    // A second reader of a pipe would get what follows the first read: the failure is kept for the run.
    const command = 'exec "$NODE" "$CLI" reserve pipe-flood --owner "$OWNER" --no-preflight --index-url "$INDEX" --repository-url "$UPLOAD" --token-file <(head -c 1100000 /dev/zero | tr "\\0" " "; printf "%s\\n" "$TOKEN")';
    const result = await runProcess('bash', ['-c', command], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, NODE: process.execPath, CLI: CLI_PATH, TOKEN: GOOD_TOKEN, OWNER, INDEX: stand.warehouse.indexUrl, UPLOAD: stand.warehouse.uploadUrl }),
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot read the token file \/dev\/fd\/\d+ \(--token-file\): too large \(a pipe may give at most 1 MB\)/);
    assert.equal(stand.warehouse.uploads().filter((u) => u.fields?.name?.[0] === 'pipe-flood').length, 0);
  });

  it('refuses a --token-file that is a device (a terminal, /dev/zero), which would hold the run for as long as it reads', async () => {
    const result = await stand.run(['reserve', 'device-token', ...META, '--token-file', '/dev/zero']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot read the token file \/dev\/zero \(--token-file\): a device \(a terminal, say\), not a file \(EDEVICE\)/);
    assert.equal(stand.warehouse.uploads().filter((u) => u.fields?.name?.[0] === 'device-token').length, 0);
  });

  it('stops at Ctrl-C (exit 130) while a --token-file pipe still waits for its writer', async () => {
    // The pipe is read through the event loop: a thread blocked on it kept Node from exiting.
    const command = 'exec "$NODE" "$CLI" reserve pipe-wait --owner "$OWNER" --no-preflight --index-url "$INDEX" --repository-url "$UPLOAD" --token-file <(exec 2>/dev/null; sleep 30; printf x)';
    const started = Date.now();
    const running = runProcess('bash', ['-c', command], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, NODE: process.execPath, CLI: CLI_PATH, OWNER, INDEX: stand.warehouse.indexUrl, UPLOAD: stand.warehouse.uploadUrl }),
      timeoutMs: 20_000,
      onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 1_500),
    });
    const result = await running;
    assert.equal(result.code, 130, result.stderr);
    assert.ok(Date.now() - started < 10_000, `ended ${Date.now() - started} ms after it started`);
    assert.equal(stand.warehouse.uploads().filter((u) => u.fields?.name?.[0] === 'pipe-wait').length, 0);
  });

  it('with no token at all, says where a token may come from and exits 2', async () => {
    const result = await stand.run(['reserve', 'no-token', ...META]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no upload token found/);
    assert.equal(stand.warehouse.uploads().filter((u) => u.fields?.name?.[0] === 'no-token').length, 0);
  });

  it('refuses to send credentials over http:// to a host that is not loopback, before any connection', async () => {
    const result = await runCli(['reserve', 'plain-http', ...META, '--repository-url', 'http://upload.example.invalid/legacy/'], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refusing to send credentials over plain http/);
  });
});

describe('transport trouble', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('an upload URL without the trailing slash is an error with a hint, not a followed redirect', async () => {
    const url = stand.warehouse.uploadUrl.replace(/\/$/, '');
    const result = await runCli(['reserve', 'slashless', ...META, '--repository-url', url, '--index-url', stand.warehouse.indexUrl], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /308/);
    assert.match(result.stderr, /trailing slash/);
    assert.equal(stand.warehouse.uploads().length, 1);
  });

  it('5xx twice, then success: the upload is retried and succeeds', async () => {
    stand.warehouse.injectFaults('upload', { status: 503 }, { status: 502 });
    const uploadsBefore = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'flaky-five', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statuses(result)['flaky-five'], 'uploaded');
    assert.equal(stand.warehouse.uploads().length - uploadsBefore, 3, 'two failures and the success');
  });

  it('a reset connection is retried, for reads and for uploads', async () => {
    stand.warehouse.injectFaults('simple', { reset: true });
    stand.warehouse.injectFaults('upload', { reset: true });
    const result = await stand.run(['reserve', 'reset-one', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statuses(result)['reset-one'], 'uploaded');
  });

  it('a name that cannot be checked is reported, and check exits 1', async () => {
    stand.warehouse.injectFaults('simple', ...Array.from({ length: 5 }, () => ({ status: 500 })));
    const result = await stand.run(['check', 'unreachable-one', ...META, '--json', '--no-preflight']);
    assert.equal(result.code, 1);
    assert.equal(statuses(result)['unreachable-one'], 'unknown');
  });

  it('dry-run sends no POST and needs no token, and prints the plan and pace', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'dry-one', 'dry-two', ...META, '--dry-run', '--max-new', '1']);
    assert.equal(stand.warehouse.uploads().length, before);
    assert.match(result.stdout, /dry-one\s+would-upload/);
    assert.match(result.stdout, /dry-two\s+deferred/);
    assert.match(result.stdout, /1 name waiting; at 1 new project per 24 hours/);
    assert.equal(result.code, 3);
  });
});

describe('an interrupted batch', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ quota: { limit: 100, windowSeconds: 86_400 } });
  });
  after(() => stand.close());

  it('killed mid-batch, a re-run finishes the job with no duplicate upload and no name lost', async () => {
    const names = ['kill-one', 'kill-two', 'kill-three', 'kill-four'];
    // The second upload hangs long enough for the kill to land while it is under way.
    stand.warehouse.injectFaults('upload', { delayMs: 0 }, { delayMs: 5_000 });
    const child = spawn(process.execPath, [CLI_PATH, 'reserve', ...names, ...META, '--repository-url', stand.warehouse.uploadUrl, '--index-url', stand.warehouse.indexUrl], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }),
      stdio: 'ignore',
    });
    const deadline = Date.now() + 20_000;
    while (stand.warehouse.uploads().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const result = await stand.run(['reserve', ...names, ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    for (const name of names) assert.ok(['uploaded', 'reserved'].includes(statuses(result)[name]!), `${name}: ${statuses(result)[name]}`);
    for (const name of names) assert.equal(stand.warehouse.project(name)?.files.length, 1, `${name} holds exactly one file`);
    const stored = stand.warehouse.uploads().filter((u) => u.status === 200).map((u) => u.filename);
    assert.ok(stored.length <= names.length + 1, `at most one identical re-upload (got ${stored.join(', ')})`);
  });

  it('Ctrl-C finishes the upload under way, reports, and leaves the rest for the next run', async () => {
    const names = ['int-one', 'int-two', 'int-three'];
    stand.warehouse.injectFaults('upload', { delayMs: 1_500 });
    const child = spawn(process.execPath, [CLI_PATH, 'reserve', ...names, ...META, '--json', '--repository-url', stand.warehouse.uploadUrl, '--index-url', stand.warehouse.indexUrl], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const deadline = Date.now() + 20_000;
    // The server holds the first upload for 1.5 s: interrupt while it is under way.
    while (!stderr.includes('uploading int-one') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
    assert.equal(code, 3, `exit ${code} ${signal}`);
    const s = Object.fromEntries((JSON.parse(stdout) as { results: { name: string; status: string }[] }).results.map((r) => [r.name, r.status]));
    assert.deepEqual(s, { 'int-one': 'uploaded', 'int-two': 'deferred', 'int-three': 'deferred' });
  });
});
