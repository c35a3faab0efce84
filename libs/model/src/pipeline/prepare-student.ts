/**
 * The server-side model pipeline of an experiment, before its first round: train (or load) the
 * teacher on the proxy split, distil it into the student, train the same student from scratch on
 * the same data for comparison, prune and compress the distilled student for download, and
 * evaluate all four on the test split. `fedzip distill` prints this; the coordinator sends
 * `compressedStudent.encoded` as the first download and uses its decoded weights as version 0.
 *
 * Trained models are cached on disk (git-ignored `.cache/`) keyed by `artifactKeys(config)`: the
 * teacher by its key, the students and the compressed download by the student key (which includes
 * the teacher's). A cached run re-evaluates the stored models, so it reports exactly the figures of
 * the fresh run that stored them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ArtifactKeys, ExperimentConfig } from '@fedzip/config';
import { decode, mixSeed } from '@fedzip/codec';
import type { ModelInput, TrainingData } from '../data-types.js';
import { type WeightLayout, getFlatWeights, setFlatWeights, weightLayout } from '../flat-weights.js';
import { evaluate } from '../training.js';
import { type ModelConfig, createModel } from '../zoo.js';
import { initBackend } from '../backend.js';
import { type DistillOptions, distill, trainAugmented } from '../distill/distill.js';
import { loadTeacher, trainTeacher } from '../distill/teacher.js';
import { pruneModel } from '../prune/prune.js';
import { type SensitivityResult, sensitivityAnalysis } from '../prune/sensitivity.js';
import { type QuantizeMode, compressWeights } from '../compress/compress.js';
import { type ExperimentData, loadExperimentData } from './experiment-data.js';
import {
  entryDir,
  hasEntry,
  loadModelAt,
  readBinary,
  readJson,
  saveModelAt,
  writeBinary,
  writeEntry,
  writeJson,
} from './artifact-cache.js';

/** Size and test accuracy of a float32 model. */
export interface ModelFigures {
  /** Trainable parameters. */
  readonly params: number;
  /** Float32 bytes of the weights (4 × params). */
  readonly bytes: number;
  /** Accuracy on the test split. */
  readonly accuracy: number;
  /** Mean cross-entropy on the test split. */
  readonly loss: number;
}

/** The compressed student: the first download. */
export interface CompressedFigures {
  /** Bytes of the encoded download. */
  readonly bytes: number;
  /** Accuracy of the decoded weights on the test split. */
  readonly accuracy: number;
  /** Mean cross-entropy of the decoded weights on the test split. */
  readonly loss: number;
  /** Fraction of exact zeros in the pruned weights before quantization (all values, biases included). */
  readonly sparsity: number;
  /** The codec pipeline, e.g. `q8(chunk=512)`. */
  readonly spec: string;
  /** The encoded tensor (libs/codec format): the client's first download. */
  readonly encoded: Uint8Array;
  /** Its decoded weights, flat in `layout` order: the global model at version 0. */
  readonly weights: Float32Array;
}

