/**
 * The LZ77 stage's output: a literal byte, or "copy `length` bytes from
 * `distance` back". One 32-bit number each, in a typed array that is reused
 * from archive to archive, so a parse allocates nothing per token.
 */
export const MIN_MATCH = 3;
export const MAX_MATCH = 258;
export const MAX_DISTANCE = 32768;

export class Tokens {
  list = new Uint32Array(0);
  count = 0;

  reset(): this {
    this.count = 0;
    return this;
  }

  literal(byte: number): void {
    if (this.count === this.list.length) this.grow();
    this.list[this.count++] = byte;
  }

  /** bytes[from, from + n) as literals: a literal's token is its byte, so a run is copied natively (with conversion). */
  literals(bytes: Uint8Array, from: number, n: number): void {
    while (this.count + n > this.list.length) this.grow();
    if (n < 8) for (let k = 0; k < n; k++) this.list[this.count + k] = bytes[from + k]!;
    else this.list.set(bytes.subarray(from, from + n), this.count);
    this.count += n;
  }

  /** 3 ≤ length ≤ 258, 1 ≤ distance ≤ 32768; a literal is a token of length 0. */
  match(length: number, distance: number): void {
    if (this.count === this.list.length) this.grow();
    this.list[this.count++] = (length << 16) | distance;
  }

  private grow(): void {
    const bigger = new Uint32Array(Math.max(4096, this.list.length * 2));
    bigger.set(this.list);
    this.list = bigger;
  }
}
