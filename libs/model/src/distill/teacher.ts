/**
 * The teacher of distillation: trained on the server's proxy split (with random shifts, as in the
 * calibration run of the project references: a CNN, 6 epochs on 2,000 digits with ±2 px shifts,
 * 96.9 %), or brought by the user as a tfjs `model.json`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelInput, TrainingData } from '../data-types.js';
import { sampleSize } from '../data-types.js';
import { ModelError } from '../errors.js';
import { loadModel } from '../file-io.js';
import { type ModelConfig, createModel } from '../zoo.js';
import { type FitOptions, type FitResult, trainAugmented } from './distill.js';

/** Options of {@link trainTeacher}: the loop's, plus the initialisation seed. */
export interface TeacherOptions extends FitOptions {
  /** Seed of the weight initialisation. Default: `seed`. */
  initSeed?: number;
}

/** A trained teacher and how its training went. */
export interface TrainedTeacher {
  /** The model; the caller disposes it. */
  readonly model: tf.Sequential;
  readonly training: FitResult;
}

/**
 * Builds the teacher `config` describes for `data` and trains it by cross-entropy on `data` (the
 * proxy split), each sample shifted by up to ±`shiftPixels` pixels per epoch. Leak free apart
 * from the returned model.
 *
 * @throws {@link ModelError} `BAD_OPTION` / `BAD_DATA` as `createModel` and {@link trainAugmented}.
 */
export async function trainTeacher(
  config: ModelConfig,
  data: TrainingData,
  options: TeacherOptions,
): Promise<TrainedTeacher> {
  const { initSeed, ...fit } = options;
  const model = createModel(config, data, { seed: initSeed ?? options.seed ?? 0 });
  try {
    const training = await trainAugmented(model, data, fit);
    return { model, training };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/**
 * Loads a teacher saved in the tfjs Layers format (`model.json` or its directory) and checks that
 * it takes samples of `input.shape` (same number of values) and outputs `input.numClasses` logits.
 * The model must output logits (a final softmax would make the temperature meaningless).
 *
 * @throws {@link ModelError} `BAD_ARTIFACTS` when the files are missing or malformed or the model
 *   does not fit the data.
 */
export async function loadTeacher(path: string, input: ModelInput): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await loadModel(path);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('BAD_ARTIFACTS', `cannot load the teacher at ${path}: ${(e as Error).message}`);
  }
  const declared = model.inputs[0]?.shape.slice(1) ?? [];
  const size = declared.every((d): d is number => typeof d === 'number') ? sampleSize(declared) : NaN;
  const classes = model.outputs[0]?.shape.at(-1);
  const expected = sampleSize(input.shape);
  if (size !== expected || classes !== input.numClasses) {
    model.dispose();
    throw new ModelError(
      'BAD_ARTIFACTS',
      `the teacher at ${path} takes [${declared.join(', ')}] and outputs ${classes} values; the data has ` +
        `samples of [${input.shape.join(', ')}] and ${input.numClasses} classes`,
    );
  }
  return model;
}
