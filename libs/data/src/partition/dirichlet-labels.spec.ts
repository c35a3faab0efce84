import { describe, expect, it } from '@jest/globals';
import { DataError } from '../errors.js';
import { dirichletPartition } from './dirichlet-labels.js';
import { meanLabelEntropy } from './histogram.js';
import { balancedLabels, distinctLabels, expectExactCover, sizesOf } from './__tests__/partition-fixtures.js';

const data = balancedLabels(6000, 10);
const entropy = (alpha: number, seed = 1) =>
  meanLabelEntropy(dirichletPartition(data, { clients: 20, seed, alpha }).histogram);

describe('dirichletPartition', () => {
  it('label skew follows α: low entropy at 0.1, near IID (log₂ 10 ≈ 3.32 bits) at 100', () => {
    const low = entropy(0.1);
    const mid = entropy(1);
    const high = entropy(100);
    expect(low).toBeLessThan(1.8);
    expect(high).toBeGreaterThan(3.2);
    expect(low).toBeLessThan(mid);
    expect(mid).toBeLessThan(high);
    // Not one lucky seed.
    for (const seed of [2, 3]) expect(entropy(0.1, seed)).toBeLessThan(high - 1.2);
  });

  it('α = 0.1 leaves most clients with few labels', () => {
    const p = dirichletPartition(data, { clients: 20, seed: 7, alpha: 0.1 });
    const labels = p.histogram.map(distinctLabels).sort((a, b) => a - b);
    expect(labels[10]).toBeLessThanOrEqual(4);
  });

  it('gives every client at least minSamples, with and without balancing', () => {
    for (const balance of [true, false]) {
      const p = dirichletPartition(data, { clients: 20, seed: 4, alpha: 0.2, minSamples: 60, balance });
      expectExactCover(data, p);
      expect(Math.min(...sizesOf(p))).toBeGreaterThanOrEqual(25);
    }
  });

  it('balancing keeps client sizes closer together', () => {
    const spread = (balance: boolean) => {
      const sizes = sizesOf(dirichletPartition(data, { clients: 20, seed: 9, alpha: 0.3, balance }));
      return Math.max(...sizes) - Math.min(...sizes);
    };
    expect(spread(true)).toBeLessThan(spread(false));
  });

  it('gives up with INFEASIBLE when no draw meets minSamples', () => {
    const small = balancedLabels(500, 10);
    const run = () =>
      dirichletPartition(small, {
        clients: 50,
        seed: 0,
        alpha: 0.01,
        minSamples: 10,
        balance: false,
        maxAttempts: 5,
      });
    expect(run).toThrow(DataError);
    expect(run).toThrow(/no draw in 5 attempts gave all 50 clients ≥ 10 samples/);
  });
});
