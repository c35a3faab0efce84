/** Small dense-vector kernels over typed arrays, shared by the strategies. */

/** A read-only dense vector. */
export type Vector = Float32Array | Float64Array;

/** Euclidean norm, accumulated in double precision. */
export function l2Norm(x: Vector): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Squared Euclidean distance between two vectors of equal length. */
export function squaredDistance(a: Vector, b: Vector): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s;
}

/** True when every element is finite (no NaN, no ±Infinity). */
export function allFinite(x: Vector): boolean {
  let bad = 0;
  for (let i = 0; i < x.length; i++) bad += x[i]! - x[i]!;
  return bad === 0;
}

/**
 * The factor that clips a vector of norm `norm` to at most `maxNorm`: `min(1, maxNorm / norm)`
 * (1 for the zero vector).
 */
export function clipScale(norm: number, maxNorm: number): number {
  return norm > maxNorm ? maxNorm / norm : 1;
}

/**
 * Weighted mean `Σ wᵢ xᵢ / Σ wᵢ` of equal-length vectors, summed in double precision. The dense
 * reference for the streaming accumulator, and the mean of the per-client path.
 */
export function weightedMean(
  vectors: readonly Vector[],
  weights: readonly number[],
  out: Float32Array = new Float32Array(vectors[0]?.length ?? 0),
): Float32Array {
  if (vectors.length === 0 || vectors.length !== weights.length) {
    throw new RangeError(`weightedMean needs one weight per vector and at least one vector`);
  }
  const sum = new Float64Array(out.length);
  let total = 0;
  for (let k = 0; k < vectors.length; k++) {
    const x = vectors[k]!;
    const w = weights[k]!;
    if (x.length !== out.length)
      throw new RangeError(`vector ${k} has ${x.length} elements, not ${out.length}`);
    for (let i = 0; i < x.length; i++) sum[i]! += w * x[i]!;
    total += w;
  }
  if (!(total > 0)) throw new RangeError(`weights sum to ${total}; they must sum to a positive number`);
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / total;
  return out;
}
