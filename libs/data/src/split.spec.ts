import { createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { labelHistogram } from './dataset.js';
import { DataError } from './errors.js';
import { splitDataset, splitIndices, stratifiedOrder } from './split.js';
import { makeSyntheticDataset } from './synthetic/synthetic-dataset.js';

// Unbalanced labels: class c has 50·(c + 1) samples, in blocks like the MNIST files.
const counts = [50, 100, 150, 200];
const y = Uint8Array.from(counts.flatMap((m, c) => new Array<number>(m).fill(c)));
const data = { y, n: y.length, numClasses: 4 };

describe('stratified split', () => {
  it('every prefix of the stratified order is proportional within one or two samples', () => {
    const order = stratifiedOrder(data, createRng(1));
    expect(new Set(order).size).toBe(data.n);
    for (const m of [10, 77, 250, 499]) {
      const h = labelHistogram(data, order.subarray(0, m));
      h.forEach((got, c) => expect(Math.abs(got - (m * counts[c]!) / data.n)).toBeLessThanOrEqual(2));
    }
  });

  it('splits into disjoint stratified parts of the given sizes, leaving the rest out', () => {
    const parts = splitIndices(data, [100, 200, 150], 7);
    expect(parts.map((p) => p.length)).toEqual([100, 200, 150]);
    const all = parts.flatMap((p) => Array.from(p));
    expect(new Set(all).size).toBe(450);
    for (const p of parts) {
      const h = labelHistogram(data, p);
      h.forEach((got, c) => expect(Math.abs(got - (p.length * counts[c]!) / data.n)).toBeLessThanOrEqual(2));
    }
    // Parts come back shuffled, not grouped by class.
    expect(Array.from(parts[0]!)).not.toEqual(Array.from(parts[0]!).sort((a, b) => a - b));
  });

  it('is deterministic in the seed', () => {
    expect(splitIndices(data, [100, 100], 3)).toEqual(splitIndices(data, [100, 100], 3));
    expect(splitIndices(data, [100, 100], 3)).not.toEqual(splitIndices(data, [100, 100], 4));
  });

  it('rejects impossible sizes and bad seeds', () => {
    expect(() => splitIndices(data, [400, 101], 0)).toThrow(/400 \+ 101 = 501 exceed the 500 samples/);
    expect(() => splitIndices(data, [-1], 0)).toThrow(DataError);
    expect(() => splitIndices(data, [1], 0.5)).toThrow(/seed must be an integer/);
  });

  it('splitDataset copies the parts', () => {
    const d = makeSyntheticDataset({ n: 60, numClasses: 3, seed: 1 });
    const [a, b] = splitDataset(d, [20, 40], 0);
    expect(a!.n).toBe(20);
    expect(b!.x.length).toBe(40 * 20);
    for (const c of labelHistogram(a!)) expect([6, 7]).toContain(c);
  });
});
