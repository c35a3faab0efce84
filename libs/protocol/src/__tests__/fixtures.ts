/**
 * Shared fixtures of the protocol specs (not a spec itself: jest only runs `*.spec.ts`, and the
 * build excludes `__tests__/`): one valid message per event, with real encoded tensors.
 */
import { type EncodedTensor, FORMAT_VERSION, createCodec } from '@fedzip/codec';
import { expect } from '@jest/globals';
import type { DecodeErrorCode } from '../codes.js';
import type { DecodeResult } from '../decode.js';
import type { EventName, MessageOf } from '../index.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { type UpdateField, UPDATE_FIELDS, toUpdateTuple } from '../update-tuple.js';
import { PROTOCOL_VERSION } from '../version.js';
import { packValue } from '../wire/msgpack.js';

/** Parameters of the fixture model: layout [3, 4] + [4] = 16. */
export const MODEL_PARAMS = 16;

function ramp(n: number, scale: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i + 1) * scale;
  return x;
}

/** A real encoded update: top-25% of 16 values, 8-bit. */
export const UPDATE_TENSOR: EncodedTensor = createCodec('topk:0.25+q8').encode(ramp(MODEL_PARAMS, 0.01), 1);
/** A real encoded model: 16 values, dense 8-bit. */
export const MODEL_TENSOR: EncodedTensor = createCodec('q8').encode(ramp(MODEL_PARAMS, 0.5), 2);

/** One valid message per event, as a sender builds it. */
export const MESSAGES: { readonly [E in EventName]: MessageOf<E> } = {
  hello: {
    protocolVersion: PROTOCOL_VERSION,
    token: 'v1.exp-1.client-7.1767225600.mac',
    clientId: 'client-7',
    modelVersion: null,
    capabilities: {
      runtime: 'node',
      backends: ['wasm', 'cpu'],
      codecs: ['topk', 'randk', 'q8', 'f32'],
      codecFormat: FORMAT_VERSION,
      maxMessageBytes: 8 * 1024 * 1024,
    },
  },
  update: {
    roundId: 3,
    baseVersion: 2,
    sampleCount: 600,
    // Values the wire carries exactly (float32 loss and accuracy, whole ms), so that it round-trips.
    metrics: { loss: 0.4375, accuracy: 0.875, trainMs: 1234, encodeMs: 3 },
    update: UPDATE_TENSOR,
  },
  'eval-result': {
    requestId: 9,
    modelVersion: 2,
    sampleCount: 250,
    loss: 0.3,
    accuracy: 0.91,
    evalMs: 12,
  },
  welcome: {
    protocolVersion: PROTOCOL_VERSION,
    clientId: 'client-7',
    experimentId: 'mnist-default',
    architecture: '{"kind":"mlp","hidden":[128]}',
    limits: DEFAULT_LIMITS,
  },
  model: {
    version: 2,
    layout: [
      { name: 'dense_1/kernel', shape: [3, 4] },
      { name: 'dense_1/bias', shape: [4] },
    ],
    baseVersion: null,
    weights: MODEL_TENSOR,
  },
  assign: {
    roundId: 3,
    modelVersion: 2,
    localEpochs: 2,
    batchSize: 32,
    lr: 0.05,
    optimizer: 'sgd',
    proxMu: 0,
    codec: 'topk:0.01+q8',
    errorFeedback: true,
    deadline: 1_767_225_600_000,
    seed: 0xdeadbeef,
  },
  ack: { roundId: 3 },
  reject: { roundId: 3, code: 'LATE', message: 'round 3 closed before the update arrived' },
  'eval-request': { requestId: 9, modelVersion: 2, batchSize: 128 },
  error: { code: 'BAD_SCHEMA', message: 'update.sampleCount: too small', event: 'update', fatal: false },
};

/**
 * `MESSAGES[event]` with some fields replaced or added, packed as a map frame (no typing, no
 * validation). For `update` (an array on the wire) see {@link updateFrameWith}.
 */
export function frameWith(event: EventName, patch: Record<string, unknown>): Uint8Array {
  return packValue({ ...(MESSAGES[event] as object), ...patch });
}

/** `MESSAGES[event]` without `key`, packed as a map frame. */
export function frameWithout(event: EventName, key: string): Uint8Array {
  const copy: Record<string, unknown> = { ...(MESSAGES[event] as object) };
  delete copy[key];
  return packValue(copy);
}

/** `MESSAGES.update`'s wire tuple, elements in wire order, as a mutable array. */
export function updateTuple(): unknown[] {
  return [...toUpdateTuple(MESSAGES.update)];
}

/** `MESSAGES.update`'s wire tuple with some elements replaced (by field name), packed (no validation). */
export function updateFrameWith(patch: Partial<Record<UpdateField, unknown>>): Uint8Array {
  const t = updateTuple();
  for (const [field, value] of Object.entries(patch)) t[UPDATE_FIELDS.indexOf(field as UpdateField)] = value;
  return packValue(t);
}

/** `MESSAGES.update`'s wire tuple without the element of `field` (one element short), packed. */
export function updateFrameWithout(field: UpdateField): Uint8Array {
  return packValue(updateTuple().filter((_, i) => i !== UPDATE_FIELDS.indexOf(field)));
}

/** Asserts a failed decode with `code`, and returns its reason. */
export function expectFailure(result: DecodeResult, code: DecodeErrorCode): string {
  expect(result).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error('unreachable');
  expect(typeof result.reason).toBe('string');
  return result.reason;
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes from hex; whitespace is ignored and `|` starts a comment to the end of the line. */
export function unhex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.split('|')[0] ?? '')
    .join('')
    .replace(/\s/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new Error(`not hex: ${digits}`);
  return new Uint8Array(Buffer.from(digits, 'hex'));
}
