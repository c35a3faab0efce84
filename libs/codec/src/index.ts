/**
 * @fedzip/codec: compression of model updates and weights, in pure TypeScript over typed arrays.
 * Quantizers, sparsifiers, position coding, error feedback and the self-describing encoded format
 * (docs/wire-format.md). No Nest, Socket.IO or tfjs here.
 */
export { type Codec, createCodec } from './codec.js';
export { CodecError, type CodecErrorCode } from './errors.js';
export { type Rng, Xoshiro128, createRng, mixSeed } from './rng.js';
export { type EncodedTensor } from './format/encoded-tensor.js';
export { encodeTensor } from './format/encode.js';
export { type DecodeOptions, accumulate, decode, decodePositions } from './format/decode.js';
export {
  type DecodeLimits,
  type ParsedTensor,
  type ParsedSparse,
  asEncoded,
  parseEncoded,
} from './format/parse.js';
export { type EncodedInfo, inspect, specOf } from './format/inspect.js';
export { DEFAULT_MAX_ELEMENTS, FORMAT_VERSION } from './format/layout.js';
export { type PipelineSpec, type SparsifierSpec, type ValueSpec } from './spec/pipeline-spec.js';
export { parseSpec } from './spec/parse-spec.js';
export { formatSpec } from './spec/format-spec.js';
export { ResidualMemory, encodeWithFeedback } from './feedback/residual-memory.js';
export { indexBoundBitsPerKept, PositionCoding } from './positions/position-coding.js';
export { topkSelect } from './sparsify/topk.js';
export { approxTopkSelect } from './sparsify/approx-topk.js';
export { randomPositions } from './sparsify/randk.js';
export { type Selection, keptCount } from './sparsify/selection.js';
export { fromBfloat16Bits, fromHalfBits, toBfloat16Bits, toHalfBits } from './values/float16.js';
export { type ValueName } from './values/value-codec.js';
