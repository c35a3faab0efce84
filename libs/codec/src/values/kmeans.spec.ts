import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { parseEncoded } from '../format/parse.js';
import { buildMessage, concat, expectCodecError, f32Bytes, gaussian, scaleAt } from '../__tests__/helpers.js';
import { kmeansBits } from './kmeans.js';

function mse(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2;
  return s / x.length;
}

describe('kmeans:<k>: non-uniform quantization', () => {
  it('decodes every value to its nearest entry of its chunk’s codebook', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 40 }),
        fc.integer({ min: 2, max: 20 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 15 })),
        (x, k, chunk) => {
          const t = parseEncoded(createCodec(`kmeans:${k}(chunk=${chunk})`).encode(x, 0));
          const y = decode(t);
          const c = chunk > 0 ? chunk : x.length;
          for (let i = 0; i < x.length; i++) {
            const ci = Math.floor(i / c);
            const book = Array.from({ length: k }, (_, j) => scaleAt(t.payload, ci * k + j));
            expect(book).toContain(y[i]);
            const best = Math.min(...book.map((b) => Math.abs(x[i]! - b)));
            expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(best * (1 + 1e-6) + 1e-30);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stores the codebooks, then ⌈log2 k⌉-bit indices', () => {
    const x = gaussian(100, 1);
    for (const [k, bits] of [
      [2, 1],
      [3, 2],
      [16, 4],
      [17, 5],
      [256, 8],
    ] as const) {
      expect(kmeansBits(k)).toBe(bits);
      const t = parseEncoded(createCodec(`kmeans:${k}(chunk=30)`).encode(x, 0));
      expect(t.payload.length).toBe(4 * k * 4 + Math.ceil((100 * bits) / 8));
    }
  });

  it('beats uniform symmetric quantization at the same index bits on Gaussian data', () => {
    const x = gaussian(4096, 11);
    for (const [k, bits] of [
      [4, 2],
      [8, 3],
      [16, 4],
    ] as const) {
      const km = mse(x, decode(createCodec(`kmeans:${k}`).encode(x, 0)));
      const q = mse(x, decode(createCodec(`q${bits}`).encode(x, 0)));
      expect(km).toBeLessThan(q);
    }
  });

  it('rejects indices ≥ k (BAD_VALUE) and a NaN/Inf codebook (NON_FINITE)', () => {
    // k = 3 (2-bit indices): codes 0 1 2 are fine, 3 points outside the codebook.
    const book = f32Bytes([-1, 0, 1]);
    const ok = buildMessage({ n: 3, valueId: 8, param: 3, payload: concat(book, Uint8Array.of(0b100100)) });
    expect(Array.from(decode(ok))).toEqual([-1, 0, 1]);
    const bad = buildMessage({ n: 3, valueId: 8, param: 3, payload: concat(book, Uint8Array.of(0b110100)) });
    expectCodecError(() => decode(bad), 'BAD_VALUE', /k-means index/);
    const nan = buildMessage({
      n: 3,
      valueId: 8,
      param: 3,
      payload: concat(f32Bytes([-1, NaN, 1]), Uint8Array.of(0)),
    });
    expectCodecError(() => decode(nan), 'NON_FINITE');
  });
});
