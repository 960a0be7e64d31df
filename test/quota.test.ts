/**
 * The new-project quota is scarce (about 4 a day) and spent by PyPI even on
 * some refusals (fact sheet §10): reserve, end to end through the real CLI
 * against the Warehouse stand-in, never spends a slot it can save, and reports
 * everything it did whatever stops it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { baseEnv, runCli } from './support/cli.js';
import { join } from 'node:path';
import { GOOD_TOKEN, OWNER, json, standUp, statuses, type Stand } from './support/reserve-fixture.js';
import { makeToken } from './support/macaroon.js';
import { mintPypiTokenWith } from './support/pypi-tokens.js';
import { pythonTools, unavailable } from './support/python.js';
import { buildSdist } from '../src/core/sdist.js';
import { placeholderMetadata, PLACEHOLDER_KEYWORD } from '../src/core/metadata.js';

const META = ['--owner', OWNER, '--contact', 'security@acme.example'];
const TOKEN_ENV = { PYPI_TOKEN: GOOD_TOKEN };
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Tokens name the index they belong to; the stand-in listens on 127.0.0.1. */
const LOCATION = '127.0.0.1';

function assertAbsent(token: string, ...texts: string[]) {
  for (const text of texts) assert.ok(!text.includes(token), `the token leaked:\n${text}`);
}

describe('tokens that cannot work spend nothing', () => {
  const expired = makeToken({ location: LOCATION, caveats: [[0, nowSeconds() - 3600, nowSeconds() - 7200]] });
  const badSignature = makeToken({ location: LOCATION, caveats: [[3, 'user-id']] });
  const scoped = makeToken({ location: LOCATION, caveats: [[1, ['acme-old']]] });
  let stand: Stand;
  before(async () => {
    const claim = placeholderMetadata({ name: 'acme-old', normalized: 'acme-old', source: 'test' }, { owner: OWNER, contact: 'old@acme.example', version: '0.0.0' });
    const sdist = buildSdist(claim);
    stand = await standUp({
      tokens: {
        [GOOD_TOKEN]: { user: 'acme' },
        // Were they sent, the index would refuse them only after creating the project (§10).
        [expired]: { user: 'acme', expiresAt: nowSeconds() - 3600 },
        [badSignature]: { user: 'acme', caveatFailure: 'signatures do not match' },
        [scoped]: { user: 'acme', scope: { projects: ['acme-old'] } },
      },
      projects: [
        {
          name: 'acme-old',
          owner: 'acme',
          files: [{ filename: sdist.filename, content: Buffer.from(sdist.bytes), version: '0.0.0', metadata: { author: OWNER, keywords: PLACEHOLDER_KEYWORD, summary: claim.summary } }],
        },
      ],
    });
  });
  after(() => stand.close());

  it('an expired token is refused before any request: exit 2, the reason and the fix, the names deferred and promised nothing', async () => {
    const report = join(stand.dir, 'expired.json');
    const result = await stand.run(['reserve', 'exp-one', 'exp-two', ...META, '--report', report], { PYPI_TOKEN: expired });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(stand.warehouse.uploads().length, 0, 'no POST');
    assert.match(result.stderr, /error: the token from PYPI_TOKEN expired at \d{4}-\d\d-\d\dT[\d:]+Z; nothing was sent with it/);
    assert.match(result.stderr, /hint: create a new API token/);
    assert.match(result.stdout, /exp-one\s+deferred\s+not attempted: the token from PYPI_TOKEN expired/);
    assert.doesNotMatch(result.stdout, /will be protected by/, 'names that were never tried are promised no date');
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).summary.exitCode, 2);
    assertAbsent(expired, result.stdout, result.stderr, readFileSync(report, 'utf8'));
  });

  it('a token that fails a caveat on the server stops after exactly one POST: exit 2, PyPI\'s reason, the rest deferred', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'sig-one', 'sig-two', 'sig-three', ...META, '--json'], { PYPI_TOKEN: badSignature });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(stand.warehouse.uploads().length - before, 1, 'one POST, no second slot spent');
    assert.match(result.stderr, /error: the index refused the token: signatures do not match \(token from PYPI_TOKEN\)/);
    assert.deepEqual(statuses(result), { 'sig-one': 'failed', 'sig-two': 'deferred', 'sig-three': 'deferred' });
    const summary = json(result).summary;
    assert.equal(summary.newProjects, 0);
    assert.equal(summary.creationAttempts, 1, 'the refused attempt spent a slot on PyPI');
    assert.equal(summary.pace, null);
    assertAbsent(badSignature, result.stdout, result.stderr);
  });

  it('a project-scoped token creates nothing (exit 2, names said) but settles the claim on its own project', async () => {
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'acme-old', 'scope-new', ...META, '--json'], { PYPI_TOKEN: scoped });
    assert.equal(result.code, 2, result.stderr);
    const posts = stand.warehouse.uploads().slice(before);
    assert.deepEqual(posts.map((u) => u.fields?.name?.[0]), ['acme-old'], 'only the settling upload');
    assert.deepEqual(statuses(result), { 'acme-old': 'reserved', 'scope-new': 'deferred' });
    assert.match(json(result).results[0]!.detail, /ownership confirmed by the index/);
    assert.match(result.stderr, /a project-scoped token cannot create projects: the token from PYPI_TOKEN names only acme-old, and 1 name needs a new project/);
    assert.match(result.stderr, /Entire account/);
  });
});

