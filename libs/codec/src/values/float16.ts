import { CodecError, check } from '../errors.js';
import { BLOCK, type Sink } from './sink.js';
import type { ValueCodec } from './value-codec.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of `v`, round to nearest even; `-1` when |v| overflows binary16. */
export function toHalfBits(v: number): number {
  f32[0] = v;
  return halfFromFloatBits(u32[0]!);
}

/**
 * {@link toHalfBits} of the float32 with bit pattern `x`. Values in binary16's normal range
 * (float32 exponents 113–142) take a branch-free path: adding 0xFFF plus the lowest kept bit to
 * the magnitude rounds the 13 dropped bits to nearest even, a carry out of the mantissa bumps the
 * exponent, and rebiasing (127 − 15 = 112) is one subtraction (the usual RNE trick, e.g.
 * Giesen, "float->half variants", 2012). The `? :` branches it replaces mispredict on data.
 */
function halfFromFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  const exp = abs >>> 23;
  if (exp >= 113 && exp <= 142) {
    const h = ((abs + 0xfff + ((abs >>> 13) & 1)) >>> 13) - (112 << 10);
    return h >= 0x7c00 ? -1 : sign | h;
  }
  let mant = x & 0x7fffff;
  if (exp === 0xff) return -1;
  let e = exp - 127 + 15;
  if (e >= 31) return -1;
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-one mantissa right, round to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rem = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rem > half || (rem === half && (m & 1) === 1)) m++;
    return sign | m;
  }
  const rem = mant & 0x1fff;
  let m = mant >>> 13;
  if (rem > 0x1000 || (rem === 0x1000 && (m & 1) === 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return -1;
    }
  }
  return sign | (e << 10) | m;
}

/** The float value of binary16 bits `h` (NaN/Inf for exponent 31). */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 5.960464477539063e-8; // 2^-24
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** bfloat16 bits of `v` (upper half of float32, round to nearest even); `-1` on overflow. */
export function toBfloat16Bits(v: number): number {
  f32[0] = v;
  return bfloat16FromFloatBits(u32[0]!);
}

/** {@link toBfloat16Bits} of the float32 with bit pattern `x`. */
function bfloat16FromFloatBits(x: number): number {
  if ((x & 0x7f800000) === 0x7f800000) return -1;
  const r = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  return (r & 0x7f80) === 0x7f80 ? -1 : r;
}

/** The float value of bfloat16 bits `h`. */
export function fromBfloat16Bits(h: number): number {
  u32[0] = h << 16;
  return f32[0]!;
}

/** Raises the error for value i of `values`, which `name` cannot represent. */
function unrepresentable(values: Float32Array, i: number, name: string): never {
  const v = values[i]!;
  throw new CodecError(
    Number.isFinite(v) ? 'BAD_PARAM' : 'NON_FINITE',
    Number.isFinite(v) ? `value ${v} at ${i} overflows ${name}` : `input contains NaN or Infinity at ${i}`,
  );
}

// One encoding loop per format, each calling its converter directly: a loop shared through a
// function parameter sees two call targets once both codecs run, and V8 then stops inlining
// the converter (3× slower). The float32 bit patterns are read in place (a Float32Array is
// always 4-byte aligned); each value goes out as two little-endian bytes, a block per call (see
// BLOCK).

function encodeHalf(values: Float32Array, dst: Uint8Array): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let s = 0; s < bits.length; s += BLOCK)
    halfBlock(values, bits, s, Math.min(bits.length, s + BLOCK), dst);
}

function halfBlock(
  values: Float32Array,
  bits: Uint32Array,
  start: number,
  end: number,
  dst: Uint8Array,
): void {
  for (let i = start; i < end; i++) {
    const h = halfFromFloatBits(bits[i]!);
    if (h < 0) unrepresentable(values, i, 'f16');
    dst[2 * i] = h & 0xff;
    dst[2 * i + 1] = h >>> 8;
  }
}

function encodeBfloat16(values: Float32Array, dst: Uint8Array): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let s = 0; s < bits.length; s += BLOCK)
    bfloat16Block(values, bits, s, Math.min(bits.length, s + BLOCK), dst);
}

function bfloat16Block(
  values: Float32Array,
  bits: Uint32Array,
  start: number,
  end: number,
  dst: Uint8Array,
): void {
  for (let i = start; i < end; i++) {
    const h = bfloat16FromFloatBits(bits[i]!);
    if (h < 0) unrepresentable(values, i, 'bf16');
    dst[2 * i] = h & 0xff;
    dst[2 * i + 1] = h >>> 8;
  }
}

function makeHalfCodec(
  id: number,
  name: 'f16' | 'bf16',
  encodeInto: (values: Float32Array, dst: Uint8Array) => void,
): ValueCodec {
  // Decoding goes through a 65,536-entry table: one lookup per value.
  let table: Float32Array | undefined;
  const lookup = (): Float32Array => {
    if (!table) {
      table = new Float32Array(65536);
      for (let h = 0; h < 65536; h++) table[h] = name === 'f16' ? fromHalfBits(h) : fromBfloat16Bits(h);
    }
    return table;
  };
  return {
    id,
    name,
    checkParams: (p) => check(p.param === 0 && p.chunk === 0, 'BAD_PARAM', `${name} takes no parameters`),
    payloadBytes: (m) => 2 * m,
    encode: (values, _p, _rng, dst) => encodeInto(values, dst),
    decode(src, m, _p, sink: Sink) {
      const t = lookup();
      // Pass 1: NaN/Inf anywhere rejects the whole payload before any value reaches the sink.
      let bad = 0;
      for (let i = 0; i < m; i++) {
        const v = t[src[2 * i]! | (src[2 * i + 1]! << 8)]!;
        bad += v - v;
      }
      check(bad === 0, 'NON_FINITE', 'payload contains NaN or Infinity');
      const block = new Float32Array(BLOCK);
      for (let s = 0; s < m; s += BLOCK) {
        const len = Math.min(BLOCK, m - s);
        for (let i = 0; i < len; i++) {
          const o = 2 * (s + i);
          block[i] = t[src[o]! | (src[o + 1]! << 8)]!;
        }
        sink.put(block, s, len);
      }
    },
  };
}

/** IEEE binary16: 2 bytes per value, ~3.3 significant digits, range ±65,504. */
export const float16Codec = makeHalfCodec(2, 'f16', encodeHalf);
/** bfloat16: 2 bytes per value, float32's range with 8 bits of mantissa. */
export const bfloat16Codec = makeHalfCodec(3, 'bf16', encodeBfloat16);
