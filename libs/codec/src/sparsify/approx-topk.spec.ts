import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createRng } from '../rng.js';
import { expectCodecError, gaussian } from '../__tests__/helpers.js';
import { approxTopkSelect } from './approx-topk.js';
import { topkSelect } from './topk.js';

describe('approxTopkSelect: sampled-threshold top-k (DGC)', () => {
  it('keeps a magnitude-closed set of 0.8k–1.3k values (or exactly k), in index order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1001, max: 20_000 }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        fc.nat(),
        fc.boolean(),
        (n, fraction, seed, heavy) => {
          const x = gaussian(n, seed);
          if (heavy) for (let i = 0; i < n; i += 97) x[i] = x[i]! * 50; // outliers
          const k = Math.max(1, Math.round(n * fraction));
          const sel = approxTopkSelect(x, k, createRng(seed), { sample: 0.01 });
          expect(sel.k === k || (sel.k >= 0.8 * k && sel.k <= 1.3 * k)).toBe(true);
          const kept = new Uint8Array(n);
          let minKept = Infinity;
          let ordered = true;
          for (let i = 0; i < sel.k; i++) {
            const p = sel.positions[i]!;
            ordered &&= (i === 0 || p > sel.positions[i - 1]!) && Object.is(sel.values[i], x[p]);
            kept[p] = 1;
            minKept = Math.min(minKept, Math.abs(x[p]!));
          }
          expect(ordered).toBe(true);
          let maxDropped = 0;
          for (let i = 0; i < n; i++) if (!kept[i]) maxDropped = Math.max(maxDropped, Math.abs(x[i]!));
          expect(minKept).toBeGreaterThanOrEqual(maxDropped);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is exact top-k on small inputs (n ≤ 1000) and reproducible from the rng seed', () => {
    const small = gaussian(900, 1);
    expect(approxTopkSelect(small, 30, createRng(1), { sample: 0.01 })).toEqual(topkSelect(small, 30));
    const x = gaussian(50_000, 2);
    const a = approxTopkSelect(x, 500, createRng(5), { sample: 0.01 });
    expect(approxTopkSelect(x, 500, createRng(5), { sample: 0.01 })).toEqual(a);
  });

  it.each([NaN, Infinity])('rejects %p in the input (NON_FINITE)', (bad) => {
    const x = gaussian(5000, 3);
    x[4321] = bad;
    expectCodecError(() => approxTopkSelect(x, 50, createRng(1), { sample: 0.01 }), 'NON_FINITE');
  });
});
