/**
 * Ownership from the index's own record (`--account`, `--organization`), the
 * JSON API found beside the index actually read, and PEP 792 project status:
 * the real CLI against the Warehouse stand-in and small loopback servers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, runCli } from './support/cli.js';
import { GOOD_TOKEN, OTHER_TOKEN, OWNER, json, standUp, statuses, type Stand } from './support/reserve-fixture.js';
import { buildSdist } from '../src/core/sdist.js';
import { placeholderMetadata, PLACEHOLDER_KEYWORD } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';
import { resolveRepository } from '../src/registry/repositories.js';
import { accountNameProblem, applyProjectStatus, judgeByRecord } from '../src/core/ownership.js';

const CONTACT = 'security@acme.example';
const META = ['--owner', OWNER, '--contact', CONTACT];
const AS_ACME = { PYPI_TOKEN: GOOD_TOKEN };
const AS_MALLORY = { PYPI_TOKEN: OTHER_TOKEN };

/** The placeholder pypi-reserve builds for a name: public data, so anyone can rebuild it byte for byte. */
function placeholderFile(name: string, options: { contact?: string; version?: string } = {}) {
  const meta = placeholderMetadata({ name, normalized: normalizeName(name), source: 'test' }, { owner: OWNER, version: '0.0.0', contact: CONTACT, ...options });
  const sdist = buildSdist(meta);
  return {
    filename: sdist.filename,
    content: Buffer.from(sdist.bytes),
    version: meta.version,
    sha256: sdist.sha256,
    metadata: { author: OWNER, keywords: PLACEHOLDER_KEYWORD, summary: meta.summary },
  };
}

function byName(result: Parameters<typeof json>[0]) {
  return Object.fromEntries(json(result).results.map((r) => [r.name, r as typeof r & { projectStatus?: string }]));
}

