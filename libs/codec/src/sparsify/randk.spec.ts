import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectCodecError } from '../__tests__/helpers.js';
import { randkSelect, randomPositions } from './randk.js';

describe('randomPositions / randkSelect: random-k from a seed', () => {
  it('draws exactly k distinct sorted positions below n, the same for the same seed', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 3000 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        fc.nat({ max: 0xffffffff }),
        ([n, k], seed) => {
          const p = randomPositions(n, k, seed);
          expect(p.length).toBe(k);
          expect(p.every((v, i) => v < n && (i === 0 || v > p[i - 1]!))).toBe(true);
          expect(randomPositions(n, k, seed)).toEqual(p);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('selects each index with probability k/n (count over seeds within 6σ)', () => {
    const n = 50;
    const k = 10;
    const runs = 4000;
    const hits = new Float64Array(n);
    for (let s = 0; s < runs; s++) for (const p of randomPositions(n, k, s)) hits[p]!++;
    const p = k / n;
    const sigma = Math.sqrt(runs * p * (1 - p));
    for (let i = 0; i < n; i++) expect(Math.abs(hits[i]! - runs * p)).toBeLessThanOrEqual(6 * sigma);
  });

  it('gathers the values at the positions; different seeds give different positions', () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i - 500);
    const sel = randkSelect(x, 30, 77);
    expect(Array.from(sel.values)).toEqual(Array.from(sel.positions, (p) => x[p]));
    expect(randomPositions(1000, 30, 78)).not.toEqual(sel.positions);
  });

  it('rejects NaN/Inf input even where it is not kept (NON_FINITE)', () => {
    const x = new Float32Array(100);
    x[99] = NaN;
    expectCodecError(() => randkSelect(x, 1, 1), 'NON_FINITE');
  });
});
