import type { ValueName } from '../values/value-codec.js';

/** The sparsifier stage of a pipeline, as a config object. */
export type SparsifierSpec =
  | { readonly kind: 'topk'; readonly fraction: number }
  | { readonly kind: 'approx-topk'; readonly fraction: number; readonly sample?: number }
  | { readonly kind: 'randk'; readonly fraction: number }
  | { readonly kind: 'thresh'; readonly threshold: number };

/** The value stage of a pipeline, as a config object. `chunk` 0 or absent: one scale per tensor. */
export type ValueSpec =
  | { readonly kind: 'f32' | 'f16' | 'bf16' }
  | { readonly kind: 'q' | 'sq' | 'aq'; readonly bits: number; readonly chunk?: number }
  | { readonly kind: 'qsgd'; readonly levels: number; readonly chunk?: number }
  | { readonly kind: 'kmeans'; readonly centroids: number; readonly chunk?: number; readonly iters?: number }
  | { readonly kind: 'sign' | 'ternary'; readonly chunk?: number };

/**
 * A compression pipeline: an optional sparsifier, then a value codec. The config-object twin of
 * the spec string (`topk:0.01+q8`); {@link parseSpec} and {@link formatSpec} convert between them.
 */
export interface PipelineSpec {
  readonly sparsifier?: SparsifierSpec;
  readonly value: ValueSpec;
}

/** QSGD's default bucket size (values per scale) when the spec names none. */
export const QSGD_DEFAULT_BUCKET = 512;
/** Approximate top-k's default sample fraction (DGC samples 0.1–1%). */
export const APPROX_DEFAULT_SAMPLE = 0.01;

/** The `param` of a value spec as stored on the wire (bits, levels or centroids). */
export function valueParam(v: ValueSpec): number {
  switch (v.kind) {
    case 'q':
    case 'sq':
    case 'aq':
      return v.bits;
    case 'qsgd':
      return v.levels;
    case 'kmeans':
      return v.centroids;
    default:
      return 0;
  }
}

/** The chunk size of a value spec (0 = per tensor; QSGD defaults to 512). */
export function valueChunk(v: ValueSpec): number {
  if (!('chunk' in v) || v.chunk === undefined) return v.kind === 'qsgd' ? QSGD_DEFAULT_BUCKET : 0;
  return v.chunk;
}

/** Builds a value spec from its wire form (inverse of {@link valueParam} / {@link valueChunk}). */
export function valueSpecFromWire(kind: ValueName, param: number, chunk: number): ValueSpec {
  const c = chunk === 0 ? {} : { chunk };
  switch (kind) {
    case 'q':
    case 'sq':
    case 'aq':
      return { kind, bits: param, ...c };
    case 'qsgd':
      return { kind, levels: param, chunk };
    case 'kmeans':
      return { kind, centroids: param, ...c };
    case 'sign':
    case 'ternary':
      return { kind, ...c };
    default:
      return { kind };
  }
}
