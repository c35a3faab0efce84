import type { Rng } from '@fedzip/codec';

/**
 * What a strategy needs from a round's updates.
 *
 * - `'mean'`: only the sample-weighted mean delta. The coordinator streams every update into an
 *   {@link UpdateAccumulator} (O(model) memory whatever the client count). FedAvg, FedAvgM and
 *   the FedOpt family.
 * - `'per-client'`: every client's decoded delta, because the aggregate is not a function of the
 *   mean (median, trimmed mean, Krum, clipping relative to the round). O(clients × model).
 */
export type AggregationInput = 'mean' | 'per-client';

/** What a client reported beside its update. */
export interface ClientFit {
  readonly clientId: string;
  /** Local training examples: the FedAvg weight. Finite and > 0. */
  readonly numSamples: number;
  /** Local training metrics (loss, accuracy, …), passed through for logging. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** A client's report with its decoded delta `w_local − w_global` (the `'per-client'` input). */
export interface ClientUpdate extends ClientFit {
  readonly delta: Float32Array;
}

/** A round's results for a `'mean'` strategy. */
export interface MeanResults {
  readonly kind: 'mean';
  /** Every accepted client, in arrival order. */
  readonly clients: readonly ClientFit[];
  /** `Σ nₖ Δₖ / Σ nₖ` over the accepted clients (each Δₖ clipped first when `clipNorm` is set). */
  readonly mean: Float32Array;
  /** `Σ nₖ`. */
  readonly totalWeight: number;
  /** The L2 bound every update was clipped to before averaging, if any. */
  readonly clipNorm?: number;
}

/** A round's results for a `'per-client'` strategy. */
export interface PerClientResults {
  readonly kind: 'per-client';
  /** Every accepted client with its decoded delta, in arrival order. */
  readonly clients: readonly ClientUpdate[];
  /** The L2 bound every delta was clipped to, if any. */
  readonly clipNorm?: number;
}

/** The successful part of a round, in the shape the strategy's `needs` asked for. */
export type FitResults = MeanResults | PerClientResults;

/** A selected client that did not deliver a usable update. */
export interface FitFailure {
  readonly clientId: string;
  /** A reason code: a `CodecErrorCode`, or the coordinator's (`LATE`, `DISCONNECTED`, …). */
  readonly code: string;
  readonly message?: string;
}

/** Extra instructions for the clients of a round (e.g. FedProx's `proximalMu`). */
export type FitInstructions = Readonly<Record<string, number | string | boolean>>;

/** A server-side evaluation of the global model. */
export interface EvaluationResult {
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Evaluates a global model on the server (Flower's `evaluate_fn`); may skip a round by
 * returning null. The aggregation library has no model: the coordinator supplies this.
 */
export type EvaluateFn = (
  round: number,
  weights: Float32Array,
) => EvaluationResult | null | Promise<EvaluationResult | null>;

/**
 * A strategy's optimizer state as plain typed arrays (for checkpoints). `arrays` is empty before
 * the first successful round. Exports are copies; imports are copied in.
 */
export interface StrategyState {
  /** The {@link Strategy.name} that produced it; importing into another strategy fails. */
  readonly strategy: string;
  readonly arrays: Readonly<Record<string, Float32Array>>;
}

/**
 * How the server turns a round of client deltas into the next global model: Flower's strategy
 * cut (`flwr.server.strategy.Strategy`), adapted to deltas and to streaming aggregation.
 *
 * A round: `configureRound` picks clients → clients train and send encoded deltas → the
 * coordinator decodes them into the input `needs` names (see {@link RoundCollector}) →
 * `aggregate` returns the next global model → optionally `evaluate` it.
 */
export interface Strategy {
  /** Stable name, as in the config (`fedavg`, `fedadam`, …). */
  readonly name: string;
  /** The input `aggregate` expects: the streamed weighted mean, or per-client deltas. */
  readonly needs: AggregationInput;
  /**
   * When set, the coordinator must clip every client delta to this L2 norm before it reaches
   * `aggregate` (the collector does it while streaming). Undefined: no clipping.
   */
  readonly clipNorm?: number;

  /**
   * Picks the clients of round `round` (1-based) from those available, reproducibly from `rng`.
   *
   * @returns the selected client ids; an **empty array** means too few clients are available
   *   (below the strategy's minimum): do not start the round, wait and ask again.
   */
  configureRound(round: number, availableClientIds: readonly string[], rng: Rng): string[];

  /**
   * Instructions sent to every client of round `round` with its assignment.
   *
   * @returns an object, **empty** when the strategy has nothing to add.
   */
  fitConfig(round: number): FitInstructions;

  /**
   * Aggregates a round into the next global model. Never mutates `global` or the results.
   *
   * @param global - the global weights the clients trained from.
   * @param results - the accepted updates, in the shape of {@link Strategy.needs}.
   * @param failures - selected clients that delivered nothing usable.
   * @returns the new global weights, or **null** when the round cannot produce a model (fewer
   *   results than the strategy's minimum, failures while `acceptFailures` is off, or a non-finite
   *   aggregate). Null keeps the current global model and leaves the strategy's state untouched:
   *   the round counts as failed, and the coordinator retries it or gives up with a logged reason.
   * @throws AggregationError `BAD_RESULTS` when the results do not have the shape `needs` asked
   *   for or the length of `global` (a wiring bug, not a client's fault).
   */
  aggregate(
    round: number,
    global: Float32Array,
    results: FitResults,
    failures: readonly FitFailure[],
  ): Float32Array | null;

  /**
   * Evaluates the global model on the server (issue 4, "Server-side evaluation").
   *
   * @returns the evaluation, or **null** when no server-side evaluation is configured or this
   *   round is not an evaluation round.
   */
  evaluate?(round: number, global: Float32Array): Promise<EvaluationResult | null>;

  /** Copies the server optimizer state out (`arrays` empty for stateless strategies). */
  exportState(): StrategyState;

  /**
   * Replaces the server optimizer state with a copy of `state`.
   *
   * @throws AggregationError `BAD_STATE` when it comes from another strategy, lacks an array,
   *   or its arrays disagree in length (a length that disagrees with the model fails at the
   *   next `aggregate`).
   */
  importState(state: StrategyState): void;
}
