/**
 * Length-limited canonical Huffman codes (RFC 1951 §3.2.2), deterministic:
 * ties are broken by symbol number, so the same frequencies always give the
 * same code, on any machine. Works in scratch arrays reused between calls.
 */

const MAX_SYMBOLS = 288;
/** (frequency << 9 | symbol) of each used symbol: a plain numeric sort orders by frequency, then symbol. */
const keys = new Uint32Array(MAX_SYMBOLS);
const weight = new Float64Array(2 * MAX_SYMBOLS);
const parent = new Int32Array(2 * MAX_SYMBOLS);
const depth = new Int32Array(2 * MAX_SYMBOLS);
const perLength = new Int32Array(16);
const nextCode = new Uint16Array(16);
/** Each byte with its bits in reverse order (codes are sent most-significant bit first, bytes fill from the least), made on first use. */
let reversedBytes: Uint8Array | undefined;

function reversedByteTable(): Uint8Array {
  if (!reversedBytes) {
    reversedBytes = new Uint8Array(256);
    for (let b = 0; b < 256; b++) for (let k = 0; k < 8; k++) if (b & (1 << k)) reversedBytes[b]! |= 0x80 >>> k;
  }
  return reversedBytes;
}

/**
 * Code lengths for `freq[0..n)` into `lengths`, none longer than `maxBits`;
 * unused symbols get 0. At least two symbols get a code, so the code is always
 * complete (zlib does the same: some decoders refuse a one-symbol code).
 * Frequencies must stay under 2^23.
 */
export function codeLengths(freq: Uint32Array, n: number, maxBits: number, lengths: Uint8Array): void {
  lengths.fill(0, 0, n);
  let count = 0;
  for (let s = 0; s < n; s++) if (freq[s]! > 0) keys[count++] = (freq[s]! << 9) | s;
  if (count < 2) {
    const used = count === 1 ? keys[0]! & 0x1ff : -1;
    if (used >= 0) lengths[used] = 1;
    for (let s = 0, given = count; given < 2; s++) {
      if (s !== used) {
        lengths[s] = 1;
        given++;
      }
    }
    return;
  }
  const leaves = keys.subarray(0, count).sort();
  for (let i = 0; i < count; i++) weight[i] = leaves[i]! >>> 9;
  // Two queues, leaves (already sorted) and inner nodes (made in rising order), build the tree in O(n).
  let leaf = 0;
  let inner = count;
  for (let next = count; next < 2 * count - 1; next++) {
    let sum = 0;
    for (let k = 0; k < 2; k++) {
      const node = leaf < count && (inner >= next || weight[leaf]! <= weight[inner]!) ? leaf++ : inner++;
      parent[node] = next;
      sum += weight[node]!;
    }
    weight[next] = sum;
  }
  // Depths from the root down (a parent always has a higher index than its children).
  perLength.fill(0);
  depth[2 * count - 2] = 0;
  for (let node = 2 * count - 3; node >= 0; node--) {
    depth[node] = depth[parent[node]!]! + 1;
    if (node < count) perLength[Math.min(depth[node]!, maxBits)]!++;
  }
  // Codes cut to maxBits overfill the code space; lengthen shorter ones until it is exactly full.
  let space = 0;
  for (let len = 1; len <= maxBits; len++) space += perLength[len]! << (maxBits - len);
  while (space > 1 << maxBits) {
    perLength[maxBits]!--;
    for (let len = maxBits - 1; len > 0; len--) {
      if (perLength[len]! > 0) {
        perLength[len]!--;
        perLength[len + 1]! += 2;
        break;
      }
    }
    space--;
  }
  // The rarest symbols take the longest codes.
  let i = 0;
  for (let len = maxBits; len > 0; len--) for (let k = perLength[len]!; k > 0; k--) lengths[leaves[i++]! & 0x1ff] = len;
}

/** Canonical codes for `lengths[0..n)` into `codes`, bit-reversed so a BitWriter sends them most-significant bit first. */
export function canonicalCodes(lengths: Uint8Array, n: number, maxBits: number, codes: Uint16Array): void {
  const REVERSED = reversedByteTable();
  perLength.fill(0);
  for (let s = 0; s < n; s++) perLength[lengths[s]!]!++;
  perLength[0] = 0;
  for (let len = 1, code = 0; len <= maxBits; len++) {
    code = (code + perLength[len - 1]!) << 1;
    nextCode[len] = code;
  }
  for (let s = 0; s < n; s++) {
    const len = lengths[s]!;
    if (len === 0) continue;
    const code = nextCode[len]!++;
    codes[s] = ((REVERSED[code & 0xff]! << 8) | REVERSED[code >>> 8]!) >>> (16 - len);
  }
}
