/**
 * undici's HTTP parser (llhttp, a WebAssembly module) compiled off the main
 * thread, from the moment the executable starts.
 *
 * undici compiles its parser when its first connection opens, synchronously:
 * on Node 20 about 4-5 ms to compile and instantiate, then 5-8 ms more as V8
 * compiles each parser function the first answer calls. Started by the
 * executable (cli/main.ts) before it loads the program, for the commands that
 * wait on an index, the compile runs on V8's background threads while the
 * main thread reads and deserialises the program (bench/startup, with time
 * marks: the first answer's headers 14 ms after its connection opened before,
 * 4 ms after), and with lazy compilation off (cli/v8-flags.ts) every function
 * is compiled there.
 *
 * The executable and the program meet through one global slot: the program is
 * a separate script (scripts/bundle.mjs), and its copy of undici takes the
 * compiled module only for the very bytes it checks (the parser file's size and
 * checksum, as when it reads the file itself), so a damaged file is still
 * reported as one. Outside the bundle nothing is precompiled and undici
 * compiles as it always does.
 */
import { readFileSync } from 'node:fs';

/** The part of WebAssembly's API used here (the project's TypeScript libraries declare none of it); absent under --jitless. */
const wasm = (globalThis as { WebAssembly?: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;

/** Whether this Node has WebAssembly, which undici's parser needs (not under --jitless or --no-expose-wasm). */
export function hasWebAssembly(): boolean {
  return typeof wasm === 'object';
}

/** The longest a connection waits for the compile before undici compiles on the main thread instead (it takes 5-10 ms). */
export const PARSER_COMPILE_WAIT_MS = 2_000;

/** The slot, shared by name with the bundle's parser module (scripts/bundle.mjs reads it as `Symbol.for` of the same text). */
export const PARSER_SLOT = Symbol.for('pypi-reserve.llhttp-precompiled');

export interface PrecompiledParser {
  /** The parser file's name beside the program (`llhttp_simd.wasm`). */
  file: string;
  /** The bytes compiled: what the program checks before it takes `module`. */
  bytes: Uint8Array;
  /** Set once the compile has succeeded. */
  module?: object;
  /** Settles (never rejects) once the compile has ended either way. */
  ready: Promise<void>;
}

type WithSlot = typeof globalThis & { [PARSER_SLOT]?: PrecompiledParser };

/**
 * Starts compiling the parser file at `path`. Any trouble (no such file, bytes
 * that do not compile) only means no precompiled parser: undici then reads and
 * compiles the file itself, and reports what is wrong with it there.
 */
export function startParserCompile(path: string, file: string): void {
  if (!wasm) return; // no WebAssembly (--jitless): registry/undici.ts says so before any request
  let bytes: Uint8Array;
  let compiling: Promise<object>;
  try {
    bytes = readFileSync(path);
    compiling = wasm.compile(bytes);
  } catch {
    return;
  }
  const parser: PrecompiledParser = { file, bytes, ready: Promise.resolve() };
  parser.ready = compiling.then(
    (module) => void (parser.module = module),
    () => undefined,
  );
  (globalThis as WithSlot)[PARSER_SLOT] = parser;
}

/**
 * Lets a compile the executable started go on while the program loads: one
 * turn of the event loop, once V8 has decoded the module (the program's files
 * take longer to read than that). V8's asynchronous compile (11 to 13) decodes
 * the module on a background thread, then takes its next step, the one that
 * starts compiling every function on background threads, as a task of the
 * main thread; a main thread busy loading the program ran none, so the
 * compile started only when the run first waited for it, and the first
 * connection waited 7-10 ms (a busy loop of 40 ms after the compile's start
 * left 7-10 ms of it; with one turn of the event loop 2 ms in, none).
 * Resolves at once when no compile was started.
 */
export function letParserCompileProceed(): Promise<void> {
  if (!(globalThis as WithSlot)[PARSER_SLOT]) return Promise.resolve();
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Settles once a compile the executable started has ended, or after `maxWaitMs`
 * (at once when none was started). The timer is also what keeps the process
 * alive meanwhile: a compile under way holds no handle of the event loop, and
 * Node 24 exited, status 0, having done nothing, when the first connection
 * waited on it alone.
 */
export function parserCompiled(maxWaitMs = PARSER_COMPILE_WAIT_MS): Promise<void> {
  const ready = (globalThis as WithSlot)[PARSER_SLOT]?.ready;
  if (!ready) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    void ready.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Whether undici (7.x, dispatcher/client-h1.js) will take its parser with
 * SIMD: yes unless UNDICI_NO_WASM_SIMD=1, or on ppc64 before Node 24.12
 * (where UNDICI_NO_WASM_SIMD=0 forces it). Only that parser is compiled ahead.
 */
export function undiciTakesSimdParser(env: NodeJS.ProcessEnv, arch: string, nodeVersion: string): boolean {
  if (env.UNDICI_NO_WASM_SIMD === '1') return false;
  if (env.UNDICI_NO_WASM_SIMD === '0') return true;
  if (arch !== 'ppc64') return true;
  const [major = 0, minor = 0] = nodeVersion.split('.').map((n) => Number.parseInt(n, 10));
  return major > 24 || (major === 24 && minor >= 12);
}
