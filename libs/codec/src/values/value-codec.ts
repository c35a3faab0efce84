import type { Rng } from '../rng.js';
import type { Sink } from './sink.js';

/** Names of the value stages, as written in a pipeline spec. */
export type ValueName = 'f32' | 'f16' | 'bf16' | 'q' | 'sq' | 'aq' | 'qsgd' | 'kmeans' | 'sign' | 'ternary';

/** Parameters of a value stage, as stored in the encoded header. */
export interface ValueParams {
  /** Bits (`q`, `sq`, `aq`), levels (`qsgd`) or centroids (`kmeans`); 0 where unused. */
  readonly param: number;
  /** Values per scale (or codebook); 0 means one for the whole tensor. */
  readonly chunk: number;
  /** Lloyd iterations for `kmeans` (encoder only, not stored). */
  readonly iters?: number;
}

/** An entropy-coded payload, ready to be written: see {@link EntropyStage.code}. */
export interface CodedPayload {
  /** Exact size in bytes, always below the raw `payloadBytes(m, p)`. */
  readonly bytes: number;
  /** Writes the coded payload into `dst[0..bytes)`. */
  write(dst: Uint8Array): void;
}

/**
 * Lossless entropy coding of a value stage's raw payload (header flags bit 0, format version 2;
 * docs/wire-format.md §4.1). Decoding the coded form gives bit-identical values to decoding the
 * raw payload it came from.
 */
export interface EntropyStage {
  /** The coded form of a raw payload of m values, or null unless it is strictly shorter. */
  code(raw: Uint8Array, m: number, p: ValueParams): CodedPayload | null;
  /** Fewest bytes a coded payload of m values can have (checked before anything m-sized is allocated). */
  minBytes(m: number, p: ValueParams): number;
  /** Like {@link ValueCodec.decode}, for a coded payload; all-or-nothing as well. */
  decode(src: Uint8Array, m: number, p: ValueParams, sink: Sink): void;
  /** The stage's optional entropy coding of its codes (`q`, `sq`). */
  readonly entropy?: EntropyStage;
}

/**
 * One value stage: turns m floats into bytes and back. `encode` writes exactly
 * `payloadBytes(m, p)` bytes and rejects NaN/Inf. `decode` streams values to a {@link Sink} block
 * by block and is all-or-nothing: every check that can fail (scales, codebooks, codes, NaN/Inf)
 * runs before the first `put`, so a hostile payload never half-lands in a server's running sum.
 */
export interface ValueCodec {
  /** Stable wire id (see docs/wire-format.md). */
  readonly id: number;
  readonly name: ValueName;
  /** Raises `BAD_PARAM` for parameters this stage cannot encode or decode. */
  checkParams(p: ValueParams): void;
  payloadBytes(m: number, p: ValueParams): number;
  encode(values: Float32Array, p: ValueParams, rng: Rng, dst: Uint8Array): void;
  decode(src: Uint8Array, m: number, p: ValueParams, sink: Sink): void;
  /** The stage's optional entropy coding of its codes (`q`, `sq`). */
  readonly entropy?: EntropyStage;
}
