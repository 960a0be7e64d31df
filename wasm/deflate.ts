/**
 * The archive deflate of src/core/deflate/ (parse.ts, guided.ts, block.ts,
 * huffman.ts), in AssemblyScript, compiled to WebAssembly at build time
 * (scripts/build-wasm.mjs). Same rules, same constants, same tie breaks: for
 * every input it writes exactly the bytes the TypeScript writes, which
 * test/deflate-wasm.test.ts checks over many archives. The TypeScript stays
 * the definition (and what runs where WebAssembly cannot, `--jitless`); this is
 * the same code where V8 does not interpret it: `reserve` builds its few
 * placeholders before V8 would optimise the TypeScript, in its interpreter.
 *
 * Memory is managed here, by hand, in regions that only grow (bump allocator,
 * AssemblyScript's stub runtime): the input, the output, the scratch of one
 * parse, and up to REFERENCE_SLOTS references, each reused when it is large
 * enough, so a long run's memory is bounded by its largest archive.
 * JavaScript (src/core/deflate/wasm.ts) writes an archive at inputPointer(n)
 * and reads the result at outputPointer().
 */

const MIN_MATCH: i32 = 3;
const MAX_MATCH: i32 = 258;
const MAX_DISTANCE: i32 = 32768;

// ---------------------------------------------------------------- memory

