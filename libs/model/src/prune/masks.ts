/**
 * Magnitude pruning masks (Han et al. 2015, "Learning both Weights and Connections"; the recipe of
 * the project references: keep |w| above the per-layer quantile). Only kernels (weights of rank
 * ≥ 2) are pruned; biases stay dense. A mask prunes exactly round(s·size) weights: the
 * largest magnitudes, ties at the threshold pruned lowest index first, so already-zero weights are
 * pruned first and a gradual schedule's masks are nested.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';

/** `layer`: each kernel pruned to the sparsity on its own; `global`: one threshold over all kernels. */
export type PruneScope = 'layer' | 'global';

/** The mask of one kernel. */
export interface LayerMask {
  /** The weight's name, e.g. `conv1/kernel` (as in the flat layout). */
  readonly name: string;
  /** Index of the weight in `model.trainableWeights`. */
  readonly index: number;
  readonly shape: readonly number[];
  /** 1 where the weight is kept, 0 where it is pruned; one entry per value. */
  readonly keep: Uint8Array;
  /** Values pruned (zeros of `keep`). */
  readonly pruned: number;
}

/** Masks of a model's kernels. */
export interface PruneMasks {
  /** One entry per masked kernel (a kernel absent here is not pruned). */
  readonly layers: readonly LayerMask[];
  /** Pruned values over the values of every kernel of the model. */
  readonly sparsity: number;
}

/** A sparsity per kernel name, e.g. from a sensitivity analysis; kernels not named stay dense. */
export type LayerSparsity = Readonly<Record<string, number>>;

/** The model's kernels: trainable weights of rank ≥ 2, with their index and current values. */
export function kernelsOf(
  model: tf.LayersModel,
): { name: string; index: number; shape: number[]; values: Float32Array }[] {
  const out: { name: string; index: number; shape: number[]; values: Float32Array }[] = [];
  model.trainableWeights.forEach((w, index) => {
    if (w.shape.length >= 2) {
      out.push({
        name: w.originalName,
        index,
        shape: w.shape.map((d) => d ?? 0),
        values: w.read().dataSync() as Float32Array,
      });
    }
  });
  return out;
}

function checkSparsity(s: number, what: string): void {
  check(Number.isFinite(s) && s >= 0 && s < 1, 'BAD_OPTION', `${what} must be in [0, 1), got ${s}`);
}

/**
 * Prunes the `count` smallest magnitudes among `groups` (one shared ranking): values below the
 * count-th smallest magnitude, then values equal to it in (group, index) order. Returns keep masks.
 */
function smallestOut(groups: readonly Float32Array[], count: number): Uint8Array[] {
  const masks = groups.map((g) => new Uint8Array(g.length).fill(1));
  if (count <= 0) return masks;
  const total = groups.reduce((a, g) => a + g.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const g of groups) {
    for (let i = 0; i < g.length; i++) all[at + i] = Math.abs(g[i]!);
    at += g.length;
  }
  all.sort();
  const t = all[Math.min(count, total) - 1]!;
  let left = count;
  groups.forEach((g, k) => {
    const m = masks[k]!;
    for (let i = 0; i < g.length; i++) {
      if (Math.abs(g[i]!) < t) {
        m[i] = 0;
        left--;
      }
    }
  });
  groups.forEach((g, k) => {
    const m = masks[k]!;
    for (let i = 0; i < g.length && left > 0; i++) {
      if (m[i] === 1 && Math.abs(g[i]!) === t) {
        m[i] = 0;
        left--;
      }
    }
  });
  return masks;
}

/**
 * Magnitude masks of `model`'s kernels at `sparsity`: a number prunes every kernel to it (`layer`
 * scope) or ranks all kernels together (`global` scope); a {@link LayerSparsity} prunes the named
 * kernels each to its own sparsity. The model is not changed; see {@link applyMasks}.
 *
 * @throws {@link ModelError} `BAD_OPTION` for a sparsity outside [0, 1), an unknown kernel name, or
 *   per-layer sparsities with the global scope.
 */
