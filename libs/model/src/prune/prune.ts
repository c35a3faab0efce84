/**
 * Pruning with fine-tuning: one-shot, or the gradual schedule of Zhu & Gupta 2017 ("To prune, or
 * not to prune"), s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³ for t = t0 + Δt, …, t0 + nΔt: it
 * prunes fast while many weights are redundant and slowly near the target. Between steps the
 * model is fine-tuned with its masks re-applied after every optimizer step, so pruned weights stay
 * exactly zero. An optional L1 penalty λ·Σ|w| pushes the kept weights toward sparsity too.
 */
import type * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import type { InputData } from '../training.js';
import { type DistillOptions, type FitResult, fineTune } from '../distill/distill.js';
import { MaskApplier, type PruneMasks, type PruneScope, magnitudeMasks } from './masks.js';

/** Parameters of the cubic schedule (Zhu & Gupta 2017). */
export interface CubicSchedule {
  /** Initial sparsity s_i. Default 0. */
  readonly initial?: number;
  /** Final sparsity s_f, in [0, 1). */
  readonly final: number;
  /** Number of pruning steps n ≥ 1. */
  readonly steps: number;
}

/**
 * The sparsity of every pruning step t = 1 … n of the cubic schedule
 * s_t = s_f + (s_i − s_f)(1 − t/n)³ (Zhu & Gupta 2017 with t0 = 0 and Δt = 1: the step index is
 * the time). The last entry is s_f. With s_i = 0 it is docs/config.md's s_f(1 − (1 − t/n)³).
 *
 * @throws {@link ModelError} `BAD_OPTION` for sparsities outside [0, 1) or a non-positive n.
 */
export function gradualSchedule(schedule: CubicSchedule): number[] {
  const { initial = 0, final, steps } = schedule;
  for (const [what, s] of [
    ['initial', initial],
    ['final', final],
  ] as const) {
    check(
      Number.isFinite(s) && s >= 0 && s < 1,
      'BAD_OPTION',
      `${what} sparsity must be in [0, 1), got ${s}`,
    );
  }
  check(
    Number.isInteger(steps) && steps >= 1,
    'BAD_OPTION',
    `steps must be a positive integer, got ${steps}`,
  );
  return Array.from({ length: steps }, (_, i) => {
    const t = i + 1;
    return t === steps ? final : final + (initial - final) * (1 - t / steps) ** 3;
  });
}

/** Options of {@link pruneModel}. */
export interface PruneOptions {
  /** Target sparsity of the kernels, in [0, 1). */
  sparsity: number;
  /** `oneshot`: prune once to the target; `gradual` (default): the cubic schedule. */
  schedule?: 'oneshot' | 'gradual';
  /** Steps of the gradual schedule. Default 4. */
  steps?: number;
  /** Default `'layer'`. */
  scope?: PruneScope;
  /** Fine-tuning epochs after each step (0: none). Default 2. */
  fineTuneEpochs?: number;
  /** The fine-tuning data (the transfer set); required when `fineTuneEpochs` > 0. */
  data?: InputData;
  /**
   * Fine-tune by distillation from this teacher (`training` holds T, α, softOnly); null or absent:
   * by cross-entropy with the labels.
   */
  teacher?: tf.LayersModel | null;
  /** Optimizer, learning rate, batch size, shifts, L1, seed… of fine-tuning (`epochs` is ignored). */
  training?: Omit<DistillOptions, 'epochs' | 'afterStep'>;
  /** Called after each step (pruning + fine-tuning). */
  onStep?: (info: PruneStep) => void;
}

/** One step of {@link pruneModel}. */
export interface PruneStep {
  /** Step index, from 0. */
  readonly step: number;
  /** The sparsity this step pruned the kernels to. */
  readonly target: number;
  /** How fine-tuning went; null without fine-tuning. */
  readonly fineTune: FitResult | null;
}

/** What {@link pruneModel} did. */
export interface PruneResult {
  /** The final masks (the model's pruned weights are zero where they say). */
  readonly masks: PruneMasks;
  /** The target of each step. */
  readonly schedule: readonly number[];
  readonly steps: readonly PruneStep[];
}

/**
 * Prunes `model`'s kernels in place by magnitude to `options.sparsity`, in one step or along the
 * cubic schedule, fine-tuning after each step with the masks re-applied after every optimizer
 * step. Leak free.
 *
 * @throws {@link ModelError} `BAD_OPTION` for invalid options, `BAD_DATA` as the training loop.
 */
export async function pruneModel(model: tf.LayersModel, options: PruneOptions): Promise<PruneResult> {
  const kind = options.schedule ?? 'gradual';
  check(kind === 'oneshot' || kind === 'gradual', 'BAD_OPTION', `unknown prune schedule ${String(kind)}`);
  const fineTuneEpochs = options.fineTuneEpochs ?? 2;
  check(
    Number.isInteger(fineTuneEpochs) && fineTuneEpochs >= 0,
    'BAD_OPTION',
    `fineTuneEpochs must be an integer ≥ 0, got ${fineTuneEpochs}`,
  );
  check(fineTuneEpochs === 0 || options.data !== undefined, 'BAD_OPTION', 'fine-tuning needs data');
  const schedule =
    kind === 'gradual'
      ? gradualSchedule({ final: options.sparsity, steps: options.steps ?? 4 })
      : gradualSchedule({ final: options.sparsity, steps: 1 });
  const steps: PruneStep[] = [];
  let masks: PruneMasks = { layers: [], sparsity: 0 };
  for (const [step, target] of schedule.entries()) {
    masks = magnitudeMasks(model, target, options.scope ?? 'layer');
    const applier = new MaskApplier(model, masks); // zeroes the pruned weights now
    let result: FitResult | null = null;
    try {
      if (fineTuneEpochs > 0 && options.data !== undefined) {
        const training = options.training ?? { lr: 1e-3 };
        result = await fineTune(model, options.teacher ?? null, options.data, {
          ...training,
          seed: (training.seed ?? 0) + step,
          epochs: fineTuneEpochs,
          afterStep: () => applier.apply(),
        });
      }
    } finally {
      applier.dispose();
    }
    const info = { step, target, fineTune: result };
    steps.push(info);
    options.onStep?.(info);
  }
  return { masks, schedule, steps };
}
