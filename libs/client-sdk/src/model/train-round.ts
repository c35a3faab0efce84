/**
 * One round's local work: train from the base weights, then the update. Training and encoding are
 * separate steps because the client encodes only when it can send at once: the error-feedback
 * residual advances only for updates that actually go out.
 */
import {
  type Codec,
  type EncodedTensor,
  type ResidualMemory,
  Xoshiro128,
  createCodec,
  decode,
  encodeWithFeedback,
  mixSeed,
} from '@fedzip/codec';
import {
  type BatchInfo,
  type OptimizerName,
  type TrainingData,
  evaluate,
  getFlatWeights,
  setFlatWeights,
  trainLocal,
} from '@fedzip/model';
import { type ClientPrivacy, privatize } from '@fedzip/privacy';
import type { Optimizer, ReceivedOf } from '@fedzip/protocol';
import { ClientError, errorMessage } from '../errors.js';
import { now } from '../time.js';
import type { Network } from './local-model.js';

/** The optimizers `@fedzip/model` implements, of the protocol's seven. */
const LOCAL_OPTIMIZERS: readonly string[] = ['sgd', 'momentum', 'adam'] satisfies OptimizerName[];

/** The local optimizer for an assignment's. @throws {@link ClientError} `UNSUPPORTED`. */
export function localOptimizer(name: Optimizer, roundId?: number): OptimizerName {
  if (!LOCAL_OPTIMIZERS.includes(name)) {
    throw new ClientError(
      'UNSUPPORTED',
      `optimizer "${name}" is not available locally (${LOCAL_OPTIMIZERS.join(', ')})`,
      { event: 'assign', ...(roundId === undefined ? {} : { roundId }) },
    );
  }
  return name as OptimizerName;
}

/** A trained round, before encoding. */
export interface TrainedRound {
  /** w_local − w_base, flat. */
  readonly delta: Float32Array;
  readonly loss: number;
  readonly accuracy: number;
  readonly steps: number;
  readonly trainMs: number;
  /** Time spent reading the weights and subtracting: part of the reported `encodeMs`. */
  readonly deltaMs: number;
}

/**
 * Trains `network` from `base` as `assign` says (epochs, batch, lr, optimizer, FedProx μ with the
 * base as the global weights, seed) and returns the delta. `onBatch` may throw to abort: trainLocal
 * disposes its tensors on the way out.
 *
 * @throws {@link ClientError} `UNSUPPORTED` (optimizer), `NON_FINITE` (diverged); other errors of
 *   trainLocal as they are.
 */
export async function trainRound(
  network: Network,
  data: TrainingData,
  assign: ReceivedOf<'assign'>,
  base: Float32Array,
  onBatch: (info: BatchInfo) => void,
): Promise<TrainedRound> {
  const optimizer = localOptimizer(assign.optimizer, assign.roundId);
  setFlatWeights(network, base);
  const t0 = now();
  const result = await trainLocal(network, data, {
    optimizer,
    lr: assign.lr,
    epochs: assign.localEpochs,
    batchSize: assign.batchSize,
    seed: assign.seed,
    fedproxMu: assign.proxMu,
    globalWeights: base,
    onBatch,
  });
  const trainMs = now() - t0;
  const t1 = now();
  const delta = getFlatWeights(network);
  let finite = Number.isFinite(result.loss);
  for (let i = 0; i < delta.length; i++) {
    const d = delta[i]! - base[i]!;
    delta[i] = d;
    if (!Number.isFinite(d)) finite = false;
  }
  if (!finite) {
    throw new ClientError(
      'NON_FINITE',
      `round ${assign.roundId}: local training diverged (loss ${result.loss})`,
      {
        roundId: assign.roundId,
      },
    );
  }
  return {
    delta,
    loss: result.loss,
    accuracy: result.accuracy,
    steps: result.steps,
    trainMs,
    deltaMs: now() - t1,
  };
}

/** The encoded update and how long encoding took. */
export interface EncodedRound {
  readonly update: EncodedTensor;
  readonly encodeMs: number;
  /** With DP: ‖Δ + e‖ before clipping (the norm the clip bound cut, for tuning C). */
  readonly preClipNorm?: number;
}

/** The codec of a spec. @throws {@link ClientError} `UNSUPPORTED` for a spec the codec refuses. */
export function codecFor(spec: string, roundId: number): Codec {
  try {
    return createCodec(spec);
  } catch (e) {
    throw new ClientError('UNSUPPORTED', `round ${roundId}: codec "${spec}": ${errorMessage(e)}`, {
      roundId,
      event: 'assign',
      cause: e,
    });
  }
}

/**
 * Encodes a delta with the assignment's codec and seed: with error feedback (`memory` given),
 * p = Δ + e, send C(p), e ← p − decode(C(p)); without, C(Δ).
 *
 * With `dp` (docs/privacy.md), p is clipped to L2 norm `dp.clipNorm` **before** it is encoded, and
 * local noise N(0, (σC)²) added when `dp.noiseMultiplier` > 0; the residual is then taken from the
 * clipped (and noised) p: e ← clip(p) − decode(C(clip(p))). What the clip cut off is discarded,
 * never carried into the next round, so the residual cannot re-inject unclipped mass and stays
 * bounded (‖e‖ ≤ C for top-k). The noise comes from its own stream, seeded from the round's seed,
 * so a re-send after a reconnect carries the very same noise.
 */
export function encodeRound(
  codec: Codec,
  delta: Float32Array,
  seed: number,
  memory?: ResidualMemory,
  dp?: ClientPrivacy,
): EncodedRound {
  const t0 = now();
  if (dp === undefined) {
    const update = memory ? encodeWithFeedback(codec, delta, memory, seed) : codec.encode(delta, seed);
    return { update, encodeMs: now() - t0 };
  }
  const p = memory ? memory.compensate(delta) : Float32Array.from(delta);
  const { norm } = privatize(p, dp, new Xoshiro128(mixSeed((seed ^ DP_NOISE_STREAM) >>> 0)));
  const update = codec.encode(p, seed);
  if (memory) memory.update(p, decode(update));
  return { update, encodeMs: now() - t0, preClipNorm: norm };
}

/** Mixed into the round seed for the local-DP noise stream, apart from the codec's randomness. */
const DP_NOISE_STREAM = 0x5f3759df;

/** Accuracy and loss of `weights` on `data`. */
export async function evaluateWeights(
  network: Network,
  data: TrainingData,
  weights: Float32Array,
  batchSize: number,
): Promise<{ loss: number; accuracy: number; evalMs: number }> {
  setFlatWeights(network, weights);
  const t0 = now();
  const r = await evaluate(network, data, { batchSize });
  return { loss: r.loss, accuracy: r.accuracy, evalMs: now() - t0 };
}
