import type * as z from 'zod';
import { num, obj, str } from './primitives.js';
import {
  AttackSchema,
  ClientsSchema,
  CompressionSchema,
  DataSchema,
  EvaluationSchema,
  MNIST_DIGITS,
  ModelSchema,
  PrivacySchema,
  RobustnessSchema,
  defaultStudentModel,
  defaultTeacherModel,
  ServerSchema,
  StrategySchema,
  TrainingSchema,
} from './sections.js';

/** Allowed experiment names: usable as a directory name. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The experiment object before the checks that span sections. */
const ExperimentObject = obj({
  name: str(
    'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters',
    NAME_PATTERN,
    64,
  ).default('experiment'),
  seed: num({ int: true, min: 0, max: 2 ** 32 - 1 }).default(42),
  rounds: num({ int: true, min: 1 }).default(30),
  data: DataSchema.prefault({}),
  clients: ClientsSchema.prefault({}),
  model: ModelSchema.prefault({}),
  training: TrainingSchema.prefault({}),
  strategy: StrategySchema.prefault({ name: 'fedavg' }),
  compression: CompressionSchema.prefault({}),
  evaluation: EvaluationSchema.prefault({}),
  server: ServerSchema.prefault({}),
  privacy: PrivacySchema.prefault({}),
  robustness: RobustnessSchema.prefault({}),
  attack: AttackSchema.optional(),
});

type Checked = z.output<typeof ExperimentObject>;

/** Samples per part of the dataset split, as libs/data will cut it. */
export interface SplitSizes {
  /** All samples of the dataset: 10,000 MNIST digits or `data.synthetic.samples`. */
  readonly total: number;
  readonly test: number;
  readonly proxy: number;
  /** Samples partitioned among the clients: `data.split.clients`, else all the rest. */
  readonly clients: number;
}

/** The sizes of the test / proxy / client parts that `data` describes. */
export function splitSizes(data: Pick<Checked['data'], 'dataset' | 'split' | 'synthetic'>): SplitSizes {
  const total = data.dataset === 'mnist' ? MNIST_DIGITS : (data.synthetic?.samples ?? 0);
  const { test, proxy } = data.split;
  return { total, test, proxy, clients: data.split.clients ?? total - test - proxy };
}

/**
 * Checks that span sections; they run once every section is valid on its own. Paths name the field
 * to change, messages name the other field involved.
 */
function checkExperiment(c: Checked, ctx: z.core.$RefinementCtx<Checked>): void {
  const issue = (path: (string | number)[], input: unknown, message: string): void =>
    ctx.addIssue({ code: 'custom', path, input, message });
  const sizes = splitSizes(c.data);
  const { test, proxy } = sizes;
  const what = c.data.dataset === 'mnist' ? 'MNIST digits' : 'samples of data.synthetic.samples';

  if (test + proxy + sizes.clients > sizes.total || sizes.clients < 1) {
    const parts = `test ${test} + proxy ${proxy}${c.data.split.clients !== undefined ? ` + clients ${sizes.clients}` : ''}`;
    issue(
      ['data', 'split'],
      c.data.split,
      sizes.clients < 1
        ? `${parts} leaves no samples for the clients out of the ${sizes.total} ${what}`
        : `${parts} = ${test + proxy + sizes.clients} is more than the ${sizes.total} ${what}`,
    );
  } else {
    const n = sizes.clients;
    const count = c.clients.count;
    const p = c.data.partition;
    if (count > n) {
      issue(
        ['clients', 'count'],
        count,
        `${count} clients cannot each get a sample of the ${n} client samples (data.split)`,
      );
    } else if (
      (p.kind === 'dirichlet' || p.kind === 'quantity') &&
      p.minSamples !== undefined &&
      p.minSamples * count > n
    ) {
      issue(
        ['data', 'partition', 'minSamples'],
        p.minSamples,
        `${p.minSamples} × clients.count (${count}) = ${p.minSamples * count} is more than the ${n} client samples`,
      );
    } else if (p.kind === 'shards' && p.shardsPerClient * count > n) {
      issue(
        ['data', 'partition', 'shardsPerClient'],
        p.shardsPerClient,
        `${p.shardsPerClient} × clients.count (${count}) = ${p.shardsPerClient * count} shards is more than the ${n} client samples`,
      );
    }
  }

  const { teacher, distill, student } = c.model;
  if (distill.enabled && proxy === 0) {
    issue(
      ['data', 'split', 'proxy'],
      proxy,
      '0 leaves no proxy data for distillation (model.distill.enabled is true; give a proxy split or disable distillation)',
    );
  }

  // Krum scores need n ≥ 2f + 3 updates: a round of fewer always fails.
  if (c.strategy.name === 'krum') {
    const perRound =
      c.clients.perRound ?? Math.max(1, Math.floor((c.clients.fraction ?? 1) * c.clients.count));
    const need = 2 * c.strategy.byzantine + 3;
    if (perRound < need) {
      issue(
        ['strategy', 'byzantine'],
        c.strategy.byzantine,
        `krum with byzantine ${c.strategy.byzantine} needs at least 2f + 3 = ${need} updates per round, but a round has ${perRound} clients (clients.perRound or clients.fraction)`,
      );
    }
  }

  // Central DP adds its noise to the mean of the clipped updates (docs/privacy.md).
  const meanBased = ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad'];
  if (c.privacy.enabled && c.privacy.mode === 'central' && !meanBased.includes(c.strategy.name)) {
    issue(
      ['privacy', 'mode'],
      c.privacy.mode,
      `central DP noises the mean of the clipped updates: strategy.name ${c.strategy.name} does not average (use ${meanBased.join(', ')}, or privacy.mode local)`,
    );
  }

  // A CNN needs image-shaped samples; MNIST digits are 28×28.
  const cnnAt: (string | number)[][] = [];
  if (student?.kind === 'cnn') cnnAt.push(['model', 'student', 'kind']);
  if (distill.enabled && teacher.path === undefined && teacher.model?.kind === 'cnn') {
    cnnAt.push(['model', 'teacher', 'model', 'kind']);
  }
  if (!imageShaped(c.data)) {
    for (const path of cnnAt) {
      issue(
        path,
        'cnn',
        `"cnn" needs image-shaped samples of at least 4×4 (allowed with data.dataset: mnist, ` +
          'or data.synthetic.shape [height, width, channels] or [height, width], or square data.synthetic.features)',
      );
    }
  }
}

