import type { Rng } from '@fedzip/codec';
import { type ClipReport, clipToNorm } from './clip.js';
import { GaussianSampler } from './gaussian.js';

/** What a client does to its update for DP: the `assign` message's `dp` field. */
export interface ClientPrivacy {
  /** L2 bound C. */
  readonly clipNorm: number;
  /** Local noise multiplier σ: the client adds N(0, σ²C²) per coordinate; 0 clips only (central DP). */
  readonly noiseMultiplier: number;
}

/**
 * The client's DP step, in place: clip `x` to C, then (local DP) add N(0, σ²C²) to each
 * coordinate from `rng`. Called on the vector the codec is about to compress, so the bound holds
 * for what leaves the device (docs/privacy.md).
 */
export function privatize(x: Float32Array, p: ClientPrivacy, rng: Rng): ClipReport {
  const report = clipToNorm(x, p.clipNorm);
  if (p.noiseMultiplier > 0) new GaussianSampler(rng).addNoise(x, p.noiseMultiplier * p.clipNorm);
  return report;
}
