/**
 * undici, loaded on first use, and only the two parts this tool uses: the
 * connection pool (`Agent`) and the low-level `request`.
 *
 * Why not `import('undici')`: its entry module loads everything undici has
 * (fetch, WebSocket, cookies, mocks, caches, and through them Node's own
 * bundled copy of undici), about 0.5 s of CPU, several times Node's own
 * start-up, in every run that touches the network (measured with
 * bench/startup). The dispatcher and request modules load in a fraction of
 * that. Commands that never touch the network (build, init, export-rules,
 * audit) load none of it.
 *
 * `request` below does what undici's exported `request` does with a URL and a
 * dispatcher (undici/index.js `makeDispatcher`); the HTTP specs run every
 * request through it, so a change inside undici shows up there.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Dispatcher } from 'undici';

export interface Undici {
  Agent: typeof AgentType;
  request: (url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher?: Dispatcher }) => Promise<Dispatcher.ResponseData>;
}

let loaded: Promise<Undici> | undefined;
let defaultAgent: Dispatcher | undefined;

export function undici(): Promise<Undici> {
  loaded ??= Promise.resolve().then(load);
  return loaded;
}

function load(): Undici {
  const require = createRequire(import.meta.url);
  const Agent = require('undici/lib/dispatcher/agent.js') as typeof AgentType;
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
  // What undici's entry module does to give every dispatcher its request API.
  Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);
  return {
    Agent,
    request: (url, { dispatcher, ...options }) => {
      const target = new URL(url);
      const via = dispatcher ?? (defaultAgent ??= new Agent());
      return via.request({ ...options, origin: target.origin, path: `${target.pathname}${target.search}` });
    },
  };
}
