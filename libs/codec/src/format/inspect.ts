import { indexBoundBitsPerKept } from '../positions/position-coding.js';
import { type PipelineSpec, type SparsifierSpec, valueSpecFromWire } from '../spec/pipeline-spec.js';
import { formatSpec } from '../spec/format-spec.js';
import { type DecodeLimits, type ParsedTensor, parseEncoded } from './parse.js';

/** What `fedzip codec inspect` prints: a summary of a message, computed from its header alone. */
export interface EncodedInfo {
  readonly version: number;
  /** Canonical spec string of the pipeline that produced the message. */
  readonly spec: string;
  readonly stages: readonly Record<string, unknown>[];
  readonly n: number;
  /** Values kept: k for a sparse message, n for a dense one. */
  readonly kept: number;
  readonly bytes: number;
  readonly bitsPerValue: number;
  /** Dense float32 bytes over message bytes. */
  readonly ratio: number;
  readonly positions: {
    readonly coding: 'rice' | 'varint' | 'bitmap' | 'seeded';
    readonly riceBits: number;
    readonly bytes: number;
    readonly bitsPerKept: number;
    readonly boundBitsPerKept: number;
  } | null;
  /** The value payload as sent. */
  readonly values: {
    /** Whether the codes are entropy-coded (flags bit 0; `q`/`sq` only). */
    readonly coded: boolean;
    /** Payload bytes as sent (scales and codes). */
    readonly bytes: number;
    /** The raw payload's size, `payloadBytes(m)`: what the payload takes uncoded. */
    readonly rawBytes: number;
    /** Payload bits per stored value. */
    readonly bitsPerValue: number;
  };
}

const CODING_NAMES = ['rice', 'varint', 'bitmap', 'seeded'] as const;

/** The pipeline spec a parsed message was encoded with (encoder-only options are not stored). */
export function specOf(t: ParsedTensor): PipelineSpec {
  const value = valueSpecFromWire(t.value.name, t.params.param, t.params.chunk);
  if (!t.sparse) return { value };
  const s = t.sparse;
  const sparsifier: SparsifierSpec =
    s.name === 'thresh' ? { kind: 'thresh', threshold: s.param } : { kind: s.name, fraction: s.param };
  return { sparsifier, value };
}

/** Summarises a message after validating it (`parseEncoded`); payloads are not decoded. */
export function inspect(e: Uint8Array | ParsedTensor, limits: DecodeLimits = {}): EncodedInfo {
  const t = e instanceof Uint8Array ? parseEncoded(e, limits) : e;
  const spec = specOf(t);
  const stages: Record<string, unknown>[] = [];
  if (spec.sparsifier) stages.push({ ...spec.sparsifier });
  stages.push({ ...spec.value });
  const s = t.sparse;
  return {
    version: t.version,
    spec: formatSpec(spec),
    stages,
    n: t.n,
    kept: t.m,
    bytes: t.bytes,
    bitsPerValue: t.n > 0 ? (t.bytes * 8) / t.n : 0,
    ratio: t.n > 0 ? (4 * t.n) / t.bytes : 0,
    positions: s
      ? {
          coding: CODING_NAMES[s.coding],
          riceBits: s.riceBits,
          bytes: s.positions.length,
          bitsPerKept: s.k > 0 ? (s.positions.length * 8) / s.k : 0,
          boundBitsPerKept: indexBoundBitsPerKept(t.n, s.k),
        }
      : null,
    values: {
      coded: t.coded,
      bytes: t.payload.length,
      rawBytes: t.value.payloadBytes(t.m, t.params),
      bitsPerValue: t.m > 0 ? (t.payload.length * 8) / t.m : 0,
    },
  };
}
