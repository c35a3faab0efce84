import { createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { sampleDirichlet, sampleSymmetricDirichlet } from './dirichlet.js';

describe('Dirichlet', () => {
  it('sums to one with mean α_i / Σα', () => {
    const rng = createRng(4);
    const alphas = [1, 2, 7];
    const mean = new Float64Array(3);
    const m = 20_000;
    let worstSum = 0;
    for (let i = 0; i < m; i++) {
      const p = sampleDirichlet(alphas, rng);
      worstSum = Math.max(worstSum, Math.abs(p[0]! + p[1]! + p[2]! - 1));
      for (let j = 0; j < 3; j++) mean[j]! += p[j]! / m;
    }
    expect(worstSum).toBeLessThan(1e-12);
    expect(mean[0]).toBeCloseTo(0.1, 2);
    expect(mean[1]).toBeCloseTo(0.2, 2);
    expect(mean[2]).toBeCloseTo(0.7, 2);
  });

  it('is nearly one-hot, never NaN, for tiny α', () => {
    const rng = createRng(5);
    let finite = 0;
    let oneHot = 0;
    for (let i = 0; i < 200; i++) {
      const p = sampleSymmetricDirichlet(0.001, 10, rng);
      if (p.every(Number.isFinite) && Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12) finite++;
      if (Math.max(...p) > 0.99) oneHot++;
    }
    expect(finite).toBe(200);
    // The top two of ten ln U/α are within ln 99 of each other only when the two largest U nearly tie.
    expect(oneHot).toBeGreaterThan(180);
  });

  it('rejects α ≤ 0 and NaN', () => {
    const rng = createRng(0);
    expect(() => sampleSymmetricDirichlet(0, 3, rng)).toThrow(/> 0/);
    expect(() => sampleDirichlet([1, Number.NaN], rng)).toThrow(/> 0/);
  });
});
