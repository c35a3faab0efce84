import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Xoshiro128 } from '@fedzip/codec';
import { clipToNorm, l2Norm } from './clip.js';
import { GaussianSampler } from './gaussian.js';
import { privatize } from './privatize.js';

describe('clipToNorm: x ← x · min(1, C/‖x‖)', () => {
  it('bounds the norm by C, keeps the direction, and leaves short vectors bit-for-bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 1e-3, max: 50, noNaN: true }),
        (values, c) => {
          const x = Float32Array.from(values);
          const before = Float32Array.from(x);
          const { norm, scale } = clipToNorm(x, c);
          expect(norm).toBeCloseTo(l2Norm(before), 6);
          expect(l2Norm(x)).toBeLessThanOrEqual(c);
          if (norm <= c) expect(x).toEqual(before);
          else {
            expect(scale).toBeLessThan(1);
            // Same direction: x = scale · before, coordinate by coordinate.
            x.forEach((v, i) => expect(v).toBeCloseTo(before[i]! * scale, 5));
            expect(l2Norm(x)).toBeGreaterThan(c * (1 - 1e-5));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clips (3, 4) to norm 1 as (0.6, 0.8) and refuses bad bounds and non-finite vectors', () => {
    const x = Float32Array.of(3, 4);
    expect(clipToNorm(x, 1)).toEqual({ norm: 5, scale: expect.any(Number) });
    expect(x[0]).toBeCloseTo(0.6, 5);
    expect(x[1]).toBeCloseTo(0.8, 5);
    expect(() => clipToNorm(x, 0)).toThrow(RangeError);
    expect(() => clipToNorm(x, Number.NaN)).toThrow(RangeError);
    expect(() => clipToNorm(Float32Array.of(1, Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('Gaussian noise', () => {
  it('has mean 0 and the requested std (100k samples, seeded) and is reproducible', () => {
    const x = new Float64Array(100_000);
    new GaussianSampler(new Xoshiro128(1)).addNoise(x, 2.5);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean)).toBeLessThan(0.03); // 4 standard errors (2.5/√1e5 ≈ 0.008)
    expect(Math.abs(std / 2.5 - 1)).toBeLessThan(0.01);
    const y = new Float64Array(100_000);
    new GaussianSampler(new Xoshiro128(1)).addNoise(y, 2.5);
    expect(y).toEqual(x);
  });

  it('privatize clips, then adds σC noise only when σ > 0', () => {
    const x = Float32Array.from({ length: 10_000 }, () => 1);
    privatize(x, { clipNorm: 1, noiseMultiplier: 0 }, new Xoshiro128(3));
    expect(l2Norm(x)).toBeCloseTo(1, 4);
    const y = Float32Array.from({ length: 10_000 }, () => 1);
    privatize(y, { clipNorm: 2, noiseMultiplier: 0.5 }, new Xoshiro128(3));
    const clipped = 2 / Math.sqrt(10_000);
    const std = Math.sqrt(y.reduce((a, v) => a + (v - clipped) ** 2, 0) / y.length);
    expect(Math.abs(std - 1)).toBeLessThan(0.03); // σ·C = 0.5 × 2
  });
});
