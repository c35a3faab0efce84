/** The L2 norm of `x`, summed in float64. */
export function l2Norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** What {@link clipToNorm} did. */
export interface ClipReport {
  /** ‖x‖ before clipping. */
  readonly norm: number;
  /** The factor applied: min(1, C / ‖x‖) (1 when nothing changed). */
  readonly scale: number;
}

/**
 * Scales `x` in place to L2 norm at most `clipNorm`: x ← x · min(1, C/‖x‖) (Abadi et al. 2016;
 * McMahan et al. 2018). A vector already inside the ball is left bit-for-bit as it is. A
 * non-finite norm throws, since no scale can bound it.
 *
 * @throws RangeError when C is not a finite number > 0 or x holds a NaN or an infinity.
 */
export function clipToNorm(x: Float32Array, clipNorm: number): ClipReport {
  if (!(Number.isFinite(clipNorm) && clipNorm > 0))
    throw new RangeError(`clip norm must be a finite number > 0, got ${clipNorm}`);
  const norm = l2Norm(x);
  if (!Number.isFinite(norm)) throw new RangeError(`cannot clip a vector of norm ${norm}`);
  if (norm <= clipNorm) return { norm, scale: 1 };
  // float32 rounding may leave the result a hair above C: shave the scale by one ulp-ish margin.
  const scale = (clipNorm / norm) * (1 - 2 ** -22);
  for (let i = 0; i < x.length; i++) x[i]! *= scale;
  return { norm, scale };
}
