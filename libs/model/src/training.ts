/**
 * Local training and evaluation over typed-array datasets, with a custom loop (not `model.fit`) so
 * that the FedProx proximal term and an L1 penalty join the loss. Tensors are made per batch from
 * the typed arrays and disposed at once; optimizer state lives for one call.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@fedzip/codec';
import type { TrainingData } from './data-types.js';
import { sampleSize } from './data-types.js';
import { check } from './errors.js';
import { getFlatWeights, weightLayout } from './flat-weights.js';

/** The local optimizers. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/** What {@link TrainOptions.onBatch} receives after every step. */
export interface BatchInfo {
  /** Epoch index, from 0. */
  readonly epoch: number;
  /** Batch index within the epoch, from 0. */
  readonly batch: number;
  /** Samples in this batch (the last one of an epoch may be short). */
  readonly size: number;
  /** Mean cross-entropy of the batch, before the step (penalties excluded). */
  readonly loss: number;
}

/** Options of {@link trainLocal}. */
export interface TrainOptions {
  /** Default `'sgd'`. */
  optimizer?: OptimizerName;
  /** Learning rate, > 0. */
  lr: number;
  /** Momentum of the `'momentum'` optimizer, in [0, 1). Default 0.9. */
  momentum?: number;
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Samples per step. Default 32. */
  batchSize?: number;
  /** Seed of the per-epoch shuffle. Default 0. */
  seed?: number;
  /**
   * FedProx (Li et al. 2020): adds μ/2·‖w − w_global‖² to the loss. 0 or absent: plain FedAvg
   * local training.
   */
  fedproxMu?: number;
  /**
   * The global weights of the proximal term, flat in the model's layout. Default: the model's
   * weights when training starts (which is the global model in a federated round).
   */
  globalWeights?: Float32Array;
  /** Adds λ·Σ|w| over the kernels (weights of rank ≥ 2; biases are not penalised). */
  l1?: number;
  /** Called after every step. */
  onBatch?: (info: BatchInfo) => void;
}

/** Loss and accuracy over one pass of the data. */
export interface EpochStats {
  /** Mean cross-entropy over the samples (during training: measured before each step). */
  readonly loss: number;
  /** Fraction of samples whose largest logit is the label. */
  readonly accuracy: number;
}

/** What {@link trainLocal} reports. */
export interface TrainResult extends EpochStats {
  /** Samples in the local dataset: the weight of this client in FedAvg. */
  readonly numSamples: number;
  /** Optimizer steps taken. */
  readonly steps: number;
  /** One entry per epoch; `loss` and `accuracy` above are the last one's. */
  readonly epochs: readonly EpochStats[];
}

/** What {@link evaluate} reports. */
export interface EvalResult extends EpochStats {
  /** Samples evaluated. */
  readonly numSamples: number;
}

/** Options of {@link evaluate} and {@link predictLogits}. */
export interface EvalOptions {
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
}

/** Data whose labels are optional: enough for inference. */
export type InputData = Omit<TrainingData, 'y'> & { readonly y?: ArrayLike<number> };

/** The input shape the model expects per sample, checked against the data. */
function batchShape(model: tf.LayersModel, data: InputData): number[] {
  const f = sampleSize(data.shape);
  check(Number.isInteger(data.n) && data.n >= 1, 'BAD_DATA', `the dataset is empty (n = ${data.n})`);
  check(
    data.x.length === data.n * f && (data.y === undefined || data.y.length === data.n),
    'BAD_DATA',
    `x has ${data.x.length} values and y ${data.y?.length} labels for n = ${data.n} samples of ${f}`,
  );
  const input = model.inputs[0]?.shape.slice(1) ?? [];
  const modelShape = input.every((d): d is number => typeof d === 'number') ? input : [...data.shape];
  check(
    sampleSize(modelShape) === f,
    'BAD_DATA',
    `the model takes samples of [${modelShape.join(', ')}], the data has [${data.shape.join(', ')}]`,
  );
  const classes = model.outputs[0]?.shape.at(-1);
  check(
    classes === data.numClasses,
    'BAD_DATA',
    `the model outputs ${classes} logits, the data has ${data.numClasses} classes`,
  );
  return modelShape;
}

interface Batch {
  readonly xs: tf.Tensor;
  /** One-hot labels, when the data has labels. */
  readonly ys?: tf.Tensor2D;
  readonly labels?: Int32Array;
}