describe('tokens bound to projects by id or to a trusted publisher create nothing', { skip: unavailable(pythonTools().macaroons) }, () => {
  // Minted by pymacaroons as Warehouse mints them; PyPI would refuse them only after creating the project (§10).
  let byId: string;
  let publisher: string;
  let stand: Stand;
  before(async () => {
    byId = await mintPypiTokenWith(LOCATION, [[2, ['6a1b2c3d-0000-4000-8000-000000000001']]]);
    publisher = await mintPypiTokenWith(LOCATION, [[4, 'publisher-0001', null]]);
    // The stand-in accepts both as account tokens: only the client's own reading can hold them back.
    stand = await standUp({ tokens: { [byId]: { user: 'acme' }, [publisher]: { user: 'acme' } } });
  });
  after(() => stand?.close());

  for (const [label, token, said] of [
    ['a project-id token', () => byId, /names only projects by id/],
    ['a trusted publisher\'s token', () => publisher, /is a trusted publisher's/],
  ] as const) {
    it(`${label} is refused before any request for names that need a new project: exit 2, no POST`, async () => {
      const before = stand.warehouse.uploads().length;
      const result = await stand.run(['reserve', 'scope-a', 'scope-b', ...META, '--json'], { PYPI_TOKEN: token() });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(stand.warehouse.uploads().length - before, 0, 'no POST');
      assert.deepEqual(statuses(result), { 'scope-a': 'deferred', 'scope-b': 'deferred' });
      assert.match(result.stderr, /a project-scoped token cannot create projects: the token from PYPI_TOKEN /);
      assert.match(result.stderr, said);
      assertAbsent(token(), result.stdout, result.stderr);
    });
  }
});

describe('answers that cost a slot are never paid twice', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ deletedFilenames: ['reused_name-0.0.0.tar.gz'], prohibited: ['banned-one', 'banned-two'] });
  });
  after(() => stand.close());

  it('a file name PyPI remembers from a deleted project is filename-reused: exit 1, an ::error:: in CI, the fix and the cost said', async () => {
    const result = await stand.run(['reserve', 'reused-name', ...META], { ...TOKEN_ENV, GITHUB_ACTIONS: 'true' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /reused-name\s+filename-reused\s+PyPI refuses reused_name-0\.0\.0\.tar\.gz forever/);
    assert.match(result.stdout, /spent a new-project quota slot/);
    assert.match(result.stdout, /--version 0\.0\.1/);
    assert.match(result.stderr, /^::error title=reused-name filename-reused::reused-name is filename-reused on /m);
  });

  it('a 5xx after the index created the project is settled by reading the index: no second creation', async () => {
    stand.warehouse.injectFaults('upload', { status: 502, afterCommit: true });
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'gateway-one', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(stand.warehouse.uploads().length - before, 1, 'not sent again');
    assert.equal(statuses(result)['gateway-one'], 'uploaded');
    assert.match(json(result).results[0]!.detail, /created by this upload, confirmed by reading the index/);
    assert.equal(json(result).summary.newProjects, 1);
  });

  it('a broken connection after creation is settled the same way', async () => {
    stand.warehouse.injectFaults('upload', { reset: true, afterCommit: true });
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'reset-one', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(stand.warehouse.uploads().length - before, 1);
    assert.equal(statuses(result)['reset-one'], 'uploaded');
  });

  it('name refusals cost no quota and do not count against --max-new', async () => {
    const result = await stand.run(['reserve', 'banned-one', 'banned-two', 'max-free', ...META, '--no-preflight', '--max-new', '1', '--json'], TOKEN_ENV);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(statuses(result), { 'banned-one': 'prohibited', 'banned-two': 'prohibited', 'max-free': 'uploaded' });
    assert.equal(json(result).summary.newProjects, 1);
    assert.equal(json(result).summary.creationAttempts, 1);
  });
});

