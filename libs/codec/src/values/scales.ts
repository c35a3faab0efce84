import { check } from '../errors.js';

/** Writes `scales` as little-endian float32 at `dst[offset..]`; returns the new offset. */
export function writeScales(dst: Uint8Array, offset: number, scales: Float32Array): number {
  const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  for (let i = 0; i < scales.length; i++) view.setFloat32(offset + 4 * i, scales[i]!, true);
  return offset + 4 * scales.length;
}

/** Reads `count` float32 scales; each must be finite (and ≥ 0 unless `signed`). */
export function readScales(src: Uint8Array, offset: number, count: number, signed = false): Float32Array {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getFloat32(offset + 4 * i, true);
    check(Number.isFinite(v), 'NON_FINITE', `scale ${i} is not finite`);
    check(signed || v >= 0, 'BAD_VALUE', `scale ${i} is negative`);
    out[i] = v;
  }
  return out;
}

/** Rounds a scale to float32, the precision it travels at, so encoder and decoder agree. */
export const f32 = Math.fround;
