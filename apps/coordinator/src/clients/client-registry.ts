import type { Socket } from 'socket.io';

/** A joined client: its connection and what it holds. */
export interface ClientSession {
  readonly clientId: string;
  readonly socket: Socket;
  readonly runtime: string;
  /** The model version the client holds (after the messages sent to it), or null. */
  heldVersion: number | null;
  joinedAt: number;
  bytesIn: number;
  bytesOut: number;
}

/** Byte and message counters of one direction, per round and in total. */
export interface Traffic {
  bytes: number;
  denseBytes: number;
  messages: number;
}

/**
 * Who is connected, by client id and by socket. A client id has at most one live session: a
 * reconnect with the same id replaces the old socket (which is disconnected).
 */
export class ClientRegistry {
  private readonly byId = new Map<string, ClientSession>();
  private readonly bySocket = new Map<string, ClientSession>();
  private readonly listeners = new Set<() => void>();

  get size(): number {
    return this.byId.size;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(clientId: string): ClientSession | undefined {
    return this.byId.get(clientId);
  }

  forSocket(socketId: string): ClientSession | undefined {
    return this.bySocket.get(socketId);
  }

  /** Adds a session; returns the one it replaced, if any. */
  join(session: ClientSession): ClientSession | undefined {
    const old = this.byId.get(session.clientId);
    if (old) this.bySocket.delete(old.socket.id);
    this.byId.set(session.clientId, session);
    this.bySocket.set(session.socket.id, session);
    this.notify();
    return old;
  }

  /** Removes the session of a socket (if it is still the live one for its id). */
  leave(socketId: string): ClientSession | undefined {
    const s = this.bySocket.get(socketId);
    if (!s) return undefined;
    this.bySocket.delete(socketId);
    if (this.byId.get(s.clientId) === s) this.byId.delete(s.clientId);
    this.notify();
    return s;
  }

  /** Calls `fn` whenever a client joins or leaves; returns the unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }
}
