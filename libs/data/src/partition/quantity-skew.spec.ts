import { describe, expect, it } from '@jest/globals';
import { labelEntropy } from './histogram.js';
import { balancedLabels, expectExactCover, sizesOf } from './__tests__/partition-fixtures.js';
import { allocate, quantityPartition } from './quantity-skew.js';

const data = balancedLabels(6000, 10);
const spread = (sizes: number[]) => Math.max(...sizes) - Math.min(...sizes);

describe('quantityPartition', () => {
  it('size skew follows α, and every client keeps minSamples', () => {
    const skewed = quantityPartition(data, {
      clients: 20,
      seed: 1,
      minSamples: 15,
      sizes: { distribution: 'dirichlet', alpha: 0.2 },
    });
    const even = quantityPartition(data, {
      clients: 20,
      seed: 1,
      sizes: { distribution: 'dirichlet', alpha: 1000 },
    });
    expectExactCover(data, skewed);
    expect(Math.min(...sizesOf(skewed))).toBeGreaterThanOrEqual(15);
    expect(spread(sizesOf(skewed))).toBeGreaterThan(400);
    expect(spread(sizesOf(even))).toBeLessThan(60);
  });

  it('log-normal sizes: σ = 0 is equal, σ = 2 is very unequal', () => {
    const flat = quantityPartition(data, {
      clients: 7,
      seed: 2,
      sizes: { distribution: 'lognormal', sigma: 0 },
    });
    expect(spread(sizesOf(flat))).toBeLessThanOrEqual(1);
    const wide = quantityPartition(data, {
      clients: 7,
      seed: 2,
      sizes: { distribution: 'lognormal', sigma: 2 },
    });
    expect(spread(sizesOf(wide))).toBeGreaterThan(1000);
  });

  it('keeps labels IID within each client', () => {
    const p = quantityPartition(data, { clients: 10, seed: 3 });
    p.histogram.forEach((row, j) => {
      if (p.indices[j]!.length >= 300) expect(labelEntropy(row)).toBeGreaterThan(Math.log2(10) - 0.1);
    });
  });
});

describe('allocate (largest remainder)', () => {
  it('sums exactly and rounds towards the largest remainders', () => {
    expect(Array.from(allocate(10, Float64Array.from([0.45, 0.35, 0.2]), 0))).toEqual([5, 3, 2]);
    expect(Array.from(allocate(13, Float64Array.from([0.5, 0.5]), 2))).toEqual([7, 6]);
    const a = allocate(1001, Float64Array.from([0.1, 0.2, 0.3, 0.4]), 5);
    expect(a.reduce((s, v) => s + v, 0)).toBe(1001);
  });
});
