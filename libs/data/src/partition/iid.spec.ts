import { describe, expect, it } from '@jest/globals';
import { meanLabelEntropy } from './histogram.js';
import { iidPartition } from './iid.js';
import { balancedLabels, sizesOf } from './__tests__/partition-fixtures.js';

describe('iidPartition', () => {
  it('gives equal sizes (±1) and near-global label mixes', () => {
    const data = balancedLabels(6001, 10);
    const p = iidPartition(data, { clients: 10, seed: 3 });
    const sizes = sizesOf(p);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(meanLabelEntropy(p.histogram)).toBeGreaterThan(Math.log2(10) - 0.02);
  });
});
