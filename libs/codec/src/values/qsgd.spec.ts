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
  meanOverSeeds,
  scaleAt,
} from '../__tests__/helpers.js';
import { qsgdWidth } from './qsgd.js';

const floats = fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 48 });

describe('qsgd:<levels>: bucketed stochastic levels', () => {
  it('decodes to ±ℓ·scale/s with ℓ ∈ [0, s], the sign of x, and error below one level', () => {
    fc.assert(
      fc.property(
        floats,
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 16 }),
        fc.nat(),
        (x, s, chunk, seed) => {
          const t = parseEncoded(createCodec(`qsgd:${s}(chunk=${chunk})`).encode(x, seed));
          const y = decode(t);
          for (let i = 0; i < x.length; i++) {
            const scale = scaleAt(t.payload, Math.floor(i / chunk));
            const unit = scale / s;
            const level = Math.abs(y[i]!) / unit;
            if (scale === 0) expect(y[i]).toBe(0);
            else if (scale > 1e-30) {
              // (subnormal levels round to float32's coarse grid, so only normal ones are checked)
              expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-3);
              expect(Math.round(level)).toBeLessThanOrEqual(s);
            }
            if (y[i] !== 0) expect(Math.sign(y[i]!)).toBe(Math.sign(x[i]!));
            expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(unit * (1 + 1e-6) + 1e-38);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('uses buckets of 512 by default, each with its own max|v| scale', () => {
    const x = Float32Array.from({ length: 1030 }, (_, i) => (i < 512 ? 1 : i < 1024 ? 4 : -8) * Math.cos(i));
    const t = parseEncoded(createCodec('qsgd:4').encode(x, 1));
    expect(t.params).toEqual({ param: 4, chunk: 512 });
    expect(t.payload.length).toBe(3 * 4 + Math.ceil((1030 * qsgdWidth(4)) / 8));
    expect(qsgdWidth(1)).toBe(2);
    expect(qsgdWidth(4)).toBe(4);
    expect(qsgdWidth(32767)).toBe(16);
    const scales = [0, 1, 2].map((b) => scaleAt(t.payload, b));
    expect(scales[0]).toBeCloseTo(1, 3);
    expect(scales[1]).toBeCloseTo(4, 3);
    expect(scales[2]).toBeLessThanOrEqual(8);
  });

  it('is unbiased: the mean over seeds converges to x within 6σ (σ² ≤ (scale/s)²/4)', () => {
    const x = Float32Array.from({ length: 30 }, (_, i) => (i % 10 === 0 ? -2 : 2 * Math.sin(i * 2.3)));
    const runs = 3000;
    for (const spec of ['qsgd:1', 'qsgd:4(chunk=10)', 'qsgd:16']) {
      const codec = createCodec(spec);
      const t = parseEncoded(codec.encode(x, 0));
      const mean = meanOverSeeds(codec.encode, (e) => decode(e), x, runs);
      for (let i = 0; i < x.length; i++) {
        const unit = scaleAt(t.payload, Math.floor(i / t.params.chunk)) / t.params.param;
        expect(Math.abs(mean[i]! - x[i]!)).toBeLessThanOrEqual((6 * unit) / 2 / Math.sqrt(runs) + 1e-6);
      }
    }
  });

  it('rejects a level above s (BAD_VALUE)', () => {
    // s = 2: 3-bit codes (ℓ << 1) | sign; ℓ = 2 is the top, ℓ = 3 (code 6) is not a level.
    const msg = (code: number) =>
      buildMessage({
        n: 1,
        valueId: 7,
        param: 2,
        chunk: 512,
        payload: concat(f32Bytes([1]), Uint8Array.of(code)),
      });
    expect(Array.from(decode(msg(5)))).toEqual([-1]);
    expectCodecError(() => decode(msg(6)), 'BAD_VALUE', /QSGD level/);
  });
});
