import { describe, expect, it } from '@jest/globals';
import { krumMinClients, krumScores, krumSelect, multiKrum } from './krum.js';

const f32 = (...xs: number[]) => new Float32Array(xs);
// 1-D points 0, 1, 2, 10, 11; f = 1 → each score sums the n − f − 2 = 2 nearest squared distances
const points = [f32(0), f32(1), f32(2), f32(10), f32(11)];

describe('Krum (Blanchard et al. 2017)', () => {
  it('scores by the nearest n − f − 2 squared distances', () => {
    // 0: 1 + 4; 1: 1 + 1; 2: 1 + 4; 10: 1 + 64; 11: 1 + 81
    expect(Array.from(krumScores(points, 1))).toEqual([5, 2, 5, 65, 82]);
  });

  it('Krum keeps the best vector; Multi-Krum averages the m best (ties by index)', () => {
    expect(krumSelect(points, 1)).toEqual([1]);
    expect(krumSelect(points, 1, 3)).toEqual([1, 0, 2]);
    const { aggregate, selected } = multiKrum(points, 1, 3);
    expect(selected).toEqual([1, 0, 2]);
    expect(Array.from(aggregate)).toEqual([1]);
  });

  it('needs n ≥ 2f + 3', () => {
    expect(krumMinClients(1)).toBe(5);
    expect(() => krumScores(points.slice(0, 4), 1)).toThrow(/at least 5/);
    expect(() => krumSelect(points, 1, 6)).toThrow(/m must be/);
  });
});
