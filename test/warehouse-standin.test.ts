/**
 * Specification of the local Warehouse stand-in (test/support/warehouse/)
 * against the fact sheet (/work/shared/pypi-upload-facts.md, § numbers below),
 * and proof against a real client: twine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { blake2b256Hex } from './support/warehouse/blake2b.js';
import {
  type Part,
  buildSdist,
  postUpload,
  sdistFilename,
  send,
  tarGz,
  tokenAuth,
  uploadParts,
  uploadSdist,
} from './support/warehouse/fixtures.js';
import { type Warehouse, type WarehouseOptions, startWarehouse } from './support/warehouse/index.js';

const TOKENS: WarehouseOptions['tokens'] = {
  'pypi-alice': { user: 'alice' },
  'pypi-bob': { user: 'bob' },
  'pypi-scoped': { user: 'alice', scope: { projects: ['alice-lib'] } },
  'pypi-noemail': { user: 'carol', verifiedEmail: false },
  'pypi-no2fa': { user: 'dave', twoFactor: false },
  'pypi-expired': { user: 'alice', expiresAt: 1_000 },
  'pypi-badsig': { user: 'alice', caveatFailure: 'signatures do not match' },
};
const HELP = 'https://pypi.org/help/#';
const CORE = 'See https://packaging.python.org/specifications/core-metadata for more information.';

async function withWarehouse(options: WarehouseOptions, fn: (wh: Warehouse) => Promise<void>): Promise<void> {
  const wh = await startWarehouse({ tokens: TOKENS, ...options });
  try {
    await fn(wh);
  } finally {
    await wh.close();
  }
}

/** Status and reason phrase of a response, e.g. "400 Unknown protocol version.". */
const statusLine = (r: { status: number; reason: string }) => `${r.status} ${r.reason}`;

async function assertUploadFails(
  wh: Warehouse,
  name: string,
  version: string,
  status: number,
  message: string,
  overrides: Record<string, string | string[] | null> = {},
  token = 'pypi-alice',
): Promise<void> {
  const r = await uploadSdist(wh.uploadUrl, token, name, version, overrides);
  assert.equal(statusLine(r), `${status} ${message}`);
}

