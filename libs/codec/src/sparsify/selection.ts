/** What a sparsifier keeps: sorted positions and the values at them. */
export interface Selection {
  /** Strictly increasing positions; only the first `k` entries are meaningful. */
  readonly positions: Uint32Array;
  /** `values[i] = x[positions[i]]`. */
  readonly values: Float32Array;
  readonly k: number;
}

/** Gathers `x` at `positions[0..k)`. */
export function gather(x: Float32Array, positions: Uint32Array, k: number): Float32Array {
  const values = new Float32Array(k);
  for (let i = 0; i < k; i++) values[i] = x[positions[i]!]!;
  return values;
}

/** Number of elements to keep for a density `fraction` of `n` (at least one when n > 0). */
export function keptCount(n: number, fraction: number): number {
  if (n === 0) return 0;
  return Math.min(n, Math.max(1, Math.round(n * fraction)));
}
