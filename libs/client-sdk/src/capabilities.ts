/**
 * The `hello.capabilities` a client states, with defaults a caller may override (the Node entry
 * states `runtime: 'node'`, a browser page `'browser'`).
 */
import { FORMAT_VERSION } from '@fedzip/codec';
import { backendInfo } from '@fedzip/model';
import { type Capabilities, type ProtocolLimits, maxFrameBytes } from '@fedzip/protocol';

/**
 * The codec stages this SDK encodes and decodes: every stage of `@fedzip/codec` (a stage name
 * without its argument: `q` covers `q8`).
 */
export const CODEC_STAGES: readonly string[] = Object.freeze([
  'topk',
  'approx-topk',
  'randk',
  'thresh',
  'f32',
  'f16',
  'bf16',
  'q',
  'sq',
  'aq',
  'qsgd',
  'kmeans',
  'sign',
  'ternary',
]);

const UINT32_MAX = 0xffffffff;

/**
 * The capabilities to state in `hello`: `overrides` over defaults. The default backend list is the
 * tfjs backend `initBackend` set up (read when called, so call this after `initBackend`), else `cpu`;
 * `maxMessageBytes` defaults to the largest frame `receiveLimits` admit.
 */
export function resolveCapabilities(
  overrides: Partial<Capabilities> | undefined,
  receiveLimits: ProtocolLimits,
): Capabilities {
  return {
    runtime: 'other',
    backends: [backendInfo()?.name ?? 'cpu'],
    codecs: CODEC_STAGES,
    codecFormat: FORMAT_VERSION,
    maxMessageBytes: Math.min(UINT32_MAX, maxFrameBytes(receiveLimits)),
    ...overrides,
  };
}
