/**
 * Krum and Multi-Krum (Blanchard, El Mhamdi, Guerraoui & Stainer 2017, "Machine Learning with
 * Adversaries: Byzantine Tolerant Gradient Descent", NeurIPS). Each client's score is the sum of
 * squared distances to its n − f − 2 nearest other clients; Krum keeps the lowest-scoring
 * vector, Multi-Krum averages the m lowest. Needs n ≥ 2f + 3. O(n²) distances, O(n² d) time.
 */
import { type Vector, squaredDistance } from './vector.js';

/** The smallest client count Krum tolerates `f` Byzantine clients with: 2f + 3. */
export function krumMinClients(f: number): number {
  return 2 * f + 3;
}

/** Krum scores of each vector, assuming at most `f` of them are Byzantine. */
export function krumScores(vectors: readonly Vector[], f: number): Float64Array {
  const n = vectors.length;
  if (!(Number.isSafeInteger(f) && f >= 0)) throw new RangeError(`f must be an integer ≥ 0, got ${f}`);
  if (n < krumMinClients(f))
    throw new RangeError(`Krum with f = ${f} needs at least ${krumMinClients(f)} vectors, got ${n}`);
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(vectors[i]!, vectors[j]!);
      dist[i * n + j] = d;
      dist[j * n + i] = d;
    }
  }
  const nearest = n - f - 2;
  const scores = new Float64Array(n);
  const row = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0, r = 0; j < n; j++) if (j !== i) row[r++] = dist[i * n + j]!;
    row.sort();
    let s = 0;
    for (let r = 0; r < nearest; r++) s += row[r]!;
    scores[i] = s;
  }
  return scores;
}

/** Indices of the `m` lowest Krum scores, best first (ties broken by the lower index). */
export function krumSelect(vectors: readonly Vector[], f: number, m = 1): number[] {
  if (!(Number.isSafeInteger(m) && m >= 1 && m <= vectors.length)) {
    throw new RangeError(`m must be an integer in [1, ${vectors.length}], got ${m}`);
  }
  const scores = krumScores(vectors, f);
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]! || a - b);
  return order.slice(0, m);
}

/**
 * Multi-Krum: the unweighted mean of the `m` vectors with the best Krum scores (m = 1 is Krum).
 * Returns the aggregate and the indices it kept.
 */
export function multiKrum(
  vectors: readonly Vector[],
  f: number,
  m = 1,
  out: Float32Array = new Float32Array(vectors[0]?.length ?? 0),
): { readonly aggregate: Float32Array; readonly selected: number[] } {
  const selected = krumSelect(vectors, f, m);
  const sum = new Float64Array(out.length);
  for (const k of selected) {
    const x = vectors[k]!;
    if (x.length !== out.length)
      throw new RangeError(`vector ${k} has ${x.length} elements, not ${out.length}`);
    for (let i = 0; i < x.length; i++) sum[i]! += x[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / selected.length;
  return { aggregate: out, selected };
}
