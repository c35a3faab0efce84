/**
 * LSB-first bit packing of unsigned integers narrower than 32 bits. Value i occupies bits
 * [i·b, (i+1)·b) of the little-endian bit stream; the last byte is zero-padded.
 */
import { BLOCK } from '../block.js';

/** Bytes needed for `count` values of `bits` bits. */
export function packedBytes(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/** Packs `count` values from `src` (each < 2^bits) into `dst`, starting at bit 0 of `dst[0]`. */
export function packBits(
  src: Uint8Array | Uint16Array | Uint32Array,
  count: number,
  bits: number,
  dst: Uint8Array,
): void {
  // A block of BLOCK values (a multiple of 8) fills whole bytes, so blocks pack independently,
  // one kernel call each (see BLOCK on why).
  for (let s = 0; s < count; s += BLOCK) packRange(src, s, Math.min(count, s + BLOCK), bits, dst);
}

/** Packs values [start, end) of `src`; `start` is a multiple of 8, so they begin on a byte. */
function packRange(
  src: Uint8Array | Uint16Array | Uint32Array,
  start: number,
  end: number,
  bits: number,
  dst: Uint8Array,
): void {
  if (bits === 8) {
    for (let i = start; i < end; i++) dst[i] = src[i]!;
    return;
  }
  let acc = 0;
  let filled = 0;
  let o = (start / 8) * bits;
  for (let i = start; i < end; i++) {
    acc |= src[i]! << filled;
    filled += bits;
    while (filled >= 8) {
      dst[o++] = acc & 0xff;
      acc >>>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) dst[o] = acc & 0xff;
}

/** Unpacks values `[start, start + count)` of width `bits` from `src` into `dst[0..count)`. */
export function unpackBits(
  src: Uint8Array,
  start: number,
  count: number,
  bits: number,
  dst: Uint32Array | Int32Array,
): void {
  if (bits === 8) {
    for (let i = 0; i < count; i++) dst[i] = src[start + i]!;
    return;
  }
  const mask = (1 << bits) - 1;
  let bitPos = start * bits;
  for (let i = 0; i < count; i++) {
    const byte = bitPos >>> 3;
    const shift = bitPos & 7;
    // A value of ≤ 16 bits spans at most three bytes; reading past the end yields 0 (undefined | 0).
    const word = src[byte]! | ((src[byte + 1]! | 0) << 8) | ((src[byte + 2]! | 0) << 16);
    dst[i] = (word >>> shift) & mask;
    bitPos += bits;
  }
}

/**
 * {@link unpackBits} for widths of at most 8 bits into bytes: a value starting at bit offset
 * 0–7 of a byte spans at most two bytes. A separate function (rather than a wider `dst` type for
 * unpackBits) keeps each loop monomorphic for V8.
 */
export function unpackBytes(
  src: Uint8Array,
  start: number,
  count: number,
  bits: number,
  dst: Uint8Array,
): void {
  if (bits === 8) {
    dst.set(src.subarray(start, start + count));
    return;
  }
  const mask = (1 << bits) - 1;
  let bitPos = start * bits;
  const last = src.length - 1;
  for (let i = 0; i < count; i++) {
    const byte = bitPos >>> 3;
    // The second byte exists unless the value ends inside the last byte (then it is unused).
    const word = src[byte]! | (byte < last ? src[byte + 1]! << 8 : 0);
    dst[i] = (word >>> (bitPos & 7)) & mask;
    bitPos += bits;
  }
}
