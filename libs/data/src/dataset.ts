import { DataError, check } from './errors.js';

/** Class labels, one per sample. `Uint8Array` suffices up to 256 classes. */
export type Labels = Uint8Array | Int32Array;

/**
 * A labelled dataset kept in flat typed arrays: no per-sample objects, so that subsetting, batching
 * and handing data to tfjs are copies of contiguous memory.
 */
export interface Dataset {
  /** Features, `n × featureSize(shape)` values, row-major (sample i at `[i·f, (i+1)·f)`). */
  readonly x: Float32Array;
  /** Labels in `[0, numClasses)`, one per sample. */
  readonly y: Labels;
  /** Number of samples. */
  readonly n: number;
  /** Shape of one sample, e.g. `[28, 28, 1]` for MNIST or `[20]` for flat features. */
  readonly shape: readonly number[];
  /** Number of classes; labels range over `[0, numClasses)`. */
  readonly numClasses: number;
}

/** The part of a {@link Dataset} that partitioners and histograms read: labels only. */
export type LabeledData = Pick<Dataset, 'y' | 'n' | 'numClasses'>;

/** What {@link createDataset} needs; `n` is derived from the lengths. */
export interface DatasetInit {
  /** Features, row-major, `n × featureSize(shape)` values. */
  x: Float32Array;
  /** Labels in `[0, numClasses)`. */
  y: Labels;
  /** Shape of one sample. */
  shape: readonly number[];
  /** Number of classes. */
  numClasses: number;
}

/** Number of values in one sample of the given shape (the product of its dimensions). */
export function featureSize(shape: readonly number[]): number {
  let f = 1;
  for (const d of shape) f *= d;
  return f;
}

/**
 * Builds a {@link Dataset} after checking that the shape, lengths and labels agree. The arrays are
 * taken as they are, not copied.
 *
 * @throws {@link DataError} `BAD_DATASET` when the lengths disagree or a label is out of range.
 */
export function createDataset(init: DatasetInit): Dataset {
  const { x, y, numClasses } = init;
  const shape = Object.freeze([...init.shape]);
  check(
    shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0),
    'BAD_DATASET',
    `shape must be a non-empty list of positive integers, got [${shape.join(', ')}]`,
  );
  check(
    Number.isInteger(numClasses) && numClasses >= 1,
    'BAD_DATASET',
    `numClasses must be a positive integer, got ${numClasses}`,
  );
  check(
    !(y instanceof Uint8Array) || numClasses <= 256,
    'BAD_DATASET',
    `${numClasses} classes do not fit Uint8Array labels: use Int32Array`,
  );
  const f = featureSize(shape);
  check(
    x.length % f === 0,
    'BAD_DATASET',
    `x has ${x.length} values, not a multiple of the ${f} per sample of shape [${shape.join(', ')}]`,
  );
  const n = x.length / f;
  check(y.length === n, 'BAD_DATASET', `x holds ${n} samples but y holds ${y.length} labels`);
  for (let i = 0; i < n; i++) {
    const label = y[i]!;
    if (!(label >= 0 && label < numClasses)) {
      throw new DataError('BAD_DATASET', `label ${label} of sample ${i} is outside [0, ${numClasses})`);
    }
  }
  return { x, y, n, shape, numClasses };
}

/**
 * A new dataset holding the samples at `indices`, in that order, copied into fresh typed arrays
 * (one `set` of a contiguous row per sample). Indices may repeat. The label array keeps its type.
 *
 * @throws {@link DataError} `BAD_OPTION` when an index is not an integer in `[0, n)`.
 */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const f = featureSize(data.shape);
  const m = indices.length;
  const x = new Float32Array(m * f);
  const y = data.y instanceof Uint8Array ? new Uint8Array(m) : new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const i = indices[j]!;
    if (!(Number.isInteger(i) && i >= 0 && i < data.n)) {
      throw new DataError('BAD_OPTION', `subset index ${i} (position ${j}) is outside [0, ${data.n})`);
    }
    x.set(data.x.subarray(i * f, i * f + f), j * f);
    y[j] = data.y[i]!;
  }
  return { x, y, n: m, shape: data.shape, numClasses: data.numClasses };
}

/** The features of sample `i` as a view into `data.x` (no copy: writes go through). */
export function sampleFeatures(data: Dataset, i: number): Float32Array {
  const f = featureSize(data.shape);
  return data.x.subarray(i * f, i * f + f);
}

/**
 * How many samples of each class: `counts[c]` for c in `[0, numClasses)`. Counts every sample, or
 * only those at `indices` when given.
 */
export function labelHistogram(data: LabeledData, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(data.numClasses).fill(0);
  if (indices === undefined) {
    for (let i = 0; i < data.n; i++) counts[data.y[i]!]!++;
  } else {
    for (let j = 0; j < indices.length; j++) counts[data.y[indices[j]!]!]!++;
  }
  return counts;
}
