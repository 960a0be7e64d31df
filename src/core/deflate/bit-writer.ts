/**
 * Bits packed least-significant first into bytes, as deflate (RFC 1951 §3.1.1)
 * wants them, into one scratch buffer reused from output to output (grown when
 * an output needs more): the caller copies out what it keeps (core/gzip.ts).
 */
const SLAB = 64 * 1024;

export class BitWriter {
  bytes = new Uint8Array(0);
  /** The next byte to fill. */
  pos = 0;
  /** Bits not yet a whole byte, and how many. */
  buffer = 0;
  count = 0;

  /** Starts new output with room for `capacity` bytes, so the hot path never checks for room. */
  begin(capacity: number): void {
    if (this.bytes.length < capacity) this.bytes = new Uint8Array(Math.max(SLAB, capacity));
    this.pos = 0;
    this.buffer = 0;
    this.count = 0;
  }

  /** Writes the low `n` bits of `value` (n ≤ 24, so the buffer never passes 31 bits). */
  write(value: number, n: number): void {
    this.buffer |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.bytes[this.pos++] = this.buffer & 0xff;
      this.buffer >>>= 8;
      this.count -= 8;
    }
  }

  byte(value: number): void {
    this.bytes[this.pos++] = value;
  }

  /** Pads the last byte with zero bits. */
  align(): void {
    if (this.count > 0) this.bytes[this.pos++] = this.buffer & 0xff;
    this.buffer = 0;
    this.count = 0;
  }

  /** The output since `begin`, as a view of the scratch buffer: valid until the next `begin`. */
  end(): Uint8Array {
    return this.bytes.subarray(0, this.pos);
  }
}
