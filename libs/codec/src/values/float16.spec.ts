import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { buildMessage, expectCodecError } from '../__tests__/helpers.js';
import { fromBfloat16Bits, fromHalfBits, toBfloat16Bits, toHalfBits } from './float16.js';

const f = Math.fround;

describe('float16 conversion', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [f(0.1), 0x2e66],
    [f(1 / 3), 0x3555],
    [65504, 0x7bff], // largest finite half
    [65519, 0x7bff], // below the halfway point to 65536
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [2 ** -25, 0x0000], // tie between 0 and 2^-24: to even (0)
    [f(2 ** -25 * (1 + 2 ** -23)), 0x0001], // just above the tie
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 (×2^-24): to even (2)
    [5 * 2 ** -25, 0x0002], // tie between 2 and 3: to even (2)
    [2 ** -14 - 2 ** -25, 0x0400], // subnormal rounding up into the smallest normal
    [1 + 2 ** -11, 0x3c00], // tie: to even mantissa 0
    [1 + 3 * 2 ** -11, 0x3c02], // tie: to even mantissa 2
    [f(1 + 2 ** -11 + 2 ** -20), 0x3c01],
    [2049, 0x6800], // 2048 (even) rather than 2050
    [2051, 0x6802], // 2052 (even) rather than 2050
    [-(2 ** -26), 0x8000], // underflows to −0
  ])('toHalfBits(%p) = %p (round to nearest even)', (v, bits) => {
    expect(toHalfBits(v)).toBe(bits);
  });

  it.each([65520, 65536, 1e6, -65520, Infinity, -Infinity, NaN, 3.4e38])(
    'toHalfBits(%p) overflows (-1)',
    (v) => {
      expect(toHalfBits(v)).toBe(-1);
    },
  );

  it.each([
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
    [0x0001, 2 ** -24],
    [0x8001, -(2 ** -24)],
    [0x03ff, 1023 * 2 ** -24],
    [0x0400, 2 ** -14],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0xc000, -2],
  ])('fromHalfBits(%p) = %p', (h, v) => {
    expect(fromHalfBits(h)).toBe(v);
  });

  it('maps every finite half to itself and NaN patterns to NaN', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromHalfBits(h);
      if (((h >>> 10) & 0x1f) === 31) {
        expect(Number.isFinite(v)).toBe(false);
        continue;
      }
      if (toHalfBits(v) !== h) expect([h, toHalfBits(v)]).toEqual([h, h]);
    }
  });

  it('picks the nearest half, ties to the even mantissa (property against the neighbours)', () => {
    fc.assert(
      fc.property(fc.float({ min: -65519, max: 65519, noNaN: true }), (v) => {
        const h = toHalfBits(v);
        const got = fromHalfBits(h);
        const err = Math.abs(v - got);
        // The neighbours of h in magnitude (same sign): h − 1 and h + 1 (bit patterns are ordered).
        for (const nb of [(h & 0x7fff) - 1, (h & 0x7fff) + 1]) {
          if (nb < 0 || nb >= 0x7c00) continue;
          const other = fromHalfBits((h & 0x8000) | nb);
          const e2 = Math.abs(v - other);
          expect(err).toBeLessThanOrEqual(e2);
          if (err === e2) expect(h & 1).toBe(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bfloat16 conversion', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3f80],
    [-2, 0xc000],
    [1 + 2 ** -8, 0x3f80], // tie: to even
    [1 + 3 * 2 ** -8, 0x3f82], // tie: to even
    [f(1 + 2 ** -8 + 2 ** -20), 0x3f81],
    [3.3895313892515355e38, 0x7f7f], // largest finite bfloat16
    [f(1e-40), 0x0001], // float32 subnormal keeps its top bits
  ])('toBfloat16Bits(%p) = %p', (v, bits) => {
    expect(toBfloat16Bits(v)).toBe(bits);
  });

  it.each([3.4028234663852886e38, -3.4e38, Infinity, NaN])('toBfloat16Bits(%p) overflows (-1)', (v) => {
    expect(toBfloat16Bits(v)).toBe(-1);
  });

  it('maps every finite bfloat16 to itself', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7f80) === 0x7f80) continue;
      const v = fromBfloat16Bits(h);
      if (toBfloat16Bits(v) !== h) expect([h, toBfloat16Bits(v)]).toEqual([h, h]);
    }
    expect(fromBfloat16Bits(0x7f80)).toBe(Infinity);
    expect(fromBfloat16Bits(0x3f80)).toBe(1);
  });
});

describe('f16 / bf16 value codecs', () => {
  it('round-trip values already representable, and round the others to nearest', () => {
    const x = Float32Array.of(0.5, -1.25, 0, 65504, f(0.1), -0);
    const y = createCodec('f16').decode(createCodec('f16').encode(x, 0));
    expect(Array.from(y)).toEqual([0.5, -1.25, 0, 65504, f(fromHalfBits(0x2e66)), -0]);
    const z = createCodec('bf16').decode(createCodec('bf16').encode(x, 0));
    expect(Array.from(z)).toEqual([0.5, -1.25, 0, 65536, fromBfloat16Bits(toBfloat16Bits(0.1)), -0]);
  });

  it('raises BAD_PARAM on overflow and NON_FINITE on NaN/Inf input', () => {
    expectCodecError(
      () => createCodec('f16').encode(Float32Array.of(1, 70000), 0),
      'BAD_PARAM',
      /overflows f16/,
    );
    expectCodecError(
      () => createCodec('bf16').encode(Float32Array.of(3.4e38), 0),
      'BAD_PARAM',
      /overflows bf16/,
    );
    for (const spec of ['f16', 'bf16'])
      for (const bad of [NaN, Infinity, -Infinity])
        expectCodecError(() => createCodec(spec).encode(Float32Array.of(1, bad), 0), 'NON_FINITE');
  });

  it('rejects NaN/Inf half patterns in a payload with a valid checksum (NON_FINITE)', () => {
    for (const [valueId, bad] of [
      [2, 0x7c00],
      [2, 0xfc00],
      [2, 0x7e01],
      [3, 0x7f80],
      [3, 0xffc0],
    ] as const) {
      const payload = Uint8Array.of(0, 0x3c, bad & 0xff, bad >>> 8);
      expectCodecError(() => decode(buildMessage({ n: 2, valueId, payload })), 'NON_FINITE');
    }
  });
});
