/**
 * Model weights ⇄ one flat `Float32Array`, the form the codec compresses and the coordinator
 * aggregates. The layout descriptor names every tensor, so that weights from another model (or an
 * older version of this one) are refused instead of silently scrambled.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from './errors.js';

/** One tensor inside the flat vector. */
export interface WeightEntry {
  /** The weight's name, e.g. `conv1/kernel` (tfjs's `originalName`, stable across processes). */
  readonly name: string;
  /** Its shape, e.g. `[5, 5, 1, 32]`. */
  readonly shape: readonly number[];
  /** Index of its first value in the flat vector. */
  readonly offset: number;
  /** Number of values (the product of `shape`). */
  readonly size: number;
}

/** Where every trainable tensor of a model lives in its flat weight vector. */
export interface WeightLayout {
  /** The tensors in the model's `trainableWeights` order (layer by layer, kernel before bias). */
  readonly entries: readonly WeightEntry[];
  /** Total number of values: the flat vector's length. */
  readonly totalSize: number;
}

/** The layout of `model`'s trainable weights. */
export function weightLayout(model: tf.LayersModel): WeightLayout {
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const w of model.trainableWeights) {
    check(w.dtype === 'float32', 'LAYOUT_MISMATCH', `weight ${w.originalName} is ${w.dtype}, not float32`);
    const shape = Object.freeze([...w.shape]) as readonly number[];
    const size = tf.util.sizeFromShape([...shape]);
    entries.push(Object.freeze({ name: w.originalName, shape, offset, size }));
    offset += size;
  }
  return Object.freeze({ entries: Object.freeze(entries), totalSize: offset });
}

/** Whether two layouts name the same tensors with the same shapes in the same order. */
export function sameLayout(a: WeightLayout, b: WeightLayout): boolean {
  if (a.totalSize !== b.totalSize || a.entries.length !== b.entries.length) return false;
  return a.entries.every((e, i) => {
    const f = b.entries[i]!;
    return (
      e.name === f.name &&
      e.offset === f.offset &&
      e.shape.length === f.shape.length &&
      e.shape.every((d, j) => d === f.shape[j])
    );
  });
}

function checkLayout(model: tf.LayersModel, layout: WeightLayout | undefined): WeightLayout {
  const actual = weightLayout(model);
  if (layout !== undefined) {
    check(
      sameLayout(actual, layout),
      'LAYOUT_MISMATCH',
      `the layout (${layout.entries.map((e) => e.name).join(', ')}) does not match the model's ` +
        `(${actual.entries.map((e) => e.name).join(', ')})`,
    );
  }
  return actual;
}

/**
 * Copies `model`'s trainable weights into one `Float32Array` laid out as {@link weightLayout}
 * says: into `out` when given (it must have exactly `totalSize` values), else into a new array.
 */
export function getFlatWeights(model: tf.LayersModel, out?: Float32Array): Float32Array {
  const layout = weightLayout(model);
  const flat = out ?? new Float32Array(layout.totalSize);
  check(
    flat.length === layout.totalSize,
    'LAYOUT_MISMATCH',
    `out has ${flat.length} values, the model ${layout.totalSize}`,
  );
  model.trainableWeights.forEach((w, i) => {
    flat.set(w.read().dataSync() as Float32Array, layout.entries[i]!.offset);
  });
  return flat;
}

/**
 * Sets `model`'s trainable weights from a flat vector, exactly (no rounding). The values are
 * copied: later writes to `flat` do not reach the model. When `layout` is given (the sender's),
 * it must match the model's.
 *
 * @throws {@link ModelError} `LAYOUT_MISMATCH` when the lengths or layouts disagree.
 */
export function setFlatWeights(model: tf.LayersModel, flat: Float32Array, layout?: WeightLayout): void {
  const actual = checkLayout(model, layout);
  check(
    flat.length === actual.totalSize,
    'LAYOUT_MISMATCH',
    `flat weights have ${flat.length} values, the model ${actual.totalSize}`,
  );
  model.trainableWeights.forEach((w, i) => {
    const e = actual.entries[i]!;
    const t = tf.tensor(flat.slice(e.offset, e.offset + e.size), [...e.shape], 'float32');
    w.write(t);
    t.dispose();
  });
}
