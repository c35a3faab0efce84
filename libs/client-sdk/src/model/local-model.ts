/**
 * The client's copy of the global model: the tfjs network built once from the architecture, and
 * the flat weights of the version held. The held weights live outside the network (which training
 * overwrites) and are never changed in place: applying a model message makes a new array, so a
 * round that captured its base keeps exactly `assign.modelVersion`'s weights.
 */
import { decode } from '@fedzip/codec';
import { type WeightLayout, createModel, weightLayout } from '@fedzip/model';
import type { ReceivedOf } from '@fedzip/protocol';
import { ClientError, errorMessage } from '../errors.js';
import type { Architecture } from './architecture.js';
import { layoutFingerprint, layoutMismatch } from './layout.js';

/** The tfjs model type `createModel` returns. */
export type Network = ReturnType<typeof createModel>;

/** What applying a `model` message did. */
export type ApplyResult =
  | { readonly kind: 'full' | 'delta'; readonly version: number }
  /** A delta from a version not held: the caller must drop the model and resync. */
  | { readonly kind: 'unknown-base'; readonly baseVersion: number; readonly held: number | null };

/** The network and the held global weights; see the module comment. */
export class LocalModel {
  readonly layout: WeightLayout;
  /** {@link layoutFingerprint} of the network's layout. */
  readonly fingerprint: string;
  private held: { readonly version: number; readonly weights: Float32Array } | null = null;
  private disposed = false;

  private constructor(
    readonly architecture: Architecture,
    readonly network: Network,
  ) {
    this.layout = weightLayout(network);
    this.fingerprint = layoutFingerprint(this.layout.entries);
  }

  /**
   * Builds the network an architecture describes. The initial weights do not matter (the server's
   * replace them), so the seed is fixed.
   *
   * @throws {@link ClientError} `BAD_ARCHITECTURE` (fatal) when `createModel` refuses the config.
   */
  static build(architecture: Architecture): LocalModel {
    try {
      return new LocalModel(architecture, createModel(architecture.model, architecture.input, { seed: 0 }));
    } catch (e) {
      throw new ClientError('BAD_ARCHITECTURE', `cannot build the experiment's model: ${errorMessage(e)}`, {
        fatal: true,
        event: 'welcome',
        cause: e,
      });
    }
  }

  /** Number of parameters. */
  get params(): number {
    return this.layout.totalSize;
  }

  /** The version held, or null. */
  get version(): number | null {
    return this.held?.version ?? null;
  }

  /** The held weights (do not modify), or null. */
  get weights(): Float32Array | null {
    return this.held?.weights ?? null;
  }

  /** The held weights when they are exactly `version`, else null. */
  weightsOf(version: number): Float32Array | null {
    return this.held?.version === version ? this.held.weights : null;
  }

  /**
   * Applies a `model` message: full weights replace the model; a delta from the held version is
   * added to it (w ← w_base + decode(Δ)). A delta from another version is not applied.
   *
   * @throws {@link ClientError} `LAYOUT_MISMATCH` (fatal) when the layout is not the local model's;
   *   `BAD_MODEL` when the weights are not a valid encoded tensor of the model's length.
   */
  apply(msg: ReceivedOf<'model'>): ApplyResult {
    const mismatch = layoutMismatch(msg.layout, this.layout);
    if (mismatch !== null) {
      throw new ClientError('LAYOUT_MISMATCH', `model version ${msg.version}: ${mismatch}`, {
        fatal: true,
        event: 'model',
      });
    }
    if (msg.baseVersion !== null && this.held?.version !== msg.baseVersion) {
      return { kind: 'unknown-base', baseVersion: msg.baseVersion, held: this.version };
    }
    let values: Float32Array;
    try {
      values = decode(msg.weights, { expectedLength: this.params });
    } catch (e) {
      throw new ClientError('BAD_MODEL', `model version ${msg.version}: ${errorMessage(e)}`, {
        event: 'model',
        cause: e,
      });
    }
    if (msg.baseVersion === null) {
      this.held = { version: msg.version, weights: values };
      return { kind: 'full', version: msg.version };
    }
    // Into the decoded array: a new one, so a base a running round holds stays as it is.
    const base = this.held!.weights;
    for (let i = 0; i < values.length; i++) values[i] = base[i]! + values[i]!;
    this.held = { version: msg.version, weights: values };
    return { kind: 'delta', version: msg.version };
  }

  /**
   * Holds `weights` as `version` without a `model` message: a version restored from a
   * `ModelStore`. The array is kept as it is (pass a copy).
   *
   * @throws {@link ClientError} `BAD_MODEL` when the length is not the model's.
   */
  restore(version: number, weights: Float32Array): void {
    if (weights.length !== this.params) {
      throw new ClientError(
        'BAD_MODEL',
        `a restored model of ${weights.length} values for a network of ${this.params} parameters`,
      );
    }
    this.held = { version, weights };
  }

  /** Forgets the held version and weights (to get a full model again). */
  drop(): void {
    this.held = null;
  }

  /** Frees the network's tensors. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.network.dispose();
  }
}