describe('Simple API (§1)', () => {
  let wh: Warehouse;
  let sdist: Buffer;
  before(async () => {
    sdist = await buildSdist({ name: 'has-files', version: '1.0' });
    wh = await startWarehouse({
      projects: [
        { name: 'Empty_Project', owner: 'bob' },
        { name: 'has-files', owner: 'bob', files: [{ filename: 'has_files-1.0.tar.gz', content: sdist, metadata: { requires_python: '>=3.8' } }] },
      ],
    });
  });
  after(() => wh.close());

  it('answers text/html without an Accept header', async () => {
    const r = await send(wh.indexUrl + 'has-files/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html');
  });

  it('chooses the offer with the best q-value and names it in Content-Type', async () => {
    const cases: Array<[string, string]> = [
      ['application/vnd.pypi.simple.v1+json', 'application/vnd.pypi.simple.v1+json'],
      ['application/vnd.pypi.simple.v1+json;q=0.5, text/html;q=0.9', 'text/html'],
      ['text/html;q=0.2, application/vnd.pypi.simple.v1+json', 'application/vnd.pypi.simple.v1+json'],
      ['application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+html'],
      ['*/*', 'text/html'],
    ];
    for (const [accept, expected] of cases) {
      const r = await send(wh.indexUrl + 'has-files/', { headers: { Accept: accept } });
      assert.equal(r.headers['content-type'], expected, accept);
    }
  });

  it('falls back to text/html, never 406, when nothing offered is acceptable', async () => {
    for (const accept of ['application/vnd.pypi.simple.latest+json', 'image/png', 'text/html;q=0']) {
      const r = await send(wh.indexUrl + 'has-files/', { headers: { Accept: accept } });
      assert.equal(r.status, 200, accept);
      assert.equal(r.headers['content-type'], 'text/html', accept);
    }
  });

  it('lists every project in the index, as JSON and as HTML anchors', async () => {
    const json = await send(wh.indexUrl, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
    const body = JSON.parse(json.body) as { meta: Record<string, unknown>; projects: Array<{ name: string }> };
    assert.equal(body.meta['api-version'], '1.4');
    assert.deepEqual(body.projects.map((p) => p.name), ['Empty_Project', 'has-files']);
    const html = await send(wh.indexUrl);
    assert.match(html.body, /<a href="\/simple\/empty-project\/">Empty_Project<\/a>/);
  });

  it('serves a root listing of PEP 503 project entries only: each href ends in /, its last segment the normalized name, nothing else on the page (§1)', async () => {
    const html = await send(wh.indexUrl);
    const anchors = [...html.body.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(anchors, [['/simple/empty-project/', 'Empty_Project'], ['/simple/has-files/', 'has-files']]);
    const outsideLinks = html.body.replace(/<head>[\s\S]*<\/head>/, '').replace(/<a [^>]*>[^<]*<\/a>/g, '').replace(/<[^>]*>/g, '').trim();
    assert.equal(outsideLinks, '', 'no text besides the project links');
  });

  it('redirects a non-normalized name with 301 to the normalized URL', async () => {
    const r = await send(wh.indexUrl + 'Empty_Project/');
    assert.equal(statusLine(r), '301 Moved Permanently');
    assert.equal(r.headers.location, '/simple/empty-project/');
  });

  it('appends a missing trailing slash with 301, keeping the name as given (Pyramid append_slash)', async () => {
    const r = await send(wh.indexUrl + 'Empty_Project?x=1');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/simple/Empty_Project/?x=1');
  });

  it('answers 404 text/plain "404 Not Found" for a name no project has, however it is spelled', async () => {
    for (const path of ['no-such-project/', 'No_Such.Project/']) {
      const r = await send(wh.indexUrl + path);
      assert.equal(statusLine(r), '404 Not Found');
      assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8');
      assert.equal(r.body, '404 Not Found');
    }
  });

  it('answers 200 for a project without files: empty versions and files, an h1 and no anchors', async () => {
    const json = await send(wh.indexUrl + 'empty-project/', { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
    assert.equal(json.status, 200);
    const body = JSON.parse(json.body) as Record<string, unknown>;
    assert.equal(body.name, 'empty-project');
    assert.deepEqual(body.versions, []);
    assert.deepEqual(body.files, []);
    const html = await send(wh.indexUrl + 'empty-project/');
    assert.match(html.body, /<h1>Links for empty-project<\/h1>/);
    assert.doesNotMatch(html.body, /<a /);
  });

  it('describes each file as PEP 691 JSON and as an anchor with a #sha256 fragment, downloadable from its url', async () => {
    const sha256 = createHash('sha256').update(sdist).digest('hex');
    const json = await send(wh.indexUrl + 'has-files/', { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
    const body = JSON.parse(json.body) as { versions: string[]; files: Array<Record<string, unknown>>; 'project-status': unknown };
    assert.deepEqual(body.versions, ['1.0']);
    assert.deepEqual(body['project-status'], { status: 'active' });
    const file = body.files[0]!;
    assert.equal(file.filename, 'has_files-1.0.tar.gz');
    assert.deepEqual(file.hashes, { sha256 });
    assert.equal(file['requires-python'], '>=3.8');
    assert.equal(file.size, sdist.length);
    assert.equal(file.yanked, false);
    assert.equal(file['core-metadata'], false);
    assert.equal(file.provenance, null);
    assert.match(String(file['upload-time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    const download = await fetch(String(file.url));
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), sdist);
    const html = await send(wh.indexUrl + 'has-files/');
    assert.ok(html.body.includes(`${String(file.url)}#sha256=${sha256}" data-requires-python="&gt;=3.8">has_files-1.0.tar.gz</a>`));
  });

  it('answers 304 to a revalidation with the ETag or Last-Modified it served', async () => {
    const first = await send(wh.indexUrl + 'has-files/');
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    assert.equal((await send(wh.indexUrl + 'has-files/', { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await send(wh.indexUrl + 'has-files/', { headers: { 'If-Modified-Since': lastModified } })).status, 304);
    assert.equal((await send(wh.indexUrl, { headers: { 'If-None-Match': etag } })).status, 200, 'another page has another ETag');
    const otherType = await send(wh.indexUrl + 'has-files/', {
      headers: { 'If-None-Match': etag, Accept: 'application/vnd.pypi.simple.v1+json' },
    });
    assert.equal(otherType.status, 200, 'the JSON form is a different representation');
  });

  it('serves a new ETag once the project changes', async () => {
    await withWarehouse({ projects: [{ name: 'grows', owner: 'alice' }] }, async (w) => {
      const before = await send(w.indexUrl + 'grows/');
      w.advance(60);
      const up = await uploadSdist(w.uploadUrl, 'pypi-alice', 'grows', '1.0');
      assert.equal(up.status, 200);
      const again = await send(w.indexUrl + 'grows/', { headers: { 'If-None-Match': String(before.headers.etag) } });
      assert.equal(again.status, 200);
      assert.notEqual(again.headers.etag, before.headers.etag);
      assert.match(again.body, /grows-1\.0\.tar\.gz/);
    });
  });
});

describe('JSON API (§1)', () => {
  it('answers {"message": "Not Found"} 404 for unknown projects and for projects without files', async () => {
    await withWarehouse({ projects: [{ name: 'empty', owner: 'bob' }] }, async (wh) => {
      for (const name of ['unknown', 'empty']) {
        const r = await send(`${wh.url}/pypi/${name}/json`);
        assert.equal(statusLine(r), '404 Not Found', name);
        assert.equal(r.body, '{"message": "Not Found"}');
      }
    });
  });

  it('redirects a non-normalized name with 301', async () => {
    await withWarehouse({ projects: [{ name: 'My.Project', owner: 'bob' }] }, async (wh) => {
      const r = await send(`${wh.url}/pypi/My.Project/json`);
      assert.equal(r.status, 301);
      assert.equal(r.headers.location, '/pypi/my-project/json');
    });
  });

  it('shows the metadata of the upload form, the releases and the owner', async () => {
    await withWarehouse({}, async (wh) => {
      const up = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'Acme-Internal', '0.0.1', {
        author: 'Acme Security',
        author_email: 'security@acme.example',
        summary: 'Reserved by Acme',
        project_urls: ['Homepage, https://acme.example/reserved'],
        keywords: 'reserved, placeholder',
        classifiers: ['Development Status :: 7 - Inactive'],
      });
      assert.equal(statusLine(up), '200 OK');
      const r = await send(`${wh.url}/pypi/acme-internal/json`);
      const body = JSON.parse(r.body) as {
        info: Record<string, unknown>;
        releases: Record<string, Array<{ filename: string }>>;
        urls: unknown[];
        ownership: unknown;
      };
      assert.equal(body.info.name, 'Acme-Internal');
      assert.equal(body.info.version, '0.0.1');
      assert.equal(body.info.author, 'Acme Security');
      assert.equal(body.info.author_email, 'security@acme.example');
      assert.equal(body.info.summary, 'Reserved by Acme');
      assert.deepEqual(body.info.project_urls, { Homepage: 'https://acme.example/reserved' });
      assert.deepEqual(body.info.classifiers, ['Development Status :: 7 - Inactive']);
      assert.deepEqual(body.releases['0.0.1']!.map((f) => f.filename), ['acme_internal-0.0.1.tar.gz']);
      assert.equal(body.urls.length, 1);
      assert.deepEqual(body.ownership, { organization: null, roles: [{ role: 'Owner', user: 'alice' }] });
    });
  });
});

describe('ownership and project status (§10)', () => {
  const ACCEPT_JSON = { Accept: 'application/vnd.pypi.simple.v1+json' };
  type SimpleDetail = { files: { filename: string }[]; versions: string[]; 'project-status': { status: string } };
  type JsonProject = { ownership: unknown; urls: unknown[]; releases: Record<string, unknown[]> };

  it('the JSON API lists every role and the owning organization: PyPI\'s own record, not the uploader\'s say', async () => {
    await withWarehouse({}, async (wh) => {
      assert.equal(statusLine(await uploadSdist(wh.uploadUrl, 'pypi-alice', 'team-lib', '1.0')), '200 OK');
      wh.addProject({ name: 'team-lib', owner: 'alice', maintainers: ['bob'], organization: 'Acme' });
      const body = JSON.parse((await send(`${wh.url}/pypi/team-lib/json`)).body) as JsonProject;
      assert.deepEqual(body.ownership, {
        organization: 'Acme',
        roles: [
          { role: 'Owner', user: 'alice' },
          { role: 'Maintainer', user: 'bob' },
        ],
      });
    });
  });

  it('a project seeded under another account holds exactly the file given, and its record names that account', async () => {
    const content = await buildSdist({ name: 'acme-private', version: '0.0.0' });
    await withWarehouse({ projects: [{ name: 'acme-private', owner: 'mallory', files: [{ filename: sdistFilename('acme-private', '0.0.0'), content }] }] }, async (wh) => {
      const page = JSON.parse((await send(`${wh.url}/simple/acme-private/`, { headers: ACCEPT_JSON })).body) as SimpleDetail;
      assert.deepEqual(page.files.map((f) => f.filename), ['acme_private-0.0.0.tar.gz']);
      const body = JSON.parse((await send(`${wh.url}/pypi/acme-private/json`)).body) as JsonProject;
      assert.deepEqual(body.ownership, { organization: null, roles: [{ role: 'Owner', user: 'mallory' }] });
    });
  });

  it('names the PEP 792 status on the project page, in JSON and in HTML; active by default', async () => {
    const files = [{ filename: 'old_lib-1.0.tar.gz', content: await buildSdist({ name: 'old-lib', version: '1.0' }) }];
    await withWarehouse({ projects: [{ name: 'old-lib', owner: 'alice', files, status: 'deprecated' }, { name: 'live-lib', owner: 'alice' }] }, async (wh) => {
      const json = JSON.parse((await send(`${wh.url}/simple/old-lib/`, { headers: ACCEPT_JSON })).body) as SimpleDetail;
      assert.deepEqual(json['project-status'], { status: 'deprecated' });
      assert.equal(json.files.length, 1, 'a deprecated project keeps its files');
      const html = (await send(`${wh.url}/simple/old-lib/`)).body;
      assert.match(html, /<meta name="pypi:project-status" content="deprecated">/);
      const live = JSON.parse((await send(`${wh.url}/simple/live-lib/`, { headers: ACCEPT_JSON })).body) as SimpleDetail;
      assert.deepEqual(live['project-status'], { status: 'active' });
    });
  });

  it('a quarantined project answers 200 with no files, is left out of /simple/, and its files are gone from the JSON API', async () => {
    const files = [{ filename: 'acme_bad-1.0.tar.gz', content: await buildSdist({ name: 'acme-bad', version: '1.0' }) }];
    await withWarehouse({ projects: [{ name: 'acme-bad', owner: 'mallory', files }, { name: 'other', owner: 'bob' }] }, async (wh) => {
      wh.setProjectStatus('acme-bad', 'quarantined');
      const detail = await send(`${wh.url}/simple/acme-bad/`, { headers: ACCEPT_JSON });
      assert.equal(detail.status, 200);
      const page = JSON.parse(detail.body) as SimpleDetail;
      assert.deepEqual(page.files, []);
      assert.deepEqual(page.versions, []);
      assert.deepEqual(page['project-status'], { status: 'quarantined' });
      assert.doesNotMatch((await send(`${wh.url}/simple/acme-bad/`)).body, /<a /);
      const root = JSON.parse((await send(`${wh.url}/simple/`, { headers: ACCEPT_JSON })).body) as { projects: { name: string }[] };
      assert.deepEqual(root.projects.map((p) => p.name), ['other']);
      const api = JSON.parse((await send(`${wh.url}/pypi/acme-bad/json`)).body) as JsonProject;
      assert.deepEqual(api.urls, []);
      assert.deepEqual(api.releases, { '1.0': [] });
    });
  });

  it('an archived project refuses every upload, its owner\'s included, with the text a stranger gets', async () => {
    await withWarehouse({}, async (wh) => {
      assert.equal(statusLine(await uploadSdist(wh.uploadUrl, 'pypi-alice', 'kept-lib', '1.0')), '200 OK');
      wh.setProjectStatus('kept-lib', 'archived');
      const stranger = `The user 'bob' isn't allowed to upload to project 'kept-lib'. See ${HELP}project-name for more information.`;
      await assertUploadFails(wh, 'kept-lib', '1.1', 403, stranger, {}, 'pypi-bob');
      const owner = `The user 'alice' isn't allowed to upload to project 'kept-lib'. See ${HELP}project-name for more information.`;
      await assertUploadFails(wh, 'kept-lib', '1.1', 403, owner);
      assert.equal(wh.project('kept-lib')?.files.length, 1);
      assert.equal(wh.project('kept-lib')?.status, 'archived');
    });
  });
});

describe('line endings of form fields (§10 "Line endings")', () => {
  it('stores a field exactly as its part carries it: LF stays LF, CRLF stays CRLF', async () => {
    await withWarehouse({}, async (wh) => {
      for (const [name, description] of [
        ['lf-lines', '# Title\n\nfirst line\nsecond line\n'],
        ['crlf-lines', '# Title\r\n\r\nfirst line\r\n'],
      ] as const) {
        const up = await uploadSdist(wh.uploadUrl, 'pypi-alice', name, '1.0', { description, description_content_type: 'text/markdown' });
        assert.equal(statusLine(up), '200 OK');
        assert.equal(wh.project(name)!.files[0]!.metadata.description, description);
        const info = JSON.parse((await send(`${wh.url}/pypi/${name}/json`)).body) as { info: { description: string } };
        assert.equal(info.info.description, description);
      }
    });
  });
});

describe('upload routing (§1)', () => {
  it('redirects POST /legacy with 308 and the trailing-slash reason', async () => {
    await withWarehouse({}, async (wh) => {
      const sdist = await buildSdist({ name: 'x', version: '1' });
      const r = await postUpload(`${wh.url}/legacy`, uploadParts({ filename: 'x-1.tar.gz', content: sdist }, { name: 'x', version: '1' }));
      assert.equal(
        statusLine(r),
        '308 An upload was attempted to /legacy but the expected upload URL is /legacy/ (with a trailing slash)',
      );
      assert.equal(r.headers.location, '/legacy/');
    });
  });

  it('answers 410 to the retired actions and 405 without :action', async () => {
    await withWarehouse({}, async (wh) => {
      const submit = await postUpload(wh.uploadUrl, [{ name: ':action', value: 'submit' }], { authorization: tokenAuth('pypi-alice') });
      assert.equal(statusLine(submit), '410 Project pre-registration is no longer required or supported, upload your files instead.');
      const docs = await postUpload(wh.uploadUrl, [{ name: ':action', value: 'doc_upload' }]);
      assert.equal(statusLine(docs), '410 Uploading documentation is no longer supported, we recommend using https://readthedocs.org/.');
      const none = await postUpload(wh.uploadUrl, [{ name: 'name', value: 'x' }]);
      assert.equal(statusLine(none), '405 Method Not Allowed');
    });
  });

  it('takes :action from the query string as well', async () => {
    await withWarehouse({}, async (wh) => {
      const r = await postUpload(`${wh.uploadUrl}?:action=submit`, [{ name: 'name', value: 'x' }]);
      assert.equal(r.status, 410);
    });
  });
});

describe('authentication (§3)', () => {
  it('accepts Basic __token__, Bearer and token schemes, with whitespace around the token', async () => {
    await withWarehouse({}, async (wh) => {
      const sdist = await buildSdist({ name: 'auth-ok', version: '1.0' });
      const parts = uploadParts({ filename: 'auth_ok-1.0.tar.gz', content: sdist }, { name: 'auth-ok', version: '1.0' });
      const basic = await postUpload(wh.uploadUrl, parts, { authorization: tokenAuth(' pypi-alice\n') });
      assert.equal(statusLine(basic), '200 OK');
      // The identical re-uploads are accepted too, which proves the credentials were.
      assert.equal((await postUpload(wh.uploadUrl, parts, { authorization: 'Bearer pypi-alice' })).status, 200);
      assert.equal((await postUpload(wh.uploadUrl, parts, { authorization: 'token pypi-alice' })).status, 200);
      assert.deepEqual(wh.uploads().map((u) => u.authorized), [true, true, true]);
    });
  });

  it('refuses a missing, unknown or malformed token with 403 (never 401, no WWW-Authenticate)', async () => {
    await withWarehouse({}, async (wh) => {
      const message = `403 Invalid or non-existent authentication information. See ${HELP}invalid-auth for more information.`;
      for (const auth of [undefined, tokenAuth('pypi-unknown'), 'Basic !!!', 'Digest abc', tokenAuth('')]) {
        const sdist = await buildSdist({ name: 'auth-x', version: '1.0' });
        const r = await postUpload(wh.uploadUrl, uploadParts({ filename: 'auth_x-1.0.tar.gz', content: sdist }, { name: 'auth-x', version: '1.0' }), {
          ...(auth ? { authorization: auth } : {}),
        });
        assert.equal(statusLine(r), message, String(auth));
        assert.equal(r.headers['www-authenticate'], undefined);
      }
    });
  });

  it('refuses username/password with 403 and the migration message', async () => {
    await withWarehouse({}, async (wh) => {
      const sdist = await buildSdist({ name: 'auth-x', version: '1.0' });
      const r = await postUpload(wh.uploadUrl, uploadParts({ filename: 'auth_x-1.0.tar.gz', content: sdist }, { name: 'auth-x', version: '1.0' }), {
        authorization: 'Basic ' + Buffer.from('alice:hunter2').toString('base64'),
      });
      assert.equal(
        statusLine(r),
        '403 Username/Password authentication is no longer supported. Migrate to API Tokens or Trusted Publishers instead. ' +
          `See ${HELP}apitoken and ${HELP}trusted-publishers`,
      );
      assert.equal(wh.requests[0]!.authUser, 'alice');
    });
  });

  it('uses the configured index host in help links', async () => {
    await withWarehouse({ indexHost: 'test.pypi.org' }, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0');
      assert.equal(statusLine(r), '403 Invalid or non-existent authentication information. See https://test.pypi.org/help/#invalid-auth for more information.');
    });
  });

  it('never records the token in the request log', async () => {
    await withWarehouse({}, async (wh) => {
      await uploadSdist(wh.uploadUrl, 'pypi-alice', 'logged', '1.0');
      const logged = JSON.stringify(wh.requests);
      assert.ok(!logged.includes('pypi-alice'));
      assert.equal(wh.requests[0]!.authUser, '__token__');
      assert.equal(wh.requests[0]!.filename, 'logged-1.0.tar.gz');
      assert.deepEqual(wh.requests[0]!.fields?.name, ['logged']);
      assert.equal(wh.requests[0]!.fields?.content, undefined);
    });
  });
});

describe('guards (§4 step 1)', () => {
  it('read-only mode wins over everything, even missing credentials', async () => {
    await withWarehouse({ readOnly: true, disallowNewUploads: true }, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0');
      assert.equal(statusLine(r), '403 Read-only mode: Uploads are temporarily disabled.');
    });
  });

  it('disallowing new uploads answers 403 before authentication', async () => {
    await withWarehouse({ disallowNewUploads: true }, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0');
      assert.equal(statusLine(r), `403 New uploads are temporarily disabled. See ${HELP}admin-intervention for more information.`);
    });
  });

  it('disallowing new projects refuses new names only', async () => {
    await withWarehouse({ disallowNewProjects: true, projects: [{ name: 'mine', owner: 'alice' }] }, async (wh) => {
      await assertUploadFails(wh, 'fresh', '1.0', 403, `New project registration temporarily disabled. See ${HELP}admin-intervention for more information.`);
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'mine', '1.0')).status, 200);
    });
  });
});

describe('form validation (§4 steps 2–3)', () => {
  it('rejects an unknown protocol version', async () => {
    await withWarehouse({}, async (wh) => assertUploadFails(wh, 'x', '1.0', 400, 'Unknown protocol version.', { protocol_version: '2' }));
  });

  it('names an invalid project name with the core-metadata link', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(
        wh,
        '-bad-',
        '1.0',
        400,
        "'-bad-' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'. " +
          CORE,
      );
    });
  });

  it('shortens a long invalid name to its first and last 30 characters', async () => {
    await withWarehouse({}, async (wh) => {
      const name = 'a'.repeat(40) + ' ' + 'b'.repeat(40);
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', name, '1.0', {}, { filename: 'x-1.0.tar.gz' });
      assert.ok(r.reason.startsWith(`'${'a'.repeat(30)}...${'b'.repeat(30)}' is an invalid value for Name.`), r.reason);
    });
  });

  it('reports other field and form errors in their own formats', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, 'Invalid value for filetype. Error: Use a known file type.', { filetype: 'bdist_egg', pyversion: 'py3' });
      await assertUploadFails(wh, 'x', '1.0', 400, "Error: Use 'source' as Python version for an sdist.", { pyversion: 'py3' });
      await assertUploadFails(wh, 'x', '1.0', 400, 'Error: Include at least one message digest.', { sha256_digest: null, blake2_256_digest: null });
      await assertUploadFails(wh, 'x', '1.0', 400, 'Invalid value for sha256_digest. Error: Use a valid, hex-encoded, SHA256 message digest.', {
        sha256_digest: 'not-hex',
      });
    });
  });

  it('refuses a metadata field sent as a file part', async () => {
    await withWarehouse({}, async (wh) => {
      const sdist = await buildSdist({ name: 'x', version: '1.0' });
      const parts: Part[] = [
        ...uploadParts({ filename: 'x-1.0.tar.gz', content: sdist }, { name: 'x', version: '1.0' }),
        { name: 'description', filename: 'README.md', content: Buffer.from('hi') },
      ];
      const r = await postUpload(wh.uploadUrl, parts, { authorization: tokenAuth('pypi-alice') });
      assert.equal(statusLine(r), '400 description: Should not be a tuple.');
    });
  });

  it('answers "Upload payload does not have a file." without a content part', async () => {
    await withWarehouse({}, async (wh) => {
      const parts = uploadParts({ filename: 'x-1.0.tar.gz', content: Buffer.from('x') }, { name: 'x', version: '1.0' }).filter((p) => p.name !== 'content');
      const r = await postUpload(wh.uploadUrl, parts, { authorization: tokenAuth('pypi-alice') });
      assert.equal(statusLine(r), '400 Upload payload does not have a file.');
    });
  });
});

