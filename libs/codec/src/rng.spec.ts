import { describe, expect, it } from '@jest/globals';
import { Xoshiro128, createRng, mixSeed } from './rng.js';

describe('seeded rng', () => {
  it('is reproducible, never zero-seeded, and uniform enough', () => {
    const a = createRng(42);
    const b = new Xoshiro128(42);
    const xs = Array.from({ length: 10_000 }, () => a.nextFloat());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b.nextFloat()));
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / xs.length));
    expect(createRng(1).nextUint32()).not.toBe(createRng(2).nextUint32());
    for (const s of [0, -1, 0x61c88647, 2 ** 32 - 1]) expect(mixSeed(s)).not.toBe(0);
  });

  it('continues the same stream from a saved state', () => {
    const g = new Xoshiro128(7);
    for (let i = 0; i < 100; i++) g.nextUint32();
    const saved = g.state();
    const expected = Array.from({ length: 50 }, () => g.nextUint32());
    const h = Xoshiro128.fromState(saved);
    expect(Array.from({ length: 50 }, () => h.nextUint32())).toEqual(expected);
    expect(() => Xoshiro128.fromState([0, 0, 0, 0])).toThrow(RangeError);
    expect(() => Xoshiro128.fromState([1, 2, 3])).toThrow(RangeError);
  });
});
