import { createRng } from '@fedzip/codec';
import type { LabeledData } from '../dataset.js';
import { permutation } from '../random/shuffle.js';
import { cutBySizes, equalSizes, toPartition } from './partition-result.js';
import type { IidOptions, Partition } from './partition-types.js';
import { checkCommon } from './validate-options.js';

/**
 * IID partition: a uniformly random permutation cut into `clients` parts whose sizes differ by at
 * most one, so every client sees the global label distribution up to sampling noise.
 *
 * @throws {@link DataError} for a bad seed or client count, or more clients than samples.
 */
export function iidPartition(data: LabeledData, options: IidOptions): Partition {
  checkCommon('iid', data, options);
  const order = permutation(data.n, createRng(options.seed));
  return toPartition('iid', data, cutBySizes(order, equalSizes(data.n, options.clients)));
}