describe('metadata validation (§4 step 4)', () => {
  it('rejects metadata version 2.0 and a missing one', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, `'2.0' is not a valid metadata version. ${CORE}`, { metadata_version: '2.0' });
      await assertUploadFails(wh, 'x', '1.0', 400, `None is not a valid metadata version. ${CORE}`, { metadata_version: null });
    });
  });

  it('rejects a non-PEP 440 version and refuses local versions', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', 'abc', 400, `'abc' is invalid for 'version'. ${CORE}`);
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0+X');
      assert.equal(r.status, 400);
      assert.ok(r.reason.startsWith("The use of local versions in '1.0+x' is not allowed. See "), r.reason);
    });
  });

  it('limits the summary to one line of at most 512 characters', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, `'summary' must be a single line. ${CORE}`, { summary: 'one\ntwo' });
      await assertUploadFails(wh, 'x', '1.0', 400, `'summary' field must be 512 characters or less. ${CORE}`, { summary: 's'.repeat(513) });
    });
  });

  it('checks the description content type and the metadata version a field needs', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(
        wh,
        'x',
        '1.0',
        400,
        `'description-content-type' must be one of ['text/plain', 'text/x-rst', 'text/markdown'], not 'text/html'. ${CORE}`,
        { description_content_type: 'text/html' },
      );
      await assertUploadFails(wh, 'x', '1.0', 400, `license-expression introduced in metadata version 2.4, not 2.1. ${CORE}`, {
        metadata_version: '2.1',
        license_expression: 'MIT',
      });
      await assertUploadFails(wh, 'x', '1.0', 400, `'Foo' is invalid for 'license-expression'. ${CORE}`, { metadata_version: '2.4', license_expression: 'Foo' });
    });
  });

  it('accepts known classifiers (Development Status :: 7 - Inactive) and refuses others, like Private :: …', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, `'Private :: Do Not Upload' is not a valid classifier. ${CORE}`, {
        classifiers: ['Development Status :: 7 - Inactive', 'Private :: Do Not Upload'],
      });
      const ok = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', { classifiers: ['Development Status :: 7 - Inactive'] });
      assert.equal(ok.status, 200);
    });
  });

  it('checks project URLs, the home page and e-mail addresses', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, `Must have a label. ${CORE}`, { project_urls: [', https://a.example'] });
      await assertUploadFails(wh, 'x', '1.0', 400, `'${'L'.repeat(33)}' must be 32 characters or less. ${CORE}`, {
        project_urls: [`${'L'.repeat(33)}, https://a.example`],
      });
      await assertUploadFails(wh, 'x', '1.0', 400, `Must have a URL. ${CORE}`, { project_urls: ['Home,'] });
      await assertUploadFails(wh, 'x', '1.0', 400, `'ftp://a.example' is not a valid url. ${CORE}`, { project_urls: ['Home, ftp://a.example'] });
      await assertUploadFails(wh, 'x', '1.0', 400, `'project_urls' has invalid data. ${CORE}`, {
        project_urls: ['Home, https://a.example', 'Home, https://b.example'],
      });
      await assertUploadFails(wh, 'x', '1.0', 400, `'javascript:alert(1)' is not a valid url. ${CORE}`, { home_page: 'javascript:alert(1)' });
      const bad = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', { author_email: 'Jane <jane-at-example>' });
      assert.equal(bad.status, 400);
      assert.ok(bad.reason.startsWith("'jane-at-example' is not a valid email address: "), bad.reason);
    });
  });

  it('treats a repeated single-value field as invalid data, and drops UNKNOWN values', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, `'summary' has invalid data. ${CORE}`, { summary: ['a', 'b'] });
      const ok = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', { home_page: 'UNKNOWN' });
      assert.equal(ok.status, 200);
    });
  });

  it('fails a Markdown description only when it renders to nothing', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(
        wh,
        'x',
        '1.0',
        400,
        `The description failed to render for 'text/markdown'. See ${HELP}description-content-type for more information.`,
        { description: '   \n  ', description_content_type: 'text/markdown' },
      );
      const ok = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', { description: '# x', description_content_type: 'text/markdown' });
      assert.equal(ok.status, 200);
    });
  });
});