/** Gathers the samples `order[from, to)` into fresh tensors (features and one-hot labels). */
function makeBatch(
  data: InputData,
  shape: readonly number[],
  order: ArrayLike<number> | null,
  from: number,
  to: number,
): Batch {
  const f = sampleSize(data.shape);
  const b = to - from;
  const xs = new Float32Array(b * f);
  for (let j = 0; j < b; j++) {
    const i = order === null ? from + j : order[from + j]!;
    xs.set(data.x.subarray(i * f, i * f + f), j * f);
  }
  if (data.y === undefined) return { xs: tf.tensor(xs, [b, ...shape], 'float32') };
  const ys = new Float32Array(b * data.numClasses);
  const labels = new Int32Array(b);
  for (let j = 0; j < b; j++) {
    const i = order === null ? from + j : order[from + j]!;
    const label = data.y[i]!;
    check(
      Number.isInteger(label) && label >= 0 && label < data.numClasses,
      'BAD_DATA',
      `label ${label} of sample ${i} is outside [0, ${data.numClasses})`,
    );
    labels[j] = label;
    ys[j * data.numClasses + label] = 1;
  }
  const xt = tf.tensor(xs, [b, ...shape], 'float32');
  return { xs: xt, ys: tf.tensor2d(ys, [b, data.numClasses], 'float32'), labels };
}

/** Samples whose largest logit (first one on ties) is their label. */
function countCorrect(
  logits: Float32Array | Int32Array | Uint8Array,
  labels: Int32Array,
  classes: number,
): number {
  let correct = 0;
  for (let j = 0; j < labels.length; j++) {
    let best = 0;
    let bestValue = logits[j * classes]!;
    for (let c = 1; c < classes; c++) {
      const v = logits[j * classes + c]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    if (best === labels[j]) correct++;
  }
  return correct;
}

function shuffle(order: Uint32Array, rng: { nextUint32(): number }): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** Builds one of the local optimizers. The caller disposes it with {@link disposeOptimizer}. */
export function createOptimizer(name: OptimizerName, lr: number, momentum = 0.9): tf.Optimizer {
  check(Number.isFinite(lr) && lr > 0, 'BAD_OPTION', `lr must be a positive number, got ${lr}`);
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      check(
        Number.isFinite(momentum) && momentum >= 0 && momentum < 1,
        'BAD_OPTION',
        `momentum must be in [0, 1), got ${momentum}`,
      );
      return tf.train.momentum(lr, momentum);
    case 'adam':
      return tf.train.adam(lr);
    default:
      check(false, 'BAD_OPTION', `unknown optimizer ${String(name)}`);
  }
}

/**
 * Disposes an optimizer completely. tfjs 4.22's `MomentumOptimizer.dispose` does not call its
 * parent's, so the learning-rate scalar `c` that `SGDOptimizer` keeps would leak.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: unknown }).c;
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}

function nonNegative(v: number | undefined, what: string): number {
  const x = v ?? 0;
  check(Number.isFinite(x) && x >= 0, 'BAD_OPTION', `${what} must be a finite number ≥ 0, got ${v}`);
  return x;
}

function positiveInt(v: number, what: string): number {
  check(Number.isInteger(v) && v >= 1, 'BAD_OPTION', `${what} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Trains `model` in place on `data`: `epochs` passes of seeded-shuffled mini-batches, each step
 * minimising mean cross-entropy (the model outputs logits) plus the optional FedProx and L1 terms.
 * Tensor-leak free: `tf.memory().numTensors` is the same before and after.
 *
 * @throws {@link ModelError} `BAD_OPTION` for invalid options, `BAD_DATA` when the data does not
 *   fit the model, `LAYOUT_MISMATCH` when `globalWeights` has the wrong length.
 */
