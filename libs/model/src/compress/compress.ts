/**
 * Weight compression for the first download, through `@fedzip/codec`'s self-describing format so
 * that a client decodes it with the same `decode` it uses for every other model message. The
 * model's flat weights (`getFlatWeights`, layout order) travel as ONE encoded tensor:
 *
 * - `int8`: symmetric int8 in the TFLite convention (zero point 0, codes in [−127, 127]) →
 *   `q8(chunk=C)`, one float32 scale per run of C consecutive values. TFLite scales per output
 *   channel; in tfjs's layout (`[kh, kw, in, out]`, `[in, out]`) an output channel is strided, not
 *   contiguous, so it cannot be a chunk. Instead C is chosen so that the message carries about as
 *   many scales as per-channel int8 would (total values / Σ output channels, rounded down to a
 *   power of two in [64, 4096]; 512 for the default student). Every value is then quantized with
 *   Δ = max|chunk| / 127 ≤ max|tensor| / 127, never worse than per-tensor int8. The approximation:
 *   chunks do not align with tensor boundaries (tensor sizes share no useful divisor: the default
 *   student's share 2), so at most one chunk per boundary mixes two tensors and takes the larger
 *   step of the two — in practice a bias sharing a chunk with the end of a kernel.
 * - `kmeans:<k>`: weight sharing (Han et al. 2016, Deep Compression) → `kmeans:<k>(chunk=C)`, one
 *   codebook of k float32 centroids per C values, C the smallest power of two that keeps the
 *   codebooks under about 5 % of the index bits.
 * - `none`: float32.
 *
 * Pruned weights are stored sparsely: `thresh:1e-45+<value stage>` keeps every value with
 * |x| ≥ 1e-45, i.e. exactly the non-zeros (the smallest float32 subnormal is 1.4e-45), and their
 * positions are Rice-coded (docs/wire-format.md §3). Zeros therefore decode to exact zeros. With
 * `sparse: 'auto'` the sparse form is used when it is smaller, and always for k-means when there are
 * zeros (a dense k-means codebook would turn zeros into the nearest centroid).
 */
import { type EncodedTensor, createCodec, decode, decodePositions, parseEncoded } from '@fedzip/codec';
import { check } from '../errors.js';
import type { WeightLayout } from '../flat-weights.js';
import { zeroFraction } from '../prune/masks.js';

/** The weight quantizations of `model.compress.quantize`. */
export type QuantizeMode = 'int8' | 'none' | `kmeans:${number}`;

/** The threshold of the sparse stage: below the smallest float32 subnormal, so it keeps exactly the non-zeros. */
export const NONZERO_THRESHOLD = 1e-45;

/** Options of {@link compressWeights}. */
export interface CompressOptions {
  /** Default `'int8'`. */
  quantize?: QuantizeMode;
  /** Values per scale or codebook; default chosen from the layout as described above. */
  chunk?: number;
  /**
   * `'auto'` (default): the sparse form when it is smaller (and always for k-means with zeros);
   * `'always'` / `'never'` force it.
   */
  sparse?: 'auto' | 'always' | 'never';
}

/** The compressed download. */
export interface CompressedWeights {
  /** The codec pipeline, e.g. `q8(chunk=512)` or `thresh:1e-45+q8(chunk=512)`. */
  readonly spec: string;
  /** The encoded tensor: what the client downloads. */
  readonly bytes: EncodedTensor;
  /** `decode(bytes)`: the weights the client ends up with (the global model at version 0). */
  readonly weights: Float32Array;
  /**
   * Fraction of exact zeros in the input (all values, biases included): what pruning achieved.
   * Zeros stay zeros in `weights`; a few tiny kept weights may also quantize to zero there.
   */
  readonly sparsity: number;
}

function pow2Floor(x: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, x)));
}

function pow2Ceil(x: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, x)));
}

/**
 * The int8 chunk: about one scale per output channel of the kernels (total / Σ last dimension of
 * the rank ≥ 2 tensors), rounded down to a power of two and clamped to [64, 4096]. 512 without
 * a layout.
 */
export function int8Chunk(layout?: WeightLayout): number {
  if (layout === undefined) return 512;
  let channels = 0;
  for (const e of layout.entries) if (e.shape.length >= 2) channels += e.shape[e.shape.length - 1]!;
  if (channels === 0) return 512;
  return Math.min(4096, Math.max(64, pow2Floor(layout.totalSize / channels)));
}

/**
 * The k-means chunk: the smallest power of two C (in [256, 65536]) with codebook bytes 4k per C
 * values at most 5 % of the index bytes C·⌈log2 k⌉/8, i.e. C ≥ 640·k / ⌈log2 k⌉.
 */
export function kmeansChunk(k: number): number {
  const w = Math.max(1, Math.ceil(Math.log2(k)));
  return Math.min(65_536, Math.max(256, pow2Ceil((640 * k) / w)));
}

