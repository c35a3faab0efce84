import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectCodecError } from '../__tests__/helpers.js';
import { keptCount } from './selection.js';
import { topkSelect } from './topk.js';

/** The sort-based reference: k largest |x|, ties broken by the lowest index, returned in index order. */
function referenceTopk(x: Float32Array, k: number): number[] {
  const idx = Array.from(x, (_, i) => i);
  idx.sort((a, b) => Math.abs(x[b]!) - Math.abs(x[a]!) || a - b);
  return idx.slice(0, k).sort((a, b) => a - b);
}

/** Arrays with arbitrary floats, or drawn from a handful of magnitudes so that ties abound. */
const inputs = fc.oneof(
  fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 200 }),
  fc
    .array(fc.constantFrom(0, -0, 1, -1, 2.5, -2.5, 1e-40, -1e-40, 3.4e38), { maxLength: 200 })
    .map((a) => Float32Array.from(a)),
);

describe('topkSelect: exact top-k by magnitude', () => {
  it('keeps exactly the k largest magnitudes, ties broken by lowest index (vs a full sort)', () => {
    fc.assert(
      fc.property(
        inputs.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.length }))),
        ([x, k]) => {
          const sel = topkSelect(x, k);
          expect(sel.k).toBe(k);
          const pos = Array.from(sel.positions.subarray(0, k));
          expect(pos).toEqual(referenceTopk(x, k));
          expect(Array.from(sel.values)).toEqual(pos.map((p) => x[p]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('works on a subarray view at a non-zero byteOffset', () => {
    const big = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 7.3) * (i % 13));
    const view = big.subarray(37, 237);
    const sel = topkSelect(view, 20);
    expect(Array.from(sel.positions)).toEqual(referenceTopk(view, 20));
  });

  it('handles large inputs in O(n) with correct ties across radix levels', () => {
    const n = 30_000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = ((i * 2654435761) % 1000) / 7 - 71;
    const k = keptCount(n, 0.01);
    expect(Array.from(topkSelect(x, k).positions)).toEqual(referenceTopk(x, k));
  });

  it.each([NaN, Infinity, -Infinity])('rejects %p for every k (NON_FINITE)', (bad) => {
    const x = Float32Array.of(1, 2, bad, 3);
    for (const k of [0, 1, 4]) expectCodecError(() => topkSelect(x, k), 'NON_FINITE');
  });

  it('keptCount keeps round(n·fraction), at least one, at most n', () => {
    expect(keptCount(0, 0.5)).toBe(0);
    expect(keptCount(10, 0.001)).toBe(1);
    expect(keptCount(1000, 0.01)).toBe(10);
    expect(keptCount(1000, 0.0125)).toBe(13);
    expect(keptCount(7, 1)).toBe(7);
  });
});
