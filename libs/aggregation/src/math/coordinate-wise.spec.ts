import { describe, expect, it } from '@jest/globals';
import { coordinateMedian, trimCount, trimmedMean } from './coordinate-wise.js';

const f32 = (...xs: number[]) => new Float32Array(xs);

describe('coordinateMedian', () => {
  it('takes the middle value per coordinate (odd n)', () => {
    const m = coordinateMedian([f32(1, 10), f32(2, 20), f32(100, -5)]);
    expect(Array.from(m)).toEqual([2, 10]);
  });

  it('averages the two middle values (even n)', () => {
    const m = coordinateMedian([f32(1, 10), f32(2, 20), f32(100, -5), f32(3, 30)]);
    expect(Array.from(m)).toEqual([2.5, 15]);
  });

  it('refuses no vectors and ragged ones', () => {
    expect(() => coordinateMedian([])).toThrow(RangeError);
    expect(() => coordinateMedian([f32(1), f32(1, 2)])).toThrow(/vector 1/);
  });
});

describe('trimmedMean', () => {
  it('drops ⌊βn⌋ from each end: β = 0.2, n = 5 drops one each side', () => {
    expect(trimCount(5, 0.2)).toBe(1);
    const vs = [f32(1, -50), f32(100, 1), f32(3, 1), f32(2, 7), f32(4, 1)];
    // sorted [1, 2, 3, 4, 100] → mean(2, 3, 4) = 3; [−50, 1, 1, 1, 7] → 1
    expect(Array.from(trimmedMean(vs, 0.2))).toEqual([3, 1]);
  });

  it('is the plain mean at β = 0, and rejects β ≥ 0.5', () => {
    expect(Array.from(trimmedMean([f32(1), f32(2), f32(6)], 0))).toEqual([3]);
    expect(() => trimmedMean([f32(1)], 0.5)).toThrow(/beta/);
  });
});
