import { check } from '../errors.js';
import { PositionCoding, readPositions } from '../positions/position-coding.js';
import { randomPositions } from '../sparsify/randk.js';
import { AddSink, ScatterAddSink, ScatterSink, SetSink, type Sink } from '../values/sink.js';
import { type DecodeLimits, type ParsedSparse, type ParsedTensor, parseEncoded } from './parse.js';

/** Options of {@link decode}. */
export interface DecodeOptions extends DecodeLimits {
  /** Write into this array (length n) instead of allocating one. */
  readonly out?: Float32Array;
}

/** The kept positions of a sparse message (O(k) memory; random-k regenerates them from the seed). */
export function decodePositions(s: ParsedSparse, n: number): Uint32Array {
  const out = new Uint32Array(s.k);
  if (s.coding === PositionCoding.Seeded) return randomPositions(n, s.k, s.seed, out);
  readPositions(s.positions, s.coding, s.riceBits, s.k, n, out);
  return out;
}

function asParsed(e: Uint8Array | ParsedTensor, limits: DecodeLimits): ParsedTensor {
  return e instanceof Uint8Array ? parseEncoded(e, limits) : e;
}

/** Decodes the value payload of `t` (raw or entropy-coded) into `sink`. */
function decodeValues(t: ParsedTensor, sink: Sink): void {
  if (t.coded) t.value.entropy!.decode(t.payload, t.m, t.params, sink);
  else t.value.decode(t.payload, t.m, t.params, sink);
}

/**
 * Decodes a message into a dense Float32Array of its n elements (zeros where a sparsifier dropped
 * values). Untrusted bytes are fully validated first; errors are {@link CodecError}s. On error a
 * caller-supplied `out` may have been zeroed, but never holds values of the rejected message.
 */
export function decode(e: Uint8Array | ParsedTensor, opts: DecodeOptions = {}): Float32Array {
  const t = asParsed(e, opts);
  const out = opts.out ?? new Float32Array(t.n);
  check(out.length === t.n, 'SHAPE_MISMATCH', `output has ${out.length} elements, message has ${t.n}`);
  if (t.sparse) {
    const pos = decodePositions(t.sparse, t.n);
    out.fill(0);
    decodeValues(t, new ScatterSink(out, pos));
  } else {
    decodeValues(t, new SetSink(out));
  }
  return out;
}

/**
 * The server's hot path: adds `weight × decode(e)` into `sum` without materialising a dense copy
 * (O(k) scratch for a sparse message, one L1-sized block for a dense one). All-or-nothing: a
 * message that fails validation leaves `sum` untouched.
 */
export function accumulate(
  e: Uint8Array | ParsedTensor,
  weight: number,
  sum: Float32Array | Float64Array,
  limits: DecodeLimits = {},
): void {
  const t = asParsed(e, { ...limits, expectedLength: limits.expectedLength ?? sum.length });
  check(sum.length === t.n, 'SHAPE_MISMATCH', `sum has ${sum.length} elements, message has ${t.n}`);
  check(Number.isFinite(weight), 'BAD_PARAM', `weight ${weight} is not finite`);
  if (t.sparse) {
    const pos = decodePositions(t.sparse, t.n);
    decodeValues(t, new ScatterAddSink(sum, pos, weight));
  } else {
    decodeValues(t, new AddSink(sum, weight));
  }
}
