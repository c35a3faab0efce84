import { type Rng, createRng } from '@fedzip/codec';
import { type Dataset, type LabeledData, subset } from './dataset.js';
import { DataError, check, checkSeed } from './errors.js';
import { groupByLabel } from './group-by-label.js';
import { shuffleInPlace } from './random/shuffle.js';

/**
 * A random order of all samples in which every prefix is stratified: of the first m samples, class
 * c makes up m·n_c/n to within about one sample. Each class is shuffled, then its r-th sample gets
 * the key (r + u)/n_c with u ~ U[0, 1) (systematic sampling with a random offset per sample), and
 * the samples are sorted by key. Contiguous slices of this order are therefore stratified too.
 */
export function stratifiedOrder(data: LabeledData, rng: Rng): Uint32Array {
  const { order, offsets } = groupByLabel(data);
  const keys = new Float64Array(data.n);
  for (let c = 0; c < data.numClasses; c++) {
    const start = offsets[c]!;
    const end = offsets[c + 1]!;
    shuffleInPlace(order, rng, start, end);
    const count = end - start;
    for (let r = 0; r < count; r++) keys[order[start + r]!] = (r + rng.nextFloat()) / count;
  }
  const sorted = order.slice();
  sorted.sort((a, b) => keys[a]! - keys[b]! || a - b);
  return sorted;
}

/**
 * Splits the samples into disjoint parts of the given sizes, stratified by label (each part holds
 * every class in about the dataset's proportions) and deterministic in `seed`. Each part comes back
 * shuffled. Samples beyond the sum of `sizes` are left out.
 *
 * @throws {@link DataError} `BAD_OPTION` for a size that is not a non-negative integer,
 *   `INFEASIBLE` when the sizes add up to more than `n`.
 */
export function splitIndices(data: LabeledData, sizes: readonly number[], seed: number): Uint32Array[] {
  checkSeed(seed);
  let total = 0;
  for (const s of sizes) {
    check(Number.isInteger(s) && s >= 0, 'BAD_OPTION', `split sizes must be non-negative integers, got ${s}`);
    total += s;
  }
  if (total > data.n) {
    throw new DataError(
      'INFEASIBLE',
      `split sizes ${sizes.join(' + ')} = ${total} exceed the ${data.n} samples available`,
    );
  }
  const rng = createRng(seed);
  const order = stratifiedOrder(data, rng);
  const parts: Uint32Array[] = [];
  let at = 0;
  for (const s of sizes) {
    parts.push(shuffleInPlace(order.slice(at, at + s), rng));
    at += s;
  }
  return parts;
}

/** {@link splitIndices}, then a copy of each part as its own {@link Dataset}. */
export function splitDataset(data: Dataset, sizes: readonly number[], seed: number): Dataset[] {
  return splitIndices(data, sizes, seed).map((indices) => subset(data, indices));
}
