/**
 * Reason codes on the wire. Codes are stable strings (part of the protocol); the `message` that
 * travels beside them is for humans and may change.
 */

/**
 * Why a frame could not be decoded into a message. {@link decodeMessage} returns one of these; a
 * server answers with an `error` event carrying the same code.
 */
export const DecodeErrorCode = {
  /** The event name is not part of the protocol, or not one this side accepts. */
  BAD_EVENT: 'BAD_EVENT',
  /** The event did not carry exactly one binary argument (a string, an object, no argument…). */
  BAD_FRAME: 'BAD_FRAME',
  /** The frame, or a binary field inside it, is larger than the limit for that event. */
  TOO_LARGE: 'TOO_LARGE',
  /** The frame is not exactly one well-formed msgpack value (truncated, trailing bytes, too deep…). */
  BAD_MSGPACK: 'BAD_MSGPACK',
  /** The msgpack value does not match the event's schema (missing or unknown keys, wrong types, out of bounds). */
  BAD_SCHEMA: 'BAD_SCHEMA',
  /** `hello` or `welcome` states a protocol version this build does not speak. */
  BAD_VERSION: 'BAD_VERSION',
} as const;

/** A code from {@link DecodeErrorCode}. */
export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/**
 * Codes of the `error` event: every {@link DecodeErrorCode}, plus session-level failures. An error
 * never ends a round by itself; `fatal` on the message says whether the server disconnects.
 */
export const ErrorCode = {
  ...DecodeErrorCode,
  /** The join token is missing, malformed, expired, or bound to another client or experiment. Fatal. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A message other than `hello` arrived before the join was accepted. */
  NOT_JOINED: 'NOT_JOINED',
  /** A second `hello` arrived on a joined connection. */
  ALREADY_JOINED: 'ALREADY_JOINED',
  /** The client sent more messages or bytes than its rate allows; the message was dropped. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The experiment accepts no more clients, or has finished. Fatal. */
  NOT_ACCEPTING: 'NOT_ACCEPTING',
  /** An `eval-result` answered no outstanding `eval-request`. */
  UNKNOWN_REQUEST: 'UNKNOWN_REQUEST',
  /** The server failed on its side; the message may be retried. */
  INTERNAL: 'INTERNAL',
} as const;

/** A code from {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Why a well-formed `update` was refused (the `reject` event). A malformed update is answered with
 * an `error` instead, since its round id cannot be trusted.
 */
export const RejectCode = {
  /** The update's round is closed (deadline passed or quorum closed it), or long gone. */
  LATE: 'LATE',
  /** The client already submitted an update for this round. */
  DUPLICATE: 'DUPLICATE',
  /** The update was trained on another model version than the round's (`baseVersion` mismatch). */
  WRONG_VERSION: 'WRONG_VERSION',
  /** The round id names no open round (e.g. a future round). */
  WRONG_ROUND: 'WRONG_ROUND',
  /** The client was not selected for this round. */
  NOT_SELECTED: 'NOT_SELECTED',
  /** The update bytes are not a valid encoded tensor (magic, checksum, lengths that lie…). */
  BAD_ENCODING: 'BAD_ENCODING',
  /** The update was encoded with another codec than the round's assignment asked for. */
  WRONG_CODEC: 'WRONG_CODEC',
  /** The update decodes to another element count than the model's. */
  SHAPE_MISMATCH: 'SHAPE_MISMATCH',
  /** The update contains NaN or ±Infinity. */
  NON_FINITE: 'NON_FINITE',
  /** The claimed sample count is outside the experiment's configured bounds. */
  BAD_SAMPLE_COUNT: 'BAD_SAMPLE_COUNT',
  /** The update's L2 norm exceeds the round's bound (a multiple of the median norm). */
  NORM_BOUND: 'NORM_BOUND',
  /** The update is larger than the bound derived from the model size and the assigned codec. */
  TOO_LARGE: 'TOO_LARGE',
  /** The client exceeded its submission rate. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The connection is not authenticated for this experiment or client id. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const;

/** A code from {@link RejectCode}. */
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** Every {@link ErrorCode} value, in declaration order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.values(ErrorCode));
/** Every {@link RejectCode} value, in declaration order. */
export const REJECT_CODES: readonly RejectCode[] = Object.freeze(Object.values(RejectCode));
