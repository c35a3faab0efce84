import { parseSpec } from '@fedzip/codec';
import * as z from 'zod';
import { ERROR_CODES, REJECT_CODES } from './codes.js';
import { CLIENT_EVENTS, type EventName, SERVER_EVENTS } from './events.js';
import { CAPS, type ProtocolLimits, resolveLimits } from './limits.js';
import { OPTIMIZERS, RUNTIMES } from './messages.js';
import { UPDATE_FIELDS } from './update-tuple.js';
import { PROTOCOL_VERSION } from './version.js';
import { isUint8Array, ownBytes } from './wire/bytes.js';

/** `params.code` on a zod issue raised by a size bound: {@link decodeMessage} reports it as `TOO_LARGE`. */
export const TOO_LARGE_ISSUE = 'TOO_LARGE';

const EVENT_NAMES = [...CLIENT_EVENTS, ...SERVER_EVENTS] as [EventName, ...EventName[]];

/** Ids: 1–64 chars of letters, digits, `.`, `_`, `:`, `-`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Backend and codec names: like ids, plus `+`. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;
/** Join tokens: printable ASCII without spaces (base64, base64url, hex, JWT-like dotted forms). */
export const TOKEN_PATTERN = /^[\x21-\x7e]*$/;
/** Layout names: anything without control characters. */
// eslint-disable-next-line no-control-regex
const LAYOUT_NAME_PATTERN = /^[^\x00-\x1f\x7f]+$/;

const u32 = () => z.uint32();
const positiveU32 = () => z.uint32().min(1);
const id = () =>
  z
    .string()
    .min(1)
    .max(CAPS.idChars)
    .regex(ID_PATTERN, 'must match ' + String(ID_PATTERN));
const name = () =>
  z
    .string()
    .min(1)
    .max(CAPS.nameChars)
    .regex(NAME_PATTERN, 'must match ' + String(NAME_PATTERN));
const text = () => z.string().max(CAPS.messageChars);
const duration = () => z.number().min(0).max(CAPS.durationMs);
const loss = () => z.number().min(0);
const accuracy = () => z.number().min(0).max(1);
const version = () => z.literal(PROTOCOL_VERSION, { error: `protocol version must be ${PROTOCOL_VERSION}` });

