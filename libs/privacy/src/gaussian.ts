import type { Rng } from '@fedzip/codec';

/**
 * Standard normal samples by the Box–Muller transform over a seeded {@link Rng} (two uniforms per
 * pair of samples). Uniforms are taken in (0, 1], so log(u) is always finite; the tails reach
 * √(2·32·ln 2) ≈ 6.7 standard deviations, beyond which a 32-bit uniform has no resolution.
 */
export class GaussianSampler {
  private spare: number | null = null;

  constructor(private readonly rng: Rng) {}

  /** One N(0, 1) sample. */
  next(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = (this.rng.nextUint32() + 1) * 2.3283064365386963e-10; // (0, 1]
    const u2 = this.rng.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const t = 2 * Math.PI * u2;
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** Adds N(0, std²) to every element of `x`, in place; returns `x`. */
  addNoise<T extends Float32Array | Float64Array>(x: T, std: number): T {
    if (!(Number.isFinite(std) && std >= 0))
      throw new RangeError(`noise std must be a finite number ≥ 0, got ${std}`);
    if (std === 0) return x;
    for (let i = 0; i < x.length; i++) x[i]! += std * this.next();
    return x;
  }
}
