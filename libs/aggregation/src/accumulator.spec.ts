import { describe, expect, it } from '@jest/globals';
import { CodecError, createCodec, createRng } from '@fedzip/codec';
import { UpdateAccumulator } from './accumulator.js';
import { weightedMean } from './math/vector.js';

/** A seeded update of n values in [−1, 1), a few of them large (heavy tail, like real deltas). */
function update(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (rng.nextFloat() * 2 - 1) * (rng.nextFloat() < 0.05 ? 10 : 1);
  return x;
}

/** CRC-32 (IEEE), to forge a message whose checksum is right but whose payload is hostile. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A dense f32 message of `x` whose last value is NaN, with a valid checksum. */
function nanAtEnd(x: Float32Array): Uint8Array {
  const bytes = createCodec('none').encode(x, 1).slice();
  const view = new DataView(bytes.buffer);
  view.setFloat32(bytes.length - 8, NaN, true);
  view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

/** Index of the first element where a and b differ (bitwise, as float32), or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** The accumulator's observable state, with its mean as bytes (fast to compare). */
const snapshot = (acc: UpdateAccumulator) => ({
  mean: acc.count > 0 ? Buffer.from(acc.mean().buffer).toString('base64') : null,
  count: acc.count,
  totalWeight: acc.totalWeight,
});

describe('UpdateAccumulator', () => {
  const n = 5000; // more than one 4096-value decode block

  it.each(['none', 'q8', 'topk:0.1+q8', 'randk:0.1+f16', 'q4(chunk=256)'])(
    'equals the dense reference (decode each, weighted mean) for %s',
    (spec) => {
      const codec = createCodec(spec);
      const weights = [1, 2, 3, 4, 50];
      const acc = new UpdateAccumulator(n);
      const decoded: Float32Array[] = [];
      weights.forEach((w, k) => {
        const enc = codec.encode(update(n, 100 + k), 7 + k);
        acc.add(enc, w);
        decoded.push(codec.decode(enc));
      });
      expect(acc.count).toBe(5);
      expect(acc.totalWeight).toBe(60);
      expect(firstDifference(acc.mean(), weightedMean(decoded, weights))).toBe(-1);
    },
  );

  it('is exact for lossless updates: the sample-weighted mean of the originals', () => {
    const codec = createCodec('none');
    const a = new Float32Array([1, 0, -2]);
    const b = new Float32Array([5, 4, 2]);
    const acc = new UpdateAccumulator(3);
    acc.add(codec.encode(a, 0), 1);
    acc.add(codec.encode(b, 0), 3);
    expect(Array.from(acc.mean())).toEqual([4, 3, 1]);
  });

  it('rejects bad messages with the codec’s code and leaves the sum untouched', () => {
    const codec = createCodec('none');
    const acc = new UpdateAccumulator(n);
    acc.add(codec.encode(update(n, 1), 0), 2);
    acc.add(createCodec('topk:0.1+q8').encode(update(n, 2), 0), 1);
    const before = snapshot(acc);

    const good = codec.encode(update(n, 3), 0);
    const corrupt = good.slice();
    corrupt[100]! ^= 0xff;
    const cases: [Uint8Array, string][] = [
      [codec.encode(update(n + 1, 4), 0), 'SHAPE_MISMATCH'],
      [good.subarray(0, good.length - 10), 'TRUNCATED'],
      [corrupt, 'BAD_CHECKSUM'],
      [nanAtEnd(update(n, 5)), 'NON_FINITE'],
      [new Uint8Array(64), 'BAD_MAGIC'],
    ];
    for (const [bytes, code] of cases) {
      expect(() => acc.add(bytes, 1)).toThrow(CodecError);
      expect(acc.tryAdd(bytes, 1)).toMatchObject({ ok: false, code });
      expect(snapshot(acc)).toEqual(before);
    }
    for (const w of [0, -1, NaN, Infinity]) {
      expect(acc.tryAdd(good, w)).toMatchObject({ ok: false, code: 'BAD_PARAM' });
    }
    expect(snapshot(acc)).toEqual(before);
  });

  it('a rejected update between good ones changes nothing: mean of the good ones only', () => {
    const codec = createCodec('q8');
    const xs = [update(n, 11), update(n, 12)];
    const withBad = new UpdateAccumulator(n);
    const clean = new UpdateAccumulator(n);
    withBad.add(codec.encode(xs[0]!, 1), 3);
    expect(withBad.tryAdd(nanAtEnd(update(n, 13)), 100).ok).toBe(false);
    withBad.add(codec.encode(xs[1]!, 1), 1);
    clean.add(codec.encode(xs[0]!, 1), 3);
    clean.add(codec.encode(xs[1]!, 1), 1);
    expect(firstDifference(withBad.mean(), clean.mean())).toBe(-1);
    expect(withBad.count).toBe(2);
  });

  it('honours maxElements before looking at the rest of the message', () => {
    const acc = new UpdateAccumulator(n, { maxElements: 100 });
    expect(acc.tryAdd(createCodec('none').encode(update(n, 1), 0), 1)).toMatchObject({
      ok: false,
      code: 'TOO_MANY_ELEMENTS',
    });
  });

  it('clips each update to clipNorm before summing, and reports norm and scale', () => {
    const codec = createCodec('none');
    const acc = new UpdateAccumulator(2, { clipNorm: 1 });
    expect(acc.add(codec.encode(new Float32Array([3, 4]), 0), 1)).toEqual({ norm: 5, scale: 0.2 });
    expect(acc.add(codec.encode(new Float32Array([0, 0.5]), 0), 1)).toEqual({ norm: 0.5, scale: 1 });
    // ([0.6, 0.8] + [0, 0.5]) / 2
    expect(Array.from(acc.mean())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.65, 6)]);
    // a rejected update leaves the clipped sum alone too
    expect(acc.tryAdd(nanAtEnd(new Float32Array([1, 1])), 1).ok).toBe(false);
    expect(Array.from(acc.mean())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.65, 6)]);
  });

  it('has no mean before the first update, and resets for the next round', () => {
    const acc = new UpdateAccumulator(3);
    expect(() => acc.mean()).toThrow(/no update/);
    acc.add(createCodec('none').encode(new Float32Array([1, 2, 3]), 0), 2);
    acc.reset();
    expect(acc.count).toBe(0);
    expect(acc.totalWeight).toBe(0);
    acc.add(createCodec('none').encode(new Float32Array([3, 2, 1]), 0), 1);
    expect(Array.from(acc.mean())).toEqual([3, 2, 1]);
  });

  it('validates its options', () => {
    expect(() => new UpdateAccumulator(-1)).toThrow(RangeError);
    expect(() => new UpdateAccumulator(10, { expectedLength: 11 })).toThrow(/disagrees/);
    expect(() => new UpdateAccumulator(10, { clipNorm: 0 })).toThrow(/clipNorm/);
  });
});
