import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBits } from '../bits/bit-pack.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount, forEachBlock } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

const HIST_BINS = 4096;
const DEFAULT_ITERS = 15;

/** Index width for a codebook of k entries. */
export function kmeansBits(k: number): number {
  return Math.max(1, Math.ceil(Math.log2(k)));
}

/**
 * Lloyd's algorithm in one dimension with linear initialisation between min and max (Han et al.
 * 2016, "Deep Compression", §3.1). Iterations run on a 4096-bin histogram (count and sum per bin),
 * so each costs O(bins + k) instead of O(m); the final assignment is exact. Returns sorted centroids.
 */
export function lloyd1d(x: Float32Array, start: number, end: number, k: number, iters: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const centroids = new Float64Array(k);
  if (!(hi > lo)) {
    centroids.fill(end > start ? lo : 0);
    return centroids;
  }
  for (let j = 0; j < k; j++) centroids[j] = lo + ((hi - lo) * j) / (k - 1);
  const width = (hi - lo) / HIST_BINS;
  const count = new Float64Array(HIST_BINS);
  const sum = new Float64Array(HIST_BINS);
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    const b = Math.min(HIST_BINS - 1, Math.floor((v - lo) / width));
    count[b]!++;
    sum[b]! += v;
  }
  const accN = new Float64Array(k);
  const accS = new Float64Array(k);
  for (let it = 0; it < iters; it++) {
    accN.fill(0);
    accS.fill(0);
    let j = 0;
    for (let b = 0; b < HIST_BINS; b++) {
      const n = count[b]!;
      if (n === 0) continue;
      const mean = sum[b]! / n;
      while (j + 1 < k && Math.abs(centroids[j + 1]! - mean) <= Math.abs(centroids[j]! - mean)) j++;
      accN[j]! += n;
      accS[j]! += sum[b]!;
    }
    let moved = 0;
    for (let q = 0; q < k; q++) {
      if (accN[q]! === 0) continue; // an empty cluster keeps its centroid
      const c = accS[q]! / accN[q]!;
      moved = Math.max(moved, Math.abs(c - centroids[q]!));
      centroids[q] = c;
    }
    centroids.sort();
    if (moved <= width * 1e-3) break;
  }
  return centroids;
}

/**
 * idx[i] = the nearest centroid of a sorted codebook to x_i, i in [start, end): the number of its
 * midpoints (book[j] + book[j+1])/2 below x_i (a tie goes to the lower centroid), `mids` being
 * those midpoints padded with +∞ to a power of two minus one. A branch-free binary search (Khuong
 * & Morin 2017, "Array Layouts for Comparison-Based Searching"): `+(cond)` adds each step without
 * the data-dependent branch that mispredicts half the time; the steps are unrolled (V8 does not
 * unroll loops), each guarded by a branch on the size that goes the same way for every value.
 */
function nearest(x: Float32Array, start: number, end: number, mids: Float64Array, idx: Uint16Array): void {
  const size = mids.length + 1;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    let a = 0;
    if (size > 128) a += +(v > mids[a + 127]!) * 128;
    if (size > 64) a += +(v > mids[a + 63]!) * 64;
    if (size > 32) a += +(v > mids[a + 31]!) * 32;
    if (size > 16) a += +(v > mids[a + 15]!) * 16;
    if (size > 8) a += +(v > mids[a + 7]!) * 8;
    if (size > 4) a += +(v > mids[a + 3]!) * 4;
    if (size > 2) a += +(v > mids[a + 1]!) * 2;
    idx[i] = a + +(v > mids[a]!);
  }
}

/**
 * Non-uniform quantization by k-means weight sharing: a float32 codebook of k centroids per chunk,
 * then ⌈log2 k⌉-bit indices. Layout: all codebooks (chunk-major), then the packed indices.
 */
export const kmeansCodec: ValueCodec = {
  id: 8,
  name: 'kmeans',
  checkParams(p) {
    check(
      Number.isInteger(p.param) && p.param >= 2 && p.param <= 256,
      'BAD_PARAM',
      `kmeans needs 2–256 centroids, got ${p.param}`,
    );
    check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', 'chunk must be a non-negative integer');
    check(
      p.iters === undefined || (Number.isInteger(p.iters) && p.iters >= 1 && p.iters <= 1000),
      'BAD_PARAM',
      'iters must be 1–1000',
    );
  },
  payloadBytes: (m, p) => 4 * p.param * chunkCount(m, p.chunk) + packedBytes(m, kmeansBits(p.param)),
  encode(x, p, _rng, dst) {
    const m = x.length;
    const k = p.param;
    const nc = chunkCount(m, p.chunk);
    const c = p.chunk > 0 ? p.chunk : m;
    const books = new Float32Array(nc * k);
    const idx = new Uint16Array(m);
    // The k − 1 decision midpoints, padded with +∞ to a power of two minus one for the search.
    const size = 1 << kmeansBits(k);
    const mids = new Float64Array(size - 1);
    let bad = 0;
    for (let i = 0; i < m; i++) bad += x[i]! - x[i]!;
    if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      const cent = lloyd1d(x, start, end, k, p.iters ?? DEFAULT_ITERS);
      for (let j = 0; j < k; j++) books[ci * k + j] = f32(cent[j]!);
      const book = books.subarray(ci * k, ci * k + k);
      for (let j = 0; j < size - 1; j++) mids[j] = j < k - 1 ? (book[j]! + book[j + 1]!) / 2 : Infinity;
      // Nearest centroids, one block per call (see BLOCK).
      for (let s = start; s < end; s += BLOCK) nearest(x, s, Math.min(end, s + BLOCK), mids, idx);
    }
    writeScales(dst, 0, books);
    packBits(idx, m, kmeansBits(k), dst.subarray(4 * nc * k));
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const k = p.param;
    const bits = kmeansBits(k);
    const nc = chunkCount(m, p.chunk);
    const books = readScales(src, 0, nc * k, true);
    const codes = src.subarray(4 * nc * k);
    const tmp = new Uint32Array(BLOCK);
    if (k < 1 << bits) {
      // Pass 1: indices ≥ k point outside the codebook.
      forEachBlock(m, p.chunk, (start, len) => {
        unpackBits(codes, start, len, bits, tmp);
        for (let i = 0; i < len; i++) {
          if (tmp[i]! >= k) throw new CodecError('BAD_VALUE', `a k-means index exceeds the codebook of ${k}`);
        }
      });
    }
    const block = new Float32Array(BLOCK);
    forEachBlock(m, p.chunk, (start, len, ci) => {
      const base = ci * k;
      unpackBits(codes, start, len, bits, tmp);
      for (let i = 0; i < len; i++) block[i] = books[base + tmp[i]!]!;
      sink.put(block, start, len);
    });
  },
};
