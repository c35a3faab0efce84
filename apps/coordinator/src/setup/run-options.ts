import type { StrategyState } from '@fedzip/aggregation';
import type { RoundRecord } from '../events/experiment-events.js';

/**
 * What a restart needs to continue an experiment after its last completed round, bit for bit:
 * the global weights, the clients' view of them (the downlink residual), the server optimizer's
 * state and the selection generator's state.
 */
export interface RunState {
  /** The last completed round (1-based; 0 before the first). */
  readonly round: number;
  /** The global model version after it. */
  readonly version: number;
  /** The last round id handed out (ids stay unique across restarts). */
  readonly roundSeq: number;
  readonly global: Float32Array;
  /** ŵ: the model as clients reconstruct it at `version`. */
  readonly clientView: Float32Array;
  readonly strategy: StrategyState;
  /** The client-selection generator (xoshiro128 state words). */
  readonly rng: Uint32Array;
}

/** A completed round, handed to {@link RunOptions.onCommit} before any client can see its model. */
export interface RoundCommit {
  readonly record: RoundRecord;
  readonly state: RunState;
}

/** How an experiment's loop starts. */
export interface RunOptions {
  /** Wait for this many clients before the first round (fedzip run: all of them). */
  readonly startWhen: number;
  /** Continue from a checkpoint instead of version 0, with the records of the rounds before it. */
  readonly resume?: { readonly state: RunState; readonly records: readonly RoundRecord[] };
  /**
   * Called synchronously after each completed round, before the new model can reach a client
   * (checkpointing here means no client ever holds a version the store lacks). A throw fails
   * the experiment: it could no longer be resumed.
   */
  readonly onCommit?: (commit: RoundCommit) => void;
}