/** What a client needs to build the student. */
export interface StudentArchitecture {
  readonly model: ModelConfig;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

/** What {@link prepareStudent} returns. */
export interface PreparedStudent {
  /** The teacher; null when distillation is disabled. */
  readonly teacher: ModelFigures | null;
  /** The student trained from scratch on the same transfer set; null when distillation is disabled. */
  readonly studentScratch: ModelFigures | null;
  /** The distilled student (uncompressed); the random initialisation when distillation is disabled. */
  readonly student: ModelFigures;
  /** The pruned and quantized student. */
  readonly compressedStudent: CompressedFigures;
  readonly architecture: StudentArchitecture;
  /** Names, shapes and offsets of the student's flat weights. */
  readonly layout: WeightLayout;
  /** The cache keys of the teacher and the student. */
  readonly keys: ArtifactKeys;
  /** Which artifacts came from the cache. */
  readonly cached: { readonly teacher: boolean; readonly student: boolean };
  /**
   * The pruning sensitivity of the distilled student (each kernel pruned alone, accuracy drop on
   * the test split), when {@link PrepareOptions.sensitivity} asked for it.
   */
  readonly sensitivity?: SensitivityResult;
}

/** Options of {@link prepareStudent}. */
export interface PrepareOptions {
  /** Cache directory (e.g. `.cache`); absent: nothing is cached. */
  cacheDir?: string;
  /** Retrain even when the cache holds the artifacts (and overwrite them). Default false. */
  force?: boolean;
  /** Progress messages (one line each). Default: none. */
  log?: (message: string) => void;
  /**
   * Also save the artifacts here: `teacher/` and `student/` (and `student-scratch/`) in tfjs format
   * (`model.json` + `weights.bin`), and `student.fz`, the compressed student's encoded download.
   */
  outDir?: string;
  /** The data, when the caller has loaded it already (must be `loadExperimentData(config)`'s). */
  data?: ExperimentData;
  /**
   * Also run a pruning sensitivity analysis of the distilled student on the test split: `true` at
   * the default sparsities (25 %, 50 %, 75 %, 90 %, 95 %), or at the sparsities given.
   */
  sensitivity?: boolean | readonly number[];
}

/** Seeds of the pipeline's random streams, derived from the experiment seed by SplitMix32. */
function subSeed(seed: number, stream: number): number {
  return mixSeed((seed + Math.imul(stream, 0x9e3779b9)) >>> 0);
}

const SEED = { teacherInit: 1, teacherFit: 2, studentInit: 3, transfer: 4, prune: 5 } as const;

const STUDENT_META = 'meta.json';
const COMPRESSED_FILE = 'student.fz';

async function figures(model: tf.LayersModel, test: TrainingData): Promise<ModelFigures> {
  const params = model.countParams();
  const { accuracy, loss } = await evaluate(model, test);
  return { params, bytes: 4 * params, accuracy, loss };
}

/**
 * The distillation (and scratch) training options of the config. Every server-side training run
 * anneals its learning rate along a cosine over its epochs: with a constant Adam rate the test
 * accuracy of the teacher bounced by ±2 pp from one epoch to the next on the proxy digits.
 */
function transferOptions(config: ExperimentConfig, seed: number): DistillOptions {
  const d = config.model.distill;
  return {
    optimizer: d.optimizer,
    lr: d.lr,
    momentum: d.momentum,
    epochs: d.epochs,
    batchSize: d.batchSize,
    seed,
    shiftPixels: d.augment.shiftPixels,
    lrSchedule: 'cosine',
    temperature: d.temperature,
    alpha: d.alpha,
    softOnly: d.softOnly,
  };
}

/** Loads or trains the teacher; null when distillation is disabled. */
async function prepareTeacher(
  config: ExperimentConfig,
  data: ExperimentData,
  keys: ArtifactKeys,
  options: PrepareOptions,
  log: (m: string) => void,
): Promise<{ model: tf.LayersModel; cached: boolean } | null> {
  const { teacher } = config.model;
  if (!config.model.distill.enabled) return null;
  if (teacher.path !== undefined) {
    log(`teacher: loading ${teacher.path}`);
    return { model: await loadTeacher(teacher.path, data.proxy), cached: false };
  }
  const dir =
    options.cacheDir === undefined ? null : await entryDir(options.cacheDir, 'teacher', keys.teacher);
  if (dir !== null && !options.force && (await hasEntry(dir))) {
    log(`teacher: cached (${keys.teacher.slice(0, 12)})`);
    return { model: await loadModelAt(dir, 'model'), cached: true };
  }
  const t = teacher.training;
  const spec = teacher.model!;
  log(`teacher: training ${spec.kind} on ${data.proxy.n} proxy samples for ${t.epochs} epochs`);
  const { model } = await trainTeacher(spec, data.proxy, {
    initSeed: subSeed(config.seed, SEED.teacherInit),
    seed: subSeed(config.seed, SEED.teacherFit),
    optimizer: t.optimizer,
    lr: t.lr,
    momentum: t.momentum,
    epochs: t.epochs,
    batchSize: t.batchSize,
    shiftPixels: t.augment.shiftPixels,
    lrSchedule: 'cosine',
    onEpoch: (e) => log(`  teacher epoch ${e.epoch + 1}/${t.epochs}: loss ${e.loss.toFixed(4)}`),
  });
  if (dir !== null) await writeEntry(dir, (tmp) => saveModelAt(model, tmp, 'model'));
  return { model, cached: false };
}

interface StudentArtifacts {
  student: tf.LayersModel;
  scratch: tf.LayersModel | null;
  spec: string;
  sparsity: number;
  encoded: Uint8Array;
  cached: boolean;
}

/** Builds the students and the compressed download (or loads them from the cache). */
async function prepareStudents(
  config: ExperimentConfig,
  data: ExperimentData,
  input: ModelInput,
  teacher: tf.LayersModel | null,
  keys: ArtifactKeys,
  options: PrepareOptions,
  log: (m: string) => void,
): Promise<StudentArtifacts> {
  const dir =
    options.cacheDir === undefined ? null : await entryDir(options.cacheDir, 'student', keys.student);
  if (dir !== null && !options.force && (await hasEntry(dir))) {
    log(`student: cached (${keys.student.slice(0, 12)})`);
    const meta = (await readJson(dir, STUDENT_META)) as { spec: string; scratch: boolean; sparsity: number };
    const student = await loadModelAt(dir, 'student');
    const scratch = meta.scratch ? await loadModelAt(dir, 'scratch') : null;
    const encoded = await readBinary(dir, COMPRESSED_FILE);
    return { student, scratch, spec: meta.spec, sparsity: meta.sparsity, encoded, cached: true };
  }
  const spec = config.model.student as ModelConfig;
  const initSeed = subSeed(config.seed, SEED.studentInit);
  const transfer = transferOptions(config, subSeed(config.seed, SEED.transfer));
  const made: tf.LayersModel[] = [];
  try {
    const student = createModel(spec, input, { seed: initSeed });
    made.push(student);
    let scratch: tf.LayersModel | null = null;
    if (teacher !== null) {
      const epochs = transfer.epochs ?? 1;
      scratch = createModel(spec, input, { seed: initSeed });
      made.push(scratch);
      log(`student from scratch: ${epochs} epochs on ${data.proxy.n} proxy samples`);
      await trainAugmented(scratch, data.proxy, {
        ...transfer,
        onEpoch: (e) => log(`  scratch epoch ${e.epoch + 1}/${epochs}: loss ${e.loss.toFixed(4)}`),
      });
      log(`student: distilling (T = ${transfer.temperature}, α = ${transfer.softOnly ? 1 : transfer.alpha})`);
      const transferSet = transfer.softOnly ? { ...data.proxy, y: undefined } : data.proxy;
      await distill(student, teacher, transferSet, {
        ...transfer,
        onEpoch: (e) => log(`  distil epoch ${e.epoch + 1}/${epochs}: loss ${e.loss.toFixed(4)}`),
      });
    } else {
      log('student: distillation disabled, the student is its seeded random initialisation');
    }

    // Prune a copy, so that the uncompressed student stays as distilled.
    const layout = weightLayout(student);
    let flat = getFlatWeights(student);
    const prune = config.model.compress.prune;
    if (prune.sparsity > 0) {
      const copy = createModel(spec, input, { seed: initSeed });
      made.push(copy);
      setFlatWeights(copy, flat);
      const fineTune = teacher !== null && prune.fineTuneEpochs > 0;
      log(
        `pruning to ${(prune.sparsity * 100).toFixed(1)}% (${prune.schedule}, ${prune.scope}` +
          `${fineTune ? `, ${prune.fineTuneEpochs} fine-tuning epochs per step` : ', no fine-tuning'})`,
      );
      await pruneModel(copy, {
        sparsity: prune.sparsity,
        schedule: prune.schedule,
        steps: prune.steps,
        scope: prune.scope,
        fineTuneEpochs: fineTune ? prune.fineTuneEpochs : 0,
        data: transfer.softOnly ? { ...data.proxy, y: undefined } : data.proxy,
        teacher,
        training: { ...transfer, seed: subSeed(config.seed, SEED.prune), l1: prune.l1 },
        onStep: (s) => log(`  prune step ${s.step + 1}: ${(s.target * 100).toFixed(1)}%`),
      });
      flat = getFlatWeights(copy);
    }
    const compressed = compressWeights(flat, layout, {
      quantize: config.model.compress.quantize as QuantizeMode,
    });
    log(`compressed: ${compressed.spec}, ${compressed.bytes.length} bytes`);
    if (dir !== null) {
      await writeEntry(dir, async (tmp) => {
        await saveModelAt(student, tmp, 'student');
        if (scratch !== null) await saveModelAt(scratch, tmp, 'scratch');
        await writeBinary(tmp, COMPRESSED_FILE, compressed.bytes);
        await writeJson(tmp, STUDENT_META, {
          spec: compressed.spec,
          sparsity: compressed.sparsity,
          scratch: scratch !== null,
          keys,
        });
      });
    }
    for (const m of made) if (m !== student && m !== scratch) m.dispose();
    return {
      student,
      scratch,
      spec: compressed.spec,
      sparsity: compressed.sparsity,
      encoded: compressed.bytes,
      cached: false,
    };
  } catch (e) {
    for (const m of made) m.dispose();
    throw e;
  }
}

/**
 * Runs the server-side model pipeline of `config` (see the module comment) and returns the figures
 * of the teacher, the scratch and distilled students and the compressed download, with the
 * download itself. Every tensor it makes is disposed before it returns.
 *
 * @throws `ModelError` for invalid options or unusable artifacts (a bad `model.teacher.path`);
 *   `DataError` when the data split does not fit.
 */
export async function prepareStudent(
  config: ExperimentConfig,
  options: PrepareOptions = {},
): Promise<PreparedStudent> {
  const log = options.log ?? (() => {});
  const { artifactKeys } = await import('@fedzip/config');
  await initBackend({ warn: log });
  const keys = artifactKeys(config);
  const data = options.data ?? (await loadExperimentData(config));
  const input: ModelInput = { shape: data.test.shape, numClasses: data.test.numClasses };
  const owned: tf.LayersModel[] = [];
  try {
    const teacher = await prepareTeacher(config, data, keys, options, log);
    if (teacher !== null) owned.push(teacher.model);
    const students = await prepareStudents(config, data, input, teacher?.model ?? null, keys, options, log);
    owned.push(students.student);
    if (students.scratch !== null) owned.push(students.scratch);

    log('evaluating on the test split');
    const layout = weightLayout(students.student);
    const weights = decode(students.encoded, { expectedLength: layout.totalSize });
    const compressedModel = createModel(config.model.student as ModelConfig, input);
    owned.push(compressedModel);
    setFlatWeights(compressedModel, weights);
    const compressedEval = await evaluate(compressedModel, data.test);
    let sensitivity: SensitivityResult | undefined;
    if (options.sensitivity !== undefined && options.sensitivity !== false) {
      log('pruning sensitivity of the distilled student');
      sensitivity = await sensitivityAnalysis(
        students.student,
        data.test,
        options.sensitivity === true ? {} : { sparsities: options.sensitivity },
      );
    }

    if (options.outDir !== undefined) {
      const out = options.outDir;
      log(`saving artifacts to ${out}`);
      if (teacher !== null) await saveModelAt(teacher.model, out, 'teacher');
      await saveModelAt(students.student, out, 'student');
      if (students.scratch !== null) await saveModelAt(students.scratch, out, 'student-scratch');
      await writeBinary(out, COMPRESSED_FILE, students.encoded);
    }

    return {
      teacher: teacher === null ? null : await figures(teacher.model, data.test),
      studentScratch: students.scratch === null ? null : await figures(students.scratch, data.test),
      student: await figures(students.student, data.test),
      compressedStudent: {
        bytes: students.encoded.length,
        accuracy: compressedEval.accuracy,
        loss: compressedEval.loss,
        sparsity: students.sparsity,
        spec: students.spec,
        encoded: students.encoded,
        weights,
      },
      architecture: {
        model: config.model.student as ModelConfig,
        inputShape: [...input.shape],
        numClasses: input.numClasses,
      },
      layout,
      keys,
      cached: { teacher: teacher?.cached ?? false, student: students.cached },
      ...(sensitivity && { sensitivity }),
    };
  } finally {
    for (const m of owned) m.dispose();
  }
}
