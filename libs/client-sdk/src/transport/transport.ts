/**
 * What the client needs from a connection: named binary frames both ways, and connect/disconnect
 * notifications. The core speaks only to this interface, so it runs over Socket.IO in Node and
 * browsers ({@link SocketIoTransport}) or over an in-memory fake in tests.
 */
import type { ClientEventName, ServerEventName } from '@fedzip/protocol';

/** Why the connection went down. */
export interface DisconnectInfo {
  /** The transport's reason (Socket.IO's: `transport close`, `io server disconnect`, …). */
  readonly reason: string;
  /** Whether the transport reconnects by itself (with backoff). */
  readonly willReconnect: boolean;
}

/** Why a connection attempt failed. */
export interface ConnectErrorInfo {
  readonly message: string;
  /** Whether the transport tries again by itself. */
  readonly willRetry: boolean;
}

/** A message connection to the coordinator. Handlers may be called synchronously. */
export interface Transport {
  /** Whether frames can be sent now. */
  readonly connected: boolean;
  /** Opens the connection (again, after {@link close}). Failures arrive through `onConnectError`. */
  connect(): void;
  /** Closes the connection and stops reconnecting, until the next {@link connect}. */
  close(): void;
  /**
   * Sends one frame as the single argument of `event`. Returns false, sending nothing, when not
   * connected: frames must never be buffered across a reconnect, since `hello` has to go first.
   */
  send(event: ClientEventName, frame: Uint8Array): boolean;
  /** Calls `handler` with each frame received for `event` (untrusted: any value). Returns an unsubscribe. */
  on(event: ServerEventName, handler: (frame: unknown) => void): () => void;
  /** Calls `handler` on every (re)connection. Returns an unsubscribe. */
  onConnect(handler: () => void): () => void;
  /** Calls `handler` whenever an established connection goes down. Returns an unsubscribe. */
  onDisconnect(handler: (info: DisconnectInfo) => void): () => void;
  /** Calls `handler` when a connection attempt fails. Returns an unsubscribe. Optional. */
  onConnectError?(handler: (info: ConnectErrorInfo) => void): () => void;
}
