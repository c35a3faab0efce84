/**
 * Seeded pseudo-random numbers. Never `Math.random`: encodes must be reproducible from a seed,
 * and random-k positions must regenerate on the server from the seed alone.
 */

/** A seeded generator of uniform 32-bit integers and floats in [0, 1). */
export interface Rng {
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
}

/** SplitMix32 finaliser: spreads an arbitrary seed over all 32 bits (never returns a zero state). */
export function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z === 0 ? 0x6d2b79f5 : z >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna 2018), seeded through SplitMix32. Fast, 128 bits of state,
 * passes BigCrush; hot loops that need speed use an inline xorshift32 seeded from it instead.
 */
export class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mixSeed(seed);
    this.b = mixSeed(this.a ^ 0x1b873593);
    this.c = mixSeed(this.b ^ 0xcc9e2d51);
    this.d = mixSeed(this.c ^ 0xe6546b64);
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  nextFloat(): number {
    return this.nextUint32() * 2.3283064365386963e-10;
  }

  /** The 128-bit state, for checkpoints: {@link Xoshiro128.fromState} continues the same stream. */
  state(): Uint32Array {
    return Uint32Array.of(this.a, this.b, this.c, this.d);
  }

  /**
   * A generator continuing from a saved {@link Xoshiro128.state}.
   *
   * @throws RangeError when `state` is not 4 words or is all zero (not a reachable state).
   */
  static fromState(state: ArrayLike<number>): Xoshiro128 {
    if (state.length !== 4 || Array.from(state).every((w) => w >>> 0 === 0)) {
      throw new RangeError('a xoshiro128 state is 4 words, not all zero');
    }
    const g = new Xoshiro128(0);
    g.a = state[0]! >>> 0;
    g.b = state[1]! >>> 0;
    g.c = state[2]! >>> 0;
    g.d = state[3]! >>> 0;
    return g;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates the library's default generator from a seed. */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}