describe('project names and permissions (§3, §4 steps 6–7)', () => {
  const seeProject = `See ${HELP}project-name for more information.`;

  it('refuses standard-library names, dotted prefixes included', async () => {
    await withWarehouse({}, async (wh) => {
      for (const name of ['os-path', 'xml.etree', 'Asyncio', 'test']) {
        await assertUploadFails(wh, name, '1.0', 400, `The name '${name}' isn't allowed (conflict with Python Standard Library module name). ${seeProject}`);
      }
    });
  });

  it('refuses admin-prohibited names, compared normalized', async () => {
    await withWarehouse({ prohibited: ['Evil_Name'] }, async (wh) => {
      await assertUploadFails(wh, 'evil.name', '1.0', 400, `The name 'evil.name' isn't allowed. ${seeProject}`);
    });
  });

  it('refuses names too similar to an existing project (ultranormalized)', async () => {
    await withWarehouse({ projects: [{ name: 'foobar', owner: 'bob' }, { name: 'cool', owner: 'bob' }] }, async (wh) => {
      await assertUploadFails(wh, 'foo-bar', '1.0', 400, `The name 'foo-bar' is too similar to an existing project. ${seeProject}`);
      await assertUploadFails(wh, 'c00l', '1.0', 400, `The name 'c00l' is too similar to an existing project. ${seeProject}`);
    });
  });

  it("refuses uploads to another user's project with the project's display name", async () => {
    await withWarehouse({ projects: [{ name: 'Bobs_Project', owner: 'bob' }] }, async (wh) => {
      await assertUploadFails(wh, 'bobs-project', '1.0', 403, `The user 'alice' isn't allowed to upload to project 'Bobs_Project'. ${seeProject}`);
    });
  });

  it('lets a project-scoped token upload to its project, but not create one (the quota hit stays)', async () => {
    await withWarehouse({ projects: [{ name: 'alice-lib', owner: 'alice' }], quota: { limit: 1, windowSeconds: 3600 } }, async (wh) => {
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-scoped', 'alice-lib', '1.0')).status, 200);
      await assertUploadFails(wh, 'Brand_New', '1.0', 403, "Invalid API Token: project-scoped token is not valid for project: 'Brand_New'", {}, 'pypi-scoped');
      assert.equal(wh.project('brand-new'), undefined, 'the new project was rolled back');
      const next = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'another', '1.0');
      assert.equal(statusLine(next), '429 Too many new projects created');
    });
  });

  it('requires a verified e-mail and two-factor authentication', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(
        wh,
        'x',
        '1.0',
        403,
        `User 'carol' does not have a verified primary email address. Please add a verified primary email before attempting to upload to PyPI. See ${HELP}verified-email for more information.`,
        {},
        'pypi-noemail',
      );
      await assertUploadFails(
        wh,
        'x',
        '1.0',
        403,
        `User 'dave' does not have two-factor authentication enabled. Please enable two-factor authentication before attempting to upload to PyPI. See ${HELP}two-factor-authentication for more information.`,
        {},
        'pypi-no2fa',
      );
    });
  });

  it('makes the uploader Owner of a new project and adopts a differently spelled display name later', async () => {
    await withWarehouse({}, async (wh) => {
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'my_pkg', '1.0')).status, 200);
      assert.equal(wh.project('MY-PKG')?.owner, 'alice');
      assert.equal(wh.project('my-pkg')?.name, 'my_pkg');
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'My.Pkg', '2.0')).status, 200);
      assert.equal(wh.project('my-pkg')?.name, 'My.Pkg');
    });
  });
});

