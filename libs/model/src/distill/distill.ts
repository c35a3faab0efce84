/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural
 * Network") and the augmented training loop it shares with teacher training, scratch training and
 * pruning's fine-tuning.
 *
 * Per batch the loss is
 *
 *   α·T²·KL(p_teacher,T ‖ p_student,T) + (1 − α)·CE(y, softmax(z_student)),
 *
 * with p_·,T = softmax(z/T). The T² keeps the soft term's gradients on the scale of the hard one
 * (their magnitude falls as 1/T²). Without labels (`softOnly`) α is 1. Without a teacher the loop
 * is plain cross-entropy training (α = 0), with the same optional ±k pixel shifts, L1 penalty and
 * after-step hook (pruning masks). A custom loop, like `trainLocal`, so that every step can be
 * followed by the hook and tensors are disposed per batch.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, mixSeed } from '@fedzip/codec';
import type { TrainingData } from '../data-types.js';
import { sampleSize } from '../data-types.js';
import { check } from '../errors.js';
import {
  type InputData,
  type OptimizerName,
  createOptimizer,
  disposeOptimizer,
  predictLogits,
} from '../training.js';
import { gatherShifted } from './augment.js';

/** Options of the augmented training loop ({@link trainAugmented}, and the base of {@link DistillOptions}). */
export interface FitOptions {
  /** Default `'adam'`. */
  optimizer?: OptimizerName;
  /** Learning rate, > 0. */
  lr: number;
  /** Momentum of the `'momentum'` optimizer, in [0, 1). Default 0.9. */
  momentum?: number;
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Samples per step. Default 32. */
  batchSize?: number;
  /** Seed of the per-epoch shuffle and of the shifts. Default 0. */
  seed?: number;
  /**
   * Each sample of a batch is shifted by a random (dy, dx) in [−k, k]² pixels, zero-filled, drawn
   * afresh every epoch (image-shaped samples only; flat ones are used as they are). Default 0.
   */
  shiftPixels?: number;
  /**
   * `constant` (default), or `cosine`: the learning rate of epoch e (of E) is
   * lr·½(1 + cos(π·e/E)) (SGDR's cosine annealing, Loshchilov & Hutter 2017, without restarts),
   * which lets the last epochs settle instead of bouncing at the full rate.
   */
  lrSchedule?: 'constant' | 'cosine';
  /** Adds λ·Σ|w| over the kernels (weights of rank ≥ 2), as `trainLocal` does. Default 0. */
  l1?: number;
  /**
   * Called after every optimizer step, before the next batch: pruning re-applies its masks here so
   * that pruned weights stay exactly zero.
   */
  afterStep?: () => void;
  /** Called after every epoch with its statistics (awaited: it may evaluate the model). */
  onEpoch?: (stats: FitEpoch) => void | Promise<void>;
}

/** Options of {@link distill}. */
export interface DistillOptions extends FitOptions {
  /** Temperature T > 0 of the softened softmaxes. Default 4 (small students prefer 2.5–4). */
  temperature?: number;
  /** Weight α ∈ [0, 1] of the soft term; 1 − α goes to the hard labels. Default 0.9. */
  alpha?: number;
  /** Ignore the labels (an unlabeled transfer set): α is taken as 1. Default false. */
  softOnly?: boolean;
}

/** Statistics of one epoch of the loop. */
export interface FitEpoch {
  /** Epoch index, from 0. */
  readonly epoch: number;
  /** Mean total loss over the samples, measured before each step (penalty excluded). */
  readonly loss: number;
  /** Training accuracy on the (shifted) batches; NaN without labels. */
  readonly accuracy: number;
}

/** What {@link distill} and {@link trainAugmented} report. */
export interface FitResult {
  /** Samples per epoch. */
  readonly numSamples: number;
  /** Optimizer steps taken. */
  readonly steps: number;
  /** One entry per epoch. */
  readonly epochs: readonly FitEpoch[];
  /** The last epoch's loss. */
  readonly loss: number;
  /** The last epoch's accuracy (NaN without labels). */
  readonly accuracy: number;
}

function positiveInt(v: number, what: string): number {
  check(Number.isInteger(v) && v >= 1, 'BAD_OPTION', `${what} must be a positive integer, got ${v}`);
  return v;
}

/** The per-sample input shape `model` declares, checked against the data's sample size. */
function inputShape(model: tf.LayersModel, data: InputData, who: string): number[] {
  const declared = model.inputs[0]?.shape.slice(1) ?? [];
  const shape = declared.every((d): d is number => typeof d === 'number') ? declared : [...data.shape];
  check(
    sampleSize(shape) === sampleSize(data.shape),
    'BAD_DATA',
    `the ${who} takes samples of [${shape.join(', ')}], the data has [${data.shape.join(', ')}]`,
  );
  const classes = model.outputs[0]?.shape.at(-1);
  check(
    classes === data.numClasses,
    'BAD_DATA',
    `the ${who} outputs ${classes} logits, the data has ${data.numClasses} classes`,
  );
  return shape;
}

