import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBytes } from '../bits/bit-pack.js';
import type { Rng } from '../rng.js';
import { decodesFinite, f32, readScales, writeScales } from './scales.js';
import { maxAbs } from '../sparsify/finite.js';
import { BLOCK, type Sink, chunkCount } from './sink.js';
import { codeSymmetric, decodeSymmetricCoded, minCodedBytes } from './symmetric-rice.js';
import type { EntropyStage, ValueCodec, ValueParams } from './value-codec.js';

/**
 * Symmetric linear quantization to b bits (REFERENCES.md): Δ = max|x| / L with L = 2^(b−1) − 1,
 * q = clamp(round(x/Δ)) ∈ [−L, L], x̂ = qΔ. Codes travel as q + L in b bits. The encoder never
 * writes the all-ones code; a decoder maps it to (L + 1)Δ, so every byte string decodes to finite
 * values once the scales are checked. One Δ per chunk.
 *
 * `q<b>` rounds to nearest (|x − x̂| ≤ Δ/2). `sq<b>` rounds stochastically, q = ⌊x/Δ + u⌋ with
 * u ~ U[0, 1) from an inline xorshift32 seeded by the caller's Rng, so E[x̂] = x.
 *
 * Both may travel with their codes Rice-coded (symmetric-rice.ts) when that is shorter.
 */
function makeSymmetric(id: number, name: 'q' | 'sq', stochastic: boolean): ValueCodec {
  return {
    id,
    name,
    checkParams(p) {
      check(
        Number.isInteger(p.param) && p.param >= 2 && p.param <= 8,
        'BAD_PARAM',
        `${name} needs 2–8 bits, got ${p.param}`,
      );
      check(Number.isInteger(p.chunk) && p.chunk >= 0, 'BAD_PARAM', `chunk must be a non-negative integer`);
    },
    payloadBytes: (m, p) => 4 * chunkCount(m, p.chunk) + packedBytes(m, p.param),
    encode: (values, p, rng, dst) => encodeSymmetric(values, p, stochastic ? rng : null, dst),
    decode: decodeSymmetric,
    entropy: RICE,
  };
}

/** Rice coding of |q| − min|q| and a sign (symmetric-rice.ts). */
const RICE: EntropyStage = { code: codeSymmetric, minBytes: minCodedBytes, decode: decodeSymmetricCoded };

function encodeSymmetric(x: Float32Array, p: ValueParams, rng: Rng | null, dst: Uint8Array): void {
  const m = x.length;
  const b = p.param;
  const L = (1 << (b - 1)) - 1;
  const nc = chunkCount(m, p.chunk);
  const c = p.chunk > 0 ? p.chunk : m;
  const scales = new Float32Array(nc);
  const codesOut = dst.subarray(4 * nc);
  // 8-bit codes go straight into the output; narrower ones through a scratch array, then packed.
  const codes = b === 8 ? codesOut : new Uint8Array(m);
  let s = rng ? rng.nextUint32() | 1 : 0;
  for (let ci = 0; ci < nc; ci++) {
    const start = ci * c;
    const end = Math.min(m, start + c);
    const max = maxAbs(x, start, end);
    if (!Number.isFinite(max)) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
    const delta = f32(max / L);
    if (!decodesFinite(delta, L + 1))
      throw new CodecError('BAD_PARAM', `|x| = ${max} overflows float32 once quantized to ${b} bits`);
    scales[ci] = delta;
    // 1/Δ, capped so that |x|·inv ≤ L + 0.5: only a subnormal Δ (rounded far below max/L) hits
    // the cap, which keeps roundNearest's truncated number ≥ 0 (else −x wraps to a high code).
    const inv = delta > 0 ? Math.min(1 / delta, (L + 0.5) / max) : 0;
    // Block by block (see BLOCK); the xorshift state carries over, so the draws are those of
    // one pass over the chunk.
    for (let bs = start; bs < end; bs += BLOCK) {
      const be = Math.min(end, bs + BLOCK);
      if (!rng) roundNearest(x, bs, be, inv, L, codes);
      else s = roundStochastic(x, bs, be, inv, L, codes, s);
    }
  }
  writeScales(dst, 0, scales);
  if (b !== 8) packBits(codes, m, b, codesOut);
}

/**
 * codes[i] = min(2L, round-half-up(x[i]/Δ) + L) for i in [start, end), computed as the truncation
 * `(x·inv + L + 0.5) | 0` of a number that is ≥ 0 since |x|·inv ≤ L + 0.5: the
 * `(x*inv + 128.5) | 0` recipe of REFERENCES.md (`Math.round` in the loop is 4× slower). The
 * clamp is a never-taken, well-predicted branch.
 */
function roundNearest(
  x: Float32Array,
  start: number,
  end: number,
  inv: number,
  L: number,
  codes: Uint8Array,
): void {
  const off = L + 0.5;
  const top = 2 * L;
  for (let i = start; i < end; i++) {
    const q = (x[i]! * inv + off) | 0;
    codes[i] = q > top ? top : q;
  }
}

/**
 * Unbiased stochastic rounding: codes[i] = clamp(⌊x[i]/Δ + u⌋ + L, 0, 2L) with u ~ U[0, 1) from
 * an inline xorshift32 (Marsaglia 2003; shifts 13, 17, 5) whose state `s` (odd, never 0) is
 * returned for the next chunk. ⌊·⌋ is the truncation of `x/Δ + u + L + 1 ≥ 0`, minus one.
 */
function roundStochastic(
  x: Float32Array,
  start: number,
  end: number,
  inv: number,
  L: number,
  codes: Uint8Array,
  state: number,
): number {
  const top = 2 * L;
  let s = state;
  for (let i = start; i < end; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) * 2.3283064365386963e-10;
    const q = ((x[i]! * inv + u + L + 1) | 0) - 1;
    // Both clamps are almost never taken (|x| ≤ LΔ up to float32 rounding of Δ): a predicted
    // branch, cheaper here than Math.min/Math.max.
    codes[i] = q < 0 ? 0 : q > top ? top : q;
  }
  return s;
}

function decodeSymmetric(src: Uint8Array, m: number, p: ValueParams, sink: Sink): void {
  const b = p.param;
  const L = (1 << (b - 1)) - 1;
  const nc = chunkCount(m, p.chunk);
  const scales = readScales(src, 0, nc, false, L + 1);
  const codes = src.subarray(4 * nc);
  // x̂ = (code − L)Δ, fused into the sink's loop (Sink.putAffine), one block at a time: 8-bit
  // codes are read in place, narrower ones unpacked to bytes first.
  const c = p.chunk > 0 ? p.chunk : m;
  const tmp = b === 8 ? null : new Uint8Array(BLOCK);
  for (let ci = 0; ci < nc; ci++) {
    const d = scales[ci]!;
    const cs = ci * c;
    const ce = Math.min(m, cs + c);
    for (let start = cs; start < ce; start += BLOCK) {
      const len = Math.min(BLOCK, ce - start);
      if (tmp === null) {
        sink.putAffine(codes, start, L, d, start, len);
      } else {
        unpackBytes(codes, start, len, b, tmp);
        sink.putAffine(tmp, 0, L, d, start, len);
      }
    }
  }
}

/** `q<bits>`: deterministic symmetric quantization. */
export const symmetricCodec = makeSymmetric(4, 'q', false);
/** `sq<bits>`: unbiased stochastic symmetric quantization. */
export const stochasticCodec = makeSymmetric(5, 'sq', true);