describe('new-project quota (§5)', () => {
  it('allows four new projects per user and IP, then answers 429 without Retry-After, until the window moves', async () => {
    await withWarehouse({}, async (wh) => {
      const remaining: string[] = [];
      for (let i = 1; i <= 4; i++) {
        const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', `quota-${i}`, '1.0');
        assert.equal(r.status, 200);
        assert.equal(
          r.headers['ratelimit-policy'],
          '"project.create.user";q=4;w=86400;pk=:user:, "project.create.ip";q=4;w=86400;pk=:ip:',
        );
        remaining.push(String(r.headers.ratelimit));
        wh.advance(3600);
      }
      // §10: the counters are read before this request's own hit: the first creation answers r=4, the fourth r=1.
      assert.deepEqual(remaining, [
        '"project.create.user";r=4;t=86400, "project.create.ip";r=4;t=86400',
        '"project.create.user";r=3;t=82800, "project.create.ip";r=3;t=82800',
        '"project.create.user";r=2;t=79200, "project.create.ip";r=2;t=79200',
        '"project.create.user";r=1;t=75600, "project.create.ip";r=1;t=75600',
      ]);
      const refused = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'quota-5', '1.0');
      assert.equal(statusLine(refused), '429 Too many new projects created');
      assert.equal(refused.headers['retry-after'], undefined);
      assert.equal(refused.headers.ratelimit, '"project.create.user";r=0;t=72000, "project.create.ip";r=0;t=72000');
      // A refused attempt adds no hit: once the first hit leaves the window one creation is possible again.
      wh.advance(72000);
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'quota-5', '1.0')).status, 200);
    });
  });

  it('does not count uploads to existing projects, nor send the headers for them', async () => {
    await withWarehouse({ quota: { limit: 1, windowSeconds: 60 }, projects: [{ name: 'mine', owner: 'alice' }] }, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'mine', '1.0');
      assert.equal(r.status, 200);
      assert.equal(r.headers.ratelimit, undefined);
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'fresh', '1.0')).status, 200);
    });
  });

  it('masks name errors with 429 once the quota is used, and counts a creation that later failed', async () => {
    await withWarehouse({ quota: { limit: 1, windowSeconds: 60 } }, async (wh) => {
      // Created, then rolled back by a later check (bad filename): the hit stays.
      const failed = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'first', '1.0', {}, { filename: 'first-1.0.exe' });
      assert.equal(failed.status, 400);
      assert.equal(wh.project('first'), undefined);
      const stdlib = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'os', '1.0');
      assert.equal(statusLine(stdlib), '429 Too many new projects created');
    });
  });

  it('limits per IP across users', async () => {
    await withWarehouse({ quota: { limit: 1, windowSeconds: 60 } }, async (wh) => {
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'one', '1.0')).status, 200);
      const bob = await uploadSdist(wh.uploadUrl, 'pypi-bob', 'two', '1.0');
      assert.equal(statusLine(bob), '429 Too many new projects created');
    });
  });
});

