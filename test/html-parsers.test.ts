/**
 * The HTML readers (project pages, root listings, error pages) are linear: the
 * hostile shapes that made the old regular expressions cubic or quadratic
 * (issue 9 item 5) are read correctly here, at a size where the old code took
 * minutes. Timings belong to bench/parsers.ts; these specs assert answers only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReserveError } from '../src/core/errors.js';
import { parseProjectListHtml } from '../src/core/project-list-parse.js';
import { errorPageMessage } from '../src/core/error-page.js';
import { scanHtml } from '../src/core/html-scan.js';
import { parseProjectPage } from '../src/registry/project-status.js';
import { serverMessage } from '../src/registry/responses.js';

const SIZE = 200_000;
const repeat = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length));
const notAListing = (err: unknown) => err instanceof ReserveError && err.code === 'E_PROJECT_LIST_FORMAT';


const LISTING = 'https://pypi.org/simple/';
const INDEX_META = '<meta name="pypi:repository-version" content="1.0">';
describe('HTML tokenizer', () => {
  it('reads tags, attributes in any quoting, entities in values, comments and raw text', () => {
    const tokens = [...scanHtml(`<!DOCTYPE html><A HREF='x&amp;y' data=z checked><!-- <a href="no"> --><script>if (a<b) "</a>"</script>t</a>`)];
    assert.deepEqual(tokens, [
      { kind: 'declaration', text: 'DOCTYPE html' },
      { kind: 'open', name: 'a', attrs: new Map([['href', 'x&y'], ['data', 'z'], ['checked', '']]) },
      { kind: 'open', name: 'script', attrs: new Map() },
      { kind: 'text', text: 'if (a<b) "</a>"' },
      { kind: 'close', name: 'script' },
      { kind: 'text', text: 't' },
      { kind: 'close', name: 'a' },
    ]);
  });

  it('ends at the end of the input whatever is left open: a quote, a tag, a comment', () => {
    for (const body of ['<a href="never closed', '<a href=x', '<!-- open', '<script>no end', '<!doctype']) {
      assert.doesNotThrow(() => [...scanHtml(body)], body);
    }
  });
});

describe('project page parser on hostile shapes', () => {
  it('reads `<a href="` repeated as one unterminated link, not a file list', () => {
    const page = parseProjectPage(`<html><body>${repeat('<a href="')}</body></html>`, 'text/html');
    assert.deepEqual(page, { files: [{ filename: '', sha256: undefined }], status: 'active' });
  });

  it('reads many real file links, each once', () => {
    const link = (i: number) => `<a href="/f/foo-${i}.tar.gz#sha256=${'ab'.repeat(32)}">foo-${i}.tar.gz</a><br>`;
    const count = Math.ceil(SIZE / link(0).length);
    const page = parseProjectPage(`<html><body>${Array.from({ length: count }, (_, i) => link(i)).join('')}</body></html>`, 'text/html');
    assert.equal(page?.files.length, count);
    assert.equal(page?.files[count - 1]?.filename, `foo-${count - 1}.tar.gz`);
  });

  it('reads deep nesting and unclosed tags inside a link as its text', () => {
    const page = parseProjectPage(`<html><body><a href="x.tar.gz">${repeat('<b>')}x.tar.gz${repeat('<i ')}`, 'text/html');
    assert.equal(page?.files.length, 1);
  });

  it('keeps reading the PEP 792 status from its meta tag', () => {
    const page = parseProjectPage('<html><head><meta name="pypi:project-status" content="quarantined"></head><body></body></html>', 'text/html');
    assert.equal(page?.status, 'quarantined');
  });
});

describe('root listing parser on hostile shapes', () => {
  it('refuses `<a ` repeated, `<a href="` repeated and navigation links repeated as "not a listing"', () => {
    for (const unit of ['<a ', '<a href="', '<a href="x/">y</a>']) {
      assert.throws(() => parseProjectListHtml(`<html><body>${repeat(unit)}</body></html>`, LISTING), notAListing, unit);
    }
  });

  it('reads deep nesting without text or links as the empty index it says it is', () => {
    assert.deepEqual(parseProjectListHtml(`<html><head>${INDEX_META}</head><body>${repeat('<div>')}</body></html>`, LISTING), []);
  });

  it('reads a large listing of project entries', () => {
    const count = Math.ceil(SIZE / 30);
    const body = `<html><body>${Array.from({ length: count }, (_, i) => `<a href="/simple/p${i}/">p${i}</a>`).join('\n')}</body></html>`;
    assert.equal(parseProjectListHtml(body, LISTING).length, count);
  });
});

describe('error page reader on hostile shapes', () => {
  it('finds the message after `<br><br>` in a page of `<br>` × many, and copes with no </body>', () => {
    assert.equal(errorPageMessage(`<html><body>${repeat('<br><br>')}x</body></html>`), 'x');
    assert.equal(errorPageMessage(`<html><body>${repeat('<br>')}`), undefined);
    assert.equal(errorPageMessage(`<html><body><h1>400 Bad</h1>${repeat('<br ')}`), '400 Bad');
  });

  it('reads Warehouse\'s error page as before: the message after the breaks, entities decoded', () => {
    const answer = {
      status: 400,
      reason: 'Bad Request',
      headers: new Headers(),
      body: '<html>\n <head><title>400 x</title></head>\n <body>\n  <h1>400 x</h1>\n  The server could not comply.<br/><br/>\n\'foo\' isn&#x27;t allowed.\n\n\n </body>\n</html>',
    };
    assert.equal(serverMessage(answer), "'foo' isn't allowed.");
  });
});

describe('project entries of a root listing', () => {
  it('are links whose last segment names the project of their text; file links and navigation are not', () => {
    const page = (links: string) => `<html><body>${links}</body></html>`;
    assert.deepEqual(parseProjectListHtml(page('<a href="/simple/foo-bar/">Foo_Bar</a><a href="a-b/">A.B</a>'), LISTING), ['Foo_Bar', 'A.B']);
    const gitlab = 'https://gitlab/api/v4/projects/7/packages/pypi/simple/';
    assert.deepEqual(parseProjectListHtml(page(`<a href="${gitlab}acme-core">acme-core</a>`), gitlab), ['acme-core']);
    assert.throws(() => parseProjectListHtml(page('<a href="/files/foo-1.0.tar.gz#sha256=00">foo-1.0.tar.gz</a>'), LISTING), notAListing);
    assert.throws(() => parseProjectListHtml(page('<a href="/">home</a><a href="/login">Sign in</a>'), LISTING), notAListing);
  });

  it('lead directly under the listing: menu links named like their path are not projects', () => {
    const page = (links: string) => `<html><body>${links}</body></html>`;
    for (const links of [
      '<a href="/login/">Login</a> <a href="/help/">Help</a>',
      '<a href="https://elsewhere.example/simple/foo/">foo</a>',
      '<a href="/simple/docs/foo/">foo</a>',
      '<a href="../foo/">foo</a>',
    ]) {
      assert.throws(() => parseProjectListHtml(page(links), LISTING), notAListing, links);
    }
  });

  it('without links, are an empty index only on a page that says it is one (PEP 629 meta)', () => {
    for (const body of [
      '<html><body><h1>It works!</h1></body></html>',
      '<!doctype html><html><head><title>Portal</title><script src="/app.js"></script></head><body><div id="root"></div></body></html>',
      '<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1><form method="post"><input name="u"><input type="password" name="p"><input type="submit" value="Sign in"></form></body></html>',
    ]) {
      assert.throws(() => parseProjectListHtml(body, LISTING), notAListing, body);
    }
    assert.deepEqual(parseProjectListHtml(`<!DOCTYPE html><html><head>${INDEX_META}<title>Simple index</title></head><body></body></html>`, LISTING), []);
  });
});
