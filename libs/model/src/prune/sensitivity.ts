/**
 * Sensitivity analysis of pruning (Han et al. 2015): prune one kernel alone, by magnitude, at
 * rising sparsity, and measure the accuracy drop without fine-tuning. Layers whose accuracy holds
 * can take a high sparsity; the table is how per-layer sparsities are chosen (pass them to
 * `magnitudeMasks` as a `LayerSparsity`).
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingData } from '../data-types.js';
import { check } from '../errors.js';
import { getFlatWeights, setFlatWeights } from '../flat-weights.js';
import { evaluate } from '../training.js';
import { applyMasks, kernelsOf, magnitudeMasks } from './masks.js';

/** The sparsities of the default sweep. */
export const DEFAULT_SENSITIVITY_SPARSITIES: readonly number[] = Object.freeze([0.25, 0.5, 0.75, 0.9, 0.95]);

/** Options of {@link sensitivityAnalysis}. */
export interface SensitivityOptions {
  /** The sparsities to try, each in [0, 1). Default {@link DEFAULT_SENSITIVITY_SPARSITIES}. */
  sparsities?: readonly number[];
  /** Only these kernels (by name). Default: every kernel. */
  layers?: readonly string[];
  /** Samples per forward pass of the evaluation. Default 256. */
  batchSize?: number;
}

/** One kernel's row of the table. */
export interface SensitivityRow {
  /** The kernel's name, e.g. `conv2/kernel`. */
  readonly layer: string;
  /** Its number of weights. */
  readonly size: number;
  /** Accuracy with this kernel alone pruned, one per sparsity. */
  readonly accuracy: readonly number[];
  /** Baseline accuracy minus `accuracy`, one per sparsity (positive: worse). */
  readonly drop: readonly number[];
}

/** The sensitivity table: rows are kernels, columns sparsities. */
export interface SensitivityResult {
  /** Accuracy of the unpruned model. */
  readonly baseline: number;
  readonly sparsities: readonly number[];
  readonly rows: readonly SensitivityRow[];
}

/**
 * Prunes each kernel of `model` alone at each sparsity, evaluates on `data`, and restores the
 * weights: the model is unchanged afterwards. Leak free.
 *
 * @throws {@link ModelError} `BAD_OPTION` for a sparsity outside [0, 1) or an unknown layer.
 */
export async function sensitivityAnalysis(
  model: tf.LayersModel,
  data: TrainingData,
  options: SensitivityOptions = {},
): Promise<SensitivityResult> {
  const sparsities = [...(options.sparsities ?? DEFAULT_SENSITIVITY_SPARSITIES)];
  check(sparsities.length > 0, 'BAD_OPTION', 'give at least one sparsity');
  const kernels = kernelsOf(model).map((k) => ({ name: k.name, size: k.values.length }));
  const names = options.layers ?? kernels.map((k) => k.name);
  for (const name of names) {
    check(
      kernels.some((k) => k.name === name),
      'BAD_OPTION',
      `no kernel named ${name} (kernels: ${kernels.map((k) => k.name).join(', ')})`,
    );
  }
  const evalOptions = options.batchSize === undefined ? {} : { batchSize: options.batchSize };
  const original = getFlatWeights(model);
  const baseline = (await evaluate(model, data, evalOptions)).accuracy;
  const rows: SensitivityRow[] = [];
  try {
    for (const name of names) {
      const accuracy: number[] = [];
      for (const s of sparsities) {
        applyMasks(model, magnitudeMasks(model, { [name]: s }));
        accuracy.push((await evaluate(model, data, evalOptions)).accuracy);
        setFlatWeights(model, original);
      }
      rows.push({
        layer: name,
        size: kernels.find((k) => k.name === name)!.size,
        accuracy,
        drop: accuracy.map((a) => baseline - a),
      });
    }
  } finally {
    setFlatWeights(model, original);
  }
  return { baseline, sparsities, rows };
}

/**
 * The table as text: one row per kernel, one column per sparsity, cells the accuracy drop in
 * percentage points (e.g. `+1.25` = 1.25 pp worse than the unpruned model).
 */
export function formatSensitivityTable(result: SensitivityResult): string {
  const head = ['layer', 'weights', ...result.sparsities.map((s) => `${(s * 100).toFixed(0)}%`)];
  const body = result.rows.map((r) => [
    r.layer,
    String(r.size),
    ...r.drop.map((d) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(2)}`),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `accuracy drop (pp) when one layer alone is pruned; baseline ${(result.baseline * 100).toFixed(2)}%`,
    line(head),
    ...body.map(line),
  ].join('\n');
}
