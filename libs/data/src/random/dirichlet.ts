import type { Rng } from '@fedzip/codec';
import { DataError } from '../errors.js';
import { sampleLogGamma } from './gamma.js';

/**
 * p ~ Dirichlet(α₁ … α_k) as normalised Gamma draws, p_i = G_i / Σ G_j with G_i ~ Gamma(α_i, 1).
 * Normalises in log space (subtract the largest ln G_i before exponentiating), so tiny α yields a
 * nearly one-hot vector rather than NaN. Writes into and returns `out`.
 *
 * @throws {@link DataError} `BAD_OPTION` unless every α_i is finite and > 0.
 */
export function sampleDirichlet(
  alphas: ArrayLike<number>,
  rng: Rng,
  out: Float64Array = new Float64Array(alphas.length),
): Float64Array {
  const k = alphas.length;
  let max = -Infinity;
  for (let i = 0; i < k; i++) {
    const a = alphas[i]!;
    if (!(a > 0 && Number.isFinite(a))) {
      throw new DataError('BAD_OPTION', `Dirichlet concentration must be finite and > 0, got ${a}`);
    }
    const g = sampleLogGamma(a, rng);
    out[i] = g;
    if (g > max) max = g;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp(out[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < k; i++) out[i]! /= sum;
  return out;
}

/** p ~ Dirichlet(α, …, α) over `k` categories: the symmetric case used by the partitioners. */
export function sampleSymmetricDirichlet(
  alpha: number,
  k: number,
  rng: Rng,
  out: Float64Array = new Float64Array(k),
): Float64Array {
  return sampleDirichlet(new Float64Array(k).fill(alpha), rng, out);
}
