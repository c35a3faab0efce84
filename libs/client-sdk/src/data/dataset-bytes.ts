/**
 * A compact binary form of a labelled dataset, for the coordinator to hand a demo partition to a
 * browser page (`GET /client/data/:index`). Lossless: when the samples take at most 256 distinct
 * values (8-bit images, and MNIST's digits, whose grey levels are rounded to 0.001), each value is
 * a one-byte index into a float32 palette; otherwise the values are float32. Little-endian:
 *
 * ```
 * "FZD1"                 magic, 4 bytes
 * u8  encoding           0: float32 values, 1: palette
 * u8  rank               1–4
 * u16 numClasses         1–65535
 * u32 n                  samples
 * u32 × rank             the shape of one sample
 * (palette) u16 size     1–256, then size × f32 values
 * u16 × n                labels
 * x                      n·f × f32 (encoding 0) or n·f × u8 palette indices (encoding 1)
 * ```
 */
import type { TrainingData } from '@fedzip/model';

const MAGIC = [0x46, 0x5a, 0x44, 0x31]; // "FZD1"
const FLOAT32 = 0;
const PALETTE = 1;

/** Limits {@link decodeDatasetBytes} enforces on untrusted bytes. */
export interface DatasetBytesLimits {
  /** Most values (samples × features) accepted. Default 2²⁶ (256 MiB of float32). */
  readonly maxValues?: number;
}

/** The distinct values of `x` in a palette, or null when there are more than 256. */
function paletteOf(x: Float32Array): Float32Array | null {
  const seen = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!seen.has(v)) {
      if (seen.size === 256 || Number.isNaN(v)) return null;
      seen.set(v, seen.size);
    }
  }
  return Float32Array.from(seen.keys());
}

/**
 * Encodes a dataset (see the module comment for the layout).
 *
 * @throws RangeError when a label or the class count does not fit 16 bits, or the shape is not 1–4 dims.
 */
export function encodeDatasetBytes(data: TrainingData): Uint8Array {
  const { n, shape, numClasses, x, y } = data;
  if (shape.length < 1 || shape.length > 4)
    throw new RangeError(`shape [${shape.join(', ')}] must have 1–4 dims`);
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 0xffff) {
    throw new RangeError(`numClasses ${numClasses} does not fit 16 bits`);
  }
  const palette = paletteOf(x);
  const head = 12 + 4 * shape.length + (palette ? 2 + 4 * palette.length : 0);
  const bytes = new Uint8Array(head + 2 * n + (palette ? x.length : 4 * x.length));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint8(4, palette ? PALETTE : FLOAT32);
  view.setUint8(5, shape.length);
  view.setUint16(6, numClasses, true);
  view.setUint32(8, n, true);
  let at = 12;
  for (const d of shape) {
    view.setUint32(at, d, true);
    at += 4;
  }
  const index = new Map<number, number>();
  if (palette) {
    view.setUint16(at, palette.length, true);
    at += 2;
    palette.forEach((v, i) => {
      view.setFloat32(at + 4 * i, v, true);
      index.set(v, i);
    });
    at += 4 * palette.length;
  }
  for (let i = 0; i < n; i++) {
    const label = y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(`label ${label} of sample ${i} is outside [0, ${numClasses})`);
    }
    view.setUint16(at, label, true);
    at += 2;
  }
  if (palette) {
    for (let i = 0; i < x.length; i++) bytes[at + i] = index.get(x[i]!)!;
  } else {
    for (let i = 0; i < x.length; i++) view.setFloat32(at + 4 * i, x[i]!, true);
  }
  return bytes;
}

/**
 * Decodes {@link encodeDatasetBytes}'s output into a fresh dataset (no views into `bytes`).
 *
 * @throws Error naming what is wrong when the bytes are not such a dataset (bad magic, unknown
 *   encoding, lengths that disagree, labels out of range, a palette index past the palette).
 */
export function decodeDatasetBytes(bytes: Uint8Array, limits: DatasetBytesLimits = {}): TrainingData {
  const bad = (why: string): never => {
    throw new Error(`not a fedzip dataset: ${why}`);
  };
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) bad('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoding = view.getUint8(4);
  const rank = view.getUint8(5);
  const numClasses = view.getUint16(6, true);
  const n = view.getUint32(8, true);
  if (encoding !== FLOAT32 && encoding !== PALETTE) bad(`unknown encoding ${encoding}`);
  if (rank < 1 || rank > 4) bad(`rank ${rank}`);
  if (numClasses < 1) bad('no classes');
  let at = 12;
  if (bytes.length < at + 4 * rank) bad('truncated shape');
  const shape: number[] = [];
  for (let i = 0; i < rank; i++, at += 4) {
    const d = view.getUint32(at, true);
    if (d < 1) bad(`dimension ${i} is 0`);
    shape.push(d);
  }
  const f = shape.reduce((a, b) => a * b, 1);
  const values = n * f;
  if (values > (limits.maxValues ?? 2 ** 26)) bad(`${n} samples of ${f} values exceed the limit`);
  let palette: Float32Array | null = null;
  if (encoding === PALETTE) {
    if (bytes.length < at + 2) bad('truncated palette');
    const size = view.getUint16(at, true);
    at += 2;
    if (size < 1 || size > 256) bad(`palette of ${size} values`);
    if (bytes.length < at + 4 * size) bad('truncated palette');
    palette = new Float32Array(size);
    for (let i = 0; i < size; i++) palette[i] = view.getFloat32(at + 4 * i, true);
    at += 4 * size;
  }
  const expected = at + 2 * n + (palette ? values : 4 * values);
  if (bytes.length !== expected) bad(`${bytes.length} bytes, expected ${expected}`);
  const y = new Uint16Array(n);
  for (let i = 0; i < n; i++, at += 2) {
    const label = view.getUint16(at, true);
    if (label >= numClasses) bad(`label ${label} of sample ${i} is outside [0, ${numClasses})`);
    y[i] = label;
  }
  const x = new Float32Array(values);
  if (palette) {
    for (let i = 0; i < values; i++) {
      const v = palette[bytes[at + i]!];
      if (v === undefined) bad(`palette index ${bytes[at + i]} past the palette`);
      x[i] = v!;
    }
  } else {
    for (let i = 0; i < values; i++) x[i] = view.getFloat32(at + 4 * i, true);
  }
  return { x, y, n, shape, numClasses };
}