/** A loopback HTTP server that records every request and answers with `answer` (404 by default). */
async function recordingServer(answer: (req: IncomingMessage, res: ServerResponse) => boolean = () => false) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!answer(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 Not Found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('--account: ownership from PyPI\'s record of roles', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({
      projects: [
        // Our exact placeholder, uploaded first by someone else: the file rule cannot tell it from ours.
        { name: 'acme-stolen', owner: 'mallory', files: [placeholderFile('acme-stolen')] },
        // A placeholder naming us that this configuration did not build, under mallory's account.
        { name: 'acme-copycat', owner: 'mallory', files: [placeholderFile('acme-copycat', { contact: 'evil@mallory.example' })] },
        // A role user that is not ASCII: U+212A KELVIN SIGN + "cme", which toLowerCase folds to "kcme".
        { name: 'acme-kelvin', owner: '\u212Acme', files: [placeholderFile('acme-kelvin', { contact: 'old@acme.example' })] },
        { name: 'acme-team', owner: 'someone', organization: 'AcmeCorp', files: [placeholderFile('acme-team', { contact: 'old@acme.example' })] },
      ],
    });
    const first = await stand.run(['reserve', 'acme-billing', 'acme-infra', ...META, '--json'], AS_ACME);
    assert.equal(first.code, 0, first.stderr);
  });
  after(() => stand.close());

  it('own names stay reserved after --contact, --version and SOURCE_DATE_EPOCH change', async () => {
    const changed = ['--owner', OWNER, '--contact', 'new-team@acme.example', '--version', '1.0.0'];
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const withAccount = await stand.run(['check', 'acme-billing', 'acme-infra', ...changed, '--account', 'acme', '--json'], env);
    assert.equal(withAccount.code, 0, withAccount.stderr);
    assert.deepEqual(statuses(withAccount), { 'acme-billing': 'reserved', 'acme-infra': 'reserved' });
    assert.match(byName(withAccount)['acme-billing']!.detail, /lists acme as Owner/);
    assert.doesNotMatch(withAccount.stderr, /ALERT/);
    // Without an account only the files speak, and they no longer match this configuration.
    const withoutAccount = await stand.run(['check', 'acme-billing', ...changed, '--json'], env);
    assert.equal(withoutAccount.code, 1);
    assert.deepEqual(statuses(withoutAccount), { 'acme-billing': 'taken' });
  });

  it('reserve with --account needs no settling upload for such names: zero POSTs', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'acme-billing', '--owner', OWNER, '--contact', 'new-team@acme.example', '--account', 'acme', '--json'], AS_ACME);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-billing': 'reserved' });
    assert.equal(stand.warehouse.uploads().length, before);
  });

  it('usernames fold ASCII letters only: a role user "\u212Acme" (Kelvin sign) is not --account kcme', async () => {
    const result = await stand.run(['check', 'acme-kelvin', ...META, '--account', 'kcme', '--json']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-kelvin': 'taken' });
    assert.match(byName(result)['acme-kelvin']!.detail, /none of your accounts/);
    const upper = await stand.run(['check', 'acme-kelvin', ...META, '--account', 'KCME', '--json']);
    assert.deepEqual(statuses(upper), { 'acme-kelvin': 'taken' });
  });

  it('our exact placeholder under another account is taken with --account (and only the file rule calls it ours)', async () => {
    const result = await stand.run(['check', 'acme-stolen', ...META, '--account', 'acme', '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-stolen': 'taken' });
    assert.match(byName(result)['acme-stolen']!.detail, /none of your accounts \(roles: mallory \(Owner\)\)/);
    assert.match(result.stderr, /ALERT: acme-stolen is taken/);
    const fileRule = await stand.run(['check', 'acme-stolen', ...META, '--json']);
    assert.deepEqual(statuses(fileRule), { 'acme-stolen': 'reserved' }, 'the limit README names: the file rule cannot see who uploaded');
  });

  it('a placeholder claim under someone else\'s roles is taken at once: reserve sends no settling upload', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'acme-copycat', ...META, '--account', 'acme', '--json'], AS_ACME);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-copycat': 'taken' });
    assert.equal(stand.warehouse.uploads().length, before);
  });

  it('usernames and the organization compare without regard to case, as PyPI\'s do', async () => {
    const result = await stand.run(['check', 'acme-billing', 'acme-team', ...META, '--account', 'ACME', '--organization', 'acmecorp', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-billing': 'reserved', 'acme-team': 'reserved' });
    assert.match(byName(result)['acme-team']!.detail, /organization AcmeCorp/);
  });

  it('reads accounts and organization from pypi-reserve.toml, and reports every bad value at once with file:line', async () => {
    writeFileSync(join(stand.dir, 'pypi-reserve.toml'), `owner = "${OWNER}"\naccounts = ["acme"]\n`);
    const fromFile = await stand.run(['check', 'acme-billing', 'acme-stolen', '--json']);
    assert.deepEqual(statuses(fromFile), { 'acme-billing': 'reserved', 'acme-stolen': 'taken' });
    writeFileSync(join(stand.dir, 'pypi-reserve.toml'), `owner = "${OWNER}"\naccounts = [\n  "acme",\n  "bad name",\n]\norganization = "-corp"\n`);
    const requestsBefore = stand.warehouse.requests.length;
    const bad = await stand.run(['check', 'acme-billing']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /pypi-reserve\.toml:4.*'accounts' item 2 is not a PyPI account/);
    assert.match(bad.stderr, /pypi-reserve\.toml:6.*'organization' is not a PyPI account/);
    rmSync(join(stand.dir, 'pypi-reserve.toml'));
    const flags = await stand.run(['check', 'acme-billing', ...META, '--account', 'acme!', '--organization', 'x'.repeat(51)]);
    assert.equal(flags.code, 2);
    assert.match(flags.stderr, /--account.*acme!/);
    assert.match(flags.stderr, /--organization.*longer than 50/);
    assert.equal(stand.warehouse.requests.length, requestsBefore, 'bad input stops before any request');
  });
});

