import { describe, expect, it } from '@jest/globals';
import { ResidualMemory, createCodec, decode } from '@fedzip/codec';
import { l2Norm } from '@fedzip/privacy';
import { encodeRound } from './train-round.js';

const big = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * (i % 7 === 0 ? 5 : 0.5));

describe('encodeRound with DP (clip Δ + e before compressing)', () => {
  it('what leaves the device has norm ≤ C, and the residual never holds the clipped-off mass', () => {
    const n = 2000;
    const c = 1;
    const codec = createCodec('topk:0.05+q8');
    const memory = new ResidualMemory(n);
    for (let r = 0; r < 10; r++) {
      const delta = big(n, r);
      const before = Float32Array.from(memory.residual);
      const out = encodeRound(codec, delta, r, memory, { clipNorm: c, noiseMultiplier: 0 });
      const sent = decode(out.update);
      expect(l2Norm(sent)).toBeLessThanOrEqual(c * 1.01); // q8 rounding only
      // e_new = clip(Δ + e) − sent: bounded by C, whatever the size of Δ.
      expect(l2Norm(memory.residual)).toBeLessThanOrEqual(c * 1.01);
      const p = Float32Array.from(delta, (d, i) => d + before[i]!);
      expect(out.preClipNorm).toBeCloseTo(l2Norm(p), 2);
      expect(out.preClipNorm!).toBeGreaterThan(c);
    }
  });

  it('without error feedback clips Δ itself; Δ is left untouched', () => {
    const delta = big(500, 1);
    const copy = Float32Array.from(delta);
    const out = encodeRound(createCodec('none'), delta, 1, undefined, { clipNorm: 2, noiseMultiplier: 0 });
    expect(delta).toEqual(copy);
    expect(l2Norm(decode(out.update))).toBeCloseTo(2, 3);
  });

  it('local DP adds N(0, σ²C²) from a stream seeded by the round seed (a re-send is identical)', () => {
    const n = 50_000;
    const delta = new Float32Array(n);
    const dp = { clipNorm: 0.5, noiseMultiplier: 2 };
    const a = decode(encodeRound(createCodec('none'), delta, 42, undefined, dp).update);
    const b = decode(encodeRound(createCodec('none'), delta, 42, undefined, dp).update);
    expect(a).toEqual(b);
    const std = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / n);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    expect(decode(encodeRound(createCodec('none'), delta, 43, undefined, dp).update)).not.toEqual(a);
  });
});
