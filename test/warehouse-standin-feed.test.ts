/**
 * The stand-in's newest-projects feed, as fact sheet §10 ("Watching for new
 * projects") describes PyPI's: RSS 2.0, the 40 newest projects with at least
 * one release, newest first by creation, "<name> added to PyPI", guid/link the
 * project page, pubDate the creation time, CDN cache validators.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startWarehouse, type Warehouse } from './support/warehouse/index.js';

describe('stand-in: /rss/packages.xml (§10)', () => {
  let wh: Warehouse;
  before(async () => {
    wh = await startWarehouse();
    wh.addProject({ name: 'no-release', owner: 'x' });
    for (let i = 0; i < 45; i++) {
      wh.advance(60);
      wh.addProject({ name: `Proj_${i}`, owner: 'x', files: [{ filename: `proj_${i}-1.0.tar.gz`, content: Buffer.from(String(i)), metadata: { summary: `summary ${i}` } }] });
    }
  });
  after(() => wh.close());

  it('lists the 40 newest projects with a release, newest first, as RSS 2.0 items', async () => {
    const response = await fetch(`${wh.url}/rss/packages.xml`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /xml/);
    assert.match(response.headers.get('cache-control') ?? '', /max-age/);
    const body = await response.text();
    assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0">/);
    const titles = [...body.matchAll(/<title>([^<]*) added to PyPI<\/title>/g)].map((m) => m[1]);
    assert.equal(titles.length, 40);
    assert.equal(titles[0], 'Proj_44');
    assert.equal(titles.at(-1), 'Proj_5');
    assert.ok(!body.includes('no-release'));
    assert.match(body, /<guid>https:\/\/pypi\.org\/project\/proj-44\/<\/guid>/);
    assert.match(body, /<description>summary 44<\/description>/);
    assert.match(body, /<pubDate>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000<\/pubDate>/);
  });

  it('answers a conditional request with 304 until a project is created', async () => {
    const first = await fetch(`${wh.url}/rss/packages.xml`);
    const etag = first.headers.get('etag')!;
    await first.text();
    const again = await fetch(`${wh.url}/rss/packages.xml`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    wh.advance(60);
    wh.addProject({ name: 'newest', owner: 'x', files: [{ filename: 'newest-1.0.tar.gz', content: Buffer.from('n') }] });
    const changed = await fetch(`${wh.url}/rss/packages.xml`, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.match(await changed.text(), /<title>newest added to PyPI<\/title>/);
  });
});
