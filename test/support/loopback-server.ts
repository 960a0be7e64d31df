/**
 * A small purpose-built HTTP server on 127.0.0.1, port 0, for specs about how
 * the client copes with a server that misbehaves (endless or trickling bodies,
 * gzip bombs, hostile HTML, endless 429s, requests that never get an answer)
 * or that lays its pages out like pypiserver or devpi. Each route is a handler;
 * every request is recorded; an unknown path answers 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  origin: string;
  /** Paths requested, in order (method and path). */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/** Routes match by exact path, or by prefix when the key ends in `*`. */
export async function startLoopback(routes: Record<string, Route>): Promise<LoopbackServer> {
  const requests: { method: string; path: string }[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path });
    const route = routes[path] ?? Object.entries(routes).find(([key]) => key.endsWith('*') && path.startsWith(key.slice(0, -1)))?.[1];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A PEP 503 root listing of these projects. */
export function listingPage(names: readonly string[]): Route {
  const links = names.map((n) => `<a href="/simple/${n}/">${n}</a><br>`).join('\n');
  return (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Simple index</title></head><body>\n${links}\n</body></html>`);
}

/** Sends 64 KiB chunks for as long as the client reads. */
export const endlessBody: Route = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (res.write(chunk)) {
      if (res.destroyed) return;
    }
    res.once('drain', pump);
  };
  res.write('<html><body>');
  pump();
};

/** One byte every `everyMs`, forever: never a gap long enough for an idle timeout. */
export function tricklingBody(everyMs: number): Route {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => res.write('<'), everyMs);
    req.socket.once('close', () => clearInterval(timer));
  };
}

/** Never answers: the request stays open until the client gives up. */
export const noAnswer: Route = () => undefined;
