/**
 * An in-memory {@link Transport} for tests: frames go to a scripted server callback, and the test
 * delivers server frames (as ArrayBuffers, like a browser receives them). Connecting and sending
 * are asynchronous (microtasks), as with a real socket.
 */
import type { ClientEventName, ServerEventName } from '@fedzip/protocol';
import type { DisconnectInfo, Transport } from '../transport/transport.js';

type Handler<T> = (value: T) => void;

export class FakeTransport implements Transport {
  connected = false;
  connectCalls = 0;
  closeCalls = 0;
  /** Every frame the client sent, in order. */
  readonly sent: { event: ClientEventName; frame: Uint8Array }[] = [];
  /** Receives the client's frames (a copy), after a microtask. */
  server: ((event: ClientEventName, frame: Uint8Array) => void) | null = null;
  /** Called whenever the client connects (after `connected` is true). */
  onServerConnect: (() => void) | null = null;
  private readonly handlers = new Map<ServerEventName, Set<Handler<unknown>>>();
  private readonly connectHandlers = new Set<() => void>();
  private readonly disconnectHandlers = new Set<Handler<DisconnectInfo>>();

  connect(): void {
    this.connectCalls++;
    queueMicrotask(() => {
      if (this.connected) return;
      this.connected = true;
      this.onServerConnect?.();
      for (const h of [...this.connectHandlers]) h();
    });
  }

  close(): void {
    this.closeCalls++;
    if (!this.connected) return;
    this.connected = false;
    this.fireDisconnect({ reason: 'io client disconnect', willReconnect: false });
  }

  send(event: ClientEventName, frame: Uint8Array): boolean {
    if (!this.connected) return false;
    const copy = frame.slice();
    this.sent.push({ event, frame: copy });
    queueMicrotask(() => this.server?.(event, copy));
    return true;
  }

  on(event: ServerEventName, handler: (frame: unknown) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  onConnect(handler: () => void): () => void {
    this.connectHandlers.add(handler);
    return () => this.connectHandlers.delete(handler);
  }

  onDisconnect(handler: (info: DisconnectInfo) => void): () => void {
    this.disconnectHandlers.add(handler);
    return () => this.disconnectHandlers.delete(handler);
  }

  /** Server side: delivers a frame for `event`, as an ArrayBuffer of its own. */
  deliver(event: ServerEventName, frame: unknown): void {
    const arg = frame instanceof Uint8Array ? frame.slice().buffer : frame;
    for (const h of [...(this.handlers.get(event) ?? [])]) h(arg);
  }

  /** Simulates a dropped connection that the transport re-establishes after `delayMs`. */
  drop(reason = 'transport close', delayMs = 5): void {
    if (!this.connected) return;
    this.connected = false;
    this.fireDisconnect({ reason, willReconnect: true });
    setTimeout(() => this.connect(), delayMs);
  }

  /** Simulates the server ending the session (no reconnection). */
  serverDisconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.fireDisconnect({ reason: 'io server disconnect', willReconnect: false });
  }

  /** Frames sent for `event`. */
  frames(event: ClientEventName): Uint8Array[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.frame);
  }

  private fireDisconnect(info: DisconnectInfo): void {
    for (const h of [...this.disconnectHandlers]) h(info);
  }
}