describe('the JSON API beside the index actually read', () => {
  it('is derived from --index-url (…/simple/ → …/pypi/), never from the upload host', () => {
    const custom = resolveRepository({ repository: 'pypi', indexUrl: 'http://127.0.0.1:9/mirror/simple/' });
    assert.equal(custom.uploadUrl, 'https://upload.pypi.org/legacy/');
    assert.equal(custom.jsonApiUrl, 'http://127.0.0.1:9/mirror/pypi/');
    assert.equal(resolveRepository({ repository: 'pypi' }).jsonApiUrl, 'https://pypi.org/pypi/');
    assert.equal(resolveRepository({ repository: 'testpypi' }).jsonApiUrl, 'https://test.pypi.org/pypi/');
    assert.equal(resolveRepository({ repositoryUrl: 'http://127.0.0.1:9/root/pypi/', indexUrl: 'http://127.0.0.1:9/root/pypi/+simple/' }).jsonApiUrl, undefined);
  });

  it('no request leaves for a host that was not configured: the upload host sees nothing during check', async () => {
    const stand = await standUp({ projects: [{ name: 'acme-stolen', owner: 'mallory', files: [placeholderFile('acme-stolen')] }] });
    const elsewhere = await recordingServer();
    try {
      const result = await runCli(
        ['check', 'acme-stolen', 'acme-free', ...META, '--account', 'acme', '--repository-url', `${elsewhere.url}/legacy/`, '--index-url', stand.warehouse.indexUrl, '--json'],
        { cwd: stand.dir, env: baseEnv({ HOME: stand.dir }) },
      );
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(statuses(result), { 'acme-stolen': 'taken', 'acme-free': 'free' });
      assert.deepEqual(elsewhere.seen, []);
      const asked = stand.warehouse.requests.map((r) => `${r.method} ${r.path}`);
      assert.ok(asked.includes('GET /pypi/acme-stolen/json'), 'the ownership record was read from the configured index');
      assert.deepEqual(asked.filter((r) => !/^GET \/(simple|pypi)\//.test(r)), []);
    } finally {
      await elsewhere.close();
      await stand.close();
    }
  });
});

describe('an index without a JSON API (pypiserver, devpi)', () => {
  const ours = ['acme-one', 'acme-two'].map((n) => ({ name: n, file: placeholderFile(n) }));
  let index: Awaited<ReturnType<typeof recordingServer>>;
  before(async () => {
    // Pages like pypiserver's: a PEP 503 root listing and project pages with sha256 fragments; every other path 404.
    index = await recordingServer((req, res) => {
      if (/^\/(simple|root\/pypi\/\+simple)\/$/.test(req.url ?? '')) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<!DOCTYPE html><html><body>${ours.map((o) => `<a href="${o.name}/">${o.name}</a>`).join('')}</body></html>`);
        return true;
      }
      const m = /^\/(?:simple|root\/pypi\/\+simple)\/([^/]+)\/$/.exec(req.url ?? '');
      const project = m && ours.find((o) => o.name === m[1]);
      if (!project) return false;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!DOCTYPE html><html><body><a href="/packages/${project.file.filename}#sha256=${project.file.sha256}">${project.file.filename}</a></body></html>`);
      return true;
    });
  });
  after(() => index.close());

  const check = (indexUrl: string) =>
    runCli(['check', 'acme-one', 'acme-two', ...META, '--account', 'acme', '--repository-url', `${index.url}/`, '--index-url', indexUrl, '--json'], {
      env: baseEnv(),
    });

  it('says once on stderr that ownership falls back to files, and the file rule decides', async () => {
    const result = await check(`${index.url}/simple/`);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-one': 'reserved', 'acme-two': 'reserved' });
    assert.equal(result.stderr.match(/ownership of such projects is judged by their files/g)?.length, 1, result.stderr);
    assert.ok(index.seen.includes('GET /pypi/acme-one/json'));
  });

  it('a devpi-style index (…/+simple/) has no JSON API beside it: one note, no lookup, the file rule decides', async () => {
    index.seen.length = 0;
    const result = await check(`${index.url}/root/pypi/+simple/`);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-one': 'reserved', 'acme-two': 'reserved' });
    assert.equal(result.stderr.match(/ownership is judged by files/g)?.length, 1, result.stderr);
    assert.deepEqual(index.seen.filter((s) => !s.includes('+simple')), []);
  });
});

describe('project status (PEP 792)', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({
      projects: [
        { name: 'acme-bad', owner: 'mallory', files: [{ filename: 'acme_bad-6.6.6.tar.gz', content: Buffer.from('malware'), version: '6.6.6' }] },
        { name: 'acme-old', owner: 'acme', status: 'archived', files: [placeholderFile('acme-old', { contact: 'old@acme.example' })] },
        { name: 'acme-legacy', owner: 'acme', status: 'deprecated', files: [placeholderFile('acme-legacy')] },
      ],
    });
    stand.warehouse.setProjectStatus('acme-bad', 'quarantined');
  });
  after(() => stand.close());

  it('quarantined is taken, says quarantined, raises the alarm and exits 1', async () => {
    const result = await stand.run(['check', 'acme-bad', ...META, '--json']);
    assert.equal(result.code, 1);
    const bad = byName(result)['acme-bad']!;
    assert.equal(bad.status, 'taken');
    assert.match(bad.detail, /quarantined/);
    assert.equal(bad.projectStatus, 'quarantined');
    assert.match(result.stderr, /ALERT: acme-bad is taken.*quarantined/);
  });

  it('an archived project of ours is reserved with --account, says archived, and reserve sends no upload', async () => {
    const result = await stand.run(['reserve', 'acme-old', 'acme-bad', ...META, '--account', 'acme', '--json'], AS_ACME);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-old': 'reserved', 'acme-bad': 'taken' });
    assert.match(byName(result)['acme-old']!.detail, /archived/);
    assert.equal(byName(result)['acme-old']!.projectStatus, 'archived');
    assert.equal(stand.warehouse.uploads().length, 0);
  });

  it('without --account an archived placeholder claim is never settled by upload (PyPI would refuse even its owner)', async () => {
    const result = await stand.run(['reserve', 'acme-old', ...META, '--json'], AS_ACME);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-old': 'taken' });
    assert.match(byName(result)['acme-old']!.detail, /archived.*--account/);
    assert.equal(stand.warehouse.uploads().length, 0);
  });

  it('deprecated is said in the detail and the --json projectStatus', async () => {
    const result = await stand.run(['check', 'acme-legacy', ...META, '--account', 'acme', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const legacy = byName(result)['acme-legacy']!;
    assert.equal(legacy.status, 'reserved');
    assert.match(legacy.detail, /deprecated/);
    assert.equal(legacy.projectStatus, 'deprecated');
  });

  it('a status this tool does not know never makes a project reserved on files alone', async () => {
    const file = placeholderFile('acme-odd');
    const index = await recordingServer((req, res) => {
      if (req.url === '/simple/') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.pypi.simple.v1+json' });
        res.end(JSON.stringify({ meta: { 'api-version': '1.4' }, projects: [{ name: 'acme-odd' }] }));
        return true;
      }
      if (req.url !== '/simple/acme-odd/') return false;
      res.writeHead(200, { 'Content-Type': 'application/vnd.pypi.simple.v1+json' });
      res.end(JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'acme-odd', files: [{ filename: file.filename, hashes: { sha256: file.sha256 } }], 'project-status': { status: 'frozen' } }));
      return true;
    });
    try {
      const result = await runCli(['check', 'acme-odd', ...META, '--repository-url', `${index.url}/legacy/`, '--index-url', `${index.url}/simple/`, '--json'], { env: baseEnv() });
      assert.equal(result.code, 1);
      const odd = byName(result)['acme-odd']!;
      assert.equal(odd.status, 'unknown');
      assert.match(odd.detail, /'frozen'/);
    } finally {
      await index.close();
    }
  });
});

