import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBits } from '../bits/bit-pack.js';
import { maxAbs } from '../sparsify/finite.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/** Bits per value: one sign bit plus ⌈log2(s + 1)⌉ bits of level. */
export function qsgdWidth(levels: number): number {
  return 1 + Math.ceil(Math.log2(levels + 1));
}

/**
 * codes[i] = (ℓ << 1) | sign for i in [start, end), ℓ = min(s, ⌊|x|·k + u⌋) with k = s/scale and
 * u ~ U[0, 1) from an inline xorshift32 (Marsaglia 2003) whose state is passed in and returned.
 */
function levels(
  x: Float32Array,
  start: number,
  end: number,
  k: number,
  lv: number,
  codes: Uint16Array,
  state: number,
): number {
  let s = state;
  for (let i = start; i < end; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) * 2.3283064365386963e-10;
    const v = x[i]!;
    let l = Math.floor(Math.abs(v) * k + u);
    if (l > lv) l = lv;
    // `+(v < 0)`: the sign bit without a branch (random signs mispredict a `? :`).
    codes[i] = (l << 1) | +(v < 0);
  }
  return s;
}

/**
 * QSGD (Alistarh et al. 2017) with s levels per bucket: scale = max|v| over the bucket (the
 * practical variant named in REFERENCES.md; the paper's analysis uses the L2 norm), level
 * ℓ = ⌊s|v|/scale⌋ + Bernoulli(frac), so E[x̂] = x. Codes are (ℓ << 1) | sign in
 * {@link qsgdWidth} bits. A bucket is a chunk; the spec default is 512 values.
 */
export const qsgdCodec: ValueCodec = {
  id: 7,
  name: 'qsgd',
  checkParams(p) {
    check(
      Number.isInteger(p.param) && p.param >= 1 && p.param <= 32767,
      'BAD_PARAM',
      `qsgd needs 1–32767 levels, got ${p.param}`,
    );
    check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', 'bucket must be a non-negative integer');
  },
  payloadBytes: (m, p) => 4 * chunkCount(m, p.chunk) + packedBytes(m, qsgdWidth(p.param)),
  encode(x, p, rng, dst) {
    const m = x.length;
    const lv = p.param;
    const nc = chunkCount(m, p.chunk);
    const c = p.chunk > 0 ? p.chunk : m;
    const scales = new Float32Array(nc);
    const codes = new Uint16Array(m);
    let s = rng.nextUint32() | 1;
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      const max = maxAbs(x, start, end);
      if (!Number.isFinite(max)) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      const scale = f32(max);
      scales[ci] = scale;
      const k = scale > 0 ? lv / scale : 0;
      // One block per call (see BLOCK); the xorshift state carries over.
      for (let bs = start; bs < end; bs += BLOCK)
        s = levels(x, bs, Math.min(end, bs + BLOCK), k, lv, codes, s);
    }
    writeScales(dst, 0, scales);
    packBits(codes, m, qsgdWidth(lv), dst.subarray(4 * nc));
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const lv = p.param;
    const w = qsgdWidth(lv);
    const nc = chunkCount(m, p.chunk);
    const scales = readScales(src, 0, nc);
    const codes = src.subarray(4 * nc);
    const tmp = new Uint32Array(BLOCK);
    // Pass 1: every level must be ≤ s before any value reaches the sink.
    for (let start = 0; start < m; start += BLOCK) {
      const len = Math.min(BLOCK, m - start);
      unpackBits(codes, start, len, w, tmp);
      let top = 0;
      for (let i = 0; i < len; i++) top = Math.max(top, tmp[i]! >>> 1);
      if (top > lv) throw new CodecError('BAD_VALUE', `a QSGD level exceeds ${lv}`);
    }
    const block = new Float32Array(BLOCK);
    const c = p.chunk > 0 ? p.chunk : m;
    for (let ci = 0; ci < nc; ci++) {
      const unit = scales[ci]! / lv;
      const ce = Math.min(m, ci * c + c);
      for (let start = ci * c; start < ce; start += BLOCK) {
        const len = Math.min(BLOCK, ce - start);
        unpackBits(codes, start, len, w, tmp);
        // x̂ = ±ℓ·scale/s; multiplying by ±1 is exact, so this is `c & 1 ? −v : v` without a branch.
        for (let i = 0; i < len; i++) block[i] = (1 - 2 * (tmp[i]! & 1)) * ((tmp[i]! >>> 1) * unit);
        sink.put(block, start, len);
      }
    }
  },
};
