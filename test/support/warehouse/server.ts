/**
 * The node:http server: routes requests to the Simple API, the JSON API, file
 * downloads and the upload endpoint, applies injected faults and latency, and
 * records every request (never the credentials themselves).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { identify } from './auth.js';
import { FaultQueues, type RequestClass, classify, garbageBody } from './faults.js';
import { jsonRoute } from './json-api.js';
import { type ParsedBody, parseBody } from './multipart.js';
import { type Answer, WarehouseError, latin1Reason, pyramidTitle, renderError } from './responses.js';
import { rssRoute } from './rss.js';
import { simpleRoute } from './simple-api.js';
import type { Store } from './store.js';
import type { LoggedRequest, TokenSpec } from './types.js';
import { type UploadContext, handleLegacyPost } from './upload.js';

export interface ServerDeps {
  store: Store;
  tokens: Record<string, TokenSpec>;
  upload: UploadContext;
  faults: FaultQueues;
  log: LoggedRequest[];
  now: () => number;
  latencyMs: number;
  trustForwardedFor: boolean;
}

const UPLOAD_INFO_PAGE =
  '<!DOCTYPE html>\n<html>\n  <head><title>Warehouse upload endpoint</title></head>\n  <body>\n' +
  '    <p>This is the upload endpoint of the Python Package Index. POST your distributions here with an upload client.</p>\n' +
  '  </body>\n</html>\n';

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function clientIp(req: IncomingMessage, trustForwardedFor: boolean): string {
  const forwarded = headerValue(req, 'x-forwarded-for');
  if (trustForwardedFor && forwarded) return forwarded.split(',')[0]!.trim();
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

function fileRoute(pathname: string, store: Store): Answer {
  const m = /^\/packages\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{60})\/([^/]+)$/.exec(pathname);
  if (m) {
    const blake2 = m[1]! + m[2]! + m[3]!;
    for (const p of store.projects.values()) {
      const f = p.files.find((x) => x.blake2_256 === blake2 && encodeURIComponent(x.filename) === m[4]);
      if (f) return { status: 200, reason: 'OK', headers: { 'Content-Type': 'application/octet-stream' }, body: f.content };
    }
  }
  throw new WarehouseError(404, undefined);
}

async function readBody(req: IncomingMessage, deps: ServerDeps): Promise<ParsedBody> {
  try {
    return await parseBody(req, deps.upload.fileLimit);
  } catch {
    throw new WarehouseError(400, 'Invalid request body.', { withMessage: false });
  }
}

async function route(req: IncomingMessage, url: URL, deps: ServerDeps, record: Partial<LoggedRequest>): Promise<Answer> {
  const method = req.method ?? 'GET';
  const { pathname, search } = url;
  const accept = headerValue(req, 'accept');
  if (pathname === '/legacy' && method === 'POST') {
    req.resume();
    return renderError(
      new WarehouseError(308, 'An upload was attempted to /legacy but the expected upload URL is /legacy/ (with a trailing slash)', {
        withMessage: true,
        location: '/legacy/',
      }),
      accept,
    );
  }
  if (pathname === '/legacy/' && method === 'POST') {
    const body = await readBody(req, deps);
    const fields: Record<string, string[]> = {};
    for (const [k, v] of body.fields) (fields[k] ??= []).push(v);
    record.fields = fields;
    const content = body.files.filter((f) => f.field === 'content').pop();
    if (content) record.filename = content.filename;
    return handleLegacyPost(deps.upload, {
      identity: identify(headerValue(req, 'authorization'), deps.tokens),
      ip: clientIp(req, deps.trustForwardedFor),
      query: url.searchParams,
      body,
      accept,
    });
  }
  req.resume();
  if (method !== 'GET' && method !== 'HEAD') throw new WarehouseError(405, undefined, { method });
  if (pathname === '/legacy/') return { status: 200, reason: 'OK', headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: UPLOAD_INFO_PAGE };
  const view = { method, pathname, search, headers: req.headers };
  if (pathname === '/simple' || pathname.startsWith('/simple/')) return simpleRoute(view, deps.store, baseUrlOf(req));
  if (pathname.startsWith('/pypi/')) return jsonRoute(pathname, deps.store, baseUrlOf(req), deps.upload.indexHost);
  if (pathname.startsWith('/packages/')) return fileRoute(pathname, deps.store);
  if (pathname.startsWith('/rss/')) return rssRoute(view, deps.store, deps.upload.indexHost);
  throw new WarehouseError(404, undefined);
}

function baseUrlOf(req: IncomingMessage): string {
  const { localAddress, localPort } = req.socket;
  const host = localAddress?.includes(':') && !localAddress.startsWith('::ffff:') ? `[${localAddress}]` : localAddress?.replace(/^::ffff:/, '');
  return `http://${host}:${localPort}`;
}

function send(res: ServerResponse, answer: Answer): void {
  res.statusCode = answer.status;
  res.statusMessage = latin1Reason(answer.reason);
  for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  if (answer.status !== 304) res.setHeader('Content-Length', body.length);
  res.end(answer.status === 304 ? undefined : body);
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const accept = headerValue(req, 'accept');
  const identity = identify(headerValue(req, 'authorization'), deps.tokens);
  const record: LoggedRequest = {
    method,
    path: url.pathname + url.search,
    ...(accept !== undefined ? { accept } : {}),
    ...(identity.authUser !== undefined ? { authUser: identity.authUser } : {}),
    authorized: identity.kind === 'token',
    status: 0,
    reason: '',
    time: deps.now(),
  };
  deps.log.push(record);
  const kind: RequestClass = classify(method, url.pathname);
  const fault = deps.faults.take(kind);

  let answer: Answer;
  const afterCommit = fault && 'afterCommit' in fault && fault.afterCommit === true;
  if (fault && 'reset' in fault && !afterCommit) {
    record.reason = 'connection reset (injected fault)';
    req.socket.destroy();
    return;
  }
  if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
  if (fault && 'status' in fault && !afterCommit) {
    req.resume();
    answer = renderError(new WarehouseError(fault.status, fault.message, { withMessage: fault.message !== undefined }), accept);
  } else if (fault && 'garbage' in fault) {
    req.resume();
    const g = garbageBody(kind);
    answer = { status: 200, reason: 'OK', headers: { 'Content-Type': g.contentType }, body: g.body };
  } else {
    try {
      answer = await route(req, url, deps, record);
    } catch (e) {
      if (!(e instanceof WarehouseError)) {
        answer = renderError(new WarehouseError(500, String((e as Error)?.message ?? e)), accept);
      } else answer = renderError(e, accept);
    }
  }
  if (afterCommit && fault && 'reset' in fault) {
    record.status = 0;
    record.reason = `connection reset after ${answer.status} (injected fault)`;
    req.socket.destroy();
    return;
  }
  if (afterCommit && fault && 'status' in fault) {
    answer = renderError(new WarehouseError(fault.status, fault.message, { withMessage: fault.message !== undefined }), accept);
  }
  if (deps.latencyMs > 0) await sleep(deps.latencyMs);
  record.status = answer.status;
  record.reason = latin1Reason(answer.reason) || pyramidTitle(answer.status);
  send(res, answer);
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(deps: ServerDeps, host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((e: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(String(e));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
