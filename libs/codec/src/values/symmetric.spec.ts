import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { parseEncoded } from '../format/parse.js';
import {
  buildMessage,
  concat,
  expectCodecError,
  f32Bytes,
  gaussian,
  meanOverSeeds,
  scaleAt,
} from '../__tests__/helpers.js';

const FLT_MAX = 3.4028234663852886e38;
/** Finite float32 arrays, subnormals, ±0 and ±FLT_MAX included. */
const floats = (maxLength = 48) =>
  fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: 0, maxLength });
const chunks = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }));

/** Index of the chunk (scale) that value i belongs to. */
const chunkOf = (i: number, chunk: number) => (chunk > 0 ? Math.floor(i / chunk) : 0);

/** Max |x| of the chunk of value i. */
function chunkMax(x: Float32Array, i: number, chunk: number): number {
  const c = chunk > 0 ? chunk : x.length;
  const start = chunkOf(i, chunk) * c;
  let max = 0;
  for (let j = start; j < Math.min(x.length, start + c); j++) max = Math.max(max, Math.abs(x[j]!));
  return max;
}

describe('q<bits>: deterministic symmetric quantization', () => {
  it('errs by at most half a step (Δ/2 from the stored float32 scale), with and without chunks', () => {
    fc.assert(
      fc.property(floats(), fc.integer({ min: 2, max: 8 }), chunks, (x, bits, chunk) => {
        const L = 2 ** (bits - 1) - 1;
        const codec = createCodec(chunk ? `q${bits}(chunk=${chunk})` : `q${bits}`);
        let e: Uint8Array;
        try {
          e = codec.encode(x, 1);
        } catch (err) {
          // Values within (L+1)/L of FLT_MAX cannot be quantized without the top code overflowing.
          expect((err as { code?: string }).code).toBe('BAD_PARAM');
          const max = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          expect(max).toBeGreaterThan(((FLT_MAX * L) / (L + 1)) * (1 - 1e-6));
          return;
        }
        const t = parseEncoded(e);
        const y = decode(t);
        for (let i = 0; i < x.length; i++) {
          const delta = scaleAt(t.payload, chunkOf(i, chunk));
          // float slack: Δ is max/L rounded to float32 (relative 2^-24), x̂ is rounded to float32,
          // and subnormal scales round in absolute steps of 2^-149.
          const slack = 4e-7 * chunkMax(x, i, chunk) + 2 ** -149 * (L + 2);
          expect(Number.isFinite(y[i]!)).toBe(true);
          expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(delta / 2 + slack);
        }
      }),
      {
        numRuns: 300,
        examples: [
          [Float32Array.of(FLT_MAX, 1, -FLT_MAX), 8, 0],
          [Float32Array.of(-FLT_MAX / 1.5, 1e-45, -0), 2, 0],
          [Float32Array.of(1e-45, -3e-45, 1e-40, 0), 8, 2],
        ],
      },
    );
  });

  it('stores one Δ = max|x| / (2^(b−1) − 1) per chunk and (q + L) in b bits', () => {
    const x = Float32Array.from([1, -2, 0.5, 4, -4, 0, 3]);
    const t = parseEncoded(createCodec('q3(chunk=4)').encode(x, 0));
    expect(t.params).toEqual({ param: 3, chunk: 4 });
    expect(t.payload.length).toBe(2 * 4 + Math.ceil((7 * 3) / 8));
    expect(scaleAt(t.payload, 0)).toBe(Math.fround(4 / 3));
    expect(scaleAt(t.payload, 1)).toBe(Math.fround(4 / 3));
    expect(Array.from(decode(t))).toEqual(
      [1, -1, 0, 3, -3, 0, 2].map((q) => Math.fround(q * Math.fround(4 / 3))),
    );
  });

  it('is exact on a zero tensor and on an empty one', () => {
    const codec = createCodec('q8');
    expect(Array.from(codec.decode(codec.encode(new Float32Array(5), 0)))).toEqual([0, 0, 0, 0, 0]);
    expect(codec.decode(codec.encode(new Float32Array(0), 0)).length).toBe(0);
  });

  it('decodes the never-written all-ones code to (L + 1)Δ (documented), finite', () => {
    // q2: L = 1, codes 0..2 written, 3 decodes to 2Δ.
    const msg = buildMessage({
      n: 4,
      valueId: 4,
      param: 2,
      payload: concat(f32Bytes([0.5]), Uint8Array.of(0b11100100)),
    });
    expect(Array.from(decode(msg))).toEqual([-0.5, 0, 0.5, 1]);
  });

  it('rejects a scale whose largest code would overflow float32 (NON_FINITE), never decodes to ±Inf', () => {
    for (const bits of [2, 5, 8]) {
      const L = 2 ** (bits - 1) - 1;
      const msg = buildMessage({
        n: 1,
        valueId: 4,
        param: bits,
        payload: concat(f32Bytes([FLT_MAX / L]), Uint8Array.of(2 ** bits - 1)),
      });
      expectCodecError(() => decode(msg), 'NON_FINITE');
    }
    // …while a FLT_MAX input either encodes to finite values or is refused up front.
    for (const bits of [2, 3, 5, 8]) {
      for (const v of [FLT_MAX, -FLT_MAX, FLT_MAX / 2]) {
        const x = Float32Array.of(v, 1, -v / 3);
        let y: Float32Array | null = null;
        try {
          y = decode(createCodec(`q${bits}`).encode(x, 0));
        } catch (err) {
          expect((err as { code?: string }).code).toBe('BAD_PARAM');
        }
        if (y) expect(y.every(Number.isFinite)).toBe(true);
      }
    }
  });
});

