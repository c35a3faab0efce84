import { describe, expect, it } from '@jest/globals';
import { featureSize, labelHistogram } from '../dataset.js';
import { DataError } from '../errors.js';
import { splitDataset } from '../split.js';
import { makeSyntheticDataset } from './synthetic-dataset.js';

describe('makeSyntheticDataset', () => {
  it('has the requested size, shape and balanced classes', () => {
    const d = makeSyntheticDataset({ n: 1003, numClasses: 10, shape: [8, 8, 1], seed: 1 });
    expect(d.n).toBe(1003);
    expect(d.shape).toEqual([8, 8, 1]);
    expect(d.x.length).toBe(1003 * 64);
    for (const c of labelHistogram(d)) expect([100, 101]).toContain(c);
    expect(d.x.every(Number.isFinite)).toBe(true);
  });

  it('is reproducible by seed', () => {
    const a = makeSyntheticDataset({ n: 200, seed: 3 });
    expect(makeSyntheticDataset({ n: 200, seed: 3 })).toEqual(a);
    expect(makeSyntheticDataset({ n: 200, seed: 4 }).x).not.toEqual(a.x);
  });

  it('is learnable: a nearest-centroid rule fitted on a train split scores > 95% on a test split', () => {
    const d = makeSyntheticDataset({ n: 2000, numClasses: 10, shape: [32], seed: 11 });
    const [train, test] = splitDataset(d, [1500, 500], 0);
    const f = featureSize(d.shape);
    const centroid = new Float64Array(10 * f);
    const count = labelHistogram(train!);
    for (let i = 0; i < train!.n; i++) {
      for (let j = 0; j < f; j++)
        centroid[train!.y[i]! * f + j]! += train!.x[i * f + j]! / count[train!.y[i]!]!;
    }
    let correct = 0;
    for (let i = 0; i < test!.n; i++) {
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < 10; c++) {
        let dist = 0;
        for (let j = 0; j < f; j++) dist += (test!.x[i * f + j]! - centroid[c * f + j]!) ** 2;
        if (dist < bestDist) [best, bestDist] = [c, dist];
      }
      if (best === test!.y[i]) correct++;
    }
    expect(correct / test!.n).toBeGreaterThan(0.95);
  });

  it('rejects bad options', () => {
    expect(() => makeSyntheticDataset({ n: 0, seed: 0 })).toThrow(DataError);
    expect(() => makeSyntheticDataset({ n: 10, numClasses: 300, seed: 0 })).toThrow(/numClasses/);
    expect(() => makeSyntheticDataset({ n: 10, noise: 0, seed: 0 })).toThrow(/noise/);
  });
});
