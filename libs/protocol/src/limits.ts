import { DEFAULT_MAX_ELEMENTS } from '@fedzip/codec';
import type { EventName } from './events.js';

/**
 * Size and count limits a decoder enforces on untrusted frames. The coordinator derives them from
 * the model size and the codec (a later `maxUpdateBytes(modelParams, codecSpec)`), and states them
 * to each client in `welcome.limits`. Every field is a positive integer ≤ 2^32 − 1.
 */
export interface ProtocolLimits {
  /** Largest frame of an event without a tensor (everything but `update` and `model`), in bytes. */
  readonly maxControlFrameBytes: number;
  /** Largest `update.update` (the encoded tensor), in bytes. */
  readonly maxUpdateBytes: number;
  /** Largest `model.weights` (the encoded tensor), in bytes. */
  readonly maxModelBytes: number;
  /** Largest total parameter count a `model` layout may describe. */
  readonly maxModelParams: number;
  /** Largest sample count an `update` or `eval-result` may claim. */
  readonly maxSampleCount: number;
  /** Most entries (named tensors) in a `model` layout. */
  readonly maxLayoutEntries: number;
}

/**
 * Defaults: 64 KiB control frames, 4 MiB updates (a dense float32 update of 1M parameters), 16 MiB
 * models, 2^27 parameters (the codec's own cap), 10^6 samples, 4096 layout entries.
 */
export const DEFAULT_LIMITS: ProtocolLimits = Object.freeze({
  maxControlFrameBytes: 64 * 1024,
  maxUpdateBytes: 4 * 1024 * 1024,
  maxModelBytes: 16 * 1024 * 1024,
  maxModelParams: DEFAULT_MAX_ELEMENTS,
  maxSampleCount: 1_000_000,
  maxLayoutEntries: 4096,
});

/** Fixed caps of the protocol (not configurable: changing one is a protocol version change). */
export const CAPS = Object.freeze({
  /** Characters (UTF-16 code units) of a client or experiment id. */
  idChars: 64,
  /** Characters of a join token. */
  tokenChars: 4096,
  /** Characters of a human-readable `message` (errors, rejects). */
  messageChars: 1024,
  /** Characters of `welcome.architecture` (JSON text of the model's configuration). */
  architectureChars: 16384,
  /** Characters of a codec spec string. */
  specChars: 256,
  /** Characters of a layout entry's name. */
  layoutNameChars: 256,
  /** Characters of a backend or codec name in the capabilities. */
  nameChars: 32,
  /** Entries of the `backends` and `codecs` lists in the capabilities. */
  listItems: 32,
  /** Dimensions of a layout entry's shape. */
  shapeDims: 8,
  /** Local epochs in an assignment. */
  localEpochs: 1000,
  /** Batch size in an assignment or evaluation request. */
  batchSize: 65536,
  /** Learning rate and FedProx μ (both must also be finite; lr > 0). */
  hyperparameter: 1000,
  /** Milliseconds in a duration metric (7 days). */
  durationMs: 7 * 24 * 3600 * 1000,
  /** Bytes the non-tensor fields of `update` or `model` may add around the tensor. */
  envelopeBytes: 1024,
  /** Bytes one layout entry may add to a `model` frame. */
  layoutEntryBytes: 1024,
} as const);

const UINT32_MAX = 0xffffffff;

/**
 * Fills `partial` from {@link DEFAULT_LIMITS} and checks every field is an integer in
 * [1, 2^32 − 1]. Throws a RangeError naming the field: limits are configuration, not input.
 */
export function resolveLimits(partial: Partial<ProtocolLimits> = {}): ProtocolLimits {
  const out = { ...DEFAULT_LIMITS, ...partial };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ProtocolLimits)[]) {
    const v = out[key];
    if (!Number.isInteger(v) || v < 1 || v > UINT32_MAX) {
      throw new RangeError(
        `protocol limit ${key} must be an integer in [1, ${UINT32_MAX}], got ${String(v)}`,
      );
    }
  }
  for (const key of Object.keys(out)) {
    if (!(key in DEFAULT_LIMITS)) throw new RangeError(`unknown protocol limit "${key}"`);
  }
  return Object.freeze(out);
}

/**
 * The largest frame accepted for `event`, checked before any msgpack decoding: the tensor limit
 * plus {@link CAPS}.envelopeBytes for `update`; the tensor limit plus the layout allowance for
 * `model`; {@link ProtocolLimits.maxControlFrameBytes} for every other event.
 */
export function frameLimit(event: EventName, limits: ProtocolLimits = DEFAULT_LIMITS): number {
  switch (event) {
    case 'update':
      return limits.maxUpdateBytes + CAPS.envelopeBytes;
    case 'model':
      return limits.maxModelBytes + CAPS.envelopeBytes + limits.maxLayoutEntries * CAPS.layoutEntryBytes;
    default:
      return limits.maxControlFrameBytes;
  }
}

/**
 * The largest frame of any event under `limits`: a floor for Socket.IO's `maxHttpBufferSize`
 * (add a little for Socket.IO's own packet framing).
 */
export function maxFrameBytes(limits: ProtocolLimits = DEFAULT_LIMITS): number {
  return Math.max(frameLimit('update', limits), frameLimit('model', limits), limits.maxControlFrameBytes);
}
