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

/** The part of WebAssembly's API used here (the project's TypeScript libraries declare none of it). */
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<object> };

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
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return;
  }
  const parser: PrecompiledParser = { file, bytes, ready: Promise.resolve() };
  parser.ready = WebAssembly.compile(bytes).then(
    (module) => void (parser.module = module),
    () => undefined,
  );
  (globalThis as WithSlot)[PARSER_SLOT] = parser;
}

/** Settles once a compile the executable started has ended (at once when none was). */
export function parserCompiled(): Promise<void> {
  return (globalThis as WithSlot)[PARSER_SLOT]?.ready ?? Promise.resolve();
}
