import { BitReader, BitWriter } from '../bits/bit-stream.js';
import { readVarint, varintBytes, writeVarint } from '../bits/varint.js';
import { CodecError, check } from '../errors.js';

/**
 * How the kept positions of a sparse tensor travel. Gaps g_i = p_i − p_{i−1} − 1 (p_{−1} = −1)
 * are what Rice and varint code; the encoder measures all three and keeps the cheapest.
 */
export enum PositionCoding {
  /** Golomb–Rice coded gaps with parameter b: unary(g >> b), then the b low bits. */
  Rice = 0,
  /** Unsigned LEB128 varints of the gaps. */
  Varint = 1,
  /** One bit per element, LSB-first. */
  Bitmap = 2,
  /** No bytes: positions regenerate from a seed (random-k). */
  Seeded = 3,
}

/** The chosen coding, its parameter and its exact size. */
export interface PositionPlan {
  readonly coding: PositionCoding;
  /** Rice parameter b (0 for the other codings). */
  readonly riceBits: number;
  readonly bytes: number;
}

/** Exact Rice cost in bits of the gaps of `pos[0..k)` for parameter b. */
function riceCostBits(pos: Uint32Array, k: number, b: number): number {
  let bits = k * (b + 1);
  let prev = -1;
  for (let i = 0; i < k; i++) {
    const p = pos[i]!;
    bits += (p - prev - 1) >>> b;
    prev = p;
  }
  return bits;
}

/**
 * Picks the cheapest of Rice (best b near log2 of the mean gap, measured exactly), varint and
 * bitmap for sorted positions `pos[0..k)` out of `n`.
 */
export function planPositions(pos: Uint32Array, k: number, n: number): PositionPlan {
  const bitmapBytes = Math.ceil(n / 8);
  if (k === 0) return { coding: PositionCoding.Rice, riceBits: 0, bytes: 0 };
  let varint = 0;
  let prev = -1;
  for (let i = 0; i < k; i++) {
    const p = pos[i]!;
    varint += varintBytes(p - prev - 1);
    prev = p;
  }
  const meanGap = (n - k) / k;
  const guess = meanGap >= 2 ? Math.floor(Math.log2(meanGap * Math.LN2)) : 0;
  let bestB = 0;
  let bestBits = Infinity;
  for (let b = Math.max(0, guess - 1); b <= Math.min(24, guess + 2); b++) {
    const bits = riceCostBits(pos, k, b);
    if (bits < bestBits) {
      bestBits = bits;
      bestB = b;
    }
  }
  const rice = Math.ceil(bestBits / 8);
  if (rice <= varint && rice <= bitmapBytes)
    return { coding: PositionCoding.Rice, riceBits: bestB, bytes: rice };
  if (varint <= bitmapBytes) return { coding: PositionCoding.Varint, riceBits: 0, bytes: varint };
  return { coding: PositionCoding.Bitmap, riceBits: 0, bytes: bitmapBytes };
}

/** Writes `pos[0..k)` with `plan` into `dst` (exactly `plan.bytes` long). */
export function writePositions(
  pos: Uint32Array,
  k: number,
  n: number,
  plan: PositionPlan,
  dst: Uint8Array,
): void {
  let prev = -1;
  switch (plan.coding) {
    case PositionCoding.Rice: {
      const w = new BitWriter(dst);
      const b = plan.riceBits;
      const mask = (1 << b) - 1;
      for (let i = 0; i < k; i++) {
        const g = pos[i]! - prev - 1;
        prev = pos[i]!;
        w.unary(g >>> b);
        if (b > 0) w.write(g & mask, b);
      }
      w.finish();
      return;
    }
    case PositionCoding.Varint: {
      let o = 0;
      for (let i = 0; i < k; i++) {
        o = writeVarint(dst, o, pos[i]! - prev - 1);
        prev = pos[i]!;
      }
      return;
    }
    case PositionCoding.Bitmap:
      for (let i = 0; i < k; i++) dst[pos[i]! >>> 3]! |= 1 << (pos[i]! & 7);
      void n;
      return;
    default:
      throw new CodecError('BAD_PARAM', `position coding ${plan.coding} has no bytes to write`);
  }
}

/**
 * Decodes exactly `k` strictly increasing positions below `n` from `src`, which must be consumed
 * whole (no trailing bytes, zero padding). Lies in any field raise a typed error.
 */
export function readPositions(
  src: Uint8Array,
  coding: PositionCoding,
  riceBits: number,
  k: number,
  n: number,
  out: Uint32Array,
): void {
  let prev = -1;
  switch (coding) {
    case PositionCoding.Rice: {
      check(riceBits <= 24, 'BAD_PARAM', `Rice parameter ${riceBits} exceeds 24`);
      const r = new BitReader(src);
      for (let i = 0; i < k; i++) {
        const q = r.unary(n);
        const g = q * 2 ** riceBits + (riceBits > 0 ? r.read(riceBits) : 0);
        const p = prev + 1 + g;
        check(p < n, 'BAD_LENGTH', `position ${p} is outside the tensor of ${n}`);
        out[i] = p;
        prev = p;
      }
      check(
        Math.ceil(r.bitPosition / 8) === src.length,
        'BAD_LENGTH',
        'position bytes do not match the kept count',
      );
      return;
    }
    case PositionCoding.Varint: {
      const tmp = new Uint32Array(1);
      let o = 0;
      for (let i = 0; i < k; i++) {
        o = readVarint(src, o, tmp);
        const p = prev + 1 + tmp[0]!;
        check(p < n, 'BAD_LENGTH', `position ${p} is outside the tensor of ${n}`);
        out[i] = p;
        prev = p;
      }
      check(o === src.length, 'BAD_LENGTH', 'position bytes do not match the kept count');
      return;
    }
    case PositionCoding.Bitmap: {
      check(src.length === Math.ceil(n / 8), 'BAD_LENGTH', 'bitmap length does not match the tensor');
      let c = 0;
      for (let byte = 0; byte < src.length; byte++) {
        let bits = src[byte]!;
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits & -bits);
          const p = byte * 8 + bit;
          check(p < n && c < k, 'BAD_LENGTH', 'bitmap sets more positions than declared');
          out[c++] = p;
          bits &= bits - 1;
        }
      }
      check(c === k, 'BAD_LENGTH', `bitmap sets ${c} positions, header says ${k}`);
      return;
    }
    default:
      throw new CodecError('UNKNOWN_STAGE', `unknown position coding ${coding as number}`);
  }
}

/**
 * The information-theoretic bound log2 C(n, k) / k in bits per kept index, summed term by term
 * (exact to float precision; O(k)).
 */
export function indexBoundBitsPerKept(n: number, k: number): number {
  if (k <= 0 || k >= n) return 0;
  const kk = Math.min(k, n - k);
  let bits = 0;
  for (let i = 0; i < kk; i++) bits += Math.log2((n - i) / (kk - i));
  return bits / k;
}
