import { type DecodeOptions, decode } from './format/decode.js';
import { encodeTensor } from './format/encode.js';
import type { EncodedTensor } from './format/encoded-tensor.js';
import { type Rng, createRng } from './rng.js';
import { formatSpec } from './spec/format-spec.js';
import { parseSpec } from './spec/parse-spec.js';
import type { PipelineSpec } from './spec/pipeline-spec.js';

/** A compression pipeline bound to its spec: `encode` a Float32Array, `decode` the message back. */
export interface Codec {
  /** Canonical spec string, e.g. `topk:0.01+q8`. */
  readonly id: string;
  readonly spec: PipelineSpec;
  /** Encodes `x`; randomness (if the pipeline needs any) comes from `rng` or a seed. */
  encode(x: Float32Array, rng: Rng | number): EncodedTensor;
  /** Decodes any message (the format is self-describing; this is {@link decode}). */
  decode(e: EncodedTensor | Uint8Array, opts?: DecodeOptions): Float32Array;
}

/**
 * Creates a codec from a spec string (`topk:0.01+q8`) or its config object. Bad specs raise
 * `BAD_SPEC` naming the stage and what is allowed.
 */
export function createCodec(spec: string | PipelineSpec): Codec {
  const parsed = typeof spec === 'string' ? parseSpec(spec) : parseSpec(formatSpec(spec));
  return {
    id: formatSpec(parsed),
    spec: parsed,
    encode: (x, rng) => encodeTensor(x, parsed, typeof rng === 'number' ? createRng(rng) : rng),
    decode: (e, opts) => decode(e, opts),
  };
}
