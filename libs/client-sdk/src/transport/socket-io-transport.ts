/**
 * {@link Transport} over socket.io-client 4, for Node and browsers alike: WebSocket only (long
 * polling would send binary as base64), one binary frame per event over the default parser
 * (docs/protocol.md, "Transport"), and Socket.IO's own reconnection with exponential backoff and
 * jitter.
 */
import {
  type ClientEventName,
  type ClientToServerEvents,
  SERVER_EVENTS,
  type ServerEventName,
  type ServerToClientEvents,
} from '@fedzip/protocol';
import { type ManagerOptions, type Socket, type SocketOptions, io } from 'socket.io-client';
import type { ConnectErrorInfo, DisconnectInfo, Transport } from './transport.js';

/** Options of {@link SocketIoTransport}. */
export interface SocketIoTransportOptions {
  /** The coordinator's URL, e.g. `http://127.0.0.1:3000` (the client namespace is `/`). */
  readonly url: string;
  /** Socket.IO's HTTP path. Default `/socket.io`. */
  readonly path?: string;
  /** First reconnection delay, ms. Doubles per attempt. Default 500. */
  readonly reconnectionDelayMs?: number;
  /** Largest reconnection delay, ms. Default 10 000. */
  readonly reconnectionDelayMaxMs?: number;
  /** Jitter: each delay is scaled by a random factor in [1 − f, 1 + f]. Default 0.5. */
  readonly randomizationFactor?: number;
  /** Attempts before giving up. Default Infinity. */
  readonly reconnectionAttempts?: number;
  /** Timeout of one connection attempt, ms. Default 20 000. */
  readonly connectTimeoutMs?: number;
  /** Further socket.io-client options (e.g. `extraHeaders`); `transports` stays `['websocket']`. */
  readonly socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A Socket.IO connection to the coordinator's client namespace. */
export class SocketIoTransport implements Transport {
  /** The underlying socket (for diagnostics; the client never touches it). */
  readonly socket: ClientSocket;

  constructor(options: SocketIoTransportOptions) {
    this.socket = io(options.url, {
      ...options.socketOptions,
      path: options.path ?? options.socketOptions?.path ?? '/socket.io',
      transports: ['websocket'],
      autoConnect: false,
      // Each client its own engine: multiplexing would put several clients of one process (tests,
      // simulations) on one connection, and the server binds identity to the connection.
      forceNew: true,
      reconnection: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 10_000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      reconnectionAttempts: options.reconnectionAttempts ?? Infinity,
      timeout: options.connectTimeoutMs ?? 20_000,
    });
  }

  /** Whether the socket is connected (frames can be sent). */
  get connected(): boolean {
    return this.socket.connected;
  }

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.disconnect();
  }

  send(event: ClientEventName, frame: Uint8Array): boolean {
    // socket.io-client buffers emits while disconnected and flushes them on reconnect before the
    // `connect` event, i.e. before our `hello`; refusing here keeps `hello` first.
    if (!this.socket.connected) return false;
    const buffered = this.socket.sendBuffer.length;
    this.socket.emit(event, frame);
    // A socket still "connected" whose ping has expired (the event loop was blocked, e.g. by a long
    // training step) buffers the packet and closes; take it back so the caller can resend it later.
    if (this.socket.sendBuffer.length > buffered) {
      this.socket.sendBuffer.splice(buffered);
      return false;
    }
    return true;
  }

  on(event: ServerEventName, handler: (frame: unknown) => void): () => void {
    if (!SERVER_EVENTS.includes(event)) throw new TypeError(`"${event}" is not a server event`);
    // Exactly one argument is a frame; anything else reaches the decoder as undefined: BAD_FRAME.
    const listener = (...args: unknown[]): void => handler(args.length === 1 ? args[0] : undefined);
    const socket = this.socket as unknown as Socket;
    socket.on(event, listener);
    return () => void socket.off(event, listener);
  }

  onConnect(handler: () => void): () => void {
    this.socket.on('connect', handler);
    return () => void this.socket.off('connect', handler);
  }

  onDisconnect(handler: (info: DisconnectInfo) => void): () => void {
    // `active` is false after `io server disconnect` and `io client disconnect`: no auto-reconnect.
    const listener = (reason: string): void => handler({ reason, willReconnect: this.socket.active });
    this.socket.on('disconnect', listener);
    return () => void this.socket.off('disconnect', listener);
  }

  onConnectError(handler: (info: ConnectErrorInfo) => void): () => void {
    const listener = (err: Error): void => handler({ message: err.message, willRetry: this.socket.active });
    this.socket.on('connect_error', listener);
    return () => void this.socket.off('connect_error', listener);
  }
}
