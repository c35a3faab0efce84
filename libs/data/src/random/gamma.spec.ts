import { createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { sampleGamma, sampleLogGamma } from './gamma.js';

describe('Marsaglia–Tsang gamma', () => {
  // Gamma(a, 1) has mean a and variance a; 40k draws give a standard error of √(a/40k) on the mean.
  it.each([0.1, 0.5, 1, 2.5, 10])('shape %p has mean and variance equal to the shape', (a) => {
    const rng = createRng(Math.round(a * 100));
    const m = 40_000;
    let s = 0;
    let s2 = 0;
    let negative = 0;
    for (let i = 0; i < m; i++) {
      const g = sampleGamma(a, rng);
      if (!(g >= 0)) negative++;
      s += g;
      s2 += g * g;
    }
    expect(negative).toBe(0);
    const mean = s / m;
    const variance = s2 / m - mean * mean;
    expect(Math.abs(mean - a)).toBeLessThan(5 * Math.sqrt(a / m));
    expect(Math.abs(variance / a - 1)).toBeLessThan(0.1);
  });

  it('stays finite in log space for tiny shapes where the draw itself underflows', () => {
    const rng = createRng(9);
    const draws = Array.from({ length: 1000 }, () => sampleLogGamma(0.001, rng));
    expect(draws.every(Number.isFinite)).toBe(true);
    // ln Gamma(0.001) is about ln U / 0.001: hundreds below zero, where exp() gives 0.
    expect(Math.min(...draws)).toBeLessThan(-700);
  });
});