describe('sq<bits>: stochastic rounding', () => {
  it('lands on one of the two neighbouring grid points (error < Δ)', () => {
    fc.assert(
      fc.property(floats(), fc.integer({ min: 2, max: 8 }), chunks, fc.nat(), (x, bits, chunk, seed) => {
        const L = 2 ** (bits - 1) - 1;
        const codec = createCodec(chunk ? `sq${bits}(chunk=${chunk})` : `sq${bits}`);
        let e: Uint8Array;
        try {
          e = codec.encode(x, seed);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('BAD_PARAM');
          return;
        }
        const t = parseEncoded(e);
        const y = decode(t);
        for (let i = 0; i < x.length; i++) {
          const delta = scaleAt(t.payload, chunkOf(i, chunk));
          const slack = 4e-7 * chunkMax(x, i, chunk) + 2 ** -149 * (L + 2);
          expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(delta + slack);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is unbiased: the mean over seeds converges to x within 6σ (σ² ≤ Δ²/4 per value)', () => {
    // Values at every fraction of a step; the first entry pins max|x| (hence Δ) in each chunk.
    const x = Float32Array.from({ length: 40 }, (_, i) => (i % 20 === 0 ? 1 : Math.sin(i * 1.7)));
    const runs = 3000;
    for (const spec of ['sq2', 'sq4(chunk=20)', 'sq8']) {
      const codec = createCodec(spec);
      const t = parseEncoded(codec.encode(x, 0));
      const mean = meanOverSeeds(codec.encode, (e) => decode(e), x, runs);
      for (let i = 0; i < x.length; i++) {
        const delta = scaleAt(t.payload, t.params.chunk ? chunkOf(i, t.params.chunk) : 0);
        const sigma = delta / 2 / Math.sqrt(runs);
        expect(Math.abs(mean[i]! - x[i]!)).toBeLessThanOrEqual(6 * sigma + 1e-6);
      }
    }
  });

  it('detects bias: deterministic rounding of the same x is off by far more than the bound', () => {
    // The power check for the test above: q2 rounds 0.3 to 0 every time (bias 0.3Δ ≫ 6σ).
    const x = Float32Array.of(1, 0.3);
    const mean = meanOverSeeds(createCodec('q2').encode, (e) => decode(e), x, 100);
    expect(Math.abs(mean[1]! - 0.3)).toBeGreaterThan((6 * 0.5) / Math.sqrt(3000));
  });

  it('reproduces from the seed and differs across seeds', () => {
    const x = gaussian(64, 3);
    const codec = createCodec('sq4');
    expect(codec.encode(x, 9)).toEqual(codec.encode(x, 9));
    expect(codec.encode(x, 9)).not.toEqual(codec.encode(x, 10));
  });
});
