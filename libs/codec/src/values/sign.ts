import { CodecError, check } from '../errors.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/** `sum` + Σ |x_i| over [start, end), added in order. */
function sumAbs(x: Float32Array, start: number, end: number, sum: number): number {
  for (let i = start; i < end; i++) sum += Math.abs(x[i]!);
  return sum;
}

/**
 * Bit i & 7 of `bits[i >>> 3]` = 1 when x_i < 0, for i in [start, end); `start` is a multiple of 8
 * and the bytes are written whole. `+(v < 0)` is branch-free, where a `? :` or `if` on random signs
 * mispredicts half the time.
 */
function signBits(x: Float32Array, start: number, end: number, bits: Uint8Array): void {
  let acc = 0;
  for (let i = start; i < end; i++) {
    acc |= +(x[i]! < 0) << (i & 7);
    if ((i & 7) === 7) {
      bits[i >>> 3] = acc;
      acc = 0;
    }
  }
  if ((end & 7) !== 0) bits[end >>> 3] = acc;
}

/**
 * Sign with one scale per chunk (EF-signSGD, Karimireddy et al. 2019): x̂ = sign(x)·mean|x|, one bit
 * per value (1 = negative, zero maps to +). After a top-k stage this is Sparse Ternary Compression's
 * value coding (Sattler et al. 2019): μ = mean |kept| and one sign bit per kept entry. Biased:
 * use it with error feedback.
 */
export const signCodec: ValueCodec = {
  id: 9,
  name: 'sign',
  checkParams(p) {
    check(p.param === 0, 'BAD_PARAM', 'sign takes no parameter');
    check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', 'chunk must be a non-negative integer');
  },
  payloadBytes: (m, p) => 4 * chunkCount(m, p.chunk) + Math.ceil(m / 8),
  encode(x, p, _rng, dst) {
    const m = x.length;
    const nc = chunkCount(m, p.chunk);
    const c = p.chunk > 0 ? p.chunk : m;
    const scales = new Float32Array(nc);
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      // Σ|x| is NaN or ±Infinity exactly when a value is (a finite sum of < 2^32 float32
      // magnitudes cannot overflow a double). Summed in order, one block per call (see BLOCK).
      let sum = 0;
      for (let s = start; s < end; s += BLOCK) sum = sumAbs(x, s, Math.min(end, s + BLOCK), sum);
      if (!Number.isFinite(sum)) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      scales[ci] = f32(sum / (end - start));
    }
    const bits = dst.subarray(4 * nc);
    for (let s = 0; s < m; s += BLOCK) signBits(x, s, Math.min(m, s + BLOCK), bits);
    writeScales(dst, 0, scales);
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const nc = chunkCount(m, p.chunk);
    const scales = readScales(src, 0, nc);
    const bits = src.subarray(4 * nc);
    const block = new Float32Array(BLOCK);
    const c = p.chunk > 0 ? p.chunk : m;
    for (let ci = 0; ci < nc; ci++) {
      const s = scales[ci]!;
      const ce = Math.min(m, ci * c + c);
      for (let start = ci * c; start < ce; start += BLOCK) {
        const len = Math.min(BLOCK, ce - start);
        // ±s as s·(1 − 2·bit): exact, and without the mispredicted branch of `bit ? −s : s`.
        for (let i = 0, j = start; i < len; i++, j++)
          block[i] = s * (1 - 2 * ((bits[j >>> 3]! >>> (j & 7)) & 1));
        sink.put(block, start, len);
      }
    }
  },
};
