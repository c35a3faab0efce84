import { describe, expect, it } from '@jest/globals';
import { allFinite, clipScale, l2Norm, squaredDistance, weightedMean } from './vector.js';

describe('vector kernels', () => {
  it('computes norms and distances in double precision', () => {
    expect(l2Norm(new Float32Array([3, 4]))).toBe(5);
    expect(l2Norm(new Float32Array(0))).toBe(0);
    expect(squaredDistance(new Float32Array([1, 2]), new Float32Array([4, 6]))).toBe(25);
  });

  it('clips only vectors above the bound', () => {
    expect(clipScale(5, 1)).toBe(0.2);
    expect(clipScale(0.5, 1)).toBe(1);
    expect(clipScale(0, 1)).toBe(1);
  });

  it('detects NaN and infinities', () => {
    expect(allFinite(new Float32Array([1, -2, 0]))).toBe(true);
    expect(allFinite(new Float32Array([1, NaN]))).toBe(false);
    expect(allFinite(new Float64Array([-Infinity]))).toBe(false);
  });

  it('averages with weights: (1·[1, 0, −2] + 3·[5, 4, 2]) / 4 = [4, 3, 1]', () => {
    const m = weightedMean([new Float32Array([1, 0, -2]), new Float32Array([5, 4, 2])], [1, 3]);
    expect(Array.from(m)).toEqual([4, 3, 1]);
  });

  it('refuses mismatched lengths, missing weights and a zero total', () => {
    expect(() => weightedMean([], [])).toThrow(RangeError);
    expect(() => weightedMean([new Float32Array(2)], [1, 2])).toThrow(RangeError);
    expect(() => weightedMean([new Float32Array(2), new Float32Array(3)], [1, 1])).toThrow(/vector 1/);
    expect(() => weightedMean([new Float32Array(2)], [0])).toThrow(/positive/);
  });
});
