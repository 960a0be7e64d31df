/**
 * A thorough LZ77 parse (hash chains, one step of lazy matching, as zlib does
 * at its higher levels). It runs once per reference archive, not once per
 * placeholder (see guided.ts); every constant and tie rule here is part of the
 * archive format, since the parse decides the bytes.
 */
import { MAX_DISTANCE, MAX_MATCH, MIN_MATCH, Tokens } from './tokens.js';

const HASH_BITS = 15;
/** Candidates tried per position: past this, longer chains found nothing better on placeholders. */
const MAX_CHAIN = 64;

const hash3 = (d: Uint8Array, i: number): number => (Math.imul((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!, 2654435761) >>> (32 - HASH_BITS));

export function parse(data: Uint8Array): Tokens {
  const n = data.length;
  const tokens = new Tokens();
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(n);
  let inserted = 0;
  // The longest match at a position, left here rather than in an object per position.
  let foundLength = 0;
  let foundDistance = 0;

  /** Longest match for position i, the nearest of equals; foundLength 0 if under MIN_MATCH. */
  const longest = (i: number): void => {
    for (; inserted < i && inserted + MIN_MATCH <= n; inserted++) {
      const h = hash3(data, inserted);
      prev[inserted] = head[h]!;
      head[h] = inserted;
    }
    foundLength = 0;
    foundDistance = 0;
    if (i + MIN_MATCH > n) return;
    const limit = Math.min(MAX_MATCH, n - i);
    let best = MIN_MATCH - 1;
    let candidate = head[hash3(data, i)]!;
    for (let chain = 0; candidate >= 0 && i - candidate <= MAX_DISTANCE && chain < MAX_CHAIN; chain++, candidate = prev[candidate]!) {
      if (data[candidate + best] !== data[i + best]) continue;
      let len = 0;
      while (len < limit && data[candidate + len] === data[i + len]) len++;
      if (len > best) {
        best = len;
        foundLength = len;
        foundDistance = i - candidate;
        if (len === limit) break;
      }
    }
  };

  let i = 0;
  longest(0);
  while (i < n) {
    if (foundLength === 0) {
      tokens.literal(data[i]!);
      longest(++i);
      continue;
    }
    const length = foundLength;
    const distance = foundDistance;
    // Lazy: a longer match one byte on is worth a literal first.
    if (length < MAX_MATCH) {
      longest(i + 1);
      if (foundLength > length) {
        tokens.literal(data[i]!);
        i++;
        continue;
      }
    }
    tokens.match(length, distance);
    i += length;
    longest(i);
  }
  return tokens;
}
