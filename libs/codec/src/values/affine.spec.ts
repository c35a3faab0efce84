import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { parseEncoded } from '../format/parse.js';
import { buildMessage, concat, expectCodecError, f32Bytes, scaleAt } from '../__tests__/helpers.js';

const FLT_MAX = 3.4028234663852886e38;
const floats = fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: 0, maxLength: 48 });
const chunks = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }));

describe('aq<bits>: affine (min/max) quantization', () => {
  it('errs by at most half a step s/2 (s read back from the message), with and without chunks', () => {
    fc.assert(
      fc.property(floats, fc.integer({ min: 2, max: 8 }), chunks, (x, bits, chunk) => {
        const codec = createCodec(chunk ? `aq${bits}(chunk=${chunk})` : `aq${bits}`);
        let e: Uint8Array;
        try {
          e = codec.encode(x, 1);
        } catch (err) {
          // Only ranges reaching within a step of ±FLT_MAX are refused.
          expect((err as { code?: string }).code).toBe('BAD_PARAM');
          expect(x.some((v) => Math.abs(v) > FLT_MAX / 4)).toBe(true);
          return;
        }
        const t = parseEncoded(e);
        const y = decode(t);
        const c = chunk > 0 ? chunk : x.length;
        for (let i = 0; i < x.length; i++) {
          const ci = Math.floor(i / c);
          const s = scaleAt(t.payload, ci);
          let range = 0;
          for (let j = ci * c; j < Math.min(x.length, ci * c + c); j++) range += Math.abs(x[j]!);
          const slack = 4e-7 * range + 2 ** -149 * 2 ** (bits + 1);
          expect(Number.isFinite(y[i]!)).toBe(true);
          expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(s / 2 + slack);
        }
      }),
      {
        numRuns: 300,
        examples: [
          [Float32Array.of(FLT_MAX, -FLT_MAX, 0), 8, 0],
          [Float32Array.of(FLT_MAX / 3, 1, -2), 2, 2],
          [Float32Array.of(1e-45, -3e-45, 1e-40, 0), 4, 0],
        ],
      },
    );
  });

  it('decodes 0 exactly (the range is widened to include it) and stores s, then z, then codes', () => {
    const x = Float32Array.of(1, 2, 3, 0);
    const t = parseEncoded(createCodec('aq2').encode(x, 0));
    // s = (3 − 0)/3 = 1, z = 0, codes 1 2 3 0 packed LSB-first in 2 bits: 0b00111001.
    expect(Array.from(t.payload)).toEqual([0, 0, 0x80, 0x3f, 0, 0b00111001]);
    expect(Array.from(decode(t))).toEqual([1, 2, 3, 0]);
    const neg = Float32Array.of(-4, -1, 0, 2);
    expect(decode(createCodec('aq8').encode(neg, 0))[2]).toBe(0);
  });

  it('rejects a zero point above 2^b − 1 (BAD_VALUE) and a scale that overflows (NON_FINITE)', () => {
    const msg = (scale: number, z: number) =>
      buildMessage({
        n: 2,
        valueId: 6,
        param: 3,
        payload: concat(f32Bytes([scale]), Uint8Array.of(z, 0o77)),
      });
    expect(Array.from(decode(msg(1, 3)))).toEqual([4, 4]);
    expectCodecError(() => decode(msg(1, 8)), 'BAD_VALUE', /zero point 8/);
    expectCodecError(() => decode(msg(FLT_MAX / 4, 0)), 'NON_FINITE');
    expectCodecError(() => decode(msg(-1, 0)), 'BAD_VALUE', /negative/);
  });
});
