import { createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { fillNormal, standardNormal } from './normal.js';

function moments(xs: ArrayLike<number>): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    s2 += xs[i]! * xs[i]!;
  }
  const mean = s / xs.length;
  return [mean, s2 / xs.length - mean * mean];
}

describe('normal', () => {
  it('standardNormal has mean 0 and variance 1', () => {
    const rng = createRng(1);
    const [mean, variance] = moments(Array.from({ length: 50_000 }, () => standardNormal(rng)));
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('fillNormal honours mean and std, odd lengths included', () => {
    const out = fillNormal(new Float64Array(50_001), createRng(2), 3, 2);
    const [mean, variance] = moments(out);
    expect(Math.abs(mean - 3)).toBeLessThan(0.04);
    expect(Math.abs(variance - 4)).toBeLessThan(0.12);
    expect(Number.isFinite(out[50_000]!)).toBe(true);
  });
});
