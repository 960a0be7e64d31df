/**
 * A fast LZ77 parse of an archive that is mostly the same bytes as a
 * reference archive whose parse is already known.
 *
 * Placeholders of one configuration differ only where the name goes (paths,
 * `Name:`, the refusal message, sizes and checksums); a thorough parse of each
 * would redo the same search a thousand times. Instead the reference (the
 * placeholder of a fixed stand-in name, parsed once by parse.ts) is laid over
 * the archive: stretches the two share are coded with the reference's own
 * matches, re-aimed at where their sources now lie; the bytes in between (the
 * name, mostly) are coded as literals, runs, or copies of earlier such bytes.
 *
 * Every match is checked against the archive's own bytes as it is made, so the
 * result is a correct parse of any input; the reference only makes it good and
 * fast. Like parse.ts, every rule and constant here decides the output bytes.
 */
import { parse } from './parse.js';
import { MAX_DISTANCE, MAX_MATCH, MIN_MATCH, Tokens } from './tokens.js';

/** Bytes that must agree before the archive is taken to be back in step with the reference. */
const SYNC = 8;
const INDEX_BITS = 14;
/** How far ahead the archive, and the reference, are searched to get back in step. */
const MAX_GAP = 2048;
const MAX_SKIP = 1024;
/** Earlier stretches of unshared bytes tried as copy sources (the same name comes back many times). */
const RECENT_GAPS = 16;

export interface Reference {
  data: Uint8Array;
  /** Per position: the distance of the reference's match covering it, or 0 for a literal. */
  distance: Int32Array;
  /** Per position: where that match ends, or for a literal, where its run of literals ends. */
  matchEnd: Int32Array;
  /** Positions of each SYNC-byte sequence (bar all-zero ones), grouped by hash, rising: bucket h is positions[start[h]..start[h+1]). */
  start: Int32Array;
  positions: Int32Array;
}

/**
 * Bytes are found again by a hash of the SYNC bytes at a position: a polynomial
 * in 31 (mod 2^32), rolled along from one position to the next, then mixed
 * into an index bucket. LEAVING = 31^SYNC is what the byte leaving weighs.
 */
const LEAVING = 31 ** SYNC;

function mix(h: number): number {
  return Math.imul(h, 2654435761) >>> (32 - INDEX_BITS);
}

export function makeReference(data: Uint8Array): Reference {
  const n = data.length;
  const distance = new Int32Array(n);
  const matchEnd = new Int32Array(n);
  const { list, count } = parse(data);
  for (let t = 0, i = 0; t < count; t++) {
    const length = list[t]! >>> 16;
    if (length === 0) {
      i++;
      continue;
    }
    for (let end = i + length; i < end; i++) {
      distance[i] = list[t]! & 0xffff;
      matchEnd[i] = end;
    }
  }
  for (let i = n - 1; i >= 0; i--) if (distance[i] === 0) matchEnd[i] = i + 1 < n && distance[i + 1] === 0 ? matchEnd[i + 1]! : i + 1;
  // The bucket of every position's SYNC bytes, rolling; -1 where they are all zero: zero runs are
  // everywhere in a tar, so getting back in step on one would say nothing about where we are.
  const last = n - SYNC;
  const bucket = new Int32Array(Math.max(0, last + 1));
  let h = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const leaving = i >= SYNC ? data[i - SYNC]! : 0;
    h = (Math.imul(h, 31) - Math.imul(leaving, LEAVING) + data[i]!) | 0;
    zeros = data[i] === 0 ? zeros + 1 : 0;
    if (i >= SYNC - 1) bucket[i - SYNC + 1] = zeros >= SYNC ? -1 : mix(h);
  }
  const start = new Int32Array((1 << INDEX_BITS) + 1);
  for (let i = 0; i <= last; i++) if (bucket[i]! >= 0) start[bucket[i]! + 1]!++;
  for (let b = 0; b < 1 << INDEX_BITS; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, 1 << INDEX_BITS);
  const positions = new Int32Array(start[1 << INDEX_BITS]!);
  for (let i = 0; i <= last; i++) if (bucket[i]! >= 0) positions[fill[bucket[i]!]!++] = i;
  return { data, distance, matchEnd, start, positions };
}

/** Parses `data` into `tokens` (emptied first). */
export function guidedParse(data: Uint8Array, ref: Reference, tokens: Tokens): Tokens {
  return new GuidedParse(data, ref, tokens.reset()).run();
}

class GuidedParse {
  /** Shared stretches: archive position, reference position, length; rising in both. */
  private readonly blocks: number[] = [];
  /** Unshared stretches: start, length. */
  private readonly gaps: number[] = [];

  constructor(
    private readonly a: Uint8Array,
    private readonly ref: Reference,
    private readonly tokens: Tokens,
  ) {}

  run(): Tokens {
    const { a } = this;
    let i = 0;
    let p = 0;
    while (i < a.length) {
      this.resync(i, p);
      if (this.syncA > i) this.gap(i, this.syncA);
      i = this.syncA;
      if (this.syncP < 0) continue;
      const length = this.common(i, this.syncP);
      this.shared(i, this.syncP, length);
      i += length;
      p = this.syncP + length;
    }
    return this.tokens;
  }

  /** Result of resync: where the archive is back in step, and with which reference position (-1: not yet, go on from syncA). */
  private syncA = 0;
  private syncP = 0;

