/**
 * Every failure the client reports is a {@link ClientError} with a stable {@link ClientErrorCode}.
 * It reaches applications through the client's `error` event (and `start()`'s rejection), so that
 * a CLI or a browser page can show a readable reason instead of a stack trace.
 */
import type { DecodeErrorCode, ErrorCode } from '@fedzip/protocol';

/** Why the client reports an error. */
export type ClientErrorCode =
  /** A constructor option is invalid (client id, token, data). */
  | 'BAD_OPTION'
  /** A frame from the server failed `decodeServerMessage`; `remoteCode` holds the decode code. */
  | 'BAD_MESSAGE'
  /** The server sent an `error` event; `remoteCode` holds its code. */
  | 'SERVER_ERROR'
  /** `welcome.architecture` is not a model this client can build. */
  | 'BAD_ARCHITECTURE'
  /** The local data does not fit the experiment's model (sample size or class count). */
  | 'DATA_MISMATCH'
  /** A `model` message's layout differs from the model built from the architecture. */
  | 'LAYOUT_MISMATCH'
  /** A `model` message's weights are not a valid encoded tensor of the model's length. */
  | 'BAD_MODEL'
  /** The assignment asks for something this client cannot do (an optimizer, a codec spec). */
  | 'UNSUPPORTED'
  /** Local training or evaluation threw. */
  | 'TRAINING_FAILED'
  /** Training produced NaN or ±Infinity; the update is not sent. */
  | 'NON_FINITE'
  /** The encoded update exceeds the server's `welcome.limits`; it is not sent. */
  | 'UPDATE_TOO_LARGE'
  /** The residual store failed to load or save; the client goes on with its in-memory residual. */
  | 'RESIDUAL_STORE'
  /** The model store failed to load or save; the client goes on with the model in memory. */
  | 'MODEL_STORE'
  /** The transport could not connect. */
  | 'CONNECT_FAILED'
  /** The client closed (stopped, or a fatal error) before the operation completed. */
  | 'CLOSED';

/** Extra facts attached to a {@link ClientError}. */
export interface ClientErrorDetails {
  /** Whether the client closes because of it. Default false. */
  readonly fatal?: boolean;
  /** The protocol code behind it: the server's `error.code`, or the local decode failure's code. */
  readonly remoteCode?: ErrorCode | DecodeErrorCode;
  /** The protocol event it concerns, when there is one. */
  readonly event?: string | null;
  /** The round it concerns, when there is one. */
  readonly roundId?: number;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** A typed client failure. `code` is part of the public contract; `message` is for humans. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  /** Whether the client closes because of it. */
  readonly fatal: boolean;
  /** The protocol code behind it, when there is one. */
  readonly remoteCode: ErrorCode | DecodeErrorCode | undefined;
  /** The protocol event it concerns, or null. */
  readonly event: string | null;
  /** The round it concerns, when there is one. */
  readonly roundId: number | undefined;

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    details: ClientErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.fatal = details.fatal ?? false;
    this.remoteCode = details.remoteCode;
    this.event = details.event ?? null;
    this.roundId = details.roundId;
  }
}

/** The message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
