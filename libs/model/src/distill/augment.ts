/**
 * Training-time augmentation of image-shaped samples: random integer shifts of up to ±k pixels
 * with zero fill (the "±2 px shifts" of the teacher calibration run and of the distillation
 * transfer set). Works on flat typed arrays, one row per sample, without tensors.
 */
import type { Rng } from '@fedzip/codec';
import { sampleSize } from '../data-types.js';
import { check } from '../errors.js';

/**
 * The `[H, W, C]` of an image-shaped sample shape (`[H, W, C]` or `[H, W]`), or null for a flat
 * one: shifting a flat feature vector has no meaning, so augmentation leaves it alone.
 */
export function imageDims(shape: readonly number[]): [number, number, number] | null {
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!, 1];
  return null;
}

/**
 * Copies `src` (one `[H, W, C]` image, row-major) into `dst` shifted by `dy` rows and `dx`
 * columns: `dst[y][x] = src[y − dy][x − dx]`, zero where that falls outside the image.
 */
export function shiftImage(
  src: Float32Array,
  dst: Float32Array,
  dims: readonly [number, number, number],
  dy: number,
  dx: number,
): void {
  const [h, w, c] = dims;
  const row = w * c;
  dst.fill(0);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  if (x1 <= x0) return;
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    const from = (y - dy) * row + (x0 - dx) * c;
    dst.set(src.subarray(from, from + (x1 - x0) * c), y * row + x0 * c);
  }
}

/**
 * Gathers the samples `order[from, to)` of `x` (rows of `product(shape)` values) into `out`, each
 * shifted by a random (dy, dx) drawn uniformly from [−k, k]² with `rng` when `k > 0` and the
 * samples are image-shaped, else copied as they are. Returns `out`.
 */
export function gatherShifted(
  x: Float32Array,
  shape: readonly number[],
  order: ArrayLike<number> | null,
  from: number,
  to: number,
  k: number,
  rng: Rng,
  out: Float32Array = new Float32Array((to - from) * sampleSize(shape)),
): Float32Array {
  check(Number.isInteger(k) && k >= 0, 'BAD_OPTION', `shiftPixels must be an integer ≥ 0, got ${k}`);
  const f = sampleSize(shape);
  const dims = k > 0 ? imageDims(shape) : null;
  for (let j = 0; j < to - from; j++) {
    const i = order === null ? from + j : order[from + j]!;
    const src = x.subarray(i * f, i * f + f);
    const dst = out.subarray(j * f, j * f + f);
    if (dims === null) {
      dst.set(src);
    } else {
      const span = 2 * k + 1;
      const dy = (rng.nextUint32() % span) - k;
      const dx = (rng.nextUint32() % span) - k;
      shiftImage(src, dst, dims, dy, dx);
    }
  }
  return out;
}
