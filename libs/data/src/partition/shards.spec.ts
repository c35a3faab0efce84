import { describe, expect, it } from '@jest/globals';
import { loadMnistSplits } from '../mnist/mnist-splits.js';
import { balancedLabels, distinctLabels, expectExactCover, sizesOf } from './__tests__/partition-fixtures.js';
import { shardsPartition } from './shards.js';

describe('shardsPartition', () => {
  it('gives each client at most k = 2 labels when classes divide into shards', () => {
    const data = balancedLabels(1000, 10);
    const p = shardsPartition(data, { clients: 10, seed: 1, shardsPerClient: 2 });
    expectExactCover(data, p);
    expect(sizesOf(p)).toEqual(new Array(10).fill(100));
    for (const row of p.histogram) expect(distinctLabels(row)).toBeLessThanOrEqual(2);
    // And the deal is random: not every client got two shards of the same label.
    expect(p.histogram.some((row) => distinctLabels(row) === 2)).toBe(true);
  });

  it('k = 1 gives one label per client', () => {
    const p = shardsPartition(balancedLabels(600, 6), { clients: 6, seed: 2, shardsPerClient: 1 });
    for (const row of p.histogram) expect(distinctLabels(row)).toBe(1);
  });

  it('on MNIST (uneven classes) clients hold at most 2k labels, and mostly ≤ k + 1', () => {
    const data = loadMnistSplits().clients;
    const p = shardsPartition(data, { clients: 100, seed: 3, shardsPerClient: 2 });
    expectExactCover(data, p);
    const labels = p.histogram.map(distinctLabels);
    for (const l of labels) expect(l).toBeLessThanOrEqual(4);
    expect(labels.filter((l) => l <= 3).length).toBeGreaterThan(90);
    const sizes = sizesOf(p);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });
});
