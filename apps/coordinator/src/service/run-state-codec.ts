/**
 * A round's `RunState` as a store checkpoint and back: the global weights are the checkpoint's
 * weights (its SHA-256 is the model hash the API reports); the clients' view, the strategy's
 * arrays and the selection generator go in named arrays; the rest in `meta`.
 */
import type { Checkpoint, NewCheckpoint, StateArray } from '@fedzip/store';
import type { RoundCommit, RunState } from '../setup/run-options.js';

const VIEW = 'downlink/view';
const RNG = 'selection/rng';
const STRATEGY = 'strategy/';

interface Meta {
  readonly roundSeq: number;
  readonly strategy: string;
}

/** The checkpoint to save for a committed round. */
export function checkpointOf(experimentId: string, commit: RoundCommit): NewCheckpoint {
  const { state, record } = commit;
  const arrays: Record<string, StateArray> = {
    [VIEW]: state.clientView,
    [RNG]: new Uint8Array(state.rng.buffer, state.rng.byteOffset, state.rng.byteLength),
  };
  for (const [name, a] of Object.entries(state.strategy.arrays)) arrays[STRATEGY + name] = a;
  const meta: Meta = { roundSeq: state.roundSeq, strategy: state.strategy.strategy };
  return {
    experimentId,
    round: state.round,
    version: state.version,
    weights: state.global,
    accuracy: record.accuracy,
    loss: record.loss,
    arrays,
    meta,
  };
}

/** The run state a checkpoint holds. @throws Error when it lacks a part (an incompatible store). */
export function runStateOf(c: Checkpoint): RunState {
  const meta = c.meta as Partial<Meta> | null;
  const view = c.arrays[VIEW];
  const rng = c.arrays[RNG];
  if (!meta || typeof meta.roundSeq !== 'number' || typeof meta.strategy !== 'string') {
    throw new Error(`checkpoint of round ${c.round} has no run metadata`);
  }
  if (!(view instanceof Float32Array) || !(rng instanceof Uint8Array) || rng.byteLength !== 16) {
    throw new Error(`checkpoint of round ${c.round} lacks the downlink view or the generator state`);
  }
  const strategyArrays: Record<string, Float32Array> = {};
  for (const [name, a] of Object.entries(c.arrays)) {
    if (name.startsWith(STRATEGY) && a instanceof Float32Array)
      strategyArrays[name.slice(STRATEGY.length)] = a;
  }
  return {
    round: c.round,
    version: c.version,
    roundSeq: meta.roundSeq,
    global: c.weights,
    clientView: view,
    strategy: { strategy: meta.strategy, arrays: strategyArrays },
    rng: new Uint32Array(rng.slice().buffer),
  };
}
