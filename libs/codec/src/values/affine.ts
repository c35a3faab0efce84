import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBytes } from '../bits/bit-pack.js';
import { decodesFinite, f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/** A chunk's range so far: min and max of 0 and the values seen, and Σ (x − x) (NaN iff non-finite). */
class Range {
  lo = 0;
  hi = 0;
  bad = 0;
}

/** Widens `r` by x[start..end). */
function widen(x: Float32Array, start: number, end: number, r: Range): void {
  let { lo, hi, bad } = r;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    bad += v - v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  r.lo = lo;
  r.hi = hi;
  r.bad = bad;
}

/** codes[i] = clamp(round-half-up(x[i]/s) + z, 0, 2^b − 1) for i in [start, end), inv = 1/s. */
function quantize(
  x: Float32Array,
  start: number,
  end: number,
  inv: number,
  z: number,
  top: number,
  codes: Uint8Array,
): void {
  for (let i = start; i < end; i++) {
    const q = Math.floor(x[i]! * inv + 0.5) + z;
    codes[i] = q < 0 ? 0 : q > top ? top : q;
  }
}

/**
 * Affine (asymmetric, min/max) quantization to b bits (REFERENCES.md): s = (max − min)/(2^b − 1),
 * z = round(−min/s), q = clamp(round(x/s) + z, 0, 2^b − 1), x̂ = (q − z)s. The range is first
 * widened to include 0 (TFLite's convention) so that zero is exact and z ∈ [0, 2^b − 1].
 * Per chunk: a float32 s, then (after all scales) one byte z; then the packed codes.
 */
export const affineCodec: ValueCodec = {
  id: 6,
  name: 'aq',
  checkParams(p) {
    check(
      Number.isInteger(p.param) && p.param >= 2 && p.param <= 8,
      'BAD_PARAM',
      `aq needs 2–8 bits, got ${p.param}`,
    );
    check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', 'chunk must be a non-negative integer');
  },
  payloadBytes: (m, p) => 5 * chunkCount(m, p.chunk) + packedBytes(m, p.param),
  encode(x, p, _rng, dst) {
    const m = x.length;
    const top = (1 << p.param) - 1;
    const nc = chunkCount(m, p.chunk);
    const c = p.chunk > 0 ? p.chunk : m;
    const scales = new Float32Array(nc);
    const codes = new Uint8Array(m);
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      // Kernels run one block per call (see BLOCK on why).
      const r = new Range();
      for (let s = start; s < end; s += BLOCK) widen(x, s, Math.min(end, s + BLOCK), r);
      if (r.bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      const { lo, hi } = r;
      const s = f32((hi - lo) / top);
      const z = s > 0 ? Math.min(top, Math.max(0, Math.round(-lo / s))) : 0;
      if (!decodesFinite(s, Math.max(z, top - z)))
        throw new CodecError('BAD_PARAM', `range [${lo}, ${hi}] overflows float32 once quantized`);
      scales[ci] = s;
      dst[4 * nc + ci] = z;
      const inv = s > 0 ? 1 / s : 0;
      for (let bs = start; bs < end; bs += BLOCK)
        quantize(x, bs, Math.min(end, bs + BLOCK), inv, z, top, codes);
    }
    writeScales(dst, 0, scales);
    packBits(codes, m, p.param, dst.subarray(5 * nc));
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const nc = chunkCount(m, p.chunk);
    const top = (1 << p.param) - 1;
    const scales = readScales(src, 0, nc);
    const zeros = src.subarray(4 * nc, 5 * nc);
    for (let ci = 0; ci < nc; ci++) {
      const z = zeros[ci]!;
      check(z <= top, 'BAD_VALUE', `zero point ${z} exceeds ${top}`);
      if (!decodesFinite(scales[ci]!, Math.max(z, top - z)))
        throw new CodecError('NON_FINITE', `scale ${ci} overflows float32`);
    }
    const codes = src.subarray(5 * nc);
    // x̂ = (q − z)s, fused into the sink's loop (Sink.putAffine), one block at a time: 8-bit
    // codes are read in place, narrower ones unpacked to bytes first.
    const c = p.chunk > 0 ? p.chunk : m;
    const tmp = p.param === 8 ? null : new Uint8Array(BLOCK);
    for (let ci = 0; ci < nc; ci++) {
      const s = scales[ci]!;
      const z = zeros[ci]!;
      const cs = ci * c;
      const ce = Math.min(m, cs + c);
      for (let start = cs; start < ce; start += BLOCK) {
        const len = Math.min(BLOCK, ce - start);
        if (tmp === null) {
          sink.putAffine(codes, start, z, s, start, len);
        } else {
          unpackBytes(codes, start, len, p.param, tmp);
          sink.putAffine(tmp, 0, z, s, start, len);
        }
      }
    }
  },
};
