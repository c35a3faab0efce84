import type { Rng } from '@fedzip/codec';

/** A writable array of numbers: a plain array or any integer or float typed array. */
export interface MutableNumbers {
  length: number;
  [index: number]: number;
}

const TWO_32 = 4294967296;

/**
 * A uniform integer in `[0, bound)` for `1 ≤ bound ≤ 2³²`, without modulo bias: draws above the
 * largest multiple of `bound` are rejected (at most half the draws, usually almost none).
 */
export function randomInt(rng: Rng, bound: number): number {
  const limit = TWO_32 - (TWO_32 % bound);
  while (true) {
    const r = rng.nextUint32();
    if (r < limit) return r % bound;
  }
}

/**
 * Fisher–Yates (Durstenfeld) shuffle of `a[start…end)` in place: every order equally likely given a
 * uniform generator. Returns `a`.
 */
export function shuffleInPlace<T extends MutableNumbers>(a: T, rng: Rng, start = 0, end = a.length): T {
  for (let i = end - 1; i > start; i--) {
    const j = start + randomInt(rng, i - start + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** A uniformly random permutation of `0 … n−1`. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rng);
}
