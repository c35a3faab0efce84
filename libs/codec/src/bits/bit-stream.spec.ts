import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectCodecError } from '../__tests__/helpers.js';
import { BitReader, BitWriter } from './bit-stream.js';

describe('BitWriter / BitReader', () => {
  it('round-trip mixed fixed-width fields and unary codes, LSB-first', () => {
    const item = fc.oneof(
      fc.integer({ min: 1, max: 24 }).chain((w) => fc.tuple(fc.constant(w), fc.nat({ max: 2 ** w - 1 }))),
      fc.tuple(fc.constant(0), fc.nat({ max: 70 })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), (items) => {
        const bits = items.reduce((a, [w, v]) => a + (w === 0 ? v + 1 : w), 0);
        const buf = new Uint8Array(Math.ceil(bits / 8));
        const w = new BitWriter(buf);
        for (const [width, v] of items)
          if (width === 0) w.unary(v);
          else w.write(v, width);
        expect(w.finish()).toBe(buf.length);
        const r = new BitReader(buf);
        for (const [width, v] of items) expect(width === 0 ? r.unary(1000) : r.read(width)).toBe(v);
        expect(r.bitPosition).toBe(bits);
      }),
      { numRuns: 300 },
    );
  });

  it('raises TRUNCATED past the end and BAD_LENGTH for a unary run above its limit', () => {
    const r = new BitReader(Uint8Array.of(0xff));
    expectCodecError(() => r.read(9), 'TRUNCATED');
    expectCodecError(() => new BitReader(Uint8Array.of(0xff)).unary(100), 'TRUNCATED');
    expectCodecError(() => new BitReader(Uint8Array.of(0xff, 0x00)).unary(5), 'BAD_LENGTH');
    expect(new BitReader(Uint8Array.of(0xff, 0x00)).unary(8)).toBe(8);
  });
});
