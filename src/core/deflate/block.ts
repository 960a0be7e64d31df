/**
 * Tokens to one final deflate block with dynamic Huffman codes (RFC 1951
 * §3.2.7), built from these tokens' own frequencies. Scratch arrays are reused
 * from block to block.
 */
import type { BitWriter } from './bit-writer.js';
import { canonicalCodes, codeLengths } from './huffman.js';
import type { Tokens } from './tokens.js';

const END_OF_BLOCK = 256;
const LITERAL_SYMBOLS = 286;
const DISTANCE_SYMBOLS = 30;
const MAX_BITS = 15;
const MAX_CODE_LENGTH_BITS = 7;
/** The order code-length code lengths are sent in (RFC 1951 §3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const litFreq = new Uint32Array(LITERAL_SYMBOLS);
const distFreq = new Uint32Array(DISTANCE_SYMBOLS);
const clFreq = new Uint32Array(19);
const litLengths = new Uint8Array(LITERAL_SYMBOLS);
const distLengths = new Uint8Array(DISTANCE_SYMBOLS);
const clLengths = new Uint8Array(19);
const litCodes = new Uint16Array(LITERAL_SYMBOLS);
const distCodes = new Uint16Array(DISTANCE_SYMBOLS);
const clCodes = new Uint16Array(19);
const allLengths = new Uint8Array(LITERAL_SYMBOLS + DISTANCE_SYMBOLS);
/** Each token's literal/length symbol and distance symbol, found once for counting and kept for writing. */
let symbols = new Uint16Array(0);
let distanceSymbols = new Uint8Array(0);
/** The code lengths, run-length coded: symbol, extra value, symbol, extra value… */
const runs = new Uint8Array(2 * (LITERAL_SYMBOLS + DISTANCE_SYMBOLS));

/** Length 3..258 → symbol 257..285 (RFC 1951 §3.2.5); its extra bits are n - 2 wide where n = floor(log2(length - 3)), from length 11 on. */
function lengthSymbolOf(length: number): number {
  const x = length - 3;
  if (x < 8) return 257 + x;
  if (x === 255) return 285;
  const n = 31 - Math.clz32(x);
  return 257 + 4 * (n - 1) + ((x >>> (n - 2)) & 3);
}

/** The same as a table, made on first use: one look-up per match instead of a computation. */
let lengthSymbols: Uint16Array | undefined;

function lengthSymbolTable(): Uint16Array {
  if (!lengthSymbols) {
    lengthSymbols = new Uint16Array(259);
    for (let length = 3; length <= 258; length++) lengthSymbols[length] = lengthSymbolOf(length);
  }
  return lengthSymbols;
}

/** Distance 1..32768 → symbol 0..29; its extra bits are n - 1 wide where n = floor(log2(distance - 1)), from distance 5 on. */
function distanceSymbol(distance: number): number {
  const x = distance - 1;
  if (x < 4) return x;
  const n = 31 - Math.clz32(x);
  return 2 * n + ((x >>> (n - 1)) & 1);
}

/** Worst-case bytes for `count` tokens in one dynamic block: the header, then 15+5+15+13 bits a token. */
export function blockBound(count: number): number {
  return 400 + Math.ceil(((count + 1) * 48) / 8);
}