export function magnitudeMasks(
  model: tf.LayersModel,
  sparsity: number | LayerSparsity,
  scope: PruneScope = 'layer',
): PruneMasks {
  check(scope === 'layer' || scope === 'global', 'BAD_OPTION', `unknown prune scope ${String(scope)}`);
  const kernels = kernelsOf(model);
  const totalSize = kernels.reduce((a, k) => a + k.values.length, 0);
  let keeps: (Uint8Array | null)[];
  if (typeof sparsity === 'number') {
    checkSparsity(sparsity, 'sparsity');
    if (scope === 'global') {
      keeps = smallestOut(
        kernels.map((k) => k.values),
        Math.round(sparsity * totalSize),
      );
    } else {
      keeps = kernels.map((k) => smallestOut([k.values], Math.round(sparsity * k.values.length))[0]!);
    }
  } else {
    check(scope === 'layer', 'BAD_OPTION', 'per-layer sparsities need the layer scope');
    const names = new Set(kernels.map((k) => k.name));
    for (const [name, s] of Object.entries(sparsity)) {
      check(names.has(name), 'BAD_OPTION', `no kernel named ${name} (kernels: ${[...names].join(', ')})`);
      checkSparsity(s, `sparsity of ${name}`);
    }
    keeps = kernels.map((k) => {
      const s = sparsity[k.name];
      return s === undefined ? null : smallestOut([k.values], Math.round(s * k.values.length))[0]!;
    });
  }
  const layers: LayerMask[] = [];
  let pruned = 0;
  kernels.forEach((k, i) => {
    const keep = keeps[i];
    if (!keep) return;
    let p = 0;
    for (let j = 0; j < keep.length; j++) p += 1 - keep[j]!;
    pruned += p;
    layers.push({ name: k.name, index: k.index, shape: k.shape, keep, pruned: p });
  });
  return { layers, sparsity: totalSize === 0 ? 0 : pruned / totalSize };
}

/** Zeroes the pruned weights of `model` in place (a one-off; {@link MaskApplier} for training). */
export function applyMasks(model: tf.LayersModel, masks: PruneMasks): void {
  for (const layer of masks.layers) {
    const w = model.trainableWeights[layer.index];
    check(
      w !== undefined && w.originalName === layer.name && w.shape.every((d, i) => d === layer.shape[i]),
      'LAYOUT_MISMATCH',
      `the mask of ${layer.name} does not match the model's weight ${w?.originalName ?? `#${layer.index}`}`,
    );
    const values = (w.read().dataSync() as Float32Array).slice();
    for (let i = 0; i < values.length; i++) if (layer.keep[i] === 0) values[i] = 0;
    const t = tf.tensor(values, [...layer.shape], 'float32');
    w.write(t);
    t.dispose();
  }
}

/**
 * The masks as device tensors, re-applied by {@link MaskApplier.apply} after every optimizer step
 * of fine-tuning so that pruned weights stay exactly zero (the optimizer's update, momentum or Adam
 * moments would otherwise revive them). Dispose it when done.
 */
export class MaskApplier {
  private readonly pairs: { variable: tf.Variable; mask: tf.Tensor }[];

  constructor(model: tf.LayersModel, masks: PruneMasks) {
    applyMasks(model, masks); // also checks the masks against the model
    this.pairs = masks.layers.map((layer) => ({
      variable: model.trainableWeights[layer.index]!.read() as tf.Variable,
      mask: tf.tensor(Float32Array.from(layer.keep), [...layer.shape], 'float32'),
    }));
  }

  /** w ← w ⊙ mask for every masked kernel. */
  apply(): void {
    tf.tidy(() => {
      for (const { variable, mask } of this.pairs) variable.assign(tf.mul(variable, mask));
    });
  }

  /** Frees the mask tensors. */
  dispose(): void {
    for (const { mask } of this.pairs) mask.dispose();
    this.pairs.length = 0;
  }
}

/** Fraction of exact zeros in `values` (of all of them, or of the ranges given). */
export function zeroFraction(
  values: Float32Array,
  ranges?: readonly { offset: number; size: number }[],
): number {
  let zeros = 0;
  let total = 0;
  for (const { offset, size } of ranges ?? [{ offset: 0, size: values.length }]) {
    for (let i = offset; i < offset + size; i++) if (values[i] === 0) zeros++;
    total += size;
  }
  return total === 0 ? 0 : zeros / total;
}
