/**
 * Coordinate-wise robust aggregates over per-client vectors (Yin, Chen, Ramchandran & Bartlett
 * 2018, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates", ICML). Each
 * coordinate's n client values are gathered into an n-sized scratch and sorted: O(n) extra
 * memory, O(d · n²) time with insertion sort, which beats a general sort for the tens of
 * clients a round holds.
 */
import type { Vector } from './vector.js';

function checkVectors(vectors: readonly Vector[], out: Float32Array): void {
  if (vectors.length === 0) throw new RangeError('a coordinate-wise aggregate needs at least one vector');
  for (let k = 0; k < vectors.length; k++) {
    const len = vectors[k]!.length;
    if (len !== out.length) throw new RangeError(`vector ${k} has ${len} elements, not ${out.length}`);
  }
}

/** Sorts `a[0..n)` ascending in place (insertion sort: n is small). */
function sortSmall(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/** Calls `reduce(sorted, n)` on each coordinate's sorted client values; writes its result. */
function eachCoordinate(
  vectors: readonly Vector[],
  out: Float32Array,
  reduce: (sorted: Float64Array, n: number) => number,
): Float32Array {
  checkVectors(vectors, out);
  const n = vectors.length;
  const col = new Float64Array(n);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < n; k++) col[k] = vectors[k]![i]!;
    sortSmall(col, n);
    out[i] = reduce(col, n);
  }
  return out;
}

/**
 * Coordinate-wise median (Yin et al. 2018): for an even count, the mean of the two middle
 * values. Unweighted: a robust aggregate must not trust the sample counts clients claim.
 */
export function coordinateMedian(
  vectors: readonly Vector[],
  out: Float32Array = new Float32Array(vectors[0]?.length ?? 0),
): Float32Array {
  return eachCoordinate(vectors, out, (s, n) => {
    const h = n >> 1;
    return n % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  });
}

/** How many values {@link trimmedMean} drops from each end: ⌊β n⌋. */
export function trimCount(n: number, beta: number): number {
  return Math.floor(beta * n);
}

/**
 * Coordinate-wise β-trimmed mean (Yin et al. 2018): per coordinate, drop the ⌊β n⌋ largest and
 * ⌊β n⌋ smallest client values and average the rest. β ∈ [0, 0.5); β = 0 is the plain mean.
 * Unweighted, like the median.
 */
export function trimmedMean(
  vectors: readonly Vector[],
  beta: number,
  out: Float32Array = new Float32Array(vectors[0]?.length ?? 0),
): Float32Array {
  if (!(beta >= 0 && beta < 0.5)) throw new RangeError(`beta must be in [0, 0.5), got ${beta}`);
  const t = trimCount(vectors.length, beta);
  return eachCoordinate(vectors, out, (s, n) => {
    let sum = 0;
    for (let k = t; k < n - t; k++) sum += s[k]!;
    return sum / (n - 2 * t);
  });
}