  /**
   * Where the archive gets back in step from (i, p): the archive position j and
   * reference position q whose next SYNC bytes agree with the least skipped in
   * all, (j - i) + (q - p), so that a name which happens to hold a word of the
   * text further on is not taken for that text.
   */
  private resync(i: number, p: number): void {
    const { a } = this;
    const { start } = this.ref;
    this.syncA = i;
    this.syncP = -1;
    if (this.common(i, p) >= SYNC) {
      this.syncP = p;
      return;
    }
    let best = Infinity;
    let j = i;
    // The hash of the SYNC bytes at j, rolled along rather than recomputed.
    let h = 0;
    if (j + SYNC <= a.length) for (let k = 0; k < SYNC; k++) h = (Math.imul(h, 31) + a[j + k]!) | 0;
    for (; j + SYNC <= a.length && j - i <= MAX_GAP && j - i < best; j++) {
      if (j > i) h = (Math.imul(h, 31) - Math.imul(a[j - 1]!, LEAVING) + a[j + SYNC - 1]!) | 0;
      const bucket = mix(h);
      if (start[bucket] === start[bucket + 1]) continue; // nothing in the reference hashes there: most positions
      const q = this.find(j, bucket, p);
      if (q >= 0 && j - i + (q - p) < best) {
        best = j - i + (q - p);
        this.syncA = j;
        this.syncP = q;
      }
    }
    if (this.syncP >= 0) return;
    // Not in step within MAX_GAP bytes: those are unshared; near the end, all the rest is.
    this.syncA = j + SYNC > a.length ? a.length : j;
  }

  /** How many bytes from archive position i agree with those from reference position p. */
  private common(i: number, p: number): number {
    const { a } = this;
    const r = this.ref.data;
    const max = Math.min(a.length - i, r.length - p);
    let n = 0;
    // Byte by byte: measured against native comparison (Buffer#compare in
    // doubling blocks), this loop is as fast in the interpreter, where a short
    // run's placeholders are built, and faster once optimised.
    while (n < max && a[i + n] === r[p + n]) n++;
    return n;
  }

  /** The first reference position in [from, from + MAX_SKIP] where the SYNC bytes at archive position j (bucket h) recur, or -1. */
  private find(j: number, h: number, from: number): number {
    const { a } = this;
    const { start, positions, data: r } = this.ref;
    let lo = start[h]!;
    let hi = start[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < start[h + 1]! && positions[k]! <= from + MAX_SKIP; k++) {
      const q = positions[k]!;
      let n = 0;
      while (n < SYNC && a[j + n] === r[q + n]) n++;
      if (n === SYNC) return q;
    }
    return -1;
  }

  /** Archive bytes [i, i + length) equal reference bytes [p, p + length): code them with the reference's matches. */
  private shared(i0: number, p0: number, length: number): void {
    const { a, tokens, blocks } = this;
    const { distance, matchEnd } = this.ref;
    const pEnd = p0 + length;
    for (let p = p0, i = i0; p < pEnd; ) {
      const d = distance[p]!;
      if (d === 0) {
        // The reference's run of literals, as one copy: the archive has the same bytes here.
        const end = Math.min(matchEnd[p]!, pEnd);
        tokens.literals(a, i, end - p);
        i += end - p;
        p = end;
        continue;
      }
      // A match: re-aimed at where its source now lies, if the archive has it.
      const s = p - d;
      let from = -1;
      let sourceEnd: number;
      if (s >= p0) {
        from = i0 + (s - p0);
        sourceEnd = pEnd;
      } else {
        const b = this.blockHolding(s);
        if (b >= 0) {
          from = blocks[b]! + (s - blocks[b + 1]!);
          sourceEnd = blocks[b + 1]! + blocks[b + 2]!;
        } else sourceEnd = s;
      }
      let run = Math.min(matchEnd[p]!, pEnd) - p;
      if (sourceEnd - s < run) run = sourceEnd - s;
      if (run >= MIN_MATCH && i - from <= MAX_DISTANCE) {
        tokens.match(run, i - from);
        p += run;
        i += run;
      } else {
        tokens.literal(a[i]!);
        p++;
        i++;
      }
    }
    blocks.push(i0, p0, length);
  }

  /** Index into `blocks` of the shared stretch whose reference range holds p, or -1. */
  private blockHolding(p: number): number {
    const { blocks } = this;
    let lo = 0;
    let hi = blocks.length / 3;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid * 3 + 1]! <= p) lo = mid + 1;
      else hi = mid;
    }
    const b = (lo - 1) * 3;
    return b >= 0 && p < blocks[b + 1]! + blocks[b + 2]! ? b : -1;
  }

  /** Bytes [i0, end) the reference does not have: runs, copies of earlier such stretches, else literals. */
  private gap(i0: number, end: number): void {
    const { a, tokens, gaps } = this;
    for (let i = i0; i < end; ) {
      let best = 0;
      let bestDistance = 0;
      const limit = Math.min(MAX_MATCH, end - i);
      if (i > 0) {
        let n = 0;
        while (n < limit && a[i + n] === a[i - 1]) n++;
        if (n >= MIN_MATCH) {
          best = n;
          bestDistance = 1;
        }
      }
      for (let g = gaps.length - 2; g >= 0 && g >= gaps.length - 2 * RECENT_GAPS && i - gaps[g]! <= MAX_DISTANCE; g -= 2) {
        const from = gaps[g]!;
        const max = Math.min(limit, gaps[g + 1]!);
        let n = 0;
        while (n < max && a[from + n] === a[i + n]) n++;
        if (n > best) {
          best = n;
          bestDistance = i - from;
        }
      }
      if (best >= MIN_MATCH) {
        tokens.match(best, bestDistance);
        i += best;
      } else {
        tokens.literal(a[i]!);
        i++;
      }
    }
    gaps.push(i0, end - i0);
  }
}
