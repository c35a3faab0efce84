/**
 * CRC-32/IEEE 802.3 (reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF), as
 * in zlib, PNG and the `crc-32` package, computed by "slicing-by-16" (Kounavis & Berry 2008,
 * "Novel Table Lookup-Based Algorithms for High-Performance CRC Generation", generalised from
 * slicing-by-8): table k maps a byte to its CRC contribution k bytes ahead, so one step folds 16
 * input bytes with 16 independent lookups. The aligned middle of the input is read four bytes at
 * a time through an Int32Array view (little-endian hosts), the ends byte by byte. All 16 tables
 * live in one Int32Array so that V8 keeps a single base pointer. Same values as `crc-32`'s
 * byte-wise slicing-by-16, ~5% faster at its best, and steady across processes (see BLOCK).
 */
import { BLOCK } from '../block.js';

const POLY = 0xedb88320;

/** T[k·256 + b]: CRC of byte b followed by k zero bytes (k = 0: the classic byte table). */
const T = new Int32Array(16 * 256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[b] = c;
}
for (let b = 0; b < 256; b++) {
  let c = T[b]!;
  for (let k = 1; k < 16; k++) {
    c = (c >>> 8) ^ T[c & 0xff]!;
    T[k * 256 + b] = c;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** CRC-32 (IEEE 802.3, as in zlib and PNG) of `bytes`, as an unsigned integer. */
export function crc32(bytes: Uint8Array): number {
  const len = bytes.length;
  let c = -1;
  let i = 0;
  if (LITTLE_ENDIAN && len >= 32) {
    // Bytes up to a 4-byte boundary of the underlying buffer, then 16-byte steps.
    const head = (4 - (bytes.byteOffset & 3)) & 3;
    for (; i < head; i++) c = (c >>> 8) ^ T[(c ^ bytes[i]!) & 0xff]!;
    const steps = (len - i) >>> 4;
    const w = new Int32Array(bytes.buffer, bytes.byteOffset + i, steps * 4);
    // BLOCK words per kernel call (see BLOCK on why); BLOCK is a multiple of 4.
    for (let j = 0; j < w.length; j += BLOCK) c = crcSteps(w, j, Math.min(w.length, j + BLOCK), c);
    i += steps * 16;
  }
  for (; i < len; i++) c = (c >>> 8) ^ T[(c ^ bytes[i]!) & 0xff]!;
  return ~c >>> 0;
}

/** Folds the 16-byte steps `w[start..end)` (four words each) into the running CRC `c`. */
function crcSteps(w: Int32Array, start: number, end: number, c: number): number {
  for (let j = start; j < end; j += 4) {
    // The running CRC folds into the first four bytes; byte p of the step uses table 15 − p.
    const a = w[j]! ^ c;
    const b = w[j + 1]!;
    const d = w[j + 2]!;
    const e = w[j + 3]!;
    c =
      T[3840 + (a & 0xff)]! ^
      T[3584 + ((a >>> 8) & 0xff)]! ^
      T[3328 + ((a >>> 16) & 0xff)]! ^
      T[3072 + (a >>> 24)]! ^
      T[2816 + (b & 0xff)]! ^
      T[2560 + ((b >>> 8) & 0xff)]! ^
      T[2304 + ((b >>> 16) & 0xff)]! ^
      T[2048 + (b >>> 24)]! ^
      T[1792 + (d & 0xff)]! ^
      T[1536 + ((d >>> 8) & 0xff)]! ^
      T[1280 + ((d >>> 16) & 0xff)]! ^
      T[1024 + (d >>> 24)]! ^
      T[768 + (e & 0xff)]! ^
      T[512 + ((e >>> 8) & 0xff)]! ^
      T[256 + ((e >>> 16) & 0xff)]! ^
      T[e >>> 24]!;
  }
  return c;
}