describe('files (§4 steps 11–19)', () => {
  it('checks the filename: extension, filetype, path separators', async () => {
    await withWarehouse({}, async (wh) => {
      const up = (filename: string) => uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', {}, { filename });
      assert.equal(
        statusLine(await up('x-1.0.exe')),
        '400 Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information',
      );
      assert.equal(
        statusLine(await up('x-1.0-py3-none-any.whl')),
        '400 Invalid file extension: Extension .whl is invalid for filetype sdist. See https://www.python.org/dev/peps/pep-0527 for more information.',
      );
      assert.equal(statusLine(await up('dir/x-1.0.tar.gz')), "400 Cannot upload a file with '/' or '\\' in the name.");
    });
  });

  it('refuses an image content type for the file part', async () => {
    await withWarehouse({}, async (wh) => {
      const sdist = await buildSdist({ name: 'x', version: '1.0' });
      const parts = uploadParts({ filename: 'x-1.0.tar.gz', content: sdist }, { name: 'x', version: '1.0' }).map((p) =>
        'filename' in p ? { ...p, contentType: 'image/png' } : p,
      );
      const r = await postUpload(wh.uploadUrl, parts, { authorization: tokenAuth('pypi-alice') });
      assert.equal(statusLine(r), '400 Invalid distribution file.');
    });
  });

  it('enforces PEP 625 sdist filenames with the exact messages', async () => {
    await withWarehouse({ projects: [{ name: 'My.Pkg', owner: 'alice' }] }, async (wh) => {
      const content = await buildSdist({ name: 'My.Pkg', version: '1.0-alpha' });
      const up = (filename: string) => uploadSdist(wh.uploadUrl, 'pypi-alice', 'My.Pkg', '1.0-alpha', {}, { filename, content });
      assert.equal(statusLine(await up('nodash.tar.gz')), '400 Invalid source distribution filename: nodash.tar.gz');
      assert.equal(statusLine(await up('other-1.0a0.tar.gz')), "400 Start filename for 'My.Pkg' with 'my_pkg'.");
      assert.equal(statusLine(await up('my_pkg-1.0-alpha.tar.gz')), '400 Invalid source distribution filename: my_pkg-1.0-alpha.tar.gz');
      assert.equal(statusLine(await up('My.Pkg-1.0a0.tar.gz')), "400 Filename 'My.Pkg-1.0a0.tar.gz' is invalid, should be 'my_pkg-1.0a0.tar.gz'.");
      assert.equal(statusLine(await up('my_pkg-1.0.0a0.tar.gz')), "400 Filename 'my_pkg-1.0.0a0.tar.gz' is invalid, should be 'my_pkg-1.0a0.tar.gz'.");
      assert.equal(statusLine(await up('my_pkg-1.0a0.tar.gz')), '200 OK');
    });
  });

  it('refuses a .zip sdist (it cannot match the PEP 625 name)', async () => {
    await withWarehouse({}, async (wh) => {
      const { zipSync } = await import('fflate');
      const zip = Buffer.from(zipSync({ 'x-1.0/PKG-INFO': Buffer.from('Metadata-Version: 2.2\n'), 'x-1.0/setup.py': Buffer.from('') }));
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', {}, { filename: 'x-1.0.zip', content: zip });
      assert.equal(statusLine(r), "400 Filename 'x-1.0.zip' is invalid, should be 'x-1.0.tar.gz'.");
    });
  });

  it('rejects a digest that does not match the file', async () => {
    await withWarehouse({}, async (wh) => {
      await assertUploadFails(wh, 'x', '1.0', 400, 'The digest supplied does not match a digest calculated from the uploaded file.', {
        sha256_digest: 'a'.repeat(64),
      });
      await assertUploadFails(wh, 'x', '1.0', 400, 'The digest supplied does not match a digest calculated from the uploaded file.', {
        md5_digest: 'b'.repeat(32),
      });
    });
  });

  it('accepts an identical re-upload with 200 and stores nothing; a different file under the same name is 400', async () => {
    await withWarehouse({}, async (wh) => {
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'dup', '1.0')).status, 200);
      const again = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'dup', '1.0');
      assert.equal(statusLine(again), '200 OK');
      assert.equal(wh.project('dup')?.files.length, 1);
      const other = await buildSdist({ name: 'dup', version: '1.0', summary: 'changed' });
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'dup', '1.0', {}, { content: other });
      assert.equal(
        statusLine(r),
        `400 File already exists ('dup-1.0.tar.gz', with blake2_256 hash '${blake2b256Hex(other)}'). See ${HELP}file-name-reuse for more information.`,
      );
    });
  });

  it('treats the same bytes under another name as a duplicate too (by BLAKE2), across projects', async () => {
    await withWarehouse({}, async (wh) => {
      const content = await buildSdist({ name: 'shared', version: '1.0' });
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'shared', '1.0', {}, { content })).status, 200);
      const r = await uploadSdist(wh.uploadUrl, 'pypi-bob', 'copycat', '1.0', {}, { content });
      assert.ok(r.reason.startsWith("File already exists ('copycat-1.0.tar.gz', with blake2_256 hash"), r.reason);
      assert.equal(wh.project('copycat'), undefined);
    });
  });

  it('allows one sdist per release, releases being equal by canonical version', async () => {
    await withWarehouse({}, async (wh) => {
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'rel', '1.0')).status, 200);
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'rel', '1.0.0');
      assert.equal(statusLine(r), '400 Only one sdist may be uploaded per release.');
    });
  });

  it('remembers deleted filenames and refuses files for releases older than 14 days', async () => {
    const old = await buildSdist({ name: 'aged', version: '1.0' });
    await withWarehouse(
      {
        deletedFilenames: ['gone-1.0.tar.gz'],
        projects: [{ name: 'gone', owner: 'alice' }, { name: 'aged', owner: 'alice', files: [{ filename: 'aged-1.0.tar.gz', content: old }] }],
      },
      async (wh) => {
        await assertUploadFails(
          wh,
          'gone',
          '1.0',
          400,
          `This filename was previously used by a file that has since been deleted. Use a different version. See ${HELP}file-name-reuse for more information.`,
        );
        wh.advance(15 * 86400);
        const wheel = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'aged', '1.0', { filetype: 'bdist_wheel', pyversion: 'py3' }, {
          filename: 'aged-1.0-py3-none-any.whl',
          content: Buffer.from('not checked before the age rule'),
        });
        assert.equal(statusLine(wheel), '400 Uploading new files to releases older than 14 days is not allowed.');
      },
    );
  });

  it('checks the archive: a tar, one top-level directory, PKG-INFO right under it', async () => {
    // An existing project: failed attempts at a NEW name would each use new-project quota.
    await withWarehouse({ projects: [{ name: 'arc', owner: 'alice' }] }, async (wh) => {
      const up = (content: Buffer) => uploadSdist(wh.uploadUrl, 'pypi-alice', 'arc', '1.0', {}, { content });
      assert.equal(statusLine(await up(gzipSync(Buffer.from('plain text')))), '400 Invalid distribution file. File is not a tarfile');
      assert.equal(
        statusLine(await up(await tarGz([{ name: 'a/PKG-INFO', content: 'x' }, { name: 'b/PKG-INFO', content: 'x' }]))),
        '400 Invalid distribution file. Incorrect number of top-level directories in sdist',
      );
      assert.equal(
        statusLine(await up(await tarGz([{ name: 'arc-1.0/PKG-INFO', content: 'x' }]))),
        '400 Invalid distribution file. PKG-INFO not found at arc-1.0/PKG-INFO/PKG-INFO',
        'a one-file tar: the common path is the file itself',
      );
      assert.equal(
        statusLine(await up(await tarGz([{ name: './arc-1.0/', type: 'directory' }, { name: './arc-1.0/setup.py', content: 'x' }]))),
        '400 Invalid distribution file. PKG-INFO not found at ./arc-1.0/PKG-INFO',
      );
      assert.equal(statusLine(await up(gzipSync(Buffer.alloc(0)))), '400 Invalid distribution file. File is not a tarfile', 'empty gzip payload');
      assert.equal(
        statusLine(await up(gzipSync(Buffer.alloc(1024)))),
        '400 Invalid distribution file. Incorrect number of top-level directories in sdist',
        'an empty archive is a tarfile without members',
      );
    });
  });

  it('reports the detail None for an uncompressed tar named .tar.gz', async () => {
    await withWarehouse({}, async (wh) => {
      const { gunzipSync } = await import('node:zlib');
      const tarBytes = gunzipSync(await buildSdist({ name: 'raw', version: '1.0' }));
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'raw', '1.0', {}, { content: tarBytes });
      assert.equal(statusLine(r), '400 Invalid distribution file. None');
    });
  });

  it('refuses files over the size limit, naming the project', async () => {
    await withWarehouse({ limits: { fileBytes: 1024 * 1024 } }, async (wh) => {
      const big = Buffer.alloc(1024 * 1024 + 1, 1);
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'Big_One', '1.0', {}, { content: big, filename: 'big_one-1.0.tar.gz' });
      assert.equal(
        statusLine(r),
        "400 File too large. Limit for project 'Big_One' is 1 MB. See https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information.",
      );
    });
  });
});