@inline function byteAt(base: usize, i: i32): i32 {
  return <i32>load<u8>(base + <usize>i);
}
@inline function intAt(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function setInt(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/** The largest input (and reference) JavaScript gives (core/deflate/wasm.ts MAX_WASM_INPUT), 256 KiB. */
const MAX_INPUT: i32 = 256 * 1024;
/** No region is larger than 64 bytes an input byte. */
const MAX_REGION: i32 = 64 * MAX_INPUT;

/** Bytes of the region `region` returned last. */
let regionBytes: i32 = 0;

/**
 * A region of at least `bytes`: `current` (of `capacity` bytes) when it is
 * large enough, else a new one of the next power of two, so that inputs of
 * slowly rising sizes take a few regions, not one each (the stub runtime
 * never frees: what a run leaves behind is under what its largest input needs).
 */
function region(current: usize, capacity: i32, bytes: i32): usize {
  // JavaScript gives no input past MAX_INPUT, so every size asked for is under 2^24: one that is
  // not (a size computed wrongly, gone negative) stops the call rather than reuse a smaller region.
  if (bytes < 0 || bytes > MAX_REGION) abort();
  if (current != 0 && capacity >= bytes) {
    regionBytes = capacity;
    return current;
  }
  regionBytes = max(4096, <i32>(1 << (32 - clz(max(bytes, 1) - 1))));
  return heap.alloc(<usize>regionBytes);
}

let inputPtr: usize = 0;
let inputBytes: i32 = 0;

/** Where JavaScript writes an input of n bytes. */
export function inputPointer(n: i32): usize {
  if (n < 0 || n > MAX_INPUT) abort();
  inputPtr = region(inputPtr, inputBytes, n);
  inputBytes = regionBytes;
  return inputPtr;
}

let outPtr: usize = 0;
let outBytes: i32 = 0;

export function outputPointer(): usize {
  return outPtr;
}

// ---------------------------------------------------------------- tokens

/** One i32 a token: a literal's byte, or length << 16 | distance. Never more tokens than input bytes. */
let tokPtr: usize = 0;
let tokBytes: i32 = 0;
let tokCount: i32 = 0;

function tokensFor(n: i32): void {
  tokPtr = region(tokPtr, tokBytes, (n + 1) << 2);
  tokBytes = regionBytes;
  tokCount = 0;
}

@inline function literal(b: i32): void {
  setInt(tokPtr, tokCount++, b);
}

@inline function literals(base: usize, from: i32, n: i32): void {
  for (let k = 0; k < n; k++) setInt(tokPtr, tokCount + k, byteAt(base, from + k));
  tokCount += n;
}

@inline function match(length: i32, distance: i32): void {
  setInt(tokPtr, tokCount++, (length << 16) | distance);
}

// ---------------------------------------------------------------- parse.ts

const HASH_BITS: i32 = 15;
const MAX_CHAIN: i32 = 64;

let headPtr: usize = 0;
let prevPtr: usize = 0;
let prevBytes: i32 = 0;

@inline function hash3(d: usize, i: i32): i32 {
  const v = <u32>((byteAt(d, i) << 16) | (byteAt(d, i + 1) << 8) | byteAt(d, i + 2));
  return <i32>((v * <u32>2654435761) >>> <u32>(32 - HASH_BITS));
}

let pData: usize = 0;
let pN: i32 = 0;
let inserted: i32 = 0;
let foundLength: i32 = 0;
let foundDistance: i32 = 0;

function longest(i: i32): void {
  const data = pData;
  const n = pN;
  for (; inserted < i && inserted + MIN_MATCH <= n; inserted++) {
    const h = hash3(data, inserted);
    setInt(prevPtr, inserted, intAt(headPtr, h));
    setInt(headPtr, h, inserted);
  }
  foundLength = 0;
  foundDistance = 0;
  if (i + MIN_MATCH > n) return;
  const limit = min(MAX_MATCH, n - i);
  let best = MIN_MATCH - 1;
  let candidate = intAt(headPtr, hash3(data, i));
  for (let chain = 0; candidate >= 0 && i - candidate <= MAX_DISTANCE && chain < MAX_CHAIN; chain++, candidate = intAt(prevPtr, candidate)) {
    if (byteAt(data, candidate + best) != byteAt(data, i + best)) continue;
    let len = 0;
    while (len < limit && byteAt(data, candidate + len) == byteAt(data, i + len)) len++;
    if (len > best) {
      best = len;
      foundLength = len;
      foundDistance = i - candidate;
      if (len == limit) break;
    }
  }
}

/** The thorough parse of data[0, n) into the tokens. */
function parse(data: usize, n: i32): void {
  tokensFor(n);
  if (headPtr == 0) headPtr = heap.alloc(<usize>(1 << HASH_BITS) << 2);
  for (let h = 0; h < 1 << HASH_BITS; h++) setInt(headPtr, h, -1);
  prevPtr = region(prevPtr, prevBytes, n << 2);
  prevBytes = regionBytes;
  pData = data;
  pN = n;
  inserted = 0;
  let i = 0;
  longest(0);
  while (i < n) {
    if (foundLength == 0) {
      literal(byteAt(data, i));
      longest(++i);
      continue;
    }
    const length = foundLength;
    const distance = foundDistance;
    if (length < MAX_MATCH) {
      longest(i + 1);
      if (foundLength > length) {
        literal(byteAt(data, i));
        i++;
        continue;
      }
    }
    match(length, distance);
    i += length;
    longest(i);
  }
}

// ---------------------------------------------------------------- guided.ts

const SYNC: i32 = 8;
const INDEX_BITS: i32 = 14;
const MAX_GAP: i32 = 2048;
const MAX_SKIP: i32 = 1024;
const RECENT_GAPS: i32 = 16;
/** 31^SYNC mod 2^32, as JavaScript's Math.imul takes it. */
const LEAVING: i32 = <i32>(<u32>2487512833);

@inline function mix(h: i32): i32 {
  return <i32>((<u32>h * <u32>2654435761) >>> <u32>(32 - INDEX_BITS));
}

const REFERENCE_SLOTS: i32 = 8;

class Reference {
  n: i32 = 0;
  data: usize = 0;
  dataBytes: i32 = 0;
  distance: usize = 0;
  distanceBytes: i32 = 0;
  matchEnd: usize = 0;
  matchEndBytes: i32 = 0;
  start: usize = 0;
  positions: usize = 0;
  positionsBytes: i32 = 0;
}

const references = new StaticArray<Reference>(REFERENCE_SLOTS);
for (let s = 0; s < REFERENCE_SLOTS; s++) references[s] = new Reference();

let bucketPtr: usize = 0;
let bucketBytes: i32 = 0;
let fillPtr: usize = 0;

/** Makes the input (n bytes at inputPointer) the reference in `slot`. */
export function makeReference(slot: i32, n: i32): void {
  const ref = references[slot];
  ref.data = region(ref.data, ref.dataBytes, n);
  ref.dataBytes = regionBytes;
  ref.distance = region(ref.distance, ref.distanceBytes, n << 2);
  ref.distanceBytes = regionBytes;
  ref.matchEnd = region(ref.matchEnd, ref.matchEndBytes, n << 2);
  ref.matchEndBytes = regionBytes;
  if (ref.start == 0) ref.start = heap.alloc((<usize>(1 << INDEX_BITS) + 1) << 2);
  ref.n = n;
  const data = ref.data;
  memory.copy(data, inputPtr, <usize>n);
  const distance = ref.distance;
  const matchEnd = ref.matchEnd;
  memory.fill(distance, 0, <usize>n << 2);
  memory.fill(matchEnd, 0, <usize>n << 2);
  parse(data, n);
  for (let t = 0, i = 0; t < tokCount; t++) {
    const token = intAt(tokPtr, t);
    const length = <i32>(<u32>token >>> 16);
    if (length == 0) {
      i++;
      continue;
    }
    for (let end = i + length; i < end; i++) {
      setInt(distance, i, token & 0xffff);
      setInt(matchEnd, i, end);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    if (intAt(distance, i) == 0) setInt(matchEnd, i, i + 1 < n && intAt(distance, i + 1) == 0 ? intAt(matchEnd, i + 1) : i + 1);
  }
  const last = n - SYNC;
  const buckets = max(0, last + 1);
  bucketPtr = region(bucketPtr, bucketBytes, buckets << 2);
  bucketBytes = regionBytes;
  let h: i32 = 0;
  let zeros: i32 = 0;
  for (let i = 0; i < n; i++) {
    const leaving = i >= SYNC ? byteAt(data, i - SYNC) : 0;
    h = h * 31 - leaving * LEAVING + byteAt(data, i);
    zeros = byteAt(data, i) == 0 ? zeros + 1 : 0;
    if (i >= SYNC - 1) setInt(bucketPtr, i - SYNC + 1, zeros >= SYNC ? -1 : mix(h));
  }
  const start = ref.start;
  memory.fill(start, 0, (<usize>(1 << INDEX_BITS) + 1) << 2);
  for (let i = 0; i <= last; i++) {
    const b = intAt(bucketPtr, i);
    if (b >= 0) setInt(start, b + 1, intAt(start, b + 1) + 1);
  }
  for (let b = 0; b < 1 << INDEX_BITS; b++) setInt(start, b + 1, intAt(start, b + 1) + intAt(start, b));
  if (fillPtr == 0) fillPtr = heap.alloc(<usize>(1 << INDEX_BITS) << 2);
  memory.copy(fillPtr, start, <usize>(1 << INDEX_BITS) << 2);
  const count = intAt(start, 1 << INDEX_BITS);
  ref.positions = region(ref.positions, ref.positionsBytes, count << 2);
  ref.positionsBytes = regionBytes;
  const positions = ref.positions;
  for (let i = 0; i <= last; i++) {
    const b = intAt(bucketPtr, i);
    if (b >= 0) {
      const f = intAt(fillPtr, b);
      setInt(positions, f, i);
      setInt(fillPtr, b, f + 1);
    }
  }
}

// The guided parse's state: the archive, its reference, and the stretches found so far.
let gA: usize = 0;
let gN: i32 = 0;
let gRef: Reference = references[0];
/** Shared stretches: archive position, reference position, length. */
let blocksPtr: usize = 0;
let blocksBytes: i32 = 0;
let blocksLen: i32 = 0;
/** Unshared stretches: start, length. */
let gapsPtr: usize = 0;
let gapsBytes: i32 = 0;
let gapsLen: i32 = 0;
let syncA: i32 = 0;
let syncP: i32 = 0;

function guidedParse(slot: i32, n: i32): void {
  const a = inputPtr;
  gA = a;
  gN = n;
  gRef = references[slot];
  tokensFor(n);
  // A shared stretch is at least SYNC bytes (it starts where SYNC bytes agree); a gap is followed
  // by a shared stretch unless it is MAX_GAP bytes or more long, or the last: at most n / SYNC of
  // the one and n / SYNC + 1 of the other.
  const stretches = n / SYNC + 2;
  blocksPtr = region(blocksPtr, blocksBytes, (3 * stretches) << 2);
  blocksBytes = regionBytes;
  gapsPtr = region(gapsPtr, gapsBytes, (2 * stretches) << 2);
  gapsBytes = regionBytes;
  blocksLen = 0;
  gapsLen = 0;
  let i = 0;
  let p = 0;
  while (i < n) {
    resync(i, p);
    if (syncA > i) gap(i, syncA);
    i = syncA;
    if (syncP < 0) continue;
    const length = common(i, syncP);
    shared(i, syncP, length);
    i += length;
    p = syncP + length;
  }
}

function common(i: i32, p: i32): i32 {
  const a = gA;
  const r = gRef.data;
  const m = min(gN - i, gRef.n - p);
  let n = 0;
  while (n < m && byteAt(a, i + n) == byteAt(r, p + n)) n++;
  return n;
}

function resync(i: i32, p: i32): void {
  const a = gA;
  const start = gRef.start;
  syncA = i;
  syncP = -1;
  if (common(i, p) >= SYNC) {
    syncP = p;
    return;
  }
  let best: i32 = i32.MAX_VALUE;
  let j = i;
  let h: i32 = 0;
  if (j + SYNC <= gN) for (let k = 0; k < SYNC; k++) h = h * 31 + byteAt(a, j + k);
  for (; j + SYNC <= gN && j - i <= MAX_GAP && j - i < best; j++) {
    if (j > i) h = h * 31 - byteAt(a, j - 1) * LEAVING + byteAt(a, j + SYNC - 1);
    const bucket = mix(h);
    if (intAt(start, bucket) == intAt(start, bucket + 1)) continue;
    const q = find(j, bucket, p);
    if (q >= 0 && j - i + (q - p) < best) {
      best = j - i + (q - p);
      syncA = j;
      syncP = q;
    }
  }
  if (syncP >= 0) return;
  syncA = j + SYNC > gN ? gN : j;
}

function find(j: i32, h: i32, from: i32): i32 {
  const a = gA;
  const ref = gRef;
  const start = ref.start;
  const positions = ref.positions;
  const r = ref.data;
  let lo = intAt(start, h);
  let hi = intAt(start, h + 1);
  while (lo < hi) {
    const mid = <i32>(<u32>(lo + hi) >>> 1);
    if (intAt(positions, mid) < from) lo = mid + 1;
    else hi = mid;
  }
  const end = intAt(start, h + 1);
  for (let k = lo; k < end && intAt(positions, k) <= from + MAX_SKIP; k++) {
    const q = intAt(positions, k);
    let n = 0;
    while (n < SYNC && byteAt(a, j + n) == byteAt(r, q + n)) n++;
    if (n == SYNC) return q;
  }
  return -1;
}

function shared(i0: i32, p0: i32, length: i32): void {
  const a = gA;
  const distance = gRef.distance;
  const matchEnd = gRef.matchEnd;
  const pEnd = p0 + length;
  for (let p = p0, i = i0; p < pEnd; ) {
    const d = intAt(distance, p);
    if (d == 0) {
      const end = min(intAt(matchEnd, p), pEnd);
      literals(a, i, end - p);
      i += end - p;
      p = end;
      continue;
    }
    const s = p - d;
    let from = -1;
    let sourceEnd: i32;
    if (s >= p0) {
      from = i0 + (s - p0);
      sourceEnd = pEnd;
    } else {
      const b = blockHolding(s);
      if (b >= 0) {
        from = intAt(blocksPtr, b) + (s - intAt(blocksPtr, b + 1));
        sourceEnd = intAt(blocksPtr, b + 1) + intAt(blocksPtr, b + 2);
      } else sourceEnd = s;
    }
    let run = min(intAt(matchEnd, p), pEnd) - p;
    if (sourceEnd - s < run) run = sourceEnd - s;
    if (run >= MIN_MATCH && i - from <= MAX_DISTANCE) {
      match(run, i - from);
      p += run;
      i += run;
    } else {
      literal(byteAt(a, i));
      p++;
      i++;
    }
  }
  if ((blocksLen + 3) << 2 > blocksBytes) abort(); // once a stretch, not a byte: the bound above holds
  setInt(blocksPtr, blocksLen++, i0);
  setInt(blocksPtr, blocksLen++, p0);
  setInt(blocksPtr, blocksLen++, length);
}

function blockHolding(p: i32): i32 {
  let lo = 0;
  let hi = blocksLen / 3;
  while (lo < hi) {
    const mid = <i32>(<u32>(lo + hi) >>> 1);
    if (intAt(blocksPtr, mid * 3 + 1) <= p) lo = mid + 1;
    else hi = mid;
  }
  const b = (lo - 1) * 3;
  return b >= 0 && p < intAt(blocksPtr, b + 1) + intAt(blocksPtr, b + 2) ? b : -1;
}

function gap(i0: i32, end: i32): void {
  const a = gA;
  for (let i = i0; i < end; ) {
    let best = 0;
    let bestDistance = 0;
    const limit = min(MAX_MATCH, end - i);
    if (i > 0) {
      let n = 0;
      const previous = byteAt(a, i - 1);
      while (n < limit && byteAt(a, i + n) == previous) n++;
      if (n >= MIN_MATCH) {
        best = n;
        bestDistance = 1;
      }
    }
    for (let g = gapsLen - 2; g >= 0 && g >= gapsLen - 2 * RECENT_GAPS && i - intAt(gapsPtr, g) <= MAX_DISTANCE; g -= 2) {
      const from = intAt(gapsPtr, g);
      const m = min(limit, intAt(gapsPtr, g + 1));
      let n = 0;
      while (n < m && byteAt(a, from + n) == byteAt(a, i + n)) n++;
      if (n > best) {
        best = n;
        bestDistance = i - from;
      }
    }
    if (best >= MIN_MATCH) {
      match(best, bestDistance);
      i += best;
    } else {
      literal(byteAt(a, i));
      i++;
    }
  }
  if ((gapsLen + 2) << 2 > gapsBytes) abort();
  setInt(gapsPtr, gapsLen++, i0);
  setInt(gapsPtr, gapsLen++, end - i0);
}

// ---------------------------------------------------------------- huffman.ts

const MAX_SYMBOLS: i32 = 288;
const keys = new StaticArray<u32>(MAX_SYMBOLS);
const weight = new StaticArray<f64>(2 * MAX_SYMBOLS);
const parent = new StaticArray<i32>(2 * MAX_SYMBOLS);
const depth = new StaticArray<i32>(2 * MAX_SYMBOLS);
const perLength = new StaticArray<i32>(16);
const nextCode = new StaticArray<u16>(16);
const reversed = new StaticArray<u8>(256);
for (let b = 0; b < 256; b++) {
  let r = 0;
  for (let k = 0; k < 8; k++) if (b & (1 << k)) r |= 0x80 >>> k;
  reversed[b] = <u8>r;
}

/**
 * Heap sort of keys[0, count), rising. Every index is under count ≤ MAX_SYMBOLS,
 * so unchecked: an insertion sort with bounds checks was a third of the deflate
 * in V8's baseline compiler (up to 286 symbols, twice an archive).
 */
function sortKeys(count: i32): void {
  for (let start = (count >> 1) - 1; start >= 0; start--) siftDown(start, count);
  for (let end = count - 1; end > 0; end--) {
    const top = unchecked(keys[0]);
    unchecked((keys[0] = keys[end]));
    unchecked((keys[end] = top));
    siftDown(0, end);
  }
}

@inline function siftDown(root: i32, end: i32): void {
  const key = unchecked(keys[root]);
  let at = root;
  for (let child = 2 * at + 1; child < end; child = 2 * at + 1) {
    if (child + 1 < end && unchecked(keys[child + 1]) > unchecked(keys[child])) child++;
    if (unchecked(keys[child]) <= key) break;
    unchecked((keys[at] = keys[child]));
    at = child;
  }
  unchecked((keys[at] = key));
}

function codeLengths(freq: StaticArray<u32>, n: i32, maxBits: i32, lengths: StaticArray<u8>): void {
  for (let s = 0; s < n; s++) lengths[s] = 0;
  let count = 0;
  for (let s = 0; s < n; s++) if (freq[s] > 0) keys[count++] = (freq[s] << 9) | <u32>s;
  if (count < 2) {
    const used = count == 1 ? <i32>(keys[0] & 0x1ff) : -1;
    if (used >= 0) lengths[used] = 1;
    for (let s = 0, given = count; given < 2; s++) {
      if (s != used) {
        lengths[s] = 1;
        given++;
      }
    }
    return;
  }
  // Keys are distinct (the symbol is in them): any sort gives the order JavaScript's numeric sort does.
  sortKeys(count);
  // The tree's nodes are indexed under 2 * count ≤ 2 * MAX_SYMBOLS, the size of its arrays: unchecked.
  for (let i = 0; i < count; i++) unchecked((weight[i] = <f64>(keys[i] >>> 9)));
  let leaf = 0;
  let inner = count;
  for (let next = count; next < 2 * count - 1; next++) {
    let sum: f64 = 0;
    for (let k = 0; k < 2; k++) {
      const node = leaf < count && (inner >= next || unchecked(weight[leaf]) <= unchecked(weight[inner])) ? leaf++ : inner++;
      unchecked((parent[node] = next));
      sum += unchecked(weight[node]);
    }
    unchecked((weight[next] = sum));
  }
  for (let len = 0; len < 16; len++) perLength[len] = 0;
  depth[2 * count - 2] = 0;
  for (let node = 2 * count - 3; node >= 0; node--) {
    const d = unchecked(depth[parent[node]]) + 1;
    unchecked((depth[node] = d));
    if (node < count) perLength[min(d, maxBits)]++;
  }
  let space = 0;
  for (let len = 1; len <= maxBits; len++) space += perLength[len] << (maxBits - len);
  while (space > 1 << maxBits) {
    perLength[maxBits]--;
    for (let len = maxBits - 1; len > 0; len--) {
      if (perLength[len] > 0) {
        perLength[len]--;
        perLength[len + 1] += 2;
        break;
      }
    }
    space--;
  }
  let i = 0;
  for (let len = maxBits; len > 0; len--) for (let k = perLength[len]; k > 0; k--) lengths[keys[i++] & 0x1ff] = <u8>len;
}

function canonicalCodes(lengths: StaticArray<u8>, n: i32, maxBits: i32, codes: StaticArray<u16>): void {
  for (let len = 0; len < 16; len++) perLength[len] = 0;
  for (let s = 0; s < n; s++) perLength[lengths[s]]++;
  perLength[0] = 0;
  for (let len = 1, code = 0; len <= maxBits; len++) {
    code = (code + perLength[len - 1]) << 1;
    nextCode[len] = <u16>code;
  }
  for (let s = 0; s < n; s++) {
    const len = <i32>lengths[s];
    if (len == 0) continue;
    const code = <i32>nextCode[len];
    nextCode[len] = <u16>(code + 1);
    codes[s] = <u16>((((<i32>reversed[code & 0xff]) << 8) | <i32>reversed[(code >>> 8) & 0xff]) >>> (16 - len));
  }
}

// ---------------------------------------------------------------- block.ts

const END_OF_BLOCK: i32 = 256;
const LITERAL_SYMBOLS: i32 = 286;
const DISTANCE_SYMBOLS: i32 = 30;
const MAX_BITS: i32 = 15;
const MAX_CODE_LENGTH_BITS: i32 = 7;
const CODE_LENGTH_ORDER: StaticArray<i32> = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const litFreq = new StaticArray<u32>(LITERAL_SYMBOLS);
const distFreq = new StaticArray<u32>(DISTANCE_SYMBOLS);
const clFreq = new StaticArray<u32>(19);
const litLengths = new StaticArray<u8>(LITERAL_SYMBOLS);
const distLengths = new StaticArray<u8>(DISTANCE_SYMBOLS);
const clLengths = new StaticArray<u8>(19);
const litCodes = new StaticArray<u16>(LITERAL_SYMBOLS);
const distCodes = new StaticArray<u16>(DISTANCE_SYMBOLS);
const clCodes = new StaticArray<u16>(19);
const allLengths = new StaticArray<u8>(LITERAL_SYMBOLS + DISTANCE_SYMBOLS);
const runs = new StaticArray<u8>(2 * (LITERAL_SYMBOLS + DISTANCE_SYMBOLS));
const lengthSymbols = new StaticArray<u16>(259);
for (let length = 3; length <= 258; length++) lengthSymbols[length] = <u16>lengthSymbolOf(length);

let symPtr: usize = 0;
let symBytes: i32 = 0;
let distSymPtr: usize = 0;
let distSymBytes: i32 = 0;

function lengthSymbolOf(length: i32): i32 {
  const x = length - 3;
  if (x < 8) return 257 + x;
  if (x == 255) return 285;
  const n = 31 - clz(x);
  return 257 + 4 * (n - 1) + ((x >>> (n - 2)) & 3);
}

@inline function distanceSymbol(distance: i32): i32 {
  const x = distance - 1;
  if (x < 4) return x;
  const n = 31 - clz(x);
  return 2 * n + ((x >>> (n - 1)) & 1);
}

// The bit writer: least-significant bit first (RFC 1951 §3.1.1).
let outPos: i32 = 0;
let bitBuffer: u64 = 0;
let bitCount: i32 = 0;

function writeBits(value: u32, n: i32): void {
  bitBuffer |= <u64>value << <u64>bitCount;
  bitCount += n;
  while (bitCount >= 8) {
    store<u8>(outPtr + <usize>(outPos++), <u8>(bitBuffer & 0xff));
    bitBuffer >>>= 8;
    bitCount -= 8;
  }
}

function writeDynamicBlock(): void {
  const count = tokCount;
  const list = tokPtr;
  symPtr = region(symPtr, symBytes, count << 1);
  symBytes = regionBytes;
  distSymPtr = region(distSymPtr, distSymBytes, count);
  distSymBytes = regionBytes;
  const syms = symPtr;
  const distSyms = distSymPtr;
  for (let s = 0; s < LITERAL_SYMBOLS; s++) litFreq[s] = 0;
  for (let s = 0; s < DISTANCE_SYMBOLS; s++) distFreq[s] = 0;
  // The two loops over every token index their tables unchecked: a literal is a byte (< 256), a
  // length 3..258 (its table has 259 entries) gives a symbol 257..285, a distance 1..32768 a
  // symbol 0..29, all within tables of 286 and 30 entries. Bounds checks there were 40% of the
  // deflate's time in V8's baseline compiler.
  for (let i = 0; i < count; i++) {
    const t = intAt(list, i);
    const length = <i32>(<u32>t >>> 16);
    if (length == 0) {
      store<u16>(syms + (<usize>i << 1), <u16>t);
      unchecked(litFreq[t]++);
    } else {
      const ls = <i32>unchecked(lengthSymbols[length]);
      const ds = distanceSymbol(t & 0xffff);
      store<u16>(syms + (<usize>i << 1), <u16>ls);
      store<u8>(distSyms + <usize>i, <u8>ds);
      unchecked(litFreq[ls]++);
      unchecked(distFreq[ds]++);
    }
  }
  litFreq[END_OF_BLOCK] = 1;
  codeLengths(litFreq, LITERAL_SYMBOLS, MAX_BITS, litLengths);
  codeLengths(distFreq, DISTANCE_SYMBOLS, MAX_BITS, distLengths);
  let hlit = LITERAL_SYMBOLS;
  while (hlit > 257 && litLengths[hlit - 1] == 0) hlit--;
  let hdist = DISTANCE_SYMBOLS;
  while (hdist > 1 && distLengths[hdist - 1] == 0) hdist--;

  const total = hlit + hdist;
  for (let s = 0; s < hlit; s++) allLengths[s] = litLengths[s];
  for (let s = 0; s < hdist; s++) allLengths[hlit + s] = distLengths[s];
  let runCount = 0;
  for (let i = 0; i < total; ) {
    const len = <i32>allLengths[i];
    let run = 1;
    while (i + run < total && <i32>allLengths[i + run] == len) run++;
    if (len == 0 && run >= 3) {
      run = min(run, 138);
      runs[runCount++] = run >= 11 ? 18 : 17;
      runs[runCount++] = <u8>(run >= 11 ? run - 11 : run - 3);
    } else if (len != 0 && run >= 4) {
      run = min(run, 7);
      runs[runCount++] = <u8>len;
      runs[runCount++] = 0;
      runs[runCount++] = 16;
      runs[runCount++] = <u8>(run - 4);
    } else {
      run = 1;
      runs[runCount++] = <u8>len;
      runs[runCount++] = 0;
    }
    i += run;
  }
  for (let s = 0; s < 19; s++) clFreq[s] = 0;
  for (let i = 0; i < runCount; i += 2) clFreq[runs[i]]++;
  codeLengths(clFreq, 19, MAX_CODE_LENGTH_BITS, clLengths);
  canonicalCodes(clLengths, 19, MAX_CODE_LENGTH_BITS, clCodes);
  let hclen = 19;
  while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] == 0) hclen--;

  writeBits(1, 1);
  writeBits(2, 2);
  writeBits(<u32>(hlit - 257), 5);
  writeBits(<u32>(hdist - 1), 5);
  writeBits(<u32>(hclen - 4), 4);
  for (let i = 0; i < hclen; i++) writeBits(<u32>clLengths[CODE_LENGTH_ORDER[i]], 3);
  for (let i = 0; i < runCount; i += 2) {
    const symbol = <i32>runs[i];
    writeBits(<u32>clCodes[symbol], <i32>clLengths[symbol]);
    if (symbol == 16) writeBits(<u32>runs[i + 1], 2);
    else if (symbol == 17) writeBits(<u32>runs[i + 1], 3);
    else if (symbol == 18) writeBits(<u32>runs[i + 1], 7);
  }

  canonicalCodes(litLengths, LITERAL_SYMBOLS, MAX_BITS, litCodes);
  canonicalCodes(distLengths, DISTANCE_SYMBOLS, MAX_BITS, distCodes);
  let pos = outPos;
  let bits = bitBuffer;
  let n = bitCount;
  const out = outPtr;
  // A token's codes and extra bits, at most 15 + 5 + 15 + 13 = 48 bits, go into the 64-bit buffer
  // at once (block.ts writes them in three steps into a 32-bit one): the same bits in the same order.
  for (let i = 0; i < count; i++) {
    const s = <i32>load<u16>(syms + (<usize>i << 1));
    let value = <u64>unchecked(litCodes[s]);
    let width = <i32>unchecked(litLengths[s]);
    if (s > END_OF_BLOCK) {
      const t = intAt(list, i);
      const length = <i32>(<u32>t >>> 16);
      if (s >= 265 && s < 285) {
        const extra = (s - 261) >>> 2;
        value |= <u64>((length - 3) & ((1 << extra) - 1)) << <u64>width;
        width += extra;
      }
      const ds = <i32>load<u8>(distSyms + <usize>i);
      value |= <u64>unchecked(distCodes[ds]) << <u64>width;
      width += <i32>unchecked(distLengths[ds]);
      if (ds >= 4) {
        const extra = (ds >>> 1) - 1;
        value |= <u64>(((t & 0xffff) - 1) & ((1 << extra) - 1)) << <u64>width;
        width += extra;
      }
    }
    bits |= value << <u64>n;
    n += width;
    while (n >= 8) {
      store<u8>(out + <usize>(pos++), <u8>bits);
      bits >>>= 8;
      n -= 8;
    }
  }
  outPos = pos;
  bitBuffer = bits;
  bitCount = n;
  writeBits(<u32>litCodes[END_OF_BLOCK], <i32>litLengths[END_OF_BLOCK]);
  // Pads the last byte with zero bits.
  if (bitCount > 0) store<u8>(outPtr + <usize>(outPos++), <u8>bitBuffer);
  bitBuffer = 0;
  bitCount = 0;
}

/** Worst-case bytes for `count` tokens in one dynamic block (block.ts blockBound). */
function blockBound(count: i32): i32 {
  return 400 + (((count + 1) * 48 + 7) >> 3);
}

function deflateTokens(): i32 {
  const need = blockBound(tokCount);
  outPtr = region(outPtr, outBytes, need);
  outBytes = regionBytes;
  outPos = 0;
  bitBuffer = 0;
  bitCount = 0;
  writeDynamicBlock();
  return outPos;
}

/** Deflates the input (n bytes at inputPointer) against the reference in `slot`; returns the output's length. */
export function deflateGuided(slot: i32, n: i32): i32 {
  guidedParse(slot, n);
  return deflateTokens();
}

/** Deflates the input (n bytes at inputPointer) with the thorough parse; returns the output's length. */
export function deflatePlain(n: i32): i32 {
  parse(inputPtr, n);
  return deflateTokens();
}
