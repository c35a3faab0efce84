import { CodecError, check } from '../errors.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount, forEachBlock } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

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
    const bits = dst.subarray(4 * nc);
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      let sum = 0;
      let bad = 0;
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        bad += v - v;
        sum += v < 0 ? -v : v;
        if (v < 0) bits[i >>> 3]! |= 1 << (i & 7);
      }
      if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      scales[ci] = f32(sum / (end - start));
    }
    writeScales(dst, 0, scales);
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const nc = chunkCount(m, p.chunk);
    const scales = readScales(src, 0, nc);
    const bits = src.subarray(4 * nc);
    const block = new Float32Array(BLOCK);
    forEachBlock(m, p.chunk, (start, len, ci) => {
      const s = scales[ci]!;
      for (let i = 0; i < len; i++) {
        const j = start + i;
        block[i] = (bits[j >>> 3]! >>> (j & 7)) & 1 ? -s : s;
      }
      sink.put(block, start, len);
    });
  },
};
