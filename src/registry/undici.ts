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
import type { Agent as AgentType, Dispatcher } from 'undici';
import { ReserveError } from '../core/errors.js';
import { MAX_HEADER_BYTES } from './http.js';
import { hasWebAssembly, parserCompiled } from './parser-precompile.js';

export interface Undici {
  Agent: typeof AgentType;
  request: (url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher?: Dispatcher }) => Promise<Dispatcher.ResponseData>;
  /** The pool a request without a dispatcher of its own goes through. */
  defaultDispatcher: () => Dispatcher;
  /** undici's own reading of raw header lines into an object, as `request` gives them (lower-case names, repeats as arrays). */
  parseHeaders: (raw: Buffer[]) => Record<string, string | string[] | undefined>;
}

let loaded: Promise<Undici> | undefined;
let defaultAgent: Dispatcher | undefined;

export function undici(): Promise<Undici> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Undici> {
  // undici parses HTTP with WebAssembly: without it (--jitless) every request would fail as if the network did.
  if (!hasWebAssembly()) {
    throw new ReserveError('E_NO_WEBASSEMBLY', 'this Node runs without WebAssembly (--jitless or --no-expose-wasm), which the HTTP client needs', {
      hint: 'run pypi-reserve without those Node options (check NODE_OPTIONS)',
    });
  }
  const parts = await import('./undici-parts.js');
  // The parser the executable started compiling is ready before the first connection needs it
  // (registry/parser-precompile.ts); long since, as a rule, and at once where none was started.
  await parserCompiled();
  const Agent = parts.Agent as typeof AgentType;
  const Dispatcher = parts.Dispatcher as { prototype: object };
  const api = parts.api as object;
  const { parseHeaders } = parts.util as Pick<Undici, 'parseHeaders'>;
  // What undici's entry module does to give every dispatcher its request API.
  Object.assign(Dispatcher.prototype, api);
  const defaultDispatcher = () => (defaultAgent ??= new Agent({ maxHeaderSize: MAX_HEADER_BYTES }));
  return {
    Agent,
    request: (url, { dispatcher, ...options }) => {
      const target = new URL(url);
      return (dispatcher ?? defaultDispatcher()).request({ ...options, origin: target.origin, path: `${target.pathname}${target.search}` });
    },
    defaultDispatcher,
    parseHeaders: (raw) => parseHeaders(raw),
  };
}
