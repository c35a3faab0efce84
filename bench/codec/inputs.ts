import { createRng } from '@fedzip/codec';

/** Distributions the benchmark draws its inputs from. */
export type Dist = 'gaussian' | 'laplace';

export const DISTS: readonly Dist[] = ['gaussian', 'laplace'];

/** Standard deviation of every input: the size of a typical per-round model delta. */
const SIGMA = 0.01;

/**
 * `n` seeded values of distribution `dist`, all with standard deviation {@link SIGMA}.
 * Gaussian by Box–Muller; Laplace (heavy-tailed, like real update deltas) by the inverse CDF
 * x = −b·sign(u)·ln(1 − 2|u|), u ~ U(−½, ½), with b = σ/√2 so the variance 2b² equals σ².
 */
export function makeInput(dist: Dist, n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(n);
  if (dist === 'gaussian') {
    for (let i = 0; i < n; i += 2) {
      // 1 − u ∈ (0, 1] keeps the logarithm finite.
      const r = Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * SIGMA;
      const theta = 2 * Math.PI * rng.nextFloat();
      x[i] = r * Math.cos(theta);
      if (i + 1 < n) x[i + 1] = r * Math.sin(theta);
    }
  } else {
    const b = SIGMA / Math.SQRT2;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat() - 0.5;
      const a = u < 0 ? -u : u;
      x[i] = (u < 0 ? b : -b) * Math.log(1 - 2 * a);
    }
  }
  return x;
}
