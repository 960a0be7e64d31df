/**
 * BLAKE2b (RFC 7693) with a 32-byte digest, the `blake2_256` hash Warehouse
 * stores for every file and uses for duplicate detection (fact sheet §4 step 14).
 * Node 20's OpenSSL offers only the fixed 64-byte `blake2b512`, whose output is
 * a different hash (the digest length is part of the parameter block), so the
 * stand-in carries this small implementation. 64-bit words are held as
 * (low, high) pairs of 32-bit integers.
 */

const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
] as const;

const BLOCK = 128;

/** v[a] += v[b] + m[x], all 64-bit, indices are word numbers (pairs in the arrays). */
function add3(v: Uint32Array, a: number, b: number, m: Uint32Array, x: number): void {
  const lo = v[2 * a]! + v[2 * b]! + m[2 * x]!;
  const hi = v[2 * a + 1]! + v[2 * b + 1]! + m[2 * x + 1]! + Math.floor(lo / 0x100000000);
  v[2 * a] = lo >>> 0;
  v[2 * a + 1] = hi >>> 0;
}

function add2(v: Uint32Array, a: number, b: number): void {
  const lo = v[2 * a]! + v[2 * b]!;
  const hi = v[2 * a + 1]! + v[2 * b + 1]! + Math.floor(lo / 0x100000000);
  v[2 * a] = lo >>> 0;
  v[2 * a + 1] = hi >>> 0;
}

/** v[d] = rotr64(v[d] ^ v[a], n) for n in {32, 24, 16, 63}. */
function xorRotate(v: Uint32Array, d: number, a: number, n: 32 | 24 | 16 | 63): void {
  const lo = (v[2 * d]! ^ v[2 * a]!) >>> 0;
  const hi = (v[2 * d + 1]! ^ v[2 * a + 1]!) >>> 0;
  let rlo: number;
  let rhi: number;
  if (n === 32) {
    rlo = hi;
    rhi = lo;
  } else if (n === 63) {
    // Rotating right by 63 is rotating left by 1.
    rlo = (lo << 1) | (hi >>> 31);
    rhi = (hi << 1) | (lo >>> 31);
  } else {
    rlo = (lo >>> n) | (hi << (32 - n));
    rhi = (hi >>> n) | (lo << (32 - n));
  }
  v[2 * d] = rlo >>> 0;
  v[2 * d + 1] = rhi >>> 0;
}

function mix(v: Uint32Array, m: Uint32Array, a: number, b: number, c: number, d: number, x: number, y: number): void {
  add3(v, a, b, m, x);
  xorRotate(v, d, a, 32);
  add2(v, c, d);
  xorRotate(v, b, c, 24);
  add3(v, a, b, m, y);
  xorRotate(v, d, a, 16);
  add2(v, c, d);
  xorRotate(v, b, c, 63);
}

function compress(h: Uint32Array, block: Uint8Array, bytesSoFar: number, last: boolean): void {
  const m = new Uint32Array(32);
  const view = new DataView(block.buffer, block.byteOffset, BLOCK);
  for (let i = 0; i < 32; i++) m[i] = view.getUint32(i * 4, true);
  const v = new Uint32Array(32);
  v.set(h, 0);
  v.set(IV, 16);
  // Counter t (low 64 bits are enough for any file we handle).
  v[24] = (v[24]! ^ (bytesSoFar >>> 0)) >>> 0;
  v[25] = (v[25]! ^ Math.floor(bytesSoFar / 0x100000000)) >>> 0;
  if (last) {
    v[28] = ~v[28]! >>> 0;
    v[29] = ~v[29]! >>> 0;
  }
  for (const s of SIGMA) {
    mix(v, m, 0, 4, 8, 12, s[0], s[1]);
    mix(v, m, 1, 5, 9, 13, s[2], s[3]);
    mix(v, m, 2, 6, 10, 14, s[4], s[5]);
    mix(v, m, 3, 7, 11, 15, s[6], s[7]);
    mix(v, m, 0, 5, 10, 15, s[8], s[9]);
    mix(v, m, 1, 6, 11, 12, s[10], s[11]);
    mix(v, m, 2, 7, 8, 13, s[12], s[13]);
    mix(v, m, 3, 4, 9, 14, s[14], s[15]);
  }
  for (let i = 0; i < 16; i++) h[i] = (h[i]! ^ v[i]! ^ v[i + 16]!) >>> 0;
}

/** BLAKE2b, unkeyed, with `outLength` bytes of output (1..64), as lowercase hex. */
export function blake2bHex(data: Uint8Array, outLength = 32): string {
  const h = new Uint32Array(IV);
  // Parameter block word 0: digest length, key length 0, fanout 1, depth 1.
  h[0] = (h[0]! ^ 0x01010000 ^ outLength) >>> 0;
  let offset = 0;
  // Every block but the last is compressed as "not last"; an empty input is one zero block.
  while (data.length - offset > BLOCK) {
    compress(h, data.subarray(offset, offset + BLOCK), offset + BLOCK, false);
    offset += BLOCK;
  }
  const tail = new Uint8Array(BLOCK);
  tail.set(data.subarray(offset));
  compress(h, tail, data.length, true);
  const out = Buffer.alloc(64);
  for (let i = 0; i < 16; i++) out.writeUInt32LE(h[i]!, i * 4);
  return out.subarray(0, outLength).toString('hex');
}

/** The digest Warehouse calls `blake2_256`. */
export function blake2b256Hex(data: Uint8Array): string {
  return blake2bHex(data, 32);
}
