/**
 * A misbehaving index on loopback that echoes the credential it was sent back
 * in its upload answers, reshaped the way servers and formats reshape text.
 * Every name is free on its simple index; every upload is refused with PyPI's
 * "isn't allowed to upload" 403 (a `taken` verdict, so the echo reaches every
 * output sink, annotations included) followed by the echo chosen by the name:
 *
 * - `echo-raw`: the token as sent;
 * - `echo-json`: every character as a JSON `\u` escape;
 * - `echo-html`: every character as an HTML character reference;
 * - `echo-url`: every character percent-encoded;
 * - `echo-basic`: the Authorization header value (`Basic <base64>`);
 * - `echo-cut`: 400 characters of padding then the token, so a message cut
 *   to 500 characters holds only the token's beginning.
 *
 * Every request is logged with its headers.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface EchoServer {
  url: string;
  uploadUrl: string;
  indexUrl: string;
  requests: EchoRequest[];
  close: () => Promise<void>;
}

export const ECHO_NAMES = ['echo-raw', 'echo-json', 'echo-html', 'echo-url', 'echo-basic', 'echo-cut'] as const;

/** The secret an Authorization header carries: the Basic password, or the bearer token. */
function sentSecret(authorization: string | undefined): string {
  const [scheme, value = ''] = (authorization ?? '').split(' ');
  if (scheme !== 'Basic') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

function echoFor(name: string, authorization: string | undefined): string {
  const secret = sentSecret(authorization);
  const each = (f: (ch: string) => string) => [...secret].map(f).join('');
  switch (name) {
    case 'echo-json':
      return each((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 'echo-html':
      return each((c) => `&#${c.charCodeAt(0)};`);
    case 'echo-url':
      return each((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    case 'echo-basic':
      return authorization ?? '';
    case 'echo-cut':
      return `${'x'.repeat(400)} ${secret}`;
    default:
      return secret;
  }
}

export async function startEchoServer(): Promise<EchoServer> {
  const requests: EchoRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'GET' && path === '/simple/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"></head><body></body></html>');
      } else if (req.method === 'POST' && path.startsWith('/legacy/')) {
        const body = Buffer.concat(chunks).toString('latin1');
        const name = /name="name"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1] ?? '';
        const message = `The user 'acme' isn't allowed to upload to project '${name}'. You sent ${echoFor(name, req.headers.authorization)}`;
        res.writeHead(403, 'Forbidden', { 'content-type': 'text/plain' }).end(`403 Forbidden\n\n${message}\n`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    uploadUrl: `${url}/legacy/`,
    indexUrl: `${url}/simple/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
