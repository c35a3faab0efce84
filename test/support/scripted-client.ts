/**
 * A protocol-level test client: speaks fedzip's Socket.IO protocol directly (no tfjs), so tests
 * can drive the coordinator with exact updates, hostile frames and badly timed messages.
 */
import { createCodec, decode } from '@fedzip/codec';
import {
  type MessageOf,
  PROTOCOL_VERSION,
  type ReceivedOf,
  type ServerEventName,
  decodeServerMessage,
  encodeMessage,
} from '@fedzip/protocol';
import { type Socket, io } from 'socket.io-client';

export type Inbox = { [E in ServerEventName]: ReceivedOf<E>[] };

export class ScriptedClient {
  readonly socket: Socket;
  readonly inbox: Inbox = {
    welcome: [],
    model: [],
    assign: [],
    ack: [],
    reject: [],
    'eval-request': [],
    error: [],
  };
  weights: Float32Array | null = null;
  version: number | null = null;
  private waiters: (() => void)[] = [];
  private readonly assignHandlers: ((a: ReceivedOf<'assign'>) => void)[] = [];

  constructor(
    url: string,
    readonly clientId: string,
    private readonly token = '',
  ) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    for (const event of Object.keys(this.inbox) as ServerEventName[]) {
      this.socket.on(event, (frame: unknown) => {
        const d = decodeServerMessage(event, frame);
        if (!d.ok) throw new Error(`bad ${event} frame: ${d.reason}`);
        (this.inbox[event] as unknown[]).push(d.msg);
        if (d.event === 'model') this.applyModel(d.msg);
        if (d.event === 'assign') for (const h of this.assignHandlers) h(d.msg);
        for (const w of this.waiters.splice(0)) w();
      });
    }
    this.socket.on('connect', () => this.hello());
  }

  /** Calls `fn` with every assignment, after it is recorded in the inbox. */
  onAssign(fn: (a: ReceivedOf<'assign'>) => void): void {
    this.assignHandlers.push(fn);
  }

  hello(modelVersion: number | null = this.version): void {
    this.send('hello', {
      protocolVersion: PROTOCOL_VERSION,
      token: this.token,
      clientId: this.clientId,
      modelVersion,
      capabilities: { runtime: 'node', backends: [], codecs: [], codecFormat: 1, maxMessageBytes: 1 << 26 },
    });
  }

  send<E extends 'hello' | 'update' | 'eval-result'>(event: E, msg: MessageOf<E>): void {
    this.socket.emit(event, encodeMessage(event, msg));
  }

  private applyModel(m: ReceivedOf<'model'>): void {
    const w = decode(m.weights);
    if (m.baseVersion === null) this.weights = w;
    else {
      if (!this.weights || this.version !== m.baseVersion)
        throw new Error(`delta from ${m.baseVersion}, hold ${this.version}`);
      for (let i = 0; i < w.length; i++) this.weights[i]! += w[i]!;
    }
    this.version = m.version;
  }

  /** Resolves when `cond` holds (checked after every message), or rejects after `ms`. */
  async until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`${this.clientId}: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** Sends an update that moves the held weights towards `target` by `step`, encoded with `codec`. */
  submitTowards(assign: ReceivedOf<'assign'>, target: Float32Array, step = 0.5, samples = 100): void {
    const w = this.weights!;
    const delta = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) delta[i] = step * (target[i]! - w[i]!);
    this.send('update', {
      roundId: assign.roundId,
      baseVersion: assign.modelVersion,
      sampleCount: samples,
      metrics: { loss: 1, accuracy: 0.5, trainMs: 1, encodeMs: 1 },
      update: createCodec(assign.codec).encode(delta, assign.seed),
    });
  }

  close(): void {
    this.socket.close();
  }
}
