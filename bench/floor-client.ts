/**
 * The floor: a bare `node:http` client that sends a given list of requests
 * over keep-alive connections (one unless told otherwise) and nothing else.
 * A benchmark times this child from spawn to exit next to pypi-reserve doing
 * the same requests, so Node's own start-up and the server's work are in both
 * and the ratio shows only what the tool adds.
 *
 *   node dist/bench/floor-client.js plan.json
 *
 * plan.json: { origin, concurrency, requests: [{ method, path, headers, body?: base64 }] }
 * Imports only node: modules, so it loads as fast as Node can.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

export interface FloorRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Base64 of the request body. */
  body?: string;
}

export interface FloorPlan {
  origin: string;
  concurrency: number;
  requests: FloorRequest[];
}

function send(agent: Agent, origin: string, r: FloorRequest): Promise<number> {
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'base64');
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${r.path}`, { method: r.method, agent, headers: { ...r.headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(plan: FloorPlan): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  let next = 0;
  const worker = async () => {
    while (next < plan.requests.length) await send(agent, plan.origin, plan.requests[next++]!);
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  agent.destroy();
}

if (process.argv[2]) await run(JSON.parse(readFileSync(process.argv[2], 'utf8')) as FloorPlan);
