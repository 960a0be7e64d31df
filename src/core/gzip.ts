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
 */
import { BitWriter } from './deflate/bit-writer.js';
import { blockBound, writeDynamicBlock } from './deflate/block.js';
import { guidedParse, makeReference, type Reference } from './deflate/guided.js';
import { parse } from './deflate/parse.js';
import { Tokens } from './deflate/tokens.js';
// Node's CRC-32 (20.15 and later) is zlib's: the standard checksum, the same on
// every machine, and native: 0.01 ms an archive where ours in JavaScript took
// 0.2-0.3 ms in the interpreter, which is where reserve's 50 placeholders run.
import { crc32 } from 'node:zlib';

export type GzipReference = Reference;

/** Deflate, no flags, mtime 0 ("none"), no extra flags, OS 255 ("unknown": the bytes do not depend on it). */
const HEADER = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
const TRAILER = 8;

// Reused from archive to archive (everything here is synchronous).
const writer = new BitWriter();
const scratchTokens = new Tokens();

/** A reference for `gzip`: an input that later inputs will mostly resemble. */
export function gzipReference(data: Uint8Array): GzipReference {
  return makeReference(data);
}

/** The archive, in memory of its own (the writer's buffer is reused by the next call). */
export function gzip(data: Uint8Array, reference?: GzipReference): Uint8Array {
  const tokens = reference ? guidedParse(data, reference, scratchTokens) : parse(data);
  writer.begin(HEADER.length + blockBound(tokens.count) + TRAILER);
  for (let i = 0; i < HEADER.length; i++) writer.byte(HEADER[i]!);
  writeDynamicBlock(writer, tokens);
  writer.align();
  const crc = crc32(data);
  for (let shift = 0; shift < 32; shift += 8) writer.byte((crc >>> shift) & 0xff);
  for (let shift = 0; shift < 32; shift += 8) writer.byte((data.length >>> shift) & 0xff); // the size mod 2^32
  return writer.end().slice();
}
