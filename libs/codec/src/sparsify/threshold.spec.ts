import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectCodecError } from '../__tests__/helpers.js';
import { thresholdSelect } from './threshold.js';

describe('thresholdSelect', () => {
  it('keeps exactly the values with |x| ≥ t, in index order', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 100 }),
        fc.float({ min: 0, noNaN: true, noDefaultInfinity: true }),
        (x, t) => {
          const sel = thresholdSelect(x, t);
          const want = Array.from(x.keys()).filter((i) => Math.abs(x[i]!) >= t);
          expect(Array.from(sel.positions)).toEqual(want);
          expect(Array.from(sel.values)).toEqual(want.map((i) => x[i]));
          expect(sel.k).toBe(want.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects NaN/Inf (NON_FINITE)', () => {
    expectCodecError(() => thresholdSelect(Float32Array.of(1, -Infinity), 0.5), 'NON_FINITE');
  });
});
