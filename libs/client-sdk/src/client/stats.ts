/** The counters a {@link FederatedClient} keeps: frames both ways, updates, compression. */

/** Where the client is in its life. */
export type ClientPhase = 'idle' | 'connecting' | 'joining' | 'joined' | 'closed';

/** Counters of a client, as {@link FederatedClient.stats} returns them. */
export interface ClientStats {
  readonly phase: ClientPhase;
  readonly modelVersion: number | null;
  /** Updates the server acknowledged. */
  readonly roundsDone: number;
  readonly updatesSent: number;
  readonly updatesRejected: number;
  readonly modelsReceived: number;
  /** Frame bytes sent and received, in total and per event. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly bytesSentByEvent: Readonly<Record<string, number>>;
  readonly bytesReceivedByEvent: Readonly<Record<string, number>>;
  /** Float32 size of the deltas sent (4 bytes per parameter per update). */
  readonly denseBytesSent: number;
  /** Dense float32 bytes / encoded bytes of the last update sent, or null before the first. */
  readonly lastCompressionRatio: number | null;
  readonly reconnects: number;
}

/** Byte and round counters; one per client. */
export class Counters {
  roundsDone = 0;
  updatesSent = 0;
  updatesRejected = 0;
  modelsReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  denseBytesSent = 0;
  lastCompressionRatio: number | null = null;
  private readonly sentByEvent: Record<string, number> = {};
  private readonly receivedByEvent: Record<string, number> = {};

  /** A frame of `bytes` went out for `event`. */
  sent(event: string, bytes: number): void {
    this.bytesSent += bytes;
    this.sentByEvent[event] = (this.sentByEvent[event] ?? 0) + bytes;
  }

  /** A frame of `bytes` arrived for `event`. */
  received(event: string, bytes: number): void {
    this.bytesReceived += bytes;
    this.receivedByEvent[event] = (this.receivedByEvent[event] ?? 0) + bytes;
  }

  /** An update of `denseBytes` float32 bytes went out as `encodedBytes`. */
  update(denseBytes: number, encodedBytes: number): void {
    this.updatesSent++;
    this.denseBytesSent += denseBytes;
    this.lastCompressionRatio = denseBytes / encodedBytes;
  }

  /** A snapshot, with the client's phase, version and reconnects. */
  snapshot(phase: ClientPhase, modelVersion: number | null, reconnects: number): ClientStats {
    return {
      phase,
      modelVersion,
      roundsDone: this.roundsDone,
      updatesSent: this.updatesSent,
      updatesRejected: this.updatesRejected,
      modelsReceived: this.modelsReceived,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      bytesSentByEvent: { ...this.sentByEvent },
      bytesReceivedByEvent: { ...this.receivedByEvent },
      denseBytesSent: this.denseBytesSent,
      lastCompressionRatio: this.lastCompressionRatio,
      reconnects,
    };
  }
}
