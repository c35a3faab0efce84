import { type EncodedTensor, createCodec, decode } from '@fedzip/codec';

/** One `model` message to send: the encoded weights and what they apply to. */
export interface DownlinkMessage {
  readonly version: number;
  /** null: full model; a number: delta to add to that version. */
  readonly baseVersion: number | null;
  readonly weights: EncodedTensor;
}

/** How far back deltas are kept for clients that skipped rounds. */
const HISTORY = 16;

/**
 * The server side of downlink compression. Clients hold ŵ, the model as they reconstruct it; the
 * server holds the true global w. Publishing version v+1 sends E = C(w_{v+1} − ŵ_v) and sets
 * ŵ_{v+1} = ŵ_v + decode(E), so whatever C dropped stays in w − ŵ and is sent later: the server's
 * own error feedback (as in STC's downstream compression, Sattler et al. 2019), so nothing drifts.
 *
 * A client that receives a full model instead (it held none, or its delta chain would cost more)
 * holds decode(C_full(ŵ)), which differs from ŵ by the full codec's error (≤ half an int8 step
 * per weight with the default `q8(chunk=256)`). Later deltas keep that offset constant rather
 * than growing it, and the client's updates are relative to what it holds, so aggregation is
 * unaffected; only that client's starting point is off by the quantization error.
 */
export class DownlinkState {
  private readonly deltaCodec;
  private readonly fullCodec;
  private readonly deltas = new Map<number, EncodedTensor>(); // keyed by the version they lead to
  private readonly fulls = new Map<number, EncodedTensor>();
  private clientView: Float32Array;
  private current = 0;

  constructor(
    initial: Float32Array,
    deltaSpec: string,
    fullSpec: string,
    initialDownload: EncodedTensor | undefined,
    private readonly seed: number,
  ) {
    this.deltaCodec = createCodec(deltaSpec);
    this.fullCodec = createCodec(fullSpec);
    const first = initialDownload ?? this.fullCodec.encode(initial, seed);
    this.fulls.set(0, first);
    this.clientView = decode(first);
  }

  /**
   * The state after a restart from a checkpoint: clients' view ŵ at `version` (so the server's
   * downlink residual w − ŵ carries on). The delta history is gone: clients holding an older
   * version get the full model once.
   */
  static restore(
    view: Float32Array,
    version: number,
    deltaSpec: string,
    fullSpec: string,
    seed: number,
  ): DownlinkState {
    const d = new DownlinkState(view, deltaSpec, fullSpec, undefined, seed);
    d.clientView = Float32Array.from(view);
    d.current = version;
    d.fulls.clear();
    return d;
  }

  get version(): number {
    return this.current;
  }

  /** The model as clients reconstruct it at the current version. */
  get view(): Float32Array {
    return this.clientView;
  }

  /** Publishes the global model of the next version. */
  publish(global: Float32Array): void {
    const d = new Float32Array(global.length);
    for (let i = 0; i < d.length; i++) d[i] = global[i]! - this.clientView[i]!;
    const next = this.current + 1;
    const e = this.deltaCodec.encode(d, (this.seed + next) >>> 0);
    const sent = decode(e);
    for (let i = 0; i < d.length; i++) this.clientView[i]! += sent[i]!;
    this.deltas.set(next, e);
    this.deltas.delete(next - HISTORY);
    this.fulls.clear();
    this.current = next;
  }

  /**
   * What a client holding `held` needs to reach the current version: nothing, a chain of deltas
   * (when it is recent and the chain is smaller than a full model), or the full model.
   */
  messagesFor(held: number | null): DownlinkMessage[] {
    if (held === this.current) return [];
    if (held !== null && held < this.current && held >= this.current - HISTORY + 1) {
      const chain: DownlinkMessage[] = [];
      let bytes = 0;
      for (let v = held + 1; v <= this.current; v++) {
        const e = this.deltas.get(v);
        if (!e) break;
        chain.push({ version: v, baseVersion: v - 1, weights: e });
        bytes += e.length;
      }
      if (chain.length === this.current - held && bytes < this.full().length) return chain;
    }
    return [{ version: this.current, baseVersion: null, weights: this.full() }];
  }

  private full(): EncodedTensor {
    let f = this.fulls.get(this.current);
    if (!f) {
      f = this.fullCodec.encode(this.clientView, (this.seed ^ 0x5bd1e995) >>> 0);
      this.fulls.set(this.current, f);
    }
    return f;
  }
}
