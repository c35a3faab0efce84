import type { z } from 'zod';
import type { DecodeErrorCode } from './codes.js';
import {
  type ClientEventName,
  type EventName,
  type ServerEventName,
  isClientEvent,
  isEventName,
  isServerEvent,
} from './events.js';
import { DEFAULT_LIMITS, type ProtocolLimits, frameLimit } from './limits.js';
import type { ReceivedOf } from './messages.js';
import { TOO_LARGE_ISSUE, messageSchemas } from './schemas.js';
import { UPDATE_FIELDS } from './update-tuple.js';
import { PROTOCOL_VERSION } from './version.js';
import { frameBytes } from './wire/bytes.js';
import { unpackValue } from './wire/msgpack.js';

/** A frame decoded and validated into the message of `event`. */
export interface DecodeOk<E extends EventName> {
  readonly ok: true;
  readonly event: E;
  /** The validated message; its binary fields are copies the message owns. */
  readonly msg: ReceivedOf<E>;
}

/** A frame refused, with a stable code and a reason for humans (sanitised, ≤ 300 chars). */
export interface DecodeFailure {
  readonly ok: false;
  readonly code: DecodeErrorCode;
  readonly reason: string;
  /** The event, when it was a protocol event; null for an unknown name. */
  readonly event: EventName | null;
}

/**
 * Outcome of {@link decodeMessage}: a discriminated union on `ok`, and on `event` among the
 * successes, so that `switch (r.event)` narrows `r.msg`.
 */
export type DecodeResult<E extends EventName = EventName> = { [K in E]: DecodeOk<K> }[E] | DecodeFailure;

const REASON_CHARS = 300;

/**
 * Decodes and validates one received frame as the message of `event`. Never throws, whatever
 * `event` and `frame` hold. In order:
 *
 * 1. `event` must be a protocol event (`BAD_EVENT`);
 * 2. `frame` must be binary: a Uint8Array, Buffer or ArrayBuffer (`BAD_FRAME`);
 * 3. its length must be within {@link frameLimit} for the event, checked before decoding (`TOO_LARGE`);
 * 4. it must hold exactly one msgpack value (`BAD_MSGPACK`);
 * 5. `hello` and `welcome` must state {@link PROTOCOL_VERSION} (`BAD_VERSION`);
 * 6. the value must match the event's strict schema under `limits` (`BAD_SCHEMA`, or `TOO_LARGE`
 *    for a binary field over its limit): a map, or for `update` an array of exactly 8 elements.
 *
 * Binary fields of the returned message are copied out of the frame.
 */
export function decodeMessage<E extends EventName>(
  event: E,
  frame: unknown,
  limits?: ProtocolLimits,
): DecodeResult<E>;
export function decodeMessage(event: string, frame: unknown, limits?: ProtocolLimits): DecodeResult;
export function decodeMessage(
  event: string,
  frame: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): DecodeResult {
  if (!isEventName(event)) return fail('BAD_EVENT', `unknown event ${quote(event)}`, null);
  return decodeKnown(event, frame, limits);
}

/**
 * {@link decodeMessage} for the server side: only client → server events are accepted; any other
 * name, server events included, is `BAD_EVENT`.
 */
export function decodeClientMessage(
  event: string,
  frame: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): DecodeResult<ClientEventName> {
  if (!isClientEvent(event)) {
    return fail(
      'BAD_EVENT',
      `${quote(event)} is not an event a client may send`,
      isEventName(event) ? event : null,
    );
  }
  return decodeKnown(event, frame, limits) as DecodeResult<ClientEventName>;
}

/**
 * {@link decodeMessage} for the client side: only server → client events are accepted; any other
 * name, client events included, is `BAD_EVENT`.
 */
export function decodeServerMessage(
  event: string,
  frame: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): DecodeResult<ServerEventName> {
  if (!isServerEvent(event)) {
    return fail(
      'BAD_EVENT',
      `${quote(event)} is not an event a server sends`,
      isEventName(event) ? event : null,
    );
  }
  return decodeKnown(event, frame, limits) as DecodeResult<ServerEventName>;
}

