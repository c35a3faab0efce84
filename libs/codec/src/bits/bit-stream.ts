import { check } from '../errors.js';

/** LSB-first bit writer into a preallocated byte array (used by Rice coding). */
export class BitWriter {
  private acc = 0;
  private filled = 0;
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  /** Writes the low `bits` bits of `v` (bits ≤ 24). */
  write(v: number, bits: number): void {
    this.acc |= (v & ((1 << bits) - 1)) << this.filled;
    this.filled += bits;
    while (this.filled >= 8) {
      this.bytes[this.offset++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.filled -= 8;
    }
  }

  /** Writes `q` one-bits followed by a zero-bit. */
  unary(q: number): void {
    while (q >= 16) {
      this.write(0xffff, 16);
      q -= 16;
    }
    this.write((1 << q) - 1, q + 1);
  }

  /** Flushes the last partial byte (zero-padded). */
  finish(): number {
    if (this.filled > 0) {
      this.bytes[this.offset++] = this.acc & 0xff;
      this.acc = 0;
      this.filled = 0;
    }
    return this.offset;
  }
}

/** LSB-first bit reader; overruns raise `TRUNCATED`. */
export class BitReader {
  private pos = 0;
  private readonly limit: number;

  constructor(private readonly bytes: Uint8Array) {
    this.limit = bytes.length * 8;
  }

  get bitPosition(): number {
    return this.pos;
  }

  read(bits: number): number {
    check(this.pos + bits <= this.limit, 'TRUNCATED', 'bit stream ends inside a value');
    let v = 0;
    for (let got = 0; got < bits;) {
      const byte = this.bytes[this.pos >>> 3]!;
      const shift = this.pos & 7;
      const take = Math.min(8 - shift, bits - got);
      v |= ((byte >>> shift) & ((1 << take) - 1)) << got;
      got += take;
      this.pos += take;
    }
    return v >>> 0;
  }

  /** Counts one-bits up to the next zero-bit, consuming it; stops with `BAD_LENGTH` past `max`. */
  unary(max: number): number {
    let q = 0;
    for (;;) {
      check(this.pos < this.limit, 'TRUNCATED', 'bit stream ends inside a unary code');
      const byte = this.bytes[this.pos >>> 3]!;
      const shift = this.pos & 7;
      const rest = (byte >>> shift) & 0xff;
      const avail = 8 - shift;
      // Count trailing ones of `rest` within the `avail` bits left in this byte.
      const t = Math.min(31 - Math.clz32(~rest & (rest + 1)), avail);
      q += t;
      this.pos += t;
      check(q <= max, 'BAD_LENGTH', 'a gap runs past the end of the tensor');
      if (t < avail) {
        this.pos += 1; // the terminating zero
        return q;
      }
    }
  }
}
