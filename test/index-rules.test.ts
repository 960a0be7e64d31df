/**
 * The pure rules of the HTTP edge: what each Warehouse answer means, how the
 * quota headers read, where the token comes from, and that it never shows.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeUploadAnswer } from '../src/registry/upload-answer.js';
import { afterOwnHit, computePace, parseRateLimit } from '../src/core/pace.js';
import { Redactor } from '../src/registry/redact.js';
import { resolveRepository, assertSafeForCredentials } from '../src/registry/repositories.js';
import { resolveCredential } from '../src/registry/credentials.js';
import { parsePypirc } from '../src/registry/pypirc.js';
import { backoffDelay, HttpError, RETRYABLE_STATUSES, UPLOAD_RETRY, isLoopbackHost, withReadRetries } from '../src/registry/http.js';
import { judgeOwnership } from '../src/core/ownership.js';
import { PLACEHOLDER_KEYWORD } from '../src/core/metadata.js';

const answer = (status: number, reason: string, body = '', headers: Record<string, string> = {}) => ({
  status,
  reason,
  body,
  headers: new Headers(headers),
});

describe('what an upload answer means', () => {
  const cases: [number, string, string][] = [
    [200, 'OK', 'uploaded'],
    [403, "The user 'x' isn't allowed to upload to project 'Foo'. See https://pypi.org/help/#project-name for more information.", 'taken'],
    [400, "The name 'os' isn't allowed (conflict with Python Standard Library module name). See …", 'prohibited'],
    [400, "The name 'foo' isn't allowed. See https://pypi.org/help/#project-name for more information.", 'prohibited'],
    [400, "The name 'foobar' is too similar to an existing project. See …", 'too-similar'],
    [400, "File already exists ('foo-0.0.0.tar.gz', with blake2_256 hash 'ab'). See …", 'file-exists'],
    [409, "The name 'foo' conflicts with an existing project. See …", 'exists-recheck'],
    [429, 'Too many new projects created', 'quota'],
    [503, 'Service Unavailable', 'retryable'],
    [403, 'Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.', 'credential'],
    [403, 'Username/Password authentication is no longer supported. Migrate to API Tokens or Trusted Publishers instead.', 'credential'],
    [403, "Invalid API Token: project-scoped token is not valid for project: 'foo'", 'credential'],
    [403, "User 'x', associated with the API token used, does not have two-factor authentication enabled.", 'credential'],
    [403, 'Read-only mode: Uploads are temporarily disabled.', 'index-closed'],
    [400, 'New project registration temporarily disabled. See …', 'index-closed'],
    [403, 'Invalid API Token: token is expired', 'credential'],
    [403, 'Invalid API Token: signatures do not match', 'credential'],
    [400, 'This filename was previously used by a file that has since been deleted. Use a different version.', 'filename-reused'],
    [308, 'An upload was attempted to /legacy but the expected upload URL is /legacy/ (with a trailing slash)', 'redirect'],
    [400, 'Invalid value for version. Error: bad', 'failed'],
  ];
  for (const [status, reason, kind] of cases) {
    it(`${status} "${reason.slice(0, 50)}…" → ${kind}`, () => {
      assert.equal(judgeUploadAnswer(answer(status, reason)).kind, kind);
    });
  }

  it('finds the message in the body when the status line is generic (HTTP/2 has no reason phrase)', () => {
    const body = '<html><head><title>400 Bad Request</title></head><body><h1>400 Bad Request</h1>The server could not comply with the request since it is either malformed or otherwise incorrect.<br/><br/>\nThe name &#x27;foobar&#x27; is too similar to an existing project.\n</body></html>';
    const verdict = judgeUploadAnswer(answer(400, '', body));
    assert.equal(verdict.kind, 'too-similar');
    assert.equal('message' in verdict && verdict.message, "The name 'foobar' is too similar to an existing project.");
  });

  it('an error page with a character reference out of Unicode\'s range is read, not thrown on', () => {
    const body = '<html><body><h1>400 Bad Request</h1>x<br/><br/>\nBad &#x110000; value &amp; more\n</body></html>';
    assert.deepEqual(judgeUploadAnswer(answer(400, '', body)), { kind: 'failed', message: 'Bad &#x110000; value & more' });
  });

  it('reads the JSON error body as well', () => {
    const body = JSON.stringify({ message: 'Access was denied to this resource.\n\n\nInvalid or non-existent authentication information.\n\n', code: '403 Forbidden', title: 'Forbidden' });
    assert.equal(judgeUploadAnswer(answer(403, 'Forbidden', body)).kind, 'credential');
  });

  it('hints at the trailing slash when /legacy is redirected', () => {
    const verdict = judgeUploadAnswer(answer(308, 'Permanent Redirect', '', { location: 'http://127.0.0.1/legacy/' }));
    assert.equal(verdict.kind, 'redirect');
    assert.match(verdict.kind === 'redirect' ? verdict.hint : '', /trailing slash/);
  });

  it('a 429 is never in the upload retry set, and the read set retries it', () => {
    assert.equal(judgeUploadAnswer(answer(429, 'Too many new projects created')).kind, 'quota');
    assert.ok(RETRYABLE_STATUSES.has(429));
  });
});

describe('the quota headers and the pace', () => {
  it('reads the tightest of the user and IP policies', () => {
    const rate = parseRateLimit(
      '"project.create.user";q=4;w=86400;pk=:user:, "project.create.ip";q=40;w=3600;pk=:ip:',
      '"project.create.user";r=0;t=3600, "project.create.ip";r=39;t=10',
    );
    assert.deepEqual(rate, { quota: 4, windowSeconds: 86400, remaining: 0, resetSeconds: 3600 });
  });

  it('every 403 "Invalid API Token: <reason>" is a credential refusal that shows PyPI\'s reason (§10)', () => {
    const verdict = judgeUploadAnswer(answer(403, 'Invalid API Token: token is expired'));
    assert.equal(verdict.kind === 'credential' && verdict.message, 'the index refused the token: token is expired');
  });

  it('clamps values no schedule can use, so no date overflows (t=8640000000000, a huge w=)', () => {
    const rate = parseRateLimit('"p";q=4;w=99999999999999999', '"p";r=0;t=8640000000000')!;
    assert.deepEqual(rate, { quota: 4, windowSeconds: 366 * 86_400, remaining: 0, resetSeconds: 366 * 86_400 });
    const pace = computePace(1_000_000, 1, rate, Date.UTC(2026, 0, 1));
    assert.equal(pace.nextWindowAt?.toISOString(), '2027-01-02T00:00:00.000Z');
    assert.equal(pace.allProtectedBy, undefined, 'beyond any date: nothing promised');
  });

  it('r= counts before the answering request\'s own hit (§10): after a creation one fewer is left', () => {
    assert.deepEqual(afterOwnHit({ remaining: 1, resetSeconds: 60 }, true), { remaining: 0, resetSeconds: 60 });
    assert.deepEqual(afterOwnHit({ remaining: 0 }, false), { remaining: 0 });
  });

  it('--max-new 0 promises no date', () => {
    const pace = computePace(3, 0, undefined, Date.UTC(2026, 0, 1));
    assert.equal(pace.perWindow, 0);
    assert.equal(pace.allProtectedBy, undefined);
  });

  it('no headers, no information', () => {
    assert.equal(parseRateLimit(null, undefined), undefined);
  });

  it('schedules the remaining names one window at a time from the reset', () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const pace = computePace(10, 4, { quota: 4, windowSeconds: 86400, remaining: 0, resetSeconds: 3600 }, now);
    assert.equal(pace.nextWindowAt?.toISOString(), '2026-11-22T13:00:00.000Z');
    // 10 names at 4 a window: 3 windows, the first starting at the reset.
    assert.equal(pace.allProtectedBy?.toISOString(), '2026-11-24T13:00:00.000Z');
  });

  it('while the window still has room, t= says nothing about when the next run may create', () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const pace = computePace(2, 4, { quota: 4, windowSeconds: 86400, remaining: 3, resetSeconds: 3600 }, now);
    assert.equal(pace.nextWindowAt, undefined);
    assert.equal(pace.allProtectedBy?.toISOString(), '2026-11-23T12:00:00.000Z');
  });

  it('without server figures, assumes the per-run limit and a day', () => {
    const now = Date.UTC(2026, 0, 1);
    const pace = computePace(5, 2, undefined, now);
    assert.equal(pace.perWindow, 2);
    // 5 waiting names at 2 a window: three more runs, a day apart, the first a day from now.
    assert.equal(pace.allProtectedBy?.toISOString(), '2026-01-04T00:00:00.000Z');
  });

  it('a read honours the server\'s Retry-After as the least it waits, up to a cap', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withReadRetries(
      async () => {
        if (calls++ === 0) throw new HttpError({ method: 'GET', url: 'http://127.0.0.1/simple/x/', status: 429, retryAfterMs: 5_000 });
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms), now: () => 0, random: () => 0 },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(waits, [5_000]);
  });

  it('a read is not retried for answers that will not change (404, 403)', async () => {
    let calls = 0;
    await assert.rejects(
      withReadRetries(async () => {
        calls++;
        throw new HttpError({ method: 'GET', url: 'http://127.0.0.1/simple/x/', status: 403 });
      }, { sleep: async () => {}, now: () => 0 }),
    );
    assert.equal(calls, 1);
  });

  it('backoff grows, stays under the cap, and has jitter', () => {
    assert.equal(backoffDelay(UPLOAD_RETRY, 0, () => 1), 1000);
    assert.equal(backoffDelay(UPLOAD_RETRY, 1, () => 1), 2000);
    assert.equal(backoffDelay(UPLOAD_RETRY, 10, () => 1), UPLOAD_RETRY.maxDelayMs);
    assert.equal(backoffDelay(UPLOAD_RETRY, 3, () => 0), 0);
  });
});

describe('credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-cred-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  writeFileSync(file, '  pypi-from-file \n');
  const section = { name: 'pypi', password: 'pypi-from-rc' };

  it('takes --token-file first, then PYPI_TOKEN, TWINE_PASSWORD, .pypirc, the prompt', async () => {
    const env = { PYPI_TOKEN: 'pypi-from-env', TWINE_PASSWORD: 'pypi-from-twine' };
    assert.equal((await resolveCredential({ tokenFile: file, env, pypircSection: section })).token, 'pypi-from-file');
    assert.equal((await resolveCredential({ env, pypircSection: section })).token, 'pypi-from-env');
    assert.equal((await resolveCredential({ env: { TWINE_PASSWORD: 'pypi-from-twine' }, pypircSection: section })).token, 'pypi-from-twine');
    assert.equal((await resolveCredential({ env: {}, pypircSection: section })).source, '.pypirc [pypi]');
    assert.equal((await resolveCredential({ env: {}, prompt: async () => 'pypi-typed\n' })).token, 'pypi-typed');
    await assert.rejects(resolveCredential({ env: {} }), /no upload token found/);
  });

  it('TWINE_USERNAME travels with TWINE_PASSWORD, __token__ by default', async () => {
    assert.equal((await resolveCredential({ env: { TWINE_PASSWORD: 'x-secret' } })).username, '__token__');
    assert.equal((await resolveCredential({ env: { TWINE_PASSWORD: 'x-secret', TWINE_USERNAME: 'bob' } })).username, 'bob');
  });

  it('refuses an empty or malformed token without printing it', async () => {
    await assert.rejects(resolveCredential({ env: { PYPI_TOKEN: 'pypi-a b' } }), (err: Error) => !err.message.includes('pypi-a b'));
  });

  it('the redactor blanks the token, its URL-encoded and Basic forms', () => {
    const r = new Redactor();
    r.add('pypi-s3cr3t/+=');
    const basic = Buffer.from('__token__:pypi-s3cr3t/+=').toString('base64');
    assert.equal(r.redact(`a pypi-s3cr3t/+= b ${encodeURIComponent('pypi-s3cr3t/+=')} c ${basic}`), 'a *** b *** c ***');
  });
});

describe('repositories', () => {
  it('knows pypi and testpypi', () => {
    assert.equal(resolveRepository({}).uploadUrl, 'https://upload.pypi.org/legacy/');
    assert.equal(resolveRepository({ repository: 'testpypi' }).indexUrl, 'https://test.pypi.org/simple/');
  });

  it('derives the simple index of a custom upload URL and honours --index-url', () => {
    assert.equal(resolveRepository({ repositoryUrl: 'https://pkgs.example/legacy/' }).indexUrl, 'https://pkgs.example/simple/');
    assert.equal(resolveRepository({ repositoryUrl: 'https://pkgs.example/legacy/', indexUrl: 'https://idx.example/s' }).indexUrl, 'https://idx.example/s/');
    assert.equal(resolveRepository({ repositoryUrl: 'https://pkgs.example/legacy/' }).isPypi, false);
  });

  it('reads a .pypirc section like twine, and rejects unknown names', () => {
    const rc = parsePypirc('[distutils]\nindex-servers =\n  corp\n\n[corp]\nrepository: https://corp.example/legacy/\nusername = __token__\npassword = pypi-x\n', '.pypirc');
    assert.equal(resolveRepository({ repository: 'corp', pypirc: rc }).uploadUrl, 'https://corp.example/legacy/');
    assert.throws(() => resolveRepository({ repository: 'nope' }), /unknown repository 'nope'/);
  });

  it('refuses credentials in URLs and plain http to anything but loopback', () => {
    assert.throws(() => resolveRepository({ repositoryUrl: 'https://u:p@x.example/legacy/' }), /credentials in the URL/);
    assert.throws(() => assertSafeForCredentials('http://upload.example/legacy/'), /plain http/);
    assert.doesNotThrow(() => assertSafeForCredentials('http://127.0.0.1:8080/legacy/'));
    assert.doesNotThrow(() => assertSafeForCredentials('http://[::1]:8080/legacy/'));
    assert.ok(isLoopbackHost('localhost') && !isLoopbackHost('128.0.0.1'));
  });
});

describe('whose project is it', () => {
  const ours = 'a'.repeat(64);
  const oursV1 = 'b'.repeat(64);
  const expected = (filename: string) => ({ 'foo-0.0.0.tar.gz': ours, 'foo-0.0.1.tar.gz': oursV1 })[filename];
  const owner = 'Acme';

  it('a project holding only our placeholders, of any version, is ours', () => {
    assert.equal(judgeOwnership({ files: [{ filename: 'foo-0.0.0.tar.gz', sha256: ours }] }, expected, owner).ours, true);
    assert.equal(
      judgeOwnership({ files: [{ filename: 'foo-0.0.0.tar.gz', sha256: ours }, { filename: 'foo-0.0.1.tar.gz', sha256: oursV1 }] }, expected, owner).ours,
      true,
    );
  });

  it('our exact file beside someone else\'s release is not ours: our placeholder is public and reproducible', () => {
    const verdict = judgeOwnership({ files: [{ filename: 'foo-0.0.0.tar.gz', sha256: ours }, { filename: 'foo-9.9.9.tar.gz', sha256: 'c'.repeat(64) }] }, expected, owner);
    assert.equal(verdict.ours, false);
    assert.match(verdict.detail, /also foo-9\.9\.9\.tar\.gz/);
  });

  it('metadata naming us proves nothing: it is a claim to verify, and taken until then', () => {
    const files = [{ filename: 'foo-0.0.1.tar.gz', sha256: 'd'.repeat(64) }];
    const claim = judgeOwnership({ files, info: { author: 'Acme', keywords: [PLACEHOLDER_KEYWORD] } }, expected, owner);
    assert.equal(claim.ours, false);
    assert.equal(!claim.ours && claim.claim, 'placeholder-metadata');
    const other = judgeOwnership({ files, info: { author: 'Mallory', keywords: [PLACEHOLDER_KEYWORD] } }, expected, owner);
    assert.equal(!other.ours && other.claim, undefined);
    assert.equal(judgeOwnership({ files, info: { author: 'Acme', keywords: [] } }, expected, owner).ours, false);
  });

  it('a wheel, or no files at all, means someone else', () => {
    const wheel = judgeOwnership({ files: [{ filename: 'foo-1.0-py3-none-any.whl', sha256: undefined }], info: { author: 'Acme', keywords: [PLACEHOLDER_KEYWORD] } }, expected, owner);
    assert.equal(wheel.ours || wheel.claim, undefined);
    assert.equal(judgeOwnership({ files: [] }, expected, owner).ours, false);
  });
});
