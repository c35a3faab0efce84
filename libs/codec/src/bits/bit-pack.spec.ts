import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { packBits, packedBytes, unpackBits, unpackBytes } from './bit-pack.js';

const packed = fc
  .integer({ min: 1, max: 16 })
  .chain((bits) =>
    fc.tuple(fc.constant(bits), fc.array(fc.integer({ min: 0, max: 2 ** bits - 1 }), { maxLength: 100 })),
  );

describe('bit packing', () => {
  it('packs LSB-first into exactly ⌈count·bits/8⌉ bytes and unpacks any range back', () => {
    fc.assert(
      fc.property(packed, fc.nat(), fc.nat(), ([bits, values], a, b) => {
        const dst = new Uint8Array(packedBytes(values.length, bits));
        packBits(Uint16Array.from(values), values.length, bits, dst);
        const start = values.length ? a % values.length : 0;
        const count = values.length ? b % (values.length - start + 1) : 0;
        const out = new Uint32Array(count);
        unpackBits(dst, start, count, bits, out);
        expect(Array.from(out)).toEqual(values.slice(start, start + count));
        if (bits <= 8) {
          const bytes = new Uint8Array(count);
          unpackBytes(dst, start, count, bits, bytes);
          expect(Array.from(bytes)).toEqual(values.slice(start, start + count));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('puts value i at bit i·bits of the stream (3 bits: 1 2 3 4 5 → 0xd1 0x58)', () => {
    const dst = new Uint8Array(2);
    packBits(Uint8Array.of(1, 2, 3, 4, 5), 5, 3, dst);
    // 001 010 011 100 101 read LSB-first: bits 0–7 = 1,0,0,0,1,0,1,1 → 0xd1; bits 8–14 → 0x58.
    expect(Array.from(dst)).toEqual([0xd1, 0x58]);
  });
});
