/**
 * Reading a name's status from the simple API: JSON or HTML, redirects to the
 * normalized name followed, 404 free, 200 taken even with no files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { fetchProjectPresence, parseProjectPage } from '../src/registry/project-status.js';
import { startWarehouse, type Warehouse } from './support/warehouse/index.js';

describe('project pages', () => {
  it('reads files and sha256 digests from a PEP 503 HTML page', () => {
    const html = '<!DOCTYPE html><html><body><h1>Links for foo</h1>\n<a href="https://files.example/foo-1.0.tar.gz#sha256=' + 'ab'.repeat(32) + '" data-requires-python="&gt;=3.8">foo-1.0.tar.gz</a><br/>\n</body></html>';
    assert.deepEqual(parseProjectPage(html, 'text/html'), { files: [{ filename: 'foo-1.0.tar.gz', sha256: 'ab'.repeat(32) }], status: 'active' });
  });

  it('an HTML page with no anchors is a project with no files, not a free name', () => {
    assert.deepEqual(parseProjectPage('<html><body><h1>Links for foo</h1></body></html>', 'text/html'), { files: [], status: 'active' });
  });

  it('reads a PEP 691 JSON page', () => {
    const json = JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'foo', files: [{ filename: 'foo-1.0.tar.gz', hashes: { sha256: 'cd'.repeat(32) } }] });
    assert.deepEqual(parseProjectPage(json, 'application/vnd.pypi.simple.v1+json'), { files: [{ filename: 'foo-1.0.tar.gz', sha256: 'cd'.repeat(32) }], status: 'active' });
  });

  it('a bare project-status string is that status, never active', () => {
    const json = (status: string) => `{"files":[],"project-status":${status}}`;
    const type = 'application/vnd.pypi.simple.v1+json';
    assert.equal(parseProjectPage(json('"quarantined"'), type)?.status, 'quarantined');
    assert.deepEqual(parseProjectPage(json('"frozen"'), type), { files: [], status: 'unrecognised', statusText: 'frozen' });
    assert.equal(parseProjectPage(json('{"status":"archived"}'), type)?.status, 'archived');
  });

  it('anything else is not a simple-index page', () => {
    assert.equal(parseProjectPage('{"message": "hi"}', 'application/json'), undefined);
    assert.equal(parseProjectPage('plain words', 'text/plain'), undefined);
  });
});

describe('asking the index', () => {
  let warehouse: Warehouse;
  let htmlOnly: Server;
  let htmlOnlyUrl: string;
  before(async () => {
    warehouse = await startWarehouse({ projects: [{ name: 'Foo_Bar', owner: 'someone' }] });
    // An index that only speaks HTML, as some private proxies do.
    htmlOnly = createServer((req, res) => {
      if (req.url === '/simple/held/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Links for held</h1><a href="/p/held-1.0.tar.gz">held-1.0.tar.gz</a></body></html>');
      } else res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found');
    });
    await new Promise<void>((r) => htmlOnly.listen(0, '127.0.0.1', r));
    htmlOnlyUrl = `http://127.0.0.1:${(htmlOnly.address() as { port: number }).port}/simple/`;
  });
  after(async () => {
    await warehouse.close();
    await new Promise((r) => htmlOnly.close(r));
  });

  it('follows Warehouse redirects from a non-normalized spelling to the project', async () => {
    const presence = await fetchProjectPresence(warehouse.indexUrl, 'Foo_Bar', undefined);
    assert.equal(presence.exists, true);
    assert.ok(warehouse.requests.some((r) => r.status === 301));
  });

  it('404 means free; 200 with no files means taken', async () => {
    assert.deepEqual(await fetchProjectPresence(warehouse.indexUrl, 'nobody-has-this', undefined), { exists: false });
    assert.deepEqual(await fetchProjectPresence(warehouse.indexUrl, 'foo-bar', undefined), { exists: true, files: [], status: 'active' });
  });

  it('accepts an HTML-only index', async () => {
    assert.deepEqual(await fetchProjectPresence(htmlOnlyUrl, 'held', undefined), { exists: true, files: [{ filename: 'held-1.0.tar.gz', sha256: undefined }], status: 'active' });
    assert.deepEqual(await fetchProjectPresence(htmlOnlyUrl, 'free-one', undefined), { exists: false });
  });

  it('asks for JSON first and HTML as a fallback', async () => {
    await fetchProjectPresence(warehouse.indexUrl, 'foo-bar', undefined);
    assert.match(warehouse.requests.at(-1)?.accept ?? '', /^application\/vnd\.pypi\.simple\.v1\+json.*text\/html;q=0\.1$/);
  });
});