/** Samples whose largest logit (first one on ties) is their label. */
function countCorrect(logits: ArrayLike<number>, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let j = 0; j < labels.length; j++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[j * classes + c]! > logits[j * classes + best]!) best = c;
    if (best === labels[j]) correct++;
  }
  return correct;
}

/** Sets the learning rate of a tfjs optimizer in place (SGD and momentum keep it as a scalar). */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

function shuffle(order: Uint32Array, rng: { nextUint32(): number }): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** The shared loop: distillation when `teacher` is given, plain cross-entropy otherwise. */
async function fit(
  student: tf.LayersModel,
  teacher: tf.LayersModel | null,
  data: InputData,
  options: DistillOptions,
): Promise<FitResult> {
  const epochs = positiveInt(options.epochs ?? 1, 'epochs');
  const batchSize = positiveInt(options.batchSize ?? 32, 'batchSize');
  const seed = options.seed ?? 0;
  check(Number.isSafeInteger(seed), 'BAD_OPTION', `seed must be an integer, got ${seed}`);
  const shift = options.shiftPixels ?? 0;
  check(
    Number.isInteger(shift) && shift >= 0,
    'BAD_OPTION',
    `shiftPixels must be an integer ≥ 0, got ${shift}`,
  );
  const schedule = options.lrSchedule ?? 'constant';
  check(
    schedule === 'constant' || schedule === 'cosine',
    'BAD_OPTION',
    `lrSchedule must be constant or cosine, got ${String(schedule)}`,
  );
  const l1 = options.l1 ?? 0;
  check(Number.isFinite(l1) && l1 >= 0, 'BAD_OPTION', `l1 must be a finite number ≥ 0, got ${l1}`);
  const T = options.temperature ?? 4;
  check(Number.isFinite(T) && T > 0, 'BAD_OPTION', `temperature must be > 0, got ${T}`);
  const softOnly = options.softOnly ?? false;
  const alpha = teacher === null ? 0 : softOnly ? 1 : (options.alpha ?? 0.9);
  check(
    Number.isFinite(alpha) && alpha >= 0 && alpha <= 1,
    'BAD_OPTION',
    `alpha must be in [0, 1], got ${alpha}`,
  );
  check(
    !(teacher === null && softOnly),
    'BAD_OPTION',
    'softOnly needs a teacher: without one there is nothing to learn from',
  );
  const useLabels = alpha < 1;
  check(
    !useLabels || data.y !== undefined,
    'BAD_DATA',
    'the data has no labels: distil with softOnly (α = 1) or give labels',
  );
  const n = data.n;
  const f = sampleSize(data.shape);
  check(Number.isInteger(n) && n >= 1, 'BAD_DATA', `the dataset is empty (n = ${n})`);
  check(
    data.x.length === n * f && (data.y === undefined || data.y.length === n),
    'BAD_DATA',
    `x has ${data.x.length} values and y ${data.y?.length} labels for n = ${n} samples of ${f}`,
  );
  const studentShape = inputShape(student, data, 'student');
  const teacherShape = teacher === null ? null : inputShape(teacher, data, 'teacher');
  const classes = data.numClasses;
  const labels = data.y;
  if (labels !== undefined) {
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      check(
        Number.isInteger(c) && c >= 0 && c < classes,
        'BAD_DATA',
        `label ${c} of sample ${i} is outside [0, ${classes})`,
      );
    }
  }
  // Without shifts every epoch sees the same inputs, so the teacher's logits are computed once.
  const cached = teacher !== null && shift === 0 ? await predictLogits(teacher, data) : null;

  const vars = student.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = vars.filter((v) => v.rank >= 2);
  const optimizer = createOptimizer(options.optimizer ?? 'adam', options.lr, options.momentum);
  try {
    const orderRng = createRng(seed);
    const shiftRng = createRng(mixSeed(seed ^ 0x5bd1e995));
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const xs = new Float32Array(batchSize * f);
    const history: FitEpoch[] = [];
    let steps = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, orderRng);
      if (schedule === 'cosine')
        setLearningRate(optimizer, options.lr * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs)));
      let lossSum = 0;
      let correct = 0;
      for (let from = 0; from < n; from += batchSize) {
        const to = Math.min(n, from + batchSize);
        const b = to - from;
        const batchX = gatherShifted(
          data.x,
          data.shape,
          order,
          from,
          to,
          shift,
          shiftRng,
          xs.subarray(0, b * f),
        );
        const batchLabels = new Int32Array(b);
        if (labels !== undefined) for (let j = 0; j < b; j++) batchLabels[j] = labels[order[from + j]!]!;
        const owned: tf.Tensor[] = [];
        const kept: { loss?: tf.Scalar; logits?: tf.Tensor } = {};
        try {
          const x = tf.tensor(batchX, [b, ...studentShape], 'float32');
          owned.push(x);
          let ys: tf.Tensor | null = null;
          if (useLabels) {
            ys = tf.tidy(() => tf.oneHot(tf.tensor1d(batchLabels, 'int32'), classes).toFloat());
            owned.push(ys);
          }
          // Soft targets p_teacher,T and their logs, outside the gradient tape.
          let soft: [tf.Tensor, tf.Tensor] | null = null;
          if (teacher !== null && alpha > 0) {
            const pair = tf.tidy(() => {
              let z: tf.Tensor;
              if (cached !== null) {
                const rows = new Float32Array(b * classes);
                for (let j = 0; j < b; j++) {
                  const i = order[from + j]!;
                  rows.set(cached.subarray(i * classes, (i + 1) * classes), j * classes);
                }
                z = tf.tensor2d(rows, [b, classes]);
              } else {
                z = teacher.apply(x.reshape([b, ...teacherShape!]), { training: false }) as tf.Tensor;
              }
              const scaled = tf.div(z, T);
              return [tf.softmax(scaled), tf.logSoftmax(scaled)];
            });
            owned.push(...pair);
            soft = [pair[0]!, pair[1]!];
          }
          const cost = optimizer.minimize(
            () => {
              const z = student.apply(x, { training: true }) as tf.Tensor;
              kept.logits = tf.keep(z);
              let loss: tf.Scalar = tf.scalar(0);
              if (soft !== null) {
                // KL(p_t ‖ p_s) = Σ p_t (log p_t − log p_s), averaged over the batch.
                const logQ = tf.logSoftmax(tf.div(z, T));
                const kl = tf.mean(tf.sum(tf.mul(soft[0], tf.sub(soft[1], logQ)), -1));
                loss = tf.add(loss, tf.mul(kl, alpha * T * T));
              }
              if (ys !== null && alpha < 1) {
                loss = tf.add(loss, tf.mul(tf.losses.softmaxCrossEntropy(ys, z), 1 - alpha));
              }
              kept.loss = tf.keep(loss);
              if (l1 > 0 && kernels.length > 0) {
                return tf.add(loss, tf.mul(tf.addN(kernels.map((v) => tf.sum(tf.abs(v)))), l1));
              }
              return loss;
            },
            true,
            vars,
          );
          if (cost !== null && cost !== kept.loss) cost.dispose();
          options.afterStep?.();
          lossSum += (await kept.loss!.data())[0]! * b;
          if (labels !== undefined) correct += countCorrect(await kept.logits!.data(), batchLabels, classes);
          steps++;
        } finally {
          tf.dispose(owned);
          if (kept.loss) kept.loss.dispose();
          if (kept.logits) kept.logits.dispose();
        }
      }
      const stats = { epoch, loss: lossSum / n, accuracy: labels === undefined ? NaN : correct / n };
      history.push(stats);
      await options.onEpoch?.(stats);
    }
    const last = history[history.length - 1]!;
    return { numSamples: n, steps, epochs: history, loss: last.loss, accuracy: last.accuracy };
  } finally {
    disposeOptimizer(optimizer);
  }
}

