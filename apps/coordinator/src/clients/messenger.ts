import { type MessageOf, type ServerEventName, encodeMessage } from '@fedzip/protocol';
import type { DownlinkState } from '../model/downlink.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import type { ClientSession, Traffic } from './client-registry.js';

/** Bytes on the wire since the coordinator started (monotonic), read by `/metrics`. */
export interface WireTotals {
  /** Bytes of the frames sent, by server event name (`model`, `assign`, `ack`, …). */
  readonly sentBytes: Map<string, number>;
  /** Bytes of the `update` frames received. */
  receivedBytes: number;
}

/**
 * Sends protocol messages to clients and counts the bytes. Model syncs count as downlink: the
 * frames actually sent, against the dense float32 model a plain FedAvg server would have sent.
 */
export class Messenger {
  /** Downlink traffic since the last {@link takeDownlink}. */
  private down: Traffic = { bytes: 0, denseBytes: 0, messages: 0 };
  /** Every frame sent and every update frame received, since the start. */
  readonly totals: WireTotals = { sentBytes: new Map(), receivedBytes: 0 };
  private readonly denseModelBytes: number;

  constructor(private readonly setup: ExperimentSetup) {
    this.denseModelBytes = 4 * setup.initialWeights.length;
  }

  /** Sends one message; returns its frame size. */
  send<E extends ServerEventName>(session: ClientSession, event: E, msg: MessageOf<E>): number {
    const frame = encodeMessage(event, msg);
    session.socket.emit(event, frame);
    session.bytesOut += frame.length;
    this.totals.sentBytes.set(event, (this.totals.sentBytes.get(event) ?? 0) + frame.length);
    return frame.length;
  }

  /** Counts an inbound frame of `bytes` from a client. */
  received(session: ClientSession, bytes: number): void {
    session.bytesIn += bytes;
    this.totals.receivedBytes += bytes;
  }

  /** Brings a client to the current model version (nothing, a delta chain, or the full model). */
  syncModel(session: ClientSession, downlink: DownlinkState): void {
    const messages = downlink.messagesFor(session.heldVersion);
    if (messages.length === 0) return;
    let bytes = 0;
    for (const m of messages) {
      bytes += this.send(session, 'model', {
        version: m.version,
        layout: this.setup.layout,
        baseVersion: m.baseVersion,
        weights: m.weights,
      });
    }
    session.heldVersion = downlink.version;
    this.down.bytes += bytes;
    this.down.denseBytes += this.denseModelBytes;
    this.down.messages += messages.length;
  }

  /** Returns the downlink traffic counted since the last call and resets it. */
  takeDownlink(): Traffic {
    const t = this.down;
    this.down = { bytes: 0, denseBytes: 0, messages: 0 };
    return t;
  }
}
