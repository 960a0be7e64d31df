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
