import { CodecError, check } from '../errors.js';

/** Bytes of the unsigned LEB128 encoding of `v` (v < 2^32). */
export function varintBytes(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Writes unsigned LEB128; returns the new offset. */
export function writeVarint(dst: Uint8Array, offset: number, v: number): number {
  while (v >= 0x80) {
    dst[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  dst[offset++] = v;
  return offset;
}

/** Reads unsigned LEB128 of at most 5 bytes into `out[0]`; returns the new offset. */
export function readVarint(src: Uint8Array, offset: number, out: Uint32Array): number {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    check(offset < src.length, 'TRUNCATED', 'buffer ends inside a varint');
    const b = src[offset++]!;
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      check(v <= 0xffffffff, 'BAD_LENGTH', 'varint exceeds 32 bits');
      out[0] = v;
      return offset;
    }
  }
  throw new CodecError('BAD_LENGTH', 'varint longer than 5 bytes');
}
