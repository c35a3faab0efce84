import { CodecError } from '../errors.js';
import type { Rng } from '../rng.js';
import { type Selection, gather } from './selection.js';
import { topkSelect } from './topk.js';

/** Options of the sampled-threshold top-k. */
export interface ApproxTopkOptions {
  /** Fraction of the input sampled to estimate the threshold (DGC uses 0.1–1%). */
  readonly sample: number;
}

const MIN_SAMPLE = 1000;

/**
 * Sampled-threshold top-k after Deep Gradient Compression (Lin et al. 2018, §3): estimate the
 * k-th magnitude from a random sample, keep every |x| ≥ t in one scan. If more than 1.3·k pass,
 * run the exact top-k on those candidates (DGC's hierarchical selection); if fewer than 0.8·k
 * pass, lower t by ×0.8 and rescan. The kept count therefore lies in [0.8k, 1.3k] or is exactly k.
 */
export function approxTopkSelect(x: Float32Array, k: number, rng: Rng, opts: ApproxTopkOptions): Selection {
  const n = x.length;
  if (k === 0 || k >= n || n <= MIN_SAMPLE) return topkSelect(x, k);

  const s = Math.min(n, Math.max(MIN_SAMPLE, Math.ceil(n * opts.sample)));
  const sample = new Float32Array(s);
  for (let i = 0; i < s; i++) sample[i] = x[Math.floor(rng.nextFloat() * n)]!;
  const sk = Math.max(1, Math.round((k / n) * s));
  const top = topkSelect(sample, sk);
  let t = Infinity;
  for (let i = 0; i < sk; i++) t = Math.min(t, Math.abs(top.values[i]!));

  for (let attempt = 0; attempt < 8; attempt++) {
    let count = 0;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      bad += v - v;
      if (v >= t || v <= -t) count++;
    }
    if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
    if (count >= 0.8 * k || t === 0) return collect(x, t, count, k);
    t *= 0.8;
  }
  return topkSelect(x, k);
}

function collect(x: Float32Array, t: number, count: number, k: number): Selection {
  const positions = new Uint32Array(count);
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= t || v <= -t) positions[c++] = i;
  }
  const values = gather(x, positions, count);
  if (count <= 1.3 * k) return { positions, values, k: count };
  // Hierarchical selection: exact top-k among the candidates, positions stay sorted.
  const inner = topkSelect(values, k);
  const kept = new Uint32Array(k);
  for (let i = 0; i < k; i++) kept[i] = positions[inner.positions[i]!]!;
  return { positions: kept, values: inner.values, k };
}
