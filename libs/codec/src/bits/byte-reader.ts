import { check } from '../errors.js';

/**
 * A bounds-checked little-endian reader over a view. Works at any `byteOffset` (msgpackr hands out
 * views into larger buffers) and reports overruns as `TRUNCATED`, never as a RangeError.
 */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(n: number, what: string): void {
    check(n >= 0 && n <= this.remaining, 'TRUNCATED', `buffer ends inside ${what}`);
  }

  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.bytes[this.offset++]!;
  }
  u16(what = 'a u16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(what = 'a u32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f32(what = 'a float32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(what = 'a float64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  /** The next `n` bytes as a view (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
