import { describe, expect, it } from '@jest/globals';
import { createDataset, featureSize, labelHistogram, sampleFeatures, subset } from './dataset.js';
import { DataError } from './errors.js';

function tiny() {
  // 4 samples of shape [2, 1]: sample i holds [10i, 10i + 1].
  const x = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]);
  return createDataset({ x, y: Uint8Array.from([0, 2, 2, 1]), shape: [2, 1], numClasses: 3 });
}

describe('dataset', () => {
  it('derives n and checks shapes and labels', () => {
    const d = tiny();
    expect(d.n).toBe(4);
    expect(featureSize(d.shape)).toBe(2);
    expect(featureSize([28, 28, 1])).toBe(784);
    expect(() =>
      createDataset({ x: new Float32Array(5), y: new Uint8Array(2), shape: [2], numClasses: 2 }),
    ).toThrow(/not a multiple/);
    expect(() =>
      createDataset({ x: new Float32Array(4), y: new Uint8Array(3), shape: [2], numClasses: 2 }),
    ).toThrow(/2 samples but y holds 3/);
    expect(() =>
      createDataset({ x: new Float32Array(4), y: Uint8Array.from([0, 2]), shape: [2], numClasses: 2 }),
    ).toThrow(DataError);
    expect(() =>
      createDataset({ x: new Float32Array(4), y: new Uint8Array(2), shape: [0], numClasses: 2 }),
    ).toThrow(/shape/);
  });

  it('subset copies rows and labels in index order', () => {
    const d = tiny();
    const s = subset(d, Uint32Array.from([3, 1, 3]));
    expect(s.n).toBe(3);
    expect(Array.from(s.x)).toEqual([30, 31, 10, 11, 30, 31]);
    expect(Array.from(s.y)).toEqual([1, 2, 1]);
    expect(s.y).toBeInstanceOf(Uint8Array);
    s.x[0] = -1;
    expect(d.x[6]).toBe(30);
    expect(subset({ ...d, y: Int32Array.from(d.y) }, [0]).y).toBeInstanceOf(Int32Array);
    expect(() => subset(d, [4])).toThrow(/outside \[0, 4\)/);
    expect(() => subset(d, [1.5])).toThrow(DataError);
  });

  it('sampleFeatures is a view and labelHistogram counts', () => {
    const d = tiny();
    expect(Array.from(sampleFeatures(d, 2))).toEqual([20, 21]);
    expect(labelHistogram(d)).toEqual([1, 1, 2]);
    expect(labelHistogram(d, [1, 2])).toEqual([0, 0, 2]);
  });
});