function decodeKnown(event: EventName, frame: unknown, limits: ProtocolLimits): DecodeResult {
  const bytes = frameBytes(frame);
  if (bytes === null) {
    return fail('BAD_FRAME', `"${event}" must carry one binary argument, got ${kind(frame)}`, event);
  }
  const max = frameLimit(event, limits);
  if (bytes.byteLength > max) {
    return fail(
      'TOO_LARGE',
      `"${event}" frame of ${bytes.byteLength} bytes exceeds the limit of ${max}`,
      event,
    );
  }
  const unpacked = unpackValue(bytes);
  if (!unpacked.ok) return fail('BAD_MSGPACK', unpacked.reason, event);
  const value = unpacked.value;

  const stated = statedVersion(event, value);
  if (stated !== undefined && stated !== PROTOCOL_VERSION) {
    // Say which side is behind: whoever reads this (a log, the refused client) has to upgrade it.
    const behind = stated > PROTOCOL_VERSION ? 'this side' : `the version-${stated} side`;
    return fail(
      'BAD_VERSION',
      `protocol version ${stated} is not supported; this side speaks ${PROTOCOL_VERSION} only, ` +
        `so ${behind} must be upgraded (docs/protocol.md, "Versions")`,
      event,
    );
  }

  let parsed: z.ZodSafeParseResult<unknown>;
  try {
    parsed = messageSchemas(limits)[event].safeParse(value);
  } catch (err) {
    // Schemas are written not to throw on any input; this is the backstop of "never throws".
    return fail(
      'BAD_SCHEMA',
      `validation failed: ${err instanceof Error ? err.message : 'unknown error'}`,
      event,
    );
  }
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const tooLarge = issues.some((i) => i.code === 'custom' && i.params?.['code'] === TOO_LARGE_ISSUE);
    return fail(tooLarge ? 'TOO_LARGE' : 'BAD_SCHEMA', describeIssues(event, issues), event);
  }
  return { ok: true, event, msg: parsed.data } as DecodeResult;
}

/** The number a `hello`/`welcome` states as `protocolVersion`, when it states a number. */
function statedVersion(event: EventName, value: unknown): number | undefined {
  if (event !== 'hello' && event !== 'welcome') return undefined;
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'protocolVersion'))
    return undefined;
  const v = (value as { protocolVersion?: unknown }).protocolVersion;
  return typeof v === 'number' ? v : undefined;
}

function describeIssues(event: EventName, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 3).map((i) => {
    const path = i.path.map((p, at) => pathLabel(event, p, at)).join('.');
    return `${path === '' ? event : `${event}.${path}`}: ${i.message}`;
  });
  if (issues.length > 3) parts.push(`and ${issues.length - 3} more`);
  return parts.join('; ');
}

/** A path element of an issue; an `update` tuple index is shown with its field's name, e.g. `3(loss)`. */
function pathLabel(event: EventName, p: PropertyKey, at: number): string {
  if (typeof p === 'symbol') return '?';
  const field = event === 'update' && at === 0 && typeof p === 'number' ? UPDATE_FIELDS[p] : undefined;
  return field === undefined ? String(p) : `${p}(${field})`;
}

function fail(code: DecodeErrorCode, reason: string, event: EventName | null): DecodeFailure {
  return { ok: false, code, reason: sanitise(reason), event };
}

/** Replaces control characters and caps the length: reasons end up in logs and `error` events. */
function sanitise(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, '?');
  return clean.length > REASON_CHARS ? `${clean.slice(0, REASON_CHARS - 1)}…` : clean;
}

function quote(event: unknown): string {
  if (typeof event !== 'string') return `of type ${kind(event)}`;
  return JSON.stringify(event.length > 40 ? `${event.slice(0, 40)}…` : event);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return Object.prototype.toString.call(v).slice(8, -1);
  return typeof v;
}
