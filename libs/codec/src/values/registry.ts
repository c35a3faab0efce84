import { CodecError } from '../errors.js';
import { affineCodec } from './affine.js';
import { float16Codec, bfloat16Codec } from './float16.js';
import { float32Codec } from './float32.js';
import { kmeansCodec } from './kmeans.js';
import { qsgdCodec } from './qsgd.js';
import { signCodec } from './sign.js';
import { stochasticCodec, symmetricCodec } from './symmetric.js';
import { ternaryCodec } from './ternary.js';
import type { ValueCodec, ValueName } from './value-codec.js';

const ALL: readonly ValueCodec[] = [
  float32Codec,
  float16Codec,
  bfloat16Codec,
  symmetricCodec,
  stochasticCodec,
  affineCodec,
  qsgdCodec,
  kmeansCodec,
  signCodec,
  ternaryCodec,
];
const BY_ID = new Map(ALL.map((c) => [c.id, c]));
const BY_NAME = new Map(ALL.map((c) => [c.name, c]));

/** The value stage with wire id `id`, or `UNKNOWN_STAGE`. */
export function valueCodecById(id: number): ValueCodec {
  const c = BY_ID.get(id);
  if (!c) throw new CodecError('UNKNOWN_STAGE', `unknown value stage id ${id}`);
  return c;
}

/** The value stage named `name`. */
export function valueCodecByName(name: ValueName): ValueCodec {
  return BY_NAME.get(name)!;
}
