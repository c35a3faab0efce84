import { createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { permutation, randomInt, shuffleInPlace } from './shuffle.js';

describe('shuffle', () => {
  it('randomInt stays in range and is roughly uniform', () => {
    const rng = createRng(1);
    const h = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) h[randomInt(rng, 7)]!++;
    for (const c of h) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(randomInt(rng, 1)).toBe(0);
  });

  it('permutation is a permutation, reproducible by seed', () => {
    const p = permutation(1000, createRng(5));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, createRng(5))).toEqual(p);
    expect(permutation(1000, createRng(6))).not.toEqual(p);
  });

  it('shuffles only the requested range', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    shuffleInPlace(a, createRng(2), 5, 15);
    expect(a.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(a.slice(15)).toEqual([15, 16, 17, 18, 19]);
    expect(a.slice(5, 15).sort((x, y) => x - y)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(a.slice(5, 15)).not.toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('each position is uniform over 3! orders', () => {
    const rng = createRng(3);
    const seen = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const k = shuffleInPlace([0, 1, 2], rng).join('');
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const c of seen.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
