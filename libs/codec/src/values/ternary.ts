import { CodecError, check } from '../errors.js';
import { maxAbs } from '../sparsify/finite.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount, forEachBlock } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/** Trit value of digit d (0 → 0, 1 → +1, 2 → −1). */
const TRIT = [0, 1, -1] as const;
/** TRITS[byte * 5 + d]: the d-th base-3 digit of a packed byte (bytes ≥ 243 are invalid). */
const TRITS = new Int8Array(243 * 5);
for (let b = 0; b < 243; b++) {
  for (let d = 0, r = b; d < 5; d++, r = Math.floor(r / 3)) TRITS[b * 5 + d] = TRIT[r % 3]!;
}

/** Encoder state carried from block to block. */
class TritState {
  /** The byte being filled: its value so far, the digit index d ≡ i (mod 5), 3^d, its offset. */
  acc = 0;
  d = 0;
  pow = 1;
  o = 0;
  /** @param s xorshift32 state (odd, never 0). */
  constructor(public s: number) {}
}

/**
 * Trits of x[start..end) into `out`, five per byte (digit d of byte i / 5 weighs 3^d): 0, or with
 * probability |x|·inv (u ~ U[0, 1) from an inline xorshift32, Marsaglia 2003) 1 for +1 and 2 for
 * −1. `+(cond)` is branch-free in V8, where `cond ? a : b` on random data mispredicts half the time.
 */
function trits(
  x: Float32Array,
  start: number,
  end: number,
  inv: number,
  out: Uint8Array,
  st: TritState,
): void {
  let { s, acc, d, pow, o } = st;
  for (let i = start; i < end; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) * 2.3283064365386963e-10;
    const v = x[i]!;
    acc += +(u < Math.abs(v) * inv) * (1 + +(v < 0)) * pow;
    pow *= 3;
    if (++d === 5) {
      out[o++] = acc;
      acc = 0;
      d = 0;
      pow = 1;
    }
  }
  st.s = s;
  st.acc = acc;
  st.d = d;
  st.pow = pow;
  st.o = o;
}

/**
 * TernGrad (Wen et al. 2017): s = max|x| per chunk, x̂ = s·sign(x)·b with b ~ Bernoulli(|x|/s),
 * so E[x̂] = x. Trits are packed five to a byte (3^5 = 243), 1.6 bits per value.
 */
export const ternaryCodec: ValueCodec = {
  id: 10,
  name: 'ternary',
  checkParams(p) {
    check(p.param === 0, 'BAD_PARAM', 'ternary takes no parameter');
    check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', 'chunk must be a non-negative integer');
  },
  payloadBytes: (m, p) => 4 * chunkCount(m, p.chunk) + Math.ceil(m / 5),
  encode(x, p, rng, dst) {
    const m = x.length;
    const nc = chunkCount(m, p.chunk);
    const c = p.chunk > 0 ? p.chunk : m;
    const scales = new Float32Array(nc);
    const out = dst.subarray(4 * nc);
    const st = new TritState(rng.nextUint32() | 1);
    for (let ci = 0; ci < nc; ci++) {
      const start = ci * c;
      const end = Math.min(m, start + c);
      const max = maxAbs(x, start, end);
      if (!Number.isFinite(max)) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
      const scale = f32(max);
      scales[ci] = scale;
      const inv = scale > 0 ? 1 / scale : 0;
      // One block per call (see BLOCK); the generator and the byte being filled carry over.
      for (let bs = start; bs < end; bs += BLOCK) trits(x, bs, Math.min(end, bs + BLOCK), inv, out, st);
    }
    if (st.d > 0) out[st.o] = st.acc;
    writeScales(dst, 0, scales);
  },
  decode(src, m, p: ValueParams, sink: Sink) {
    const nc = chunkCount(m, p.chunk);
    const scales = readScales(src, 0, nc);
    const packed = src.subarray(4 * nc);
    for (let i = 0; i < packed.length; i++) {
      if (packed[i]! >= 243) throw new CodecError('BAD_VALUE', `byte ${packed[i]} is not five trits`);
    }
    const block = new Float32Array(BLOCK);
    forEachBlock(m, p.chunk, (start, len, ci) => {
      const sc = scales[ci]!;
      for (let i = 0; i < len; i++) {
        const j = start + i;
        block[i] = TRITS[packed[Math.floor(j / 5)]! * 5 + (j % 5)]! * sc;
      }
      sink.put(block, start, len);
    });
  },
};
