import { describe, expect, it } from '@jest/globals';
import { expectCodecError, viewAt } from '../__tests__/helpers.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';

describe('ByteWriter / ByteReader', () => {
  it('round-trip little-endian fields, also from a view at an odd byteOffset', () => {
    const w = new ByteWriter(19);
    w.u8(0xab);
    w.u16(0x1234);
    w.u32(0xdeadbeef);
    w.f32(1.5);
    w.f64(-0.1);
    expect(Array.from(w.bytes.subarray(0, 7))).toEqual([0xab, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde]);
    const r = new ByteReader(viewAt(w.bytes, 3));
    expect([r.u8(), r.u16(), r.u32(), r.f32(), r.f64()]).toEqual([0xab, 0x1234, 0xdeadbeef, 1.5, -0.1]);
    expect(r.remaining).toBe(0);
  });

  it('raises TRUNCATED (never RangeError) when a read runs past the view', () => {
    const bytes = viewAt(Uint8Array.of(1, 2, 3), 5);
    const r = new ByteReader(bytes);
    expectCodecError(() => r.u32(), 'TRUNCATED');
    expectCodecError(() => r.take(4, 'x'), 'TRUNCATED');
    expectCodecError(() => r.take(-1, 'x'), 'TRUNCATED');
    expect(Array.from(r.take(3, 'x'))).toEqual([1, 2, 3]);
    expectCodecError(() => r.u8(), 'TRUNCATED');
  });
});