describe('concurrency and latency', () => {
  it('creates a project once when uploads for the same new name race (others get 200 or the 409 name race)', async () => {
    await withWarehouse({ quota: { limit: 10, windowSeconds: 60 } }, async (wh) => {
      const results = await Promise.all(['1.0', '1.1', '1.2', '1.3', '1.4'].map((v) => uploadSdist(wh.uploadUrl, 'pypi-alice', 'racy', v)));
      for (const r of results) {
        assert.ok(
          statusLine(r) === '200 OK' || statusLine(r) === `409 The name 'racy' conflicts with an existing project. See ${HELP}project-name for more information.`,
          statusLine(r),
        );
      }
      assert.equal(wh.project('racy')?.files.length, results.filter((r) => r.status === 200).length);
    });
  });

  it('answers the same with added latency', async () => {
    await withWarehouse({ latencyMs: 5, projects: [{ name: 'slow', owner: 'bob' }] }, async (wh) => {
      assert.equal(statusLine(await send(wh.indexUrl + 'slow/')), '200 OK');
      assert.equal(statusLine(await uploadSdist(wh.uploadUrl, 'pypi-alice', 'slow', '1.0')), `403 The user 'alice' isn't allowed to upload to project 'slow'. See ${HELP}project-name for more information.`);
    });
  });
});

describe('error bodies and status lines (§6)', () => {
  const message = `Invalid or non-existent authentication information. See ${HELP}invalid-auth for more information.`;

  it('renders the Pyramid HTML page for */* and text/html', async () => {
    await withWarehouse({}, async (wh) => {
      for (const accept of ['*/*', 'text/html']) {
        const r = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0', {}, { accept });
        assert.equal(r.headers['content-type'], 'text/html; charset=UTF-8');
        assert.equal(
          r.body,
          `<html>\n <head>\n  <title>403 ${message}</title>\n </head>\n <body>\n  <h1>403 ${message}</h1>\n` +
            `  Access was denied to this resource.<br/><br/>\n${message}\n\n\n </body>\n</html>`,
        );
      }
    });
  });

  it('renders plain text when no Accept header is sent (§10: no range matches HTML or JSON)', async () => {
    await withWarehouse({}, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0', {}, { accept: undefined });
      assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8');
      assert.equal(r.body, `403 ${message}\n\nAccess was denied to this resource.\n\n\n${message}\n\n`);
    });
  });

  it('renders JSON for application/json and plain text otherwise', async () => {
    await withWarehouse({}, async (wh) => {
      const json = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0', {}, { accept: 'application/json' });
      assert.equal(json.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(json.body), {
        message: `Access was denied to this resource.\n\n\n${message}\n\n`,
        code: `403 ${message}`,
        title: 'Forbidden',
      });
      const text = await uploadSdist(wh.uploadUrl, undefined, 'x', '1.0', {}, { accept: 'text/plain' });
      assert.equal(text.body, `403 ${message}\n\nAccess was denied to this resource.\n\n\n${message}\n\n`);
    });
  });

  it('escapes the message in HTML and replaces characters outside latin-1 in the status line', async () => {
    await withWarehouse({}, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'x', '1.0', { classifiers: ['Topic :: <☃>'] });
      assert.equal(r.reason, `'Topic :: <?>' is not a valid classifier. ${CORE}`);
      assert.ok(r.body.includes(`&#x27;Topic :: &lt;&#9731;&gt;&#x27; is not a valid classifier.`), r.body);
    });
  });

  it('answers a successful upload with 200 and a stub page', async () => {
    await withWarehouse({}, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'stub', '1.0');
      assert.equal(statusLine(r), '200 OK');
      assert.match(r.body, /<title>200 OK<\/title>/);
    });
  });
});

describe('injected faults', () => {
  it('answers a queued status without processing, then behaves normally', async () => {
    await withWarehouse({}, async (wh) => {
      wh.injectFaults('upload', { status: 503 }, { status: 500, message: 'boom' });
      const first = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'flaky', '1.0');
      assert.equal(statusLine(first), '503 Service Unavailable');
      assert.match(first.body, /The server is currently unavailable/);
      assert.equal(statusLine(await uploadSdist(wh.uploadUrl, 'pypi-alice', 'flaky', '1.0')), '500 boom');
      assert.equal(wh.project('flaky'), undefined);
      assert.equal(statusLine(await uploadSdist(wh.uploadUrl, 'pypi-alice', 'flaky', '1.0')), '200 OK');
      assert.deepEqual(wh.uploads().map((u) => u.status), [503, 500, 200]);
    });
  });

  it('resets the connection, delays, or answers garbage, for the matching request class only', async () => {
    await withWarehouse({ projects: [{ name: 'p', owner: 'bob' }] }, async (wh) => {
      wh.injectFaults('json', { garbage: true });
      wh.injectFaults('simple', { reset: true }, { delayMs: 20 });
      await assert.rejects(send(wh.indexUrl + 'p/'));
      assert.equal((await send(wh.indexUrl + 'p/')).status, 200);
      const garbage = await send(`${wh.url}/pypi/p/json`);
      assert.equal(garbage.status, 200);
      assert.throws(() => JSON.parse(garbage.body));
      assert.equal((await send(`${wh.url}/pypi/p/json`)).status, 404, 'the queue is used up');
      assert.equal(wh.requests[0]!.status, 0);
    });
  });

  it("takes 'any' faults for every request class", async () => {
    await withWarehouse({}, async (wh) => {
      wh.injectFaults('any', { status: 502 });
      assert.equal((await send(wh.indexUrl)).status, 502);
      assert.equal((await send(wh.indexUrl)).status, 200);
    });
  });
});

describe('the stand-in as its own process (serve.ts)', () => {
  it('prints its URL, serves, and follows stdin commands', async () => {
    const serve = fileURLToPath(new URL('./support/warehouse/serve.js', import.meta.url));
    const options = JSON.stringify({ projects: [{ name: 'seeded', owner: 'bob', files: [{ filename: 'seeded-1.0.tar.gz', contentText: 'x' }] }] });
    const child = spawn(process.execPath, [serve, '--options', options], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const lines: string[] = [];
      let wake: () => void = () => {};
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        lines.push(...d.split('\n').filter(Boolean));
        wake();
      });
      const nextLine = async (): Promise<string> => {
        while (!lines.length) await new Promise<void>((r) => (wake = r));
        return lines.shift()!;
      };
      const url = await nextLine();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await send(`${url}/simple/seeded/`);
      assert.match(r.body, /seeded-1\.0\.tar\.gz/);
      child.stdin.write('requests\n');
      const log = JSON.parse(await nextLine()) as Array<{ path: string }>;
      assert.deepEqual(log.map((l) => l.path), ['/simple/seeded/']);
      child.stdin.write('quit\n');
      await new Promise((r) => child.on('close', r));
    } finally {
      child.kill();
    }
  });
});

