import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBits } from '../bits/bit-pack.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount, forEachBlock } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/** Bits per value: one sign bit plus ⌈log2(s + 1)⌉ bits of level. */
export function qsgdWidth(levels: number): number {
  return 1 + Math.ceil(Math.log2(levels + 1));
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
      let max = 0;
      let bad = 0;
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        bad += v - v;
        const a = v < 0 ? -v : v;
        if (a > max) max = a;
      }
      if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      const scale = f32(max);
      scales[ci] = scale;
      const k = scale > 0 ? lv / scale : 0;
      for (let i = start; i < end; i++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const u = (s >>> 0) * 2.3283064365386963e-10;
        const v = x[i]!;
        let l = Math.floor((v < 0 ? -v : v) * k + u);
        if (l > lv) l = lv;
        codes[i] = (l << 1) | (v < 0 ? 1 : 0);
      }
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
    forEachBlock(m, p.chunk, (start, len) => {
      unpackBits(codes, start, len, w, tmp);
      for (let i = 0; i < len; i++) {
        if (tmp[i]! >>> 1 > lv) throw new CodecError('BAD_VALUE', `a QSGD level exceeds ${lv}`);
      }
    });
    const block = new Float32Array(BLOCK);
    forEachBlock(m, p.chunk, (start, len, ci) => {
      const unit = scales[ci]! / lv;
      unpackBits(codes, start, len, w, tmp);
      for (let i = 0; i < len; i++) {
        const c = tmp[i]!;
        const v = (c >>> 1) * unit;
        block[i] = c & 1 ? -v : v;
      }
      sink.put(block, start, len);
    });
  },
};
