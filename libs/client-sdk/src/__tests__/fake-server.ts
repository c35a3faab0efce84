/**
 * A scripted coordinator for tests, built on `@fedzip/protocol` only (no Nest): it answers `hello`
 * with `welcome` and the model the client needs (full, delta from the version it holds, or
 * nothing), sends assignments on request, and records updates. Each method is one protocol step,
 * so tests read as the session they check.
 */
import { type EncodedTensor, createCodec } from '@fedzip/codec';
import {
  type AssignMessage,
  DEFAULT_LIMITS,
  type LayoutEntry,
  type MessageOf,
  PROTOCOL_VERSION,
  type ProtocolLimits,
  type ReceivedOf,
  type ServerEventName,
  decodeClientMessage,
  encodeMessage,
} from '@fedzip/protocol';
import type { FakeTransport } from './fake-transport.js';

export interface FakeServerOptions {
  readonly transport: FakeTransport;
  readonly architecture: string;
  readonly layout: readonly LayoutEntry[];
  readonly weights: Float32Array;
  readonly version?: number;
  readonly experimentId?: string;
  readonly limits?: ProtocolLimits;
  /** Answer every update with `ack` (default true). */
  readonly autoAck?: boolean;
}

export class FakeServer {
  readonly hellos: ReceivedOf<'hello'>[] = [];
  readonly updates: ReceivedOf<'update'>[] = [];
  readonly evalResults: ReceivedOf<'eval-result'>[] = [];
  /** Decode failures of client frames. */
  readonly refused: string[] = [];
  version: number;
  autoAck: boolean;
  experimentId: string;
  architecture: string;
  layout: readonly LayoutEntry[];
  private readonly versions = new Map<number, Float32Array>();
  /** The limits stated in `welcome` and enforced on client frames. */
  limits: ProtocolLimits;
  private updateWaiters: ((u: ReceivedOf<'update'>) => void)[] = [];
  private helloWaiters: ((h: ReceivedOf<'hello'>) => void)[] = [];

  constructor(private readonly options: FakeServerOptions) {
    this.version = options.version ?? 1;
    this.versions.set(this.version, Float32Array.from(options.weights));
    this.autoAck = options.autoAck ?? true;
    this.experimentId = options.experimentId ?? 'exp-1';
    this.architecture = options.architecture;
    this.layout = options.layout;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    options.transport.server = (event, frame) => this.receive(event, frame);
  }

  /** The weights of a version the server made. */
  weightsOf(version: number): Float32Array {
    const w = this.versions.get(version);
    if (!w) throw new Error(`no version ${version}`);
    return w;
  }

  send<E extends ServerEventName>(event: E, msg: MessageOf<E>): void {
    this.options.transport.deliver(event, encodeMessage(event, msg));
  }

  /** A new global version (the next number) with these weights; nothing is sent. */
  publish(weights: Float32Array): number {
    this.version++;
    this.versions.set(this.version, Float32Array.from(weights));
    return this.version;
  }

  /** Switches to another model: a new version, and no earlier version is kept. */
  reset(architecture: string, layout: readonly LayoutEntry[], weights: Float32Array): number {
    this.architecture = architecture;
    this.layout = layout;
    this.versions.clear();
    return this.publish(weights);
  }

  /** Sends the full current model (dense float32: exact). */
  sendFull(): EncodedTensor {
    const weights = createCodec('none').encode(this.weightsOf(this.version), 0);
    this.send('model', { version: this.version, layout: this.layout, baseVersion: null, weights });
    return weights;
  }

  /** Sends the current version as a delta from `from`, encoded with `codec`; returns the tensor. */
  sendDelta(from: number, codec = 'none', version = this.version): EncodedTensor {
    const a = this.weightsOf(from);
    const b = this.weightsOf(version);
    const d = b.map((v, i) => v - a[i]!);
    const weights = createCodec(codec).encode(d, 5);
    this.send('model', { version, layout: this.layout, baseVersion: from, weights });
    return weights;
  }

  /** Sends an assignment for the current version with test defaults. */
  assign(fields: Partial<AssignMessage> & { roundId: number }): AssignMessage {
    const msg: AssignMessage = {
      modelVersion: this.version,
      localEpochs: 1,
      batchSize: 16,
      lr: 0.1,
      optimizer: 'sgd',
      proxMu: 0,
      codec: 'none',
      errorFeedback: false,
      deadline: Date.now() + 60_000,
      seed: 7,
      ...fields,
    };
    this.send('assign', msg);
    return msg;
  }

  /** The next update to arrive (or the first not yet awaited). */
  nextUpdate(): Promise<ReceivedOf<'update'>> {
    return new Promise((resolve) => this.updateWaiters.push(resolve));
  }

  /** The next hello to arrive. */
  nextHello(): Promise<ReceivedOf<'hello'>> {
    return new Promise((resolve) => this.helloWaiters.push(resolve));
  }

  private receive(event: string, frame: Uint8Array): void {
    const r = decodeClientMessage(event, frame, this.limits);
    if (!r.ok) {
      this.refused.push(`${r.code}: ${r.reason}`);
      return;
    }
    switch (r.event) {
      case 'hello': {
        this.hellos.push(r.msg);
        this.send('welcome', {
          protocolVersion: PROTOCOL_VERSION,
          clientId: r.msg.clientId,
          experimentId: this.experimentId,
          architecture: this.architecture,
          limits: this.limits,
        });
        const held = r.msg.modelVersion;
        if (held === null || !this.versions.has(held)) this.sendFull();
        else if (held !== this.version) this.sendDelta(held);
        for (const w of this.helloWaiters.splice(0)) w(r.msg);
        return;
      }
      case 'update':
        this.updates.push(r.msg);
        if (this.autoAck) this.send('ack', { roundId: r.msg.roundId });
        for (const w of this.updateWaiters.splice(0)) w(r.msg);
        return;
      case 'eval-result':
        this.evalResults.push(r.msg);
        return;
    }
  }
}
