import { CodecError, check } from '../errors.js';

/** Writes `scales` as little-endian float32 at `dst[offset..]`; returns the new offset. */
export function writeScales(dst: Uint8Array, offset: number, scales: Float32Array): number {
  const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  for (let i = 0; i < scales.length; i++) view.setFloat32(offset + 4 * i, scales[i]!, true);
  return offset + 4 * scales.length;
}

/**
 * Whether `scale × factor` (a chunk's scale times its largest code magnitude, i.e. the largest
 * value that chunk can decode to) stays finite in float32. Encoders refuse inputs that fail it
 * (`BAD_PARAM`) and decoders refuse scales that fail it (`NON_FINITE`), so no byte string with
 * finite scales decodes to ±Infinity.
 */
export function decodesFinite(scale: number, factor: number): boolean {
  return Math.fround(scale * factor) !== Infinity;
}

/**
 * Reads `count` float32 scales; each must be finite (and ≥ 0 unless `signed`), and so must
 * `scale × factor` ({@link decodesFinite}).
 */
export function readScales(
  src: Uint8Array,
  offset: number,
  count: number,
  signed = false,
  factor = 1,
): Float32Array {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getFloat32(offset + 4 * i, true);
    check(Number.isFinite(v), 'NON_FINITE', `scale ${i} is not finite`);
    check(signed || v >= 0, 'BAD_VALUE', `scale ${i} is negative`);
    if (!decodesFinite(v, factor))
      throw new CodecError('NON_FINITE', `scale ${i} × ${factor} overflows float32`);
    out[i] = v;
  }
  return out;
}

/** Rounds a scale to float32, the precision it travels at, so encoder and decoder agree. */
export const f32 = Math.fround;
