/**
 * The upload request: the multipart body built once as bytes (fields keep
 * their line endings, fact sheet §10 "Line endings"), and the bounds on the
 * answer (a deadline, a size cap) against small loopback servers.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import busboy from 'busboy';
import { encodeMultipart } from '../src/core/multipart.js';
import type { UploadForm } from '../src/core/upload-form.js';
import { HttpError } from '../src/registry/http.js';
import { sendUpload } from '../src/registry/upload.js';

const CREDENTIAL = { username: '__token__', token: 'pypi-test-upload-token', source: 'test' };

function form(overrides: { description?: string; file?: Uint8Array } = {}): UploadForm {
  return {
    fields: [
      { name: ':action', value: 'file_upload' },
      { name: 'name', value: 'acme-x' },
      { name: 'author', value: 'Zoë "Q" Corp' },
      { name: 'classifiers', value: 'Development Status :: 7 - Inactive' },
      { name: 'classifiers', value: 'Private :: Do Not Upload' },
      { name: 'description', value: overrides.description ?? '# acme-x\n\nline one\nline two\r\nline three\n' },
    ],
    file: { name: 'content', filename: 'acme_x-0.0.0.tar.gz', contentType: 'application/octet-stream', bytes: overrides.file ?? new Uint8Array([31, 139, 8, 0, 13, 10, 10, 0, 255]) },
  };
}

/** Parses a body with busboy, an independent multipart reader; every part is kept with its raw bytes. */
function parse(contentType: string, body: Uint8Array): Promise<Array<{ name: string; filename?: string; mimeType: string; bytes: Buffer }>> {
  return new Promise((resolve, reject) => {
    const parts: Array<{ name: string; filename?: string; mimeType: string; bytes: Buffer }> = [];
    const parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    parser.on('field', (name, value, info) => parts.push({ name, mimeType: info.mimeType, bytes: Buffer.from(value, 'utf8') }));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => parts.push({ name, ...(info.filename ? { filename: info.filename } : {}), mimeType: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(parts));
    Readable.from([Buffer.from(body)]).pipe(parser);
  });
}

describe('the upload body (core/multipart)', () => {
  it('carries every field as a plain part with its bytes unchanged (LF stays LF), in order, and the file last', async () => {
    const f = form();
    const { contentType, body } = encodeMultipart(f);
    const parts = await parse(contentType, body);
    assert.deepEqual(
      parts.map((p) => [p.name, p.filename, p.bytes.toString('utf8')]),
      [...f.fields.map((x) => [x.name, undefined, x.value]), ['content', 'acme_x-0.0.0.tar.gz', Buffer.from(f.file.bytes).toString('utf8')]],
    );
    assert.deepEqual(parts.at(-1)!.bytes, Buffer.from(f.file.bytes));
    assert.equal(parts.at(-1)!.mimeType, 'application/octet-stream');
  });

  it('escapes a double quote, CR or LF in a part name or file name as the HTML standard does (%22, %0D, %0A), and leaves other names as they are', () => {
    const f = form();
    const tricky = { ...f, fields: [{ name: 'odd "name"\r\nX-Injected: 1', value: 'v' }, { name: 'plain_name', value: 'w' }], file: { ...f.file, filename: 'a"b\n.tar.gz' } };
    const text = Buffer.from(encodeMultipart(tricky).body).toString('latin1');
    assert.match(text, /Content-Disposition: form-data; name="odd %22name%22%0D%0AX-Injected: 1"\r\n/);
    assert.match(text, /Content-Disposition: form-data; name="plain_name"\r\n/);
    assert.match(text, /name="content"; filename="a%22b%0A\.tar\.gz"\r\n/);
    assert.doesNotMatch(text, /^X-Injected/m);
  });

  it('gives the same bytes for the same form', () => {
    assert.deepEqual(encodeMultipart(form()).body, encodeMultipart(form()).body);
  });

  it('chooses a boundary that occurs nowhere in the parts, even when the file holds the first choice', async () => {
    const first = /boundary=(.+)$/.exec(encodeMultipart(form()).contentType)![1]!;
    const tricky = new Uint8Array(Buffer.concat([Buffer.from('\r\n--'), Buffer.from(first)]));
    const { contentType, body } = encodeMultipart(form({ file: tricky }));
    assert.notEqual(/boundary=(.+)$/.exec(contentType)![1], first);
    const parts = await parse(contentType, body);
    assert.deepEqual(parts.at(-1)!.bytes, Buffer.from(tricky));
  });
});

describe('the upload answer is bounded (registry/upload)', () => {
  const servers: Server[] = [];
  after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/legacy/`;
  }

  it('sends the prebuilt body with its length, and reads the status line, headers and body of the answer', async () => {
    let received: { type?: string; length?: string; bytes?: Buffer } = {};
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = { type: req.headers['content-type'], length: req.headers['content-length'], bytes: Buffer.concat(chunks) };
        res.writeHead(400, 'File already exists (acme_x-0.0.0.tar.gz)', { ratelimit: 'x;r=1;t=5' }).end('details');
      });
    });
    const answer = await sendUpload(url, form(), CREDENTIAL, undefined);
    const expected = encodeMultipart(form());
    assert.equal(received.type, expected.contentType);
    assert.equal(received.length, String(expected.body.length));
    assert.deepEqual(received.bytes, Buffer.from(expected.body));
    assert.deepEqual([answer.status, answer.reason, answer.body, answer.headers.get('ratelimit')], [400, 'File already exists (acme_x-0.0.0.tar.gz)', 'details', 'x;r=1;t=5']);
  });

  it('gives up on a server that never answers, once the deadline has passed, with a connection-type error', async () => {
    const url = await serve((req) => req.resume());
    await assert.rejects(sendUpload(url, form(), CREDENTIAL, undefined, { deadlineMs: 200 }), (err: unknown) => {
      assert.ok(err instanceof HttpError);
      assert.equal(err.code, 'ETIMEOUT');
      assert.match(err.message, /no complete answer within 0 s/);
      return true;
    });
  });

  it('stops reading an answer body that does not end at its cap, with an error naming the cap', async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(500, 'Internal Server Error');
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    // The status line came: the answer is judged by it (a 500 here), not re-sent as a broken connection.
    const answer = await sendUpload(url, form(), CREDENTIAL, undefined, { maxAnswerBytes: 100_000 });
    assert.deepEqual([answer.status, answer.body], [500, '']);
    assert.match(answer.unread ?? '', /larger than 100000 bytes/);
  });

  it('keeps the status line of an answer whose connection drops mid-body, and says the body was not read', async () => {
    const url = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, 'OK', { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    const answer = await sendUpload(url, form(), CREDENTIAL, undefined);
    assert.deepEqual([answer.status, answer.body], [200, '']);
    assert.match(answer.unread ?? '', /other side closed|ECONNRESET|socket/i);
  });

  it('reads header names without regard to case and joins a repeated header, as Headers.get does', async () => {
    const url = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(429, 'Too many new projects created', { RateLimit: ['a;r=0;t=60', 'b;r=3;t=60'] }).end('slow down'));
    });
    const answer = await sendUpload(url, form(), CREDENTIAL, undefined);
    assert.deepEqual(
      [answer.status, answer.headers.get('ratelimit'), answer.headers.get('RateLimit'), answer.headers.get('ratelimit-policy'), answer.body],
      [429, 'a;r=0;t=60, b;r=3;t=60', 'a;r=0;t=60, b;r=3;t=60', null, 'slow down'],
    );
  });

  it('calls whileWaiting once, after the request is handed over and before the answer is read', async () => {
    const url = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, 'OK').end('ok'));
    });
    const calls: string[] = [];
    const answer = sendUpload(url, form(), CREDENTIAL, undefined, { whileWaiting: () => calls.push('waiting') }).then((a) => {
      calls.push('answered');
      return a;
    });
    assert.equal((await answer).status, 200);
    assert.deepEqual(calls, ['waiting', 'answered']);
  });
});
