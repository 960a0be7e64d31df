/**
 * A gzip member (RFC 1952) around our own deflate, with no time, no file name
 * and no dependence on the machine: the same input gives the same bytes on any
 * CPU and any Node version. Node's zlib is not used for the compressed bytes
 * because its output may differ between Node versions and CPUs (Chromium's
 * zlib picks SIMD-specific match finders).
 *
 * With a reference (deflate/guided.ts), the parse reuses the reference's
 * matches: many archives that are mostly one archive compress in a fraction of
 * the time. Without one, the input is parsed on its own (deflate/parse.ts).
 *
 * The same deflate runs as WebAssembly where it can (deflate/wasm.ts), and as
 * the TypeScript where it cannot: the bytes are the same.
 */
import { BitWriter } from './deflate/bit-writer.js';
import { blockBound, writeDynamicBlock } from './deflate/block.js';
import { guidedParse, makeReference, type Reference } from './deflate/guided.js';
import { parse } from './deflate/parse.js';
import { Tokens } from './deflate/tokens.js';
import { dropWasmDeflate, MAX_WASM_INPUT, wasmDeflate, type WasmReferenceSlot } from './deflate/wasm.js';
// Node's CRC-32 (20.15 and later) is zlib's: the standard checksum, the same on
// every machine, and native: 0.01 ms an archive where ours in JavaScript took
// 0.2-0.3 ms in the interpreter, which is where reserve's 50 placeholders run.
import { crc32 } from 'node:zlib';

/** An archive later inputs will mostly resemble, with what each deflate made of it (on first use). */
export interface GzipReference {
  data: Uint8Array;
  js?: Reference;
  wasm?: WasmReferenceSlot;
}

/** Deflate, no flags, mtime 0 ("none"), no extra flags, OS 255 ("unknown": the bytes do not depend on it). */
const HEADER = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
const TRAILER = 8;

// Reused from archive to archive (everything here is synchronous).
const writer = new BitWriter();
const scratchTokens = new Tokens();

/** A reference for `gzip`: an input that later inputs will mostly resemble. */
export function gzipReference(data: Uint8Array): GzipReference {
  return { data };
}

/** Makes ready what the first gzip against `reference` would: the module, and the reference's parse. */
export function prepareGzip(reference: GzipReference): void {
  const engine = wasmDeflate();
  if (engine && reference.data.length <= MAX_WASM_INPUT) {
    try {
      engine.hold(reference);
      return;
    } catch {
      dropWasmDeflate();
    }
  }
  reference.js ??= makeReference(reference.data);
}

/** The archive, in memory of its own. */
export function gzip(data: Uint8Array, reference?: GzipReference): Uint8Array {
  const engine = wasmDeflate();
  if (engine) {
    let deflated: Uint8Array | undefined;
    try {
      deflated = engine.deflate(data, reference);
    } catch {
      dropWasmDeflate(); // a bug in the module: the TypeScript makes the same bytes
    }
    if (deflated) {
      const out = new Uint8Array(HEADER.length + deflated.length + TRAILER);
      out.set(HEADER);
      out.set(deflated, HEADER.length);
      writeTrailer(out, HEADER.length + deflated.length, data);
      return out;
    }
  }
  return gzipWithTypeScript(data, reference);
}

/** The same archive from the TypeScript deflate alone (what WebAssembly must match). */
export function gzipWithTypeScript(data: Uint8Array, reference?: GzipReference): Uint8Array {
  let tokens: Tokens;
  if (reference) {
    reference.js ??= makeReference(reference.data);
    tokens = guidedParse(data, reference.js, scratchTokens);
  } else tokens = parse(data);
  writer.begin(HEADER.length + blockBound(tokens.count) + TRAILER);
  for (let i = 0; i < HEADER.length; i++) writer.byte(HEADER[i]!);
  writeDynamicBlock(writer, tokens);
  writer.align();
  const out = new Uint8Array(writer.pos + TRAILER);
  out.set(writer.end());
  writeTrailer(out, writer.pos, data);
  return out;
}

/** The CRC-32 and the size mod 2^32, least-significant byte first, at `at`. */
function writeTrailer(out: Uint8Array, at: number, data: Uint8Array): void {
  const crc = crc32(data);
  for (let k = 0; k < 4; k++) out[at + k] = (crc >>> (8 * k)) & 0xff;
  for (let k = 0; k < 4; k++) out[at + 4 + k] = (data.length >>> (8 * k)) & 0xff;
}
