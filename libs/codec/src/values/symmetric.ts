import { CodecError, check } from '../errors.js';
import { packBits, packedBytes, unpackBits } from '../bits/bit-pack.js';
import type { Rng } from '../rng.js';
import { f32, readScales, writeScales } from './scales.js';
import { BLOCK, type Sink, chunkCount, forEachBlock } from './sink.js';
import type { ValueCodec, ValueParams } from './value-codec.js';

/**
 * Symmetric linear quantization to b bits (REFERENCES.md): Δ = max|x| / L with L = 2^(b−1) − 1,
 * q = clamp(round(x/Δ)) ∈ [−L, L], x̂ = qΔ. Codes travel as q + L in b bits. The encoder never
 * writes the all-ones code; a decoder maps it to (L + 1)Δ, so every byte string decodes to finite
 * values once the scales are checked. One Δ per chunk.
 *
 * `q<b>` rounds to nearest (|x − x̂| ≤ Δ/2). `sq<b>` rounds stochastically, q = ⌊x/Δ + u⌋ with
 * u ~ U[0, 1) from an inline xorshift32 seeded by the caller's Rng, so E[x̂] = x.
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
  };
}

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
    let max = 0;
    let bad = 0;
    for (let i = start; i < end; i++) {
      const v = x[i]!;
      bad += v - v;
      const a = v < 0 ? -v : v;
      if (a > max) max = a;
    }
    if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
    const delta = f32(max / L);
    scales[ci] = delta;
    const inv = delta > 0 ? 1 / delta : 0;
    if (!rng) {
      // round-half-up of x/Δ + L via truncation of a positive number (branchless, REFERENCES.md)
      const off = L + 0.5;
      for (let i = start; i < end; i++) {
        const q = (x[i]! * inv + off) | 0;
        codes[i] = q > 2 * L ? 2 * L : q;
      }
    } else {
      const top = 2 * L;
      for (let i = start; i < end; i++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const u = (s >>> 0) * 2.3283064365386963e-10;
        // floor(x/Δ + u) + L, computed as a truncation of a value kept ≥ 0
        let q = (x[i]! * inv + u + L + 1) | 0;
        q -= 1;
        codes[i] = q < 0 ? 0 : q > top ? top : q;
      }
    }
  }
  writeScales(dst, 0, scales);
  if (b !== 8) packBits(codes, m, b, codesOut);
}

function decodeSymmetric(src: Uint8Array, m: number, p: ValueParams, sink: Sink): void {
  const b = p.param;
  const L = (1 << (b - 1)) - 1;
  const nc = chunkCount(m, p.chunk);
  const scales = readScales(src, 0, nc);
  const codes = src.subarray(4 * nc);
  const block = new Float32Array(BLOCK);
  const tmp = b === 8 ? null : new Uint32Array(BLOCK);
  forEachBlock(m, p.chunk, (start, len, ci) => {
    const d = scales[ci]!;
    if (tmp === null) {
      for (let i = 0; i < len; i++) {
        block[i] = (codes[start + i]! - L) * d;
      }
    } else {
      unpackBits(codes, start, len, b, tmp);
      for (let i = 0; i < len; i++) {
        block[i] = (tmp[i]! - L) * d;
      }
    }
    sink.put(block, start, len);
  });
}

/** `q<bits>`: deterministic symmetric quantization. */
export const symmetricCodec = makeSymmetric(4, 'q', false);
/** `sq<bits>`: unbiased stochastic symmetric quantization. */
export const stochasticCodec = makeSymmetric(5, 'sq', true);