describe('a refusal that is not the name\'s', () => {
  // A stand of its own: the slots spent above would otherwise fill the window.
  let stand: Stand;
  before(async () => {
    stand = await standUp({});
  });
  after(() => stand.close());

  it('an unexplained refusal after creation stops further new projects: one POST, the rest deferred with the reason, exit 1', async () => {
    // The same refusal (here a bad archive, past the quota hit) would meet every new name, a slot each (§10).
    // One fault only: on the current code the other three would be sent (and accepted).
    stand.warehouse.injectFaults('upload', { status: 400, message: 'Invalid distribution file.', afterCommit: true });
    const before = stand.warehouse.uploads().length;
    const result = await stand.run(['reserve', 'bad-a', 'bad-b', 'bad-c', 'bad-d', ...META, '--json'], TOKEN_ENV);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(stand.warehouse.uploads().length - before, 1, 'one slot spent, not four');
    assert.deepEqual(statuses(result), { 'bad-a': 'failed', 'bad-b': 'deferred', 'bad-c': 'deferred', 'bad-d': 'deferred' });
    const detail = json(result).results[1]!.detail;
    assert.match(detail, /the index refused the last new project for a reason that is not the name's; fix it before spending more quota/);
    assert.match(detail, /Invalid distribution file/);
    assert.equal(json(result).summary.creationAttempts, 1);
    assert.equal(json(result).summary.pace, null, 'no date promised for names waiting on a fix');
  });
});

describe('what stops a run still reports it', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ projects: [{ name: 'acme-stolen', owner: 'mallory', files: [] }] });
  });
  after(() => stand.close());

  it('no token: the table, the ALERT, the report and the job summary, then exit 2 with the credential message', async () => {
    const report = join(stand.dir, 'no-token.json');
    const summary = join(stand.dir, 'summary.md');
    const result = await stand.run(['reserve', 'acme-stolen', 'acme-free', ...META, '--report', report], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stdout, /acme-stolen\s+taken/);
    assert.match(result.stdout, /acme-free\s+deferred\s+not attempted: no upload token found/);
    assert.match(result.stderr, /ALERT: acme-stolen is taken by someone else/);
    assert.match(result.stderr, /error: no upload token found/);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).summary.exitCode, 2);
    assert.match(readFileSync(summary, 'utf8'), /acme\\-stolen/);
    assert.equal(stand.warehouse.uploads().length, 0);
  });

  it('an unreadable --token-file gets a sentence, not ENOENT', async () => {
    const result = await stand.run(['reserve', 'acme-free', ...META, '--token-file', 'nope']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: cannot read the token file nope \(--token-file\): no such file/);
    // A sentence first; the system's code may follow in parentheses, never a raw `ENOENT: …` message.
    assert.match(result.stderr, /cannot read the token file nope \(--token-file\): no such file or directory/);
    assert.doesNotMatch(result.stderr, /ENOENT:/);
  });

  it('pace lines promise only what will happen: --max-new 0 gives no date, a dry run uploads nothing, stderr counts the cap', async () => {
    const zero = await stand.run(['reserve', 'pace-one', 'pace-two', ...META, '--max-new', '0'], TOKEN_ENV);
    assert.equal(zero.code, 3, zero.stderr);
    assert.match(zero.stdout, /2 names waiting; --max-new 0 creates no project/);
    assert.doesNotMatch(zero.stdout, /will be protected by/);
    assert.doesNotMatch(zero.stderr, /uploading up to/);
    const dry = await stand.run(['reserve', 'pace-one', 'pace-two', ...META, '--dry-run']);
    assert.doesNotMatch(dry.stderr, /uploading up to/);
    const capped = await stand.run(['reserve', 'pace-one', 'pace-two', 'pace-three', ...META, '--max-new', '2'], TOKEN_ENV);
    assert.match(capped.stderr, /^uploading up to 2 placeholders$/m);
    assert.match(capped.stdout, /1 name waiting; at 2 new projects per 24 hours/);
  });
});

