import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { varintBytes } from '../bits/varint.js';
import { randomPositions } from '../sparsify/randk.js';
import { expectCodecError, fromHex, toHex } from '../__tests__/helpers.js';
import {
  PositionCoding,
  type PositionPlan,
  indexBoundBitsPerKept,
  planPositions,
  readPositions,
  writePositions,
} from './position-coding.js';

function gaps(pos: Uint32Array): number[] {
  return Array.from(pos, (p, i) => p - (i === 0 ? -1 : pos[i - 1]!) - 1);
}
function riceBytes(pos: Uint32Array, b: number): number {
  let bits = 0;
  for (let i = 0, prev = -1; i < pos.length; prev = pos[i++]!)
    bits += b + 1 + Math.floor((pos[i]! - prev - 1) / 2 ** b);
  return Math.ceil(bits / 8);
}
const varintTotal = (pos: Uint32Array) => gaps(pos).reduce((a, g) => a + varintBytes(g), 0);

function encodeWith(pos: Uint32Array, n: number, plan: PositionPlan): Uint8Array {
  const dst = new Uint8Array(plan.bytes);
  writePositions(pos, pos.length, n, plan, dst);
  return dst;
}
function decodeWith(src: Uint8Array, coding: PositionCoding, b: number, k: number, n: number): number[] {
  const out = new Uint32Array(k);
  readPositions(src, coding, b, k, n, out);
  return Array.from(out);
}

/** n and a sorted set of distinct positions below n. */
const positionSets = fc.integer({ min: 1, max: 3000 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc
      .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 300) })
      .map((a) => Uint32Array.from(a.sort((x, y) => x - y))),
  ),
);

