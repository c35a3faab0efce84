import { BLOCK } from '../block.js';
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

  // Each scan tests two thresholds of the DGC schedule at once, t and the retry threshold 0.8t,
  // and records the candidates of both: an accepted threshold costs one pass over x, and a
  // retry (fewer than 0.8k passed t) usually none. The thresholds, counts and kept positions are
  // exactly those of scanning once per attempt. Room for 2k (≥ t) and 4k (0.8t ≤ |x| < t) covers
  // the accepted band [0.8k, 1.3k] and typical overshoots; beyond it, a rescan collects them.
  const above = new Uint32Array(Math.min(n, 2 * k + 64));
  const band = new Uint32Array(Math.min(n, 4 * k + 64));
  for (let attempt = 0; attempt < 8; attempt += 2) {
    const lo = t * 0.8;
    const r = scan(x, t, lo, above, band);
    if (r.bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
    if (r.above >= 0.8 * k || t === 0) {
      return collect(x, r.above <= above.length ? above.slice(0, r.above) : rescan(x, t, r.above), k);
    }
    const count = r.above + r.band;
    if (count >= 0.8 * k || lo === 0) {
      const fits = r.above <= above.length && r.band <= band.length;
      return collect(x, fits ? merge(above, r.above, band, r.band) : rescan(x, lo, count), k);
    }
    t = lo * 0.8;
  }
  return topkSelect(x, k);
}

/** What a {@link scan} found. */
class ScanCounts {
  /** How many |x_i| ≥ t. */
  above = 0;
  /** How many lo ≤ |x_i| < t. */
  band = 0;
  /** Σ (x_i − x_i): NaN exactly when x holds NaN or ±Infinity. */
  bad = 0;
}

/**
 * One pass over x: counts the i with |x_i| ≥ t and with lo ≤ |x_i| < t, recording the first
 * `above.length` and `band.length` of them (in increasing i).
 */
function scan(x: Float32Array, t: number, lo: number, above: Uint32Array, band: Uint32Array): ScanCounts {
  const r = new ScanCounts();
  for (let s = 0; s < x.length; s += BLOCK)
    scanBlock(x, s, Math.min(x.length, s + BLOCK), t, lo, above, band, r);
  return r;
}

/**
 * {@link scan} of `x[start..end)`, continuing the counts in `r` (one call per block, see BLOCK).
 * `Math.abs(v) >= lo` is `v >= lo || v <= −lo` with one branch, rarely taken, instead of two;
 * NaN fails every test and is caught by `v − v`, which is NaN exactly for NaN and ±Infinity.
 */
function scanBlock(
  x: Float32Array,
  start: number,
  end: number,
  t: number,
  lo: number,
  above: Uint32Array,
  band: Uint32Array,
  r: ScanCounts,
): void {
  const capA = above.length;
  const capB = band.length;
  let na = r.above;
  let nb = r.band;
  let bad = r.bad;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    bad += v - v;
    const a = Math.abs(v);
    if (a >= lo) {
      if (a >= t) {
        if (na < capA) above[na] = i;
        na++;
      } else {
        if (nb < capB) band[nb] = i;
        nb++;
      }
    }
  }
  r.above = na;
  r.band = nb;
  r.bad = bad;
}

/** All `count` positions with |x_i| ≥ t, when {@link scan} ran out of room. */
function rescan(x: Float32Array, t: number, count: number): Uint32Array {
  const positions = new Uint32Array(count);
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]!) >= t) positions[c++] = i;
  }
  return positions;
}

/** Merges the increasing, disjoint `a[0..na)` and `b[0..nb)` into one increasing array. */
function merge(a: Uint32Array, na: number, b: Uint32Array, nb: number): Uint32Array {
  const out = new Uint32Array(na + nb);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < na && j < nb) out[o++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < na) out[o++] = a[i++]!;
  while (j < nb) out[o++] = b[j++]!;
  return out;
}

function collect(x: Float32Array, positions: Uint32Array, k: number): Selection {
  const count = positions.length;
  const values = gather(x, positions, count);
  if (count <= 1.3 * k) return { positions, values, k: count };
  // Hierarchical selection: exact top-k among the candidates, positions stay sorted.
  const inner = topkSelect(values, k);
  const kept = new Uint32Array(k);
  for (let i = 0; i < k; i++) kept[i] = positions[inner.positions[i]!]!;
  return { positions: kept, values: inner.values, k };
}