describe('odd rate-limit values', () => {
  let stand: Stand;
  before(async () => {
    // A window so long that `t=` is 8,640,000,000,000 seconds: no date can hold it.
    stand = await standUp({ quota: { limit: 1, windowSeconds: 8_640_000_000_000 } });
  });
  after(() => stand.close());

  it('a huge t= or w= does not crash the run: the results and the report are written', async () => {
    const report = join(stand.dir, 'huge.json');
    const result = await stand.run(['reserve', 'huge-one', 'huge-two', ...META, '--max-new', '5', '--report', report], TOKEN_ENV);
    assert.equal(result.code, 3, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error|RangeError/);
    assert.match(result.stdout, /huge-one\s+uploaded/);
    assert.match(result.stdout, /huge-two\s+deferred/);
    assert.ok(existsSync(report));
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).summary.newProjects, 1);
  });
});

describe('contact addresses PyPI refuses', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('are refused by check, reserve and init --check with PyPI\'s reason, exit 2, before anything is sent or written', async () => {
    const report = join(stand.dir, 'contact.json');
    for (const [contact, why] of [
      ['sec@corp.local', /special-use or reserved name/],
      ['a..b@example.com', /two periods in a row/],
    ] as const) {
      for (const command of ['check', 'reserve']) {
        const result = await stand.run([command, 'contact-name', '--owner', OWNER, '--contact', contact, '--report', report], TOKEN_ENV);
        assert.equal(result.code, 2, `${command}: ${result.stderr}`);
        assert.match(result.stderr, /--contact: contact is not an e-mail address PyPI accepts/);
        assert.match(result.stderr, why);
      }
    }
    assert.equal(stand.warehouse.requests.length, 0, 'nothing was sent');
    assert.equal(existsSync(report), false, 'nothing was written');
    writeFileSync(join(stand.dir, 'pypi-reserve.toml'), 'owner = "Acme Security"\ncontact = "sec@corp.test"\n');
    const checked = await runCli(['init', '--check'], { cwd: stand.dir, env: baseEnv({ HOME: stand.dir }) });
    assert.equal(checked.code, 2, checked.stderr);
    assert.match(checked.stderr, /pypi-reserve\.toml:2: contact is not an e-mail address PyPI accepts: The part after the @-sign is a special-use/);
  });
});