/** twine from TWINE_BIN, else on PATH (Debian installs it as /usr/bin/twine); undefined when missing. */
async function findTwine(): Promise<string | undefined> {
  const { existsSync } = await import('node:fs');
  const override = process.env.TWINE_BIN;
  if (override) return existsSync(override) ? override : undefined;
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin'];
  return dirs.map((d) => join(d, 'twine')).find((p) => existsSync(p));
}

function runTwine(twine: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(twine, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('a real client: twine', () => {
  let twine: string | undefined;
  let dir: string;
  before(async () => {
    twine = await findTwine();
    dir = mkdtempSync(join(tmpdir(), 'warehouse-twine-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const requireTwine = (t: { skip: (why: string) => void }): string | undefined => {
    if (twine) return twine;
    // In CI a missing twine is a broken environment, not a reason to pass.
    if (process.env.CI) assert.fail('twine is not installed (needed in CI to prove the stand-in against a real client)');
    t.skip('twine is not installed; install it (apt install twine) to run this check');
    return undefined;
  };

  const twineEnv = (password: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    TWINE_PASSWORD: password,
  });

  it('uploads an sdist with twine: 200 and the file stored', async (t) => {
    const bin = requireTwine(t);
    if (!bin) return;
    await withWarehouse({}, async (wh) => {
      const content = await buildSdist({ name: 'twine-placeholder', version: '0.0.0' });
      const file = join(dir, sdistFilename('twine-placeholder', '0.0.0'));
      writeFileSync(file, content);
      const run = await runTwine(
        bin,
        ['upload', '--repository-url', wh.uploadUrl, '--non-interactive', '--disable-progress-bar', '-u', '__token__', file],
        twineEnv('pypi-alice'),
      );
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(wh.uploads().map((u) => u.status), [200]);
      const stored = wh.project('twine-placeholder');
      assert.equal(stored?.owner, 'alice');
      assert.deepEqual(stored?.files.map((f) => f.filename), ['twine_placeholder-0.0.0.tar.gz']);
      assert.deepEqual(stored?.files[0]?.content, content);
      assert.equal(stored?.files[0]?.sha256, createHash('sha256').update(content).digest('hex'));
    });
  });

  it('shows twine reporting 403 with the message for a bad token', async (t) => {
    const bin = requireTwine(t);
    if (!bin) return;
    await withWarehouse({}, async (wh) => {
      const file = join(dir, sdistFilename('twine-refused', '0.0.0'));
      writeFileSync(file, await buildSdist({ name: 'twine-refused', version: '0.0.0' }));
      const run = await runTwine(
        bin,
        ['upload', '--repository-url', wh.uploadUrl, '--non-interactive', '--disable-progress-bar', '-u', '__token__', file],
        twineEnv('pypi-wrong'),
      );
      assert.notEqual(run.code, 0);
      const flat = run.output.replace(/\s+/g, ' ');
      assert.match(flat, /HTTPError: 403 Forbidden from http:\/\/127\.0\.0\.1:\d+\/legacy\//);
      assert.ok(flat.includes('Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.'), run.output);
      assert.equal(wh.project('twine-refused'), undefined);
    });
  });
});

describe('what costs quota (§10)', () => {
  /** The `r=` the next creation answers: one more than is left after it (§10). */
  const nextR = async (wh: Warehouse, name: string) => {
    const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', name, '1.0');
    assert.equal(r.status, 200);
    return /"project\.create\.user";r=(\d+)/.exec(String(r.headers.ratelimit))?.[1];
  };

  it('judges token caveats after creating the project: 403 "Invalid API Token: <reason>", no project, the slot spent', async () => {
    await withWarehouse({}, async (wh) => {
      for (const [token, reason] of [['pypi-expired', 'token is expired'], ['pypi-badsig', 'signatures do not match']] as const) {
        const r = await uploadSdist(wh.uploadUrl, token, `caveat-${token}`, '1.0');
        assert.equal(statusLine(r), `403 Invalid API Token: ${reason}`);
        assert.match(String(r.headers.ratelimit), /"project\.create\.user";r=\d/, 'it went through the new-project path');
        assert.equal(wh.project(`caveat-${token}`), undefined, 'rolled back');
      }
      assert.equal(await nextR(wh, 'after-caveats'), '2', 'two slots of four spent by refused tokens');
    });
  });

  it('refuses a deleted file name after creating the project, and keeps the hit', async () => {
    await withWarehouse({ deletedFilenames: ['reused-1.0.tar.gz'] }, async (wh) => {
      const r = await uploadSdist(wh.uploadUrl, 'pypi-alice', 'reused', '1.0');
      assert.match(statusLine(r), /^400 This filename was previously used by a file that has since been deleted/);
      assert.equal(wh.project('reused'), undefined);
      assert.equal(await nextR(wh, 'after-reused'), '3');
    });
  });

  it('name refusals come before the hit and cost nothing', async () => {
    await withWarehouse({ prohibited: ['banned'], projects: [{ name: 'existing', owner: 'bob' }] }, async (wh) => {
      for (const name of ['banned', 'existing', 'Existing_', 'os']) assert.notEqual((await uploadSdist(wh.uploadUrl, 'pypi-alice', name, '1.0')).status, 200, name);
      assert.equal(await nextR(wh, 'after-refusals'), '4');
    });
  });

  it('a 5xx or a reset after the work was done (fault afterCommit) keeps the project, its file and the hit', async () => {
    await withWarehouse({}, async (wh) => {
      wh.injectFaults('upload', { status: 502, afterCommit: true }, { reset: true, afterCommit: true });
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'gateway', '1.0')).status, 502);
      assert.equal(wh.project('gateway')?.files.length, 1);
      await assert.rejects(uploadSdist(wh.uploadUrl, 'pypi-alice', 'reset', '1.0'));
      assert.equal(wh.project('reset')?.files.length, 1);
      assert.equal(await nextR(wh, 'after-faults'), '2');
    });
  });

  it('refuses contact addresses as email_validator does (special-use domains, dot rules, numeric TLD), before creation', async () => {
    await withWarehouse({}, async (wh) => {
      const cases: Array<[string, string]> = [
        ['sec@corp.local', 'The part after the @-sign is a special-use or reserved name that cannot be used with email.'],
        ['sec@corp.test', 'The part after the @-sign is a special-use or reserved name that cannot be used with email.'],
        ['a..b@example.com', 'An email address cannot have two periods in a row.'],
        ['.ab@example.com', 'An email address cannot start with a period.'],
        ['ab.@example.com', 'An email address cannot have a period immediately before the @-sign.'],
        ['sec@example.123', 'The part after the @-sign is not valid. It is not within a valid top-level domain.'],
      ];
      for (const [address, reason] of cases) {
        await assertUploadFails(wh, 'mail', '1.0', 400, `'${address}' is not a valid email address: ${reason} ${CORE}`, { author_email: address });
      }
      assert.equal((await uploadSdist(wh.uploadUrl, 'pypi-alice', 'mail', '1.0', { author_email: 'security@example.com' })).status, 200);
      assert.equal(await nextR(wh, 'after-mail'), '3', 'only the accepted upload spent a slot');
    });
  });
});
