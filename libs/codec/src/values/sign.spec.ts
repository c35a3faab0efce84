import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { parseEncoded } from '../format/parse.js';
import { buildMessage, concat, expectCodecError, f32Bytes } from '../__tests__/helpers.js';

describe('sign: one bit and one scale (EF-signSGD)', () => {
  it('decodes to ±mean|x| of the chunk, negative exactly where x < 0', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 48 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
        (x, chunk) => {
          const t = parseEncoded(createCodec(`sign(chunk=${chunk})`).encode(x, 0));
          const nc = x.length === 0 ? 0 : chunk ? Math.ceil(x.length / chunk) : 1;
          expect(t.payload.length).toBe(4 * nc + Math.ceil(x.length / 8));
          const y = decode(t);
          const c = chunk || x.length;
          for (let i = 0; i < x.length; i++) {
            const start = Math.floor(i / c) * c;
            const part = Array.from(x.subarray(start, Math.min(x.length, start + c)));
            const mu = Math.fround(part.reduce((a, v) => a + Math.abs(v), 0) / part.length);
            expect(y[i]).toBe(x[i]! < 0 ? -mu : mu);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stores the scales, then one bit per value LSB-first (1 = negative)', () => {
    const t = parseEncoded(createCodec('sign').encode(Float32Array.of(-1, 2, -3, 0, 4, -5, 6, 7, -8), 0));
    expect(Array.from(t.payload)).toEqual([0, 0, 0x80, 0x40, 0b00100101, 0b1]);
  });

  it('rejects a negative or non-finite scale', () => {
    const msg = (s: number) =>
      buildMessage({ n: 3, valueId: 9, payload: concat(f32Bytes([s]), Uint8Array.of(2)) });
    expect(Array.from(decode(msg(2)))).toEqual([2, -2, 2]);
    expectCodecError(() => decode(msg(-2)), 'BAD_VALUE');
    expectCodecError(() => decode(msg(Infinity)), 'NON_FINITE');
    expectCodecError(() => decode(msg(NaN)), 'NON_FINITE');
  });
});