describe('reserve by another account', () => {
  it('a name mallory reserved first with our exact placeholder is taken for acme with --account', async () => {
    const stand = await standUp();
    try {
      const theirs = await stand.run(['reserve', 'acme-race', ...META, '--json'], AS_MALLORY);
      assert.equal(theirs.code, 0, theirs.stderr);
      const ours = await stand.run(['reserve', 'acme-race', ...META, '--account', 'acme', '--json'], AS_ACME);
      assert.equal(ours.code, 1);
      assert.deepEqual(statuses(ours), { 'acme-race': 'taken' });
      assert.equal(stand.warehouse.uploads().length, 1, 'only mallory\'s upload');
    } finally {
      await stand.close();
    }
  });
});

describe('an ownership record that cannot be read', () => {
  it('is no evidence either way: the name is unknown, never reserved or free', async () => {
    const file = placeholderFile('acme-odd');
    const index = await recordingServer((req, res) => {
      const answers: Record<string, [string, unknown]> = {
        '/simple/': ['application/vnd.pypi.simple.v1+json', { meta: { 'api-version': '1.4' }, projects: [{ name: 'acme-odd' }] }],
        '/simple/acme-odd/': ['application/vnd.pypi.simple.v1+json', { meta: { 'api-version': '1.4' }, name: 'acme-odd', files: [{ filename: file.filename, hashes: { sha256: file.sha256 } }] }],
        '/pypi/acme-odd/json': ['application/json', { info: { version: '0.0.0' }, ownership: { roles: 'acme', organization: null } }],
      };
      const answer = answers[req.url ?? ''];
      if (!answer) return false;
      res.writeHead(200, { 'Content-Type': answer[0] });
      res.end(JSON.stringify(answer[1]));
      return true;
    });
    try {
      const result = await runCli(['check', 'acme-odd', ...META, '--account', 'acme', '--repository-url', `${index.url}/legacy/`, '--index-url', `${index.url}/simple/`, '--json'], { env: baseEnv() });
      assert.equal(result.code, 1);
      assert.deepEqual(statuses(result), { 'acme-odd': 'unknown' });
      assert.match(json(result).results[0]!.detail, /ownership record is not in the expected form/);
    } finally {
      await index.close();
    }
  });
});

