import type { Rng } from '@fedzip/codec';
import { standardNormal } from './normal.js';

/**
 * ln X for X ~ Gamma(shape, 1), by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3). For shape ≥ 1: d = shape − 1/3, c = 1/√(9d), v = (1 + cZ)³, accept
 * dv with the squeeze u < 1 − 0.0331 Z⁴ or ln u < Z²/2 + d(1 − v + ln v). For shape < 1 the paper's
 * boost Gamma(a) = Gamma(a + 1) · U^(1/a) is applied in log space, because U^(1/a) underflows to 0
 * for small a (α = 0.01 gives exponents near −10⁴), which would turn a Dirichlet draw into 0/0.
 */
export function sampleLogGamma(shape: number, rng: Rng): number {
  if (shape < 1) {
    const u = 1 - rng.nextFloat();
    return sampleLogGamma(shape + 1, rng) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  while (true) {
    let z: number;
    let v: number;
    do {
      z = standardNormal(rng);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.nextFloat();
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) {
      return Math.log(d * v);
    }
  }
}

/** X ~ Gamma(shape, 1) (mean and variance both `shape`), by {@link sampleLogGamma}. */
export function sampleGamma(shape: number, rng: Rng): number {
  return Math.exp(sampleLogGamma(shape, rng));
}