describe('position coding', () => {
  it('round-trips Rice (every b), varint and bitmap', () => {
    fc.assert(
      fc.property(positionSets, fc.integer({ min: 0, max: 24 }), ([n, pos], b) => {
        const k = pos.length;
        const want = Array.from(pos);
        const rice = encodeWith(pos, n, {
          coding: PositionCoding.Rice,
          riceBits: b,
          bytes: riceBytes(pos, b),
        });
        expect(decodeWith(rice, PositionCoding.Rice, b, k, n)).toEqual(want);
        const varint = encodeWith(pos, n, {
          coding: PositionCoding.Varint,
          riceBits: 0,
          bytes: varintTotal(pos),
        });
        expect(decodeWith(varint, PositionCoding.Varint, 0, k, n)).toEqual(want);
        const bitmap = encodeWith(pos, n, {
          coding: PositionCoding.Bitmap,
          riceBits: 0,
          bytes: Math.ceil(n / 8),
        });
        expect(decodeWith(bitmap, PositionCoding.Bitmap, 0, k, n)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('plans a coding never costlier than varint or the bitmap, with the exact byte count', () => {
    fc.assert(
      fc.property(positionSets, ([n, pos]) => {
        const k = pos.length;
        const plan = planPositions(pos, k, n);
        expect(plan.bytes).toBeLessThanOrEqual(varintTotal(pos));
        expect(plan.bytes).toBeLessThanOrEqual(Math.ceil(n / 8));
        const bytes = encodeWith(pos, n, plan);
        expect(decodeWith(bytes, plan.coding, plan.riceBits, k, n)).toEqual(Array.from(pos));
        if (plan.coding === PositionCoding.Rice) expect(plan.bytes).toBe(riceBytes(pos, plan.riceBits));
      }),
      { numRuns: 300 },
    );
  });

  it('picks the cheapest of Rice (any b), varint and bitmap for random positions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8000 }),
        fc.double({ min: 0.0005, max: 1, noNaN: true }),
        fc.nat(),
        (n, density, seed) => {
          const k = Math.max(1, Math.round(n * density));
          const pos = randomPositions(n, k, seed);
          const plan = planPositions(pos, k, n);
          let best = Math.min(varintTotal(pos), Math.ceil(n / 8));
          for (let b = 0; b <= 24; b++) best = Math.min(best, riceBytes(pos, b));
          expect(plan.bytes).toBe(best);
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    [0.01, 200_000],
    [0.001, 1_000_000],
  ])('Rice stays within 1.03× the log2 C(n,k) bound at density %p (n = %p, random positions)', (d, n) => {
    const k = Math.round(n * d);
    for (const seed of [1, 2, 3]) {
      const plan = planPositions(randomPositions(n, k, seed), k, n);
      expect(plan.coding).toBe(PositionCoding.Rice);
      expect((plan.bytes * 8) / k).toBeLessThanOrEqual(1.03 * indexBoundBitsPerKept(n, k));
    }
  });

  it('computes the bound log2 C(n,k) / k', () => {
    expect(indexBoundBitsPerKept(16, 4)).toBeCloseTo(Math.log2(1820) / 4, 12);
    expect(indexBoundBitsPerKept(10, 3)).toBeCloseTo(Math.log2(120) / 3, 12);
    expect(indexBoundBitsPerKept(1_000_000, 10_000)).toBeCloseTo(8.08, 1); // REFERENCES.md
    expect(indexBoundBitsPerKept(1_000_000, 1_000)).toBeCloseTo(11.4, 1);
    expect(indexBoundBitsPerKept(10, 0)).toBe(0);
    expect(indexBoundBitsPerKept(10, 10)).toBe(0);
  });

  it('writes Rice LSB-first: unary quotient as ones then a zero, then b low bits (wire-format.md)', () => {
    const pos = Uint32Array.of(3, 6, 11, 15); // gaps 3 2 4 3
    // b = 1: 1 0 1 | 1 0 0 | 1 1 0 0 | 1 0 1  →  0b11001101 0b00010100
    expect(toHex(encodeWith(pos, 16, { coding: PositionCoding.Rice, riceBits: 1, bytes: 2 }))).toBe('cd14');
    expect(toHex(encodeWith(pos, 16, { coding: PositionCoding.Bitmap, riceBits: 0, bytes: 2 }))).toBe('4888');
    const far = Uint32Array.of(3, 9000); // gaps 3, 8996 = 0x2324 → 03, a4 46
    expect(toHex(encodeWith(far, 10_000, { coding: PositionCoding.Varint, riceBits: 0, bytes: 3 }))).toBe(
      '03a446',
    );
    expect(planPositions(far, 2, 10_000)).toEqual({ coding: PositionCoding.Varint, riceBits: 0, bytes: 3 });
    expect(planPositions(pos, 4, 16)).toEqual({ coding: PositionCoding.Rice, riceBits: 1, bytes: 2 });
  });

  describe('rejects lying position bytes with a typed error', () => {
    const R = PositionCoding.Rice;
    const V = PositionCoding.Varint;
    const B = PositionCoding.Bitmap;
    it.each([
      ['a Rice gap past n', 'cd14', R, 1, 4, 12, 'BAD_LENGTH'],
      ['a unary run past n', 'ffffff00', R, 0, 1, 10, 'BAD_LENGTH'],
      ['Rice bytes that end early', 'cd', R, 1, 4, 16, 'TRUNCATED'],
      ['Rice bytes with a trailing byte', 'cd1400', R, 1, 4, 16, 'BAD_LENGTH'],
      ['a Rice parameter above 24', '00000000', R, 25, 1, 16, 'BAD_PARAM'],
      ['a varint gap past n', '03a446', V, 0, 2, 9000, 'BAD_LENGTH'],
      ['a varint that ends early', '03a4', V, 0, 2, 10_000, 'TRUNCATED'],
      ['a varint longer than 5 bytes', '808080808001', V, 0, 1, 10_000, 'BAD_LENGTH'],
      ['a varint above 2^32', 'ffffffff7f', V, 0, 1, 10_000, 'BAD_LENGTH'],
      ['varint bytes left over', '030000', V, 0, 2, 100, 'BAD_LENGTH'],
      ['a bitmap popcount above k', '4888', B, 0, 3, 16, 'BAD_LENGTH'],
      ['a bitmap popcount below k', '4888', B, 0, 5, 16, 'BAD_LENGTH'],
      ['a bitmap bit past n', '4888', B, 0, 4, 15, 'BAD_LENGTH'],
      ['a bitmap of the wrong length', '488800', B, 0, 4, 16, 'BAD_LENGTH'],
      ['an unknown coding', '', 7, 0, 0, 16, 'UNKNOWN_STAGE'],
    ] as const)('%s', (_what, hex, coding, b, k, n, code) => {
      expectCodecError(() => decodeWith(fromHex(hex), coding as PositionCoding, b, k, n), code);
    });
  });
});
