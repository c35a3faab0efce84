import type { LabeledData } from '../dataset.js';
import { DataError, check, checkSeed } from '../errors.js';
import type { CommonPartitionOptions } from './partition-types.js';

/** Checks `clients` and `seed` against the data, with messages that name the partitioner. */
export function checkCommon(name: string, data: LabeledData, options: CommonPartitionOptions): void {
  const { clients } = options;
  checkSeed(options.seed);
  check(
    Number.isInteger(clients) && clients >= 1,
    'BAD_OPTION',
    `${name}: clients must be a positive integer, got ${clients}`,
  );
  if (clients > data.n) {
    throw new DataError(
      'INFEASIBLE',
      `${name}: cannot give ${clients} clients a sample each out of ${data.n}`,
    );
  }
}

/** Checks a Dirichlet concentration: finite and strictly positive. */
export function checkAlpha(name: string, alpha: number): void {
  check(
    Number.isFinite(alpha) && alpha > 0,
    'BAD_OPTION',
    `${name}: alpha must be a finite number > 0, got ${alpha}`,
  );
}

/**
 * Resolves and checks the minimum client size: the given value, or 10 capped at half the mean
 * client size (so that the default is always easy to meet), at least 1.
 */
export function resolveMinSamples(
  name: string,
  data: LabeledData,
  clients: number,
  minSamples: number | undefined,
): number {
  const min = minSamples ?? Math.max(1, Math.min(10, Math.floor(data.n / (2 * clients))));
  check(
    Number.isInteger(min) && min >= 0,
    'BAD_OPTION',
    `${name}: minSamples must be a non-negative integer, got ${min}`,
  );
  if (min * clients > data.n) {
    throw new DataError(
      'INFEASIBLE',
      `${name}: ${clients} clients × minSamples ${min} = ${min * clients} exceeds the ${data.n} samples`,
    );
  }
  return min;
}
