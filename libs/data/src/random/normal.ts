import type { Rng } from '@fedzip/codec';

/**
 * A standard normal deviate by the Box–Muller transform (Box & Muller 1958):
 * z = √(−2 ln u₁) · cos(2π u₂). Uses `1 − u` so that u₁ ∈ (0, 1] and the log stays finite.
 * Drops the sine twin for simplicity; {@link fillNormal} keeps both when filling arrays.
 */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.nextFloat();
  const u2 = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Fills `out` with N(mean, std²) deviates, two per Box–Muller pair. Returns `out`. */
export function fillNormal<T extends Float32Array | Float64Array>(out: T, rng: Rng, mean = 0, std = 1): T {
  for (let i = 0; i < out.length; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - rng.nextFloat()));
    const theta = 2 * Math.PI * rng.nextFloat();
    out[i] = mean + r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(theta);
  }
  return out;
}
