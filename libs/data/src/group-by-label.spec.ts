import { describe, expect, it } from '@jest/globals';
import { groupByLabel } from './group-by-label.js';

describe('groupByLabel', () => {
  it('groups indices stably by class', () => {
    const y = Uint8Array.from([2, 0, 2, 1, 0]);
    const { order, offsets } = groupByLabel({ y, n: 5, numClasses: 4 });
    expect(Array.from(order)).toEqual([1, 4, 3, 0, 2]);
    expect(Array.from(offsets)).toEqual([0, 2, 3, 5, 5]);
  });
});