/** A codec spec string that `parseSpec` accepts. */
const codecSpec = () =>
  z
    .string()
    .min(1)
    .max(CAPS.specChars)
    .refine(
      (s) => {
        try {
          parseSpec(s);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'is not a codec spec (e.g. "topk:0.01+q8" or "none")' },
    );

/**
 * Binary (msgpack `bin`) of at most `max` bytes. Valid bytes are copied out of the frame, so that
 * the message owns them (decoded binary is otherwise a view into the frame).
 */
const bytes = (max: number) =>
  z.unknown().transform((v, ctx): Uint8Array<ArrayBuffer> => {
    if (!isUint8Array(v)) {
      ctx.addIssue({ code: 'custom', message: 'expected binary (msgpack bin)', input: v });
      return z.NEVER;
    }
    if (v.byteLength > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${v.byteLength} bytes exceed the limit of ${max}`,
        input: v.byteLength,
        params: { code: TOO_LARGE_ISSUE },
      });
      return z.NEVER;
    }
    return ownBytes(v);
  });

const limitsSchema = () =>
  z.strictObject({
    maxControlFrameBytes: positiveU32(),
    maxUpdateBytes: positiveU32(),
    maxModelBytes: positiveU32(),
    maxModelParams: positiveU32(),
    maxSampleCount: positiveU32(),
    maxLayoutEntries: positiveU32(),
  });

function layoutParams(layout: readonly { readonly shape: readonly number[] }[]): number {
  let total = 0;
  for (const entry of layout) {
    let size = 1;
    for (const d of entry.shape) size *= d;
    total += size;
  }
  return total;
}

const UPDATE_SHAPE_ERROR =
  `must be a msgpack array of exactly ${UPDATE_FIELDS.length} elements ` +
  `[${UPDATE_FIELDS.join(', ')}] (protocol version 2; version 1 sent a map)`;

/**
 * Builds the schema of every event's wire value under `limits`: a map for every event but
 * `update`, whose positional array the schema turns into the same message object.
 */
function buildSchemas(limits: ProtocolLimits) {
  const hello = z.strictObject({
    protocolVersion: version(),
    token: z.string().max(CAPS.tokenChars).regex(TOKEN_PATTERN, 'must be printable ASCII without spaces'),
    clientId: id(),
    modelVersion: u32().nullable(),
    capabilities: z.strictObject({
      runtime: z.enum(RUNTIMES),
      backends: z.array(name()).max(CAPS.listItems).readonly(),
      codecs: z.array(name()).max(CAPS.listItems).readonly(),
      codecFormat: u32(),
      maxMessageBytes: positiveU32(),
    }),
  });
  // Positional since version 2 (update-tuple.ts); the message it yields is the same object.
  const update = z
    .tuple(
      [
        u32(),
        u32(),
        z.int().min(1).max(limits.maxSampleCount),
        loss(),
        accuracy(),
        duration(),
        duration(),
        bytes(limits.maxUpdateBytes),
      ],
      { error: UPDATE_SHAPE_ERROR },
    )
    .transform(([roundId, baseVersion, sampleCount, loss, accuracy, trainMs, encodeMs, update]) => ({
      roundId,
      baseVersion,
      sampleCount,
      metrics: { loss, accuracy, trainMs, encodeMs },
      update,
    }));
  const evalResult = z.strictObject({
    requestId: u32(),
    modelVersion: u32(),
    sampleCount: z.int().min(1).max(limits.maxSampleCount),
    loss: loss(),
    accuracy: accuracy(),
    evalMs: duration(),
  });
  const welcome = z.strictObject({
    protocolVersion: version(),
    clientId: id(),
    experimentId: id(),
    architecture: z.string().min(2).max(CAPS.architectureChars),
    limits: limitsSchema(),
  });
  const layoutEntry = z.strictObject({
    name: z
      .string()
      .min(1)
      .max(CAPS.layoutNameChars)
      .regex(LAYOUT_NAME_PATTERN, 'must not hold control characters'),
    shape: z.array(u32()).max(CAPS.shapeDims).readonly(),
  });
  const model = z.strictObject({
    version: u32(),
    layout: z
      .array(layoutEntry)
      .max(limits.maxLayoutEntries)
      .readonly()
      .refine((layout) => layoutParams(layout) <= limits.maxModelParams, {
        error: `the layout describes more than ${limits.maxModelParams} parameters`,
        params: { code: TOO_LARGE_ISSUE },
      }),
    baseVersion: u32().nullable(),
    weights: bytes(limits.maxModelBytes),
  });
  const assign = z.strictObject({
    roundId: u32(),
    modelVersion: u32(),
    localEpochs: z.int().min(1).max(CAPS.localEpochs),
    batchSize: z.int().min(1).max(CAPS.batchSize),
    lr: z.number().gt(0).max(CAPS.hyperparameter),
    optimizer: z.enum(OPTIMIZERS),
    proxMu: z.number().min(0).max(CAPS.hyperparameter),
    codec: codecSpec(),
    errorFeedback: z.boolean(),
    deadline: z.int().min(0),
    seed: u32(),
    dp: z
      .strictObject({
        clipNorm: z.number().gt(0).max(1e6),
        noiseMultiplier: z.number().min(0).max(CAPS.hyperparameter),
      })
      .optional(),
  });
  const ack = z.strictObject({ roundId: u32() });
  const reject = z.strictObject({ roundId: u32(), code: z.enum(REJECT_CODES), message: text() });
  const evalRequest = z.strictObject({
    requestId: u32(),
    modelVersion: u32(),
    batchSize: z.int().min(1).max(CAPS.batchSize),
  });
  const error = z.strictObject({
    code: z.enum(ERROR_CODES),
    message: text(),
    event: z.enum(EVENT_NAMES).nullable(),
    fatal: z.boolean(),
  });
  return {
    hello,
    update,
    'eval-result': evalResult,
    welcome,
    model,
    assign,
    ack,
    reject,
    'eval-request': evalRequest,
    error,
  } as const;
}

/**
 * The zod schema of every event's wire value (what msgpack decodes a frame to), keyed by event
 * name; each outputs the event's received message.
 */
export type MessageSchemas = ReturnType<typeof buildSchemas>;

const cache = new Map<string, MessageSchemas>();
const CACHE_SIZE = 16;

/**
 * The schemas for `limits` (strict: unknown keys and extra `update` elements are refused, every
 * number and string is bounded, binary fields are copied out of the frame). Built once per
 * distinct set of limits and cached. Throws a RangeError on invalid limits (configuration, not
 * input).
 */
export function messageSchemas(limits: ProtocolLimits): MessageSchemas {
  const key = [
    limits.maxControlFrameBytes,
    limits.maxUpdateBytes,
    limits.maxModelBytes,
    limits.maxModelParams,
    limits.maxSampleCount,
    limits.maxLayoutEntries,
  ].join(',');
  let schemas = cache.get(key);
  if (schemas === undefined) {
    schemas = buildSchemas(resolveLimits(limits));
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, schemas);
  }
  return schemas;
}
