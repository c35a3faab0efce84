import { crc32 } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { createCodec, decode, parseEncoded } from '@fedzip/codec';
import { NormBound, median } from './norm-bound.js';

const none = createCodec('none');
/** A dense update of n values whose L2 norm is `norm`. */
function update(norm: number, n = 4): Uint8Array {
  return none.encode(new Float32Array(n).fill(norm / Math.sqrt(n)), 0);
}
const check = (b: NormBound, round: number, u: Uint8Array) => b.check(round, u, parseEncoded(u));

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('NormBound', () => {
  it('bounds nothing until minCount updates were accepted, then uses the running median in the first round', () => {
    const b = new NormBound({ multiple: 3, action: 'reject', minCount: 3 }, 4);
    expect(b.boundFor(1)).toBe(Infinity);
    expect(check(b, 1, update(100)).ok).toBe(true); // no reference yet
    for (const norm of [1, 2, 3]) b.accepted(1, norm);
    expect(b.boundFor(1)).toBeCloseTo(6); // 3 × median(1, 2, 3)
    const r = check(b, 1, update(7));
    expect(r).toMatchObject({ ok: false });
    expect(check(b, 1, update(5)).ok).toBe(true);
  });

  it("fixes the bound of a round to the previous round's median, whatever arrives first", () => {
    const b = new NormBound({ multiple: 2, action: 'reject', minCount: 2 }, 4);
    b.accepted(1, 1);
    b.accepted(1, 3);
    expect(b.boundFor(2)).toBeCloseTo(4); // 2 × median(1, 3)
    b.accepted(2, 4);
    b.accepted(2, 4);
    b.accepted(2, 4);
    expect(b.boundFor(2)).toBeCloseTo(4); // not raised by this round's large updates
    expect(b.boundFor(3)).toBeCloseTo(8); // round 2 becomes the reference
  });

  it('clips to the bound and hands back a dense re-encoding of the clipped update', () => {
    const b = new NormBound({ multiple: 1, action: 'clip', minCount: 1 }, 4);
    b.accepted(1, 2);
    const r = check(b, 2, update(10));
    expect(r).toMatchObject({ ok: true, clipped: true, norm: 2 });
    if (!r.ok) throw new Error('unreachable');
    const d = decode(r.update);
    expect(Math.hypot(...d)).toBeCloseTo(2, 5);
  });

  it('refuses NaN through the codec', () => {
    const b = new NormBound({ multiple: 1, action: 'reject', minCount: 1 }, 2);
    const bad = none.encode(new Float32Array([1, 1]), 0);
    const view = new DataView(bad.buffer, bad.byteOffset);
    view.setFloat32(24, NaN, true);
    view.setUint32(bad.length - 4, crc32(bad.subarray(0, bad.length - 4)), true); // only the value is wrong
    expect(() => check(b, 1, bad)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
  });
});
