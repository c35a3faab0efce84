/**
 * Centered clipping (Karimireddy, He & Jaggi 2021, "Learning from History for Byzantine Robust
 * Optimization", ICML): starting from a center v (the previous round's aggregate), iterate
 *
 *     v ← v + (1/n) Σᵢ (xᵢ − v) · min(1, τ / ‖xᵢ − v‖)
 *
 * so that no client moves the aggregate by more than τ/n per iteration. Unweighted.
 */
import { type Vector, clipScale, squaredDistance } from './vector.js';

/**
 * Runs `iterations` rounds of centered clipping with radius τ = `radius` from `center`; returns
 * the aggregate (into `out` if given). Double-precision internally; O(d) extra memory.
 */
export function centeredClip(
  vectors: readonly Vector[],
  center: Vector,
  radius: number,
  iterations: number,
  out: Float32Array = new Float32Array(center.length),
): Float32Array {
  const n = vectors.length;
  if (n === 0) throw new RangeError('centered clipping needs at least one vector');
  if (!(radius > 0)) throw new RangeError(`radius must be > 0, got ${radius}`);
  if (!(Number.isSafeInteger(iterations) && iterations >= 1)) {
    throw new RangeError(`iterations must be an integer ≥ 1, got ${iterations}`);
  }
  const d = center.length;
  for (let k = 0; k < n; k++) {
    if (vectors[k]!.length !== d)
      throw new RangeError(`vector ${k} has ${vectors[k]!.length} elements, not ${d}`);
  }
  const v = Float64Array.from(center);
  const step = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    step.fill(0);
    for (const x of vectors) {
      const s = clipScale(Math.sqrt(squaredDistance(x, v)), radius) / n;
      for (let i = 0; i < d; i++) step[i]! += s * (x[i]! - v[i]!);
    }
    for (let i = 0; i < d; i++) v[i]! += step[i]!;
  }
  for (let i = 0; i < d; i++) out[i] = v[i]!;
  return out;
}
