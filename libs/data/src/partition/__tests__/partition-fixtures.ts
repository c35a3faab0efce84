import { expect } from '@jest/globals';
import { type LabeledData, labelHistogram } from '../../dataset.js';
import type { Partition } from '../partition-types.js';

/** Labels with unequal class sizes (class c has 40 + 8c samples), shuffled-looking but fixed. */
export function unevenLabels(numClasses = 10): LabeledData {
  const ys: number[] = [];
  for (let c = 0; c < numClasses; c++) for (let i = 0; i < 40 + 8 * c; i++) ys.push(c);
  // A fixed interleaving so that class runs are not contiguous in index order.
  const y = Uint8Array.from(ys.map((_, i) => ys[(i * 7919) % ys.length]!));
  return { y, n: y.length, numClasses };
}

/** `n` labels cycling through the classes: every class the same size. */
export function balancedLabels(n: number, numClasses: number): LabeledData {
  return { y: Uint8Array.from({ length: n }, (_, i) => i % numClasses), n, numClasses };
}

/** Asserts that every sample is assigned exactly once and that the histogram matches the indices. */
export function expectExactCover(data: LabeledData, part: Partition): void {
  const seen = new Uint32Array(data.n);
  let total = 0;
  let unsorted = 0;
  let outOfRange = 0;
  part.indices.forEach((idx, j) => {
    total += idx.length;
    for (let t = 0; t < idx.length; t++) {
      const i = idx[t]!;
      if (i >= data.n) outOfRange++;
      else seen[i]!++;
      if (t > 0 && i <= idx[t - 1]!) unsorted++;
    }
    expect(part.histogram[j]).toEqual(labelHistogram(data, idx));
  });
  expect({ total, unsorted, outOfRange }).toEqual({ total: data.n, unsorted: 0, outOfRange: 0 });
  expect(seen.every((s) => s === 1)).toBe(true);
}

/** Number of distinct labels in one histogram row. */
export function distinctLabels(row: readonly number[]): number {
  return row.filter((c) => c > 0).length;
}

/** Client sizes of a partition. */
export function sizesOf(part: Partition): number[] {
  return part.indices.map((p) => p.length);
}
