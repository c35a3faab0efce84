import { describe, expect, it } from '@jest/globals';
import { formatHistogramTable, labelEntropy, meanLabelEntropy } from './histogram.js';

describe('histogram helpers', () => {
  it('labelEntropy in bits', () => {
    expect(labelEntropy([5, 0, 0])).toBe(0);
    expect(labelEntropy([3, 3])).toBeCloseTo(1, 12);
    expect(labelEntropy([1, 1, 1, 1])).toBeCloseTo(2, 12);
    expect(labelEntropy([0, 0])).toBe(0);
  });

  it('meanLabelEntropy skips empty clients', () => {
    expect(
      meanLabelEntropy([
        [2, 2],
        [0, 0],
        [4, 0],
      ]),
    ).toBeCloseTo(0.5, 12);
    expect(meanLabelEntropy([])).toBe(0);
  });

  it('formats a fixed-width table with totals', () => {
    const table = formatHistogramTable({
      kind: 'iid',
      indices: [],
      histogram: [
        [120, 0, 3],
        [0, 7, 0],
      ],
    });
    expect(table).toBe(
      [
        'client |   0   1   2 | total labels',
        '     0 | 120   0   3 |   123      2',
        '     1 |   0   7   0 |     7      1',
        '   all | 120   7   3 |   130      3',
      ].join('\n'),
    );
  });

  it('summarises clients beyond maxRows', () => {
    const rows = Array.from({ length: 5 }, () => [1, 1]);
    const table = formatHistogramTable(rows, { maxRows: 2 }).split('\n');
    expect(table).toHaveLength(5);
    expect(table[3]).toBe('... 3 more clients');
    expect(table[4]).toMatch(/all \| +5 +5 \| +10 +2/);
  });
});