/**
 * Whether a CNN can read the samples, as libs/model's zoo sees them: `[H, W, C]`, `[H, W]` or a
 * flat square (MNIST's 784 = 28²), at least 4×4.
 */
function imageShaped(data: Checked['data']): boolean {
  if (data.dataset === 'mnist') return true;
  const shape = data.synthetic?.shape ?? [];
  if (shape.length === 2 || shape.length === 3) return shape[0]! >= 4 && shape[1]! >= 4;
  const side = Math.round(Math.sqrt(shape[0] ?? 0));
  return shape.length === 1 && side * side === shape[0] && side >= 4;
}

/**
 * The default of `clients.sampleCount.max`: 4 × the mean client size (⌈client samples / count⌉),
 * for partitions whose sizes stay near the mean (iid, shards, balanced Dirichlet: a client holds
 * at most about n/count plus one class's share); all the client samples for the partitions that
 * skew sizes on purpose (quantity, unbalanced Dirichlet). Never more than the client samples: no
 * honest simulated client claims more, and a liar's weight stays within a few honest clients'.
 */
export function defaultMaxSampleCount(c: Pick<Checked, 'data' | 'clients'>): number {
  const pool = Math.max(1, Math.min(1_000_000, splitSizes(c.data).clients));
  const p = c.data.partition;
  const skewed = p.kind === 'quantity' || (p.kind === 'dirichlet' && !p.balance);
  return skewed ? pool : Math.min(pool, 4 * Math.ceil(pool / c.clients.count));
}

/** Fills the defaults that depend on other sections: the student's and the teacher's architectures. */
function fillDependentDefaults(c: Checked) {
  const { teacher, student } = c.model;
  const images = imageShaped(c.data);
  const { sampleCount } = c.clients;
  return {
    ...c,
    clients: {
      ...c.clients,
      sampleCount: {
        min: sampleCount.min,
        max: sampleCount.max ?? Math.max(sampleCount.min, defaultMaxSampleCount(c)),
      },
    },
    model: {
      ...c.model,
      student: student ?? defaultStudentModel(images),
      teacher: { ...teacher, model: teacher.model ?? defaultTeacherModel(images) },
    },
  };
}

/**
 * The experiment config schema (zod 4). Parse with {@link parseExperiment} for readable errors;
 * `ExperimentSchema.safeParse` gives zod's raw issues.
 */
export const ExperimentSchema =
  ExperimentObject.superRefine(checkExperiment).transform(fillDependentDefaults);
