/**
 * The shapes of data this library reads. They are structural on purpose: `@fedzip/data`'s
 * `Dataset` satisfies them as it is, and tests or callers can pass plain objects.
 */

/** What a model needs to know about its inputs and outputs. */
export interface ModelInput {
  /** Shape of one sample, e.g. `[28, 28, 1]` or `[784]`. */
  readonly shape: readonly number[];
  /** Number of classes; the model outputs that many logits. */
  readonly numClasses: number;
}

/** A labelled dataset in flat typed arrays (sample i's features at `[i·f, (i+1)·f)`). */
export interface TrainingData extends ModelInput {
  /** Features, `n × product(shape)` values, row-major. */
  readonly x: Float32Array;
  /** Labels in `[0, numClasses)`, one per sample. */
  readonly y: ArrayLike<number>;
  /** Number of samples. */
  readonly n: number;
}

/** Number of values in one sample of the given shape. */
export function sampleSize(shape: readonly number[]): number {
  let f = 1;
  for (const d of shape) f *= d;
  return f;
}