/** The dense value stage for a quantize mode, e.g. `q8(chunk=512)`. */
export function valueStage(quantize: QuantizeMode, layout?: WeightLayout, chunk?: number): string {
  if (quantize === 'none') return 'f32';
  if (quantize === 'int8') return `q8(chunk=${chunk ?? int8Chunk(layout)})`;
  const m = /^kmeans:(\d+)$/.exec(quantize);
  const k = m ? Number(m[1]) : NaN;
  check(Number.isInteger(k) && k >= 2 && k <= 256, 'BAD_OPTION', `unknown quantize ${String(quantize)}`);
  return `kmeans:${k}(chunk=${chunk ?? kmeansChunk(k)})`;
}

function encodeWith(spec: string, flat: Float32Array): { spec: string; bytes: EncodedTensor } {
  const codec = createCodec(spec);
  return { spec: codec.id, bytes: codec.encode(flat, 0) };
}

/**
 * Compresses flat weights (in `layout`'s order) for download: quantized as `options.quantize`
 * says, zeros stored sparsely when that pays (see the module comment). Returns the spec, the
 * encoded bytes, the decoded weights and their sparsity. Deterministic.
 *
 * @throws {@link ModelError} `BAD_OPTION` for an unknown quantize mode or chunk, `LAYOUT_MISMATCH`
 *   when `flat` does not have the layout's length.
 */
export function compressWeights(
  flat: Float32Array,
  layout?: WeightLayout,
  options: CompressOptions = {},
): CompressedWeights {
  check(
    layout === undefined || layout.totalSize === flat.length,
    'LAYOUT_MISMATCH',
    `flat weights have ${flat.length} values, the layout ${layout?.totalSize}`,
  );
  const quantize = options.quantize ?? 'int8';
  check(
    options.chunk === undefined || (Number.isInteger(options.chunk) && options.chunk >= 1),
    'BAD_OPTION',
    `chunk must be a positive integer, got ${options.chunk}`,
  );
  const sparse = options.sparse ?? 'auto';
  check(
    sparse === 'auto' || sparse === 'always' || sparse === 'never',
    'BAD_OPTION',
    `sparse must be auto, always or never, got ${String(sparse)}`,
  );
  const value = valueStage(quantize, layout, options.chunk);
  const zeros = zeroFraction(flat);
  const dense = value === 'f32' ? 'none' : value;
  const sparseSpec = `thresh:${NONZERO_THRESHOLD}+${value}`;
  let chosen: { spec: string; bytes: EncodedTensor };
  if (sparse === 'never' || (sparse === 'auto' && zeros === 0)) {
    chosen = encodeWith(dense, flat);
  } else if (sparse === 'always' || quantize.startsWith('kmeans')) {
    chosen = encodeWith(sparseSpec, flat);
  } else {
    const a = encodeWith(dense, flat);
    const b = encodeWith(sparseSpec, flat);
    chosen = b.bytes.length < a.bytes.length ? b : a;
  }
  const weights = decode(chosen.bytes, { expectedLength: flat.length });
  return { spec: chosen.spec, bytes: chosen.bytes, weights, sparsity: zeros };
}

/** The per-chunk scales of a `q<b>`/`sq<b>` message, as stored (docs/wire-format.md §4). */
export interface ChunkScales {
  /** Bits per code. */
  readonly bits: number;
  /** Values per scale (0: one scale for all). */
  readonly chunk: number;
  /** Values stored (k for a sparse message). */
  readonly m: number;
  /** Positions of the stored values in the dense tensor (null: dense, value i is position i). */
  readonly positions: Uint32Array | null;
  /** One Δ per chunk. */
  readonly scales: Float32Array;
}

/**
 * Reads the scales Δ of a symmetric-quantized message, e.g. to check that every weight decoded
 * within Δ/2 of the original.
 *
 * @throws {@link ModelError} `BAD_OPTION` when the message is not `q<b>`/`sq<b>`.
 */
export function chunkScales(bytes: Uint8Array): ChunkScales {
  const t = parseEncoded(bytes);
  check(t.value.name === 'q' || t.value.name === 'sq', 'BAD_OPTION', `not a q/sq message (${t.value.name})`);
  const { chunk, param } = t.params;
  const nc = t.m === 0 ? 0 : chunk > 0 ? Math.ceil(t.m / chunk) : 1;
  const view = new DataView(t.payload.buffer, t.payload.byteOffset, t.payload.byteLength);
  const scales = new Float32Array(nc);
  for (let i = 0; i < nc; i++) scales[i] = view.getFloat32(4 * i, true);
  const positions = t.sparse === null ? null : decodePositions(t.sparse, t.n);
  return { bits: param, chunk, m: t.m, positions, scales };
}