export function writeDynamicBlock(out: BitWriter, tokens: Tokens): void {
  const { list, count } = tokens;
  if (symbols.length < count) {
    symbols = new Uint16Array(Math.max(4096, 2 * count));
    distanceSymbols = new Uint8Array(symbols.length);
  }
  // Locals, not the module's bindings, in the loops below.
  const syms = symbols;
  const distSyms = distanceSymbols;
  const lengthSymbol = lengthSymbolTable();
  litFreq.fill(0);
  distFreq.fill(0);
  for (let i = 0; i < count; i++) {
    const t = list[i]!;
    const length = t >>> 16;
    if (length === 0) {
      syms[i] = t;
      litFreq[t]!++;
    } else {
      const ls = lengthSymbol[length]!;
      const ds = distanceSymbol(t & 0xffff);
      syms[i] = ls;
      distSyms[i] = ds;
      litFreq[ls]!++;
      distFreq[ds]!++;
    }
  }
  litFreq[END_OF_BLOCK] = 1;
  codeLengths(litFreq, LITERAL_SYMBOLS, MAX_BITS, litLengths);
  codeLengths(distFreq, DISTANCE_SYMBOLS, MAX_BITS, distLengths);
  let hlit = LITERAL_SYMBOLS;
  while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
  let hdist = DISTANCE_SYMBOLS;
  while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;

  // Both codes' lengths as one sequence, run-length coded with 16 (repeat the previous), 17 and 18 (zeros).
  const total = hlit + hdist;
  allLengths.set(litLengths.subarray(0, hlit));
  allLengths.set(distLengths.subarray(0, hdist), hlit);
  let runCount = 0;
  for (let i = 0; i < total; ) {
    const len = allLengths[i]!;
    let run = 1;
    while (i + run < total && allLengths[i + run] === len) run++;
    if (len === 0 && run >= 3) {
      run = Math.min(run, 138);
      runs[runCount++] = run >= 11 ? 18 : 17;
      runs[runCount++] = run >= 11 ? run - 11 : run - 3;
    } else if (len !== 0 && run >= 4) {
      run = Math.min(run, 7); // the length once, then 3 to 6 repeats of it
      runs[runCount++] = len;
      runs[runCount++] = 0;
      runs[runCount++] = 16;
      runs[runCount++] = run - 4;
    } else {
      run = 1;
      runs[runCount++] = len;
      runs[runCount++] = 0;
    }
    i += run;
  }
  clFreq.fill(0);
  for (let i = 0; i < runCount; i += 2) clFreq[runs[i]!]!++;
  codeLengths(clFreq, 19, MAX_CODE_LENGTH_BITS, clLengths);
  canonicalCodes(clLengths, 19, MAX_CODE_LENGTH_BITS, clCodes);
  let hclen = 19;
  while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]!] === 0) hclen--;

  out.write(1, 1); // BFINAL: the only block
  out.write(2, 2); // BTYPE: dynamic Huffman codes
  out.write(hlit - 257, 5);
  out.write(hdist - 1, 5);
  out.write(hclen - 4, 4);
  for (let i = 0; i < hclen; i++) out.write(clLengths[CODE_LENGTH_ORDER[i]!]!, 3);
  for (let i = 0; i < runCount; i += 2) {
    const symbol = runs[i]!;
    out.write(clCodes[symbol]!, clLengths[symbol]!);
    if (symbol === 16) out.write(runs[i + 1]!, 2);
    else if (symbol === 17) out.write(runs[i + 1]!, 3);
    else if (symbol === 18) out.write(runs[i + 1]!, 7);
  }

  canonicalCodes(litLengths, LITERAL_SYMBOLS, MAX_BITS, litCodes);
  canonicalCodes(distLengths, DISTANCE_SYMBOLS, MAX_BITS, distCodes);
  // The hot loop keeps the bit buffer in locals, and so spells out the flush after each of a
  // match's three codes: a method call per code cost a third of the block.
  const bytes = out.bytes;
  let pos = out.pos;
  let bits = out.buffer;
  let n = out.count;
  for (let i = 0; i < count; i++) {
    const s = syms[i]!;
    let value = litCodes[s]!;
    let width = litLengths[s]!;
    if (s > END_OF_BLOCK) {
      const length = list[i]! >>> 16;
      if (s >= 265 && s < 285) {
        // The length's extra bits go right after its code: at most 15 + 5 bits.
        const extra = (s - 261) >>> 2;
        value |= ((length - 3) & ((1 << extra) - 1)) << width;
        width += extra;
      }
      bits |= value << n;
      n += width;
      while (n >= 8) {
        bytes[pos++] = bits & 0xff;
        bits >>>= 8;
        n -= 8;
      }
      const ds = distSyms[i]!;
      value = distCodes[ds]!;
      width = distLengths[ds]!;
      bits |= value << n;
      n += width;
      while (n >= 8) {
        bytes[pos++] = bits & 0xff;
        bits >>>= 8;
        n -= 8;
      }
      if (ds < 4) continue;
      width = (ds >>> 1) - 1;
      value = ((list[i]! & 0xffff) - 1) & ((1 << width) - 1);
    }
    bits |= value << n;
    n += width;
    while (n >= 8) {
      bytes[pos++] = bits & 0xff;
      bits >>>= 8;
      n -= 8;
    }
  }
  out.pos = pos;
  out.buffer = bits;
  out.count = n;
  out.write(litCodes[END_OF_BLOCK]!, litLengths[END_OF_BLOCK]!);
}