/**
 * Distils `teacher` into `student` (trained in place) on the transfer set `data`: Hinton et al.'s
 * loss α·T²·KL(p_teacher,T ‖ p_student,T) + (1 − α)·CE(y, softmax(z_student)) per batch. The
 * teacher runs in inference mode; its logits are computed per batch when the inputs are shifted,
 * else once for the whole run. With `softOnly` (or data without labels) only the soft term is
 * used. Leak free: `tf.memory().numTensors` is the same before and after.
 *
 * @throws {@link ModelError} `BAD_OPTION` for invalid options, `BAD_DATA` when the data does not
 *   fit the models or labels are needed but missing.
 */
export async function distill(
  student: tf.LayersModel,
  teacher: tf.LayersModel,
  data: InputData,
  options: DistillOptions,
): Promise<FitResult> {
  return fit(student, teacher, data, options);
}

/**
 * Trains `model` in place on `data` by cross-entropy with the hard labels, with optional random
 * ±k pixel shifts, L1 penalty and after-step hook: the teacher's training, the from-scratch
 * comparison student and pruning's fine-tuning without a teacher. Leak free.
 *
 * @throws {@link ModelError} `BAD_OPTION` for invalid options, `BAD_DATA` when the data does not fit.
 */
export async function trainAugmented(
  model: tf.LayersModel,
  data: TrainingData,
  options: FitOptions,
): Promise<FitResult> {
  return fit(model, null, data, options);
}

/**
 * {@link distill} when a teacher is given, else {@link trainAugmented} (the distillation-specific
 * options are then ignored): the fine-tuning step of pruning, which follows whichever loss
 * trained the model.
 */
export async function fineTune(
  model: tf.LayersModel,
  teacher: tf.LayersModel | null,
  data: InputData,
  options: DistillOptions,
): Promise<FitResult> {
  if (teacher !== null) return fit(model, teacher, data, options);
  const { temperature: _t, alpha: _a, softOnly: _s, ...rest } = options;
  return fit(model, null, data, rest);
}