describe('ownership from the index\'s record (core/ownership)', () => {
  const record = { roles: [{ role: 'Owner', user: 'Mallory' }, { role: 'Maintainer', user: 'Acme-Sec' }], organization: 'AcmeCorp' };

  it('is ours when any role names one of our accounts, compared without regard to case', () => {
    assert.deepEqual(judgeByRecord(record, { accounts: ['acme-sec'] }), { ours: true, detail: 'the index lists Acme-Sec as Maintainer' });
  });

  it('is ours when its organization is ours, and someone else\'s otherwise, naming who holds it', () => {
    assert.equal(judgeByRecord(record, { accounts: [], organization: 'acmecorp' }).ours, true);
    const theirs = judgeByRecord({ roles: [{ role: 'Owner', user: 'mallory' }], organization: undefined }, { accounts: ['acme'], organization: 'acme' });
    assert.deepEqual(theirs, { ours: false, detail: 'the index lists none of your accounts (roles: mallory (Owner))' });
  });

  it('lets the PEP 792 status speak: quarantined is taken whoever owns it; unknown statuses never vouch through files', () => {
    const ours = { ours: true as const, detail: 'holds only our placeholder x-0.0.0.tar.gz' };
    assert.equal(applyProjectStatus(ours, 'record', { status: 'quarantined' }).status, 'taken');
    assert.equal(applyProjectStatus(ours, 'files', { status: 'unrecognised', statusText: 'frozen' }).status, 'unknown');
    assert.equal(applyProjectStatus(ours, 'record', { status: 'unrecognised', statusText: 'frozen' }).status, 'reserved');
    const claim = { ours: false as const, detail: 'holds a placeholder naming Acme', claim: 'placeholder-metadata' as const };
    const archived = applyProjectStatus(claim, 'files', { status: 'archived' });
    assert.equal(archived.status, 'taken');
    assert.equal(archived.claim, undefined, 'an archived project is never sent a settling upload');
  });

  it('accepts only names PyPI could have as accounts or organizations', () => {
    assert.equal(accountNameProblem('acme.sec_team-1'), undefined);
    for (const bad of ['-acme', 'acme.', 'ac me', 'acme@corp', '', 'a'.repeat(51)]) assert.ok(accountNameProblem(bad), bad);
  });
});