export async function trainLocal(
  model: tf.LayersModel,
  data: TrainingData,
  options: TrainOptions,
): Promise<TrainResult> {
  const epochs = positiveInt(options.epochs ?? 1, 'epochs');
  const batchSize = positiveInt(options.batchSize ?? 32, 'batchSize');
  const seed = options.seed ?? 0;
  check(Number.isSafeInteger(seed), 'BAD_OPTION', `seed must be an integer, got ${seed}`);
  const mu = nonNegative(options.fedproxMu, 'fedproxMu');
  const l1 = nonNegative(options.l1, 'l1');
  const shape = batchShape(model, data);
  const classes = data.numClasses;

  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = vars.filter((v) => v.rank >= 2);
  let anchors: tf.Tensor[] = [];
  let optimizer: tf.Optimizer | undefined;
  try {
    if (mu > 0) {
      const layout = weightLayout(model);
      const global = options.globalWeights ?? getFlatWeights(model);
      check(
        global.length === layout.totalSize,
        'LAYOUT_MISMATCH',
        `globalWeights has ${global.length} values, the model ${layout.totalSize}`,
      );
      anchors = layout.entries.map((e) =>
        tf.tensor(global.slice(e.offset, e.offset + e.size), [...e.shape], 'float32'),
      );
    }
    optimizer = createOptimizer(options.optimizer ?? 'sgd', options.lr, options.momentum);

    const rng = createRng(seed);
    const order = new Uint32Array(data.n);
    for (let i = 0; i < data.n; i++) order[i] = i;
    const history: EpochStats[] = [];
    let steps = 0;
    let lastYield = Date.now();
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, rng);
      let lossSum = 0;
      let correct = 0;
      for (let from = 0, batch = 0; from < data.n; from += batchSize, batch++) {
        const to = Math.min(data.n, from + batchSize);
        const { xs, ys, labels } = makeBatch(data, shape, order, from, to) as Required<Batch>;
        // Kept out of minimize's tidy: the batch's cross-entropy and logits, for the statistics.
        const kept: { ce?: tf.Scalar; logits?: tf.Tensor } = {};
        try {
          const cost = optimizer.minimize(
            () => {
              const out = tf.keep(model.apply(xs, { training: true }) as tf.Tensor);
              kept.logits = out;
              const ce = tf.keep(tf.losses.softmaxCrossEntropy(ys, out) as tf.Scalar);
              kept.ce = ce;
              let total: tf.Scalar = ce;
              if (mu > 0) {
                const prox = tf.addN(vars.map((v, i) => tf.sum(tf.squaredDifference(v, anchors[i]!))));
                total = tf.add(total, tf.mul(prox, mu / 2));
              }
              if (l1 > 0 && kernels.length > 0) {
                total = tf.add(total, tf.mul(tf.addN(kernels.map((v) => tf.sum(tf.abs(v)))), l1));
              }
              return total;
            },
            true,
            vars,
          );
          // Without penalties the cost is the kept cross-entropy itself, disposed below.
          if (cost !== null && cost !== kept.ce) cost.dispose();
          const loss = (await kept.ce!.data())[0]!;
          correct += countCorrect(await kept.logits!.data(), labels, classes);
          lossSum += loss * (to - from);
          steps++;
          options.onBatch?.({ epoch, batch, size: to - from, loss });
        } finally {
          tf.dispose([xs, ys]);
          if (kept.ce) kept.ce.dispose();
          if (kept.logits) kept.logits.dispose();
        }
        lastYield = await breathe(lastYield);
      }
      history.push({ loss: lossSum / data.n, accuracy: correct / data.n });
    }
    const last = history[history.length - 1]!;
    return { loss: last.loss, accuracy: last.accuracy, numSamples: data.n, steps, epochs: history };
  } finally {
    if (optimizer) disposeOptimizer(optimizer);
    tf.dispose(anchors);
  }
}

/** Longest stretch of training or evaluation without yielding to the event loop. */
const YIELD_EVERY_MS = 50;

/**
 * Lets timers and I/O run: tfjs's `data()` resolves through microtasks only, so without this a
 * round of training starves the event loop (Socket.IO pings go unanswered, a page freezes).
 */
function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Yields to the event loop when `last` is more than {@link YIELD_EVERY_MS} ago; returns the new mark. */
async function breathe(last: number): Promise<number> {
  const now = Date.now();
  if (now - last < YIELD_EVERY_MS) return last;
  await macrotask();
  return Date.now();
}

/** Runs the model over `data` in batches, handing each batch's logits (and summed loss) to `visit`. */
async function forEachBatch(
  model: tf.LayersModel,
  data: InputData,
  options: EvalOptions,
  visit: (logits: Float32Array, batch: Batch, lossSum: number, from: number) => void,
): Promise<void> {
  const batchSize = positiveInt(options.batchSize ?? 256, 'batchSize');
  const shape = batchShape(model, data);
  let lastYield = Date.now();
  for (let from = 0; from < data.n; from += batchSize) {
    lastYield = await breathe(lastYield);
    const to = Math.min(data.n, from + batchSize);
    const batch = makeBatch(data, shape, null, from, to);
    const [logits, loss] = tf.tidy(() => {
      const out = model.apply(batch.xs, { training: false }) as tf.Tensor;
      const sum = batch.ys
        ? tf.losses.softmaxCrossEntropy(batch.ys, out, undefined, 0, tf.Reduction.SUM)
        : tf.scalar(0);
      return [out, sum];
    });
    try {
      visit((await logits.data()) as Float32Array, batch, (await loss.data())[0]!, from);
    } finally {
      tf.dispose([logits, loss, batch.xs, ...(batch.ys ? [batch.ys] : [])]);
    }
  }
}

/**
 * Accuracy and mean cross-entropy of `model` on `data`, in inference mode. Leak free.
 *
 * @throws {@link ModelError} `BAD_DATA` when the data does not fit the model.
 */
export async function evaluate(
  model: tf.LayersModel,
  data: TrainingData,
  options: EvalOptions = {},
): Promise<EvalResult> {
  let lossSum = 0;
  let correct = 0;
  await forEachBatch(model, data, options, (logits, batch, loss) => {
    lossSum += loss;
    correct += countCorrect(logits, batch.labels!, data.numClasses);
  });
  return { loss: lossSum / data.n, accuracy: correct / data.n, numSamples: data.n };
}

/**
 * The model's logits for every sample of `data`, `n × numClasses` row-major, in inference mode
 * (e.g. a teacher's outputs for distillation). Labels are not needed. Leak free.
 */
export async function predictLogits(
  model: tf.LayersModel,
  data: InputData,
  options: EvalOptions = {},
): Promise<Float32Array> {
  const out = new Float32Array(data.n * data.numClasses);
  await forEachBatch(model, data, options, (logits, _batch, _loss, from) => {
    out.set(logits, from * data.numClasses);
  });
  return out;
}
