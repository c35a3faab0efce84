import { createRng } from '@fedzip/codec';
import type { LabeledData } from '../dataset.js';
import { DataError, check } from '../errors.js';
import { groupByLabel } from '../group-by-label.js';
import { sampleSymmetricDirichlet } from '../random/dirichlet.js';
import { shuffleInPlace } from '../random/shuffle.js';
import { toPartition } from './partition-result.js';
import type { DirichletOptions, Partition } from './partition-types.js';
import { checkAlpha, checkCommon, resolveMinSamples } from './validate-options.js';

/**
 * Label-skewed partition by Dirichlet(α) (Hsu, Qi & Brown 2019; the per-class form of NIID-Bench,
 * Li et al. 2022, also used by FedML and Flower): for each class c, client shares p ~ Dir(α·1) are
 * drawn (Gamma sampling, Marsaglia & Tsang 2000) and the class's shuffled samples are cut at
 * ⌊cumsum(p)·n_c⌋. With `balance`, clients already holding n/clients samples get no share of later
 * classes. Draws leaving any client under `minSamples` are redrawn, up to `maxAttempts` times.
 *
 * Only counts are drawn per attempt; samples are dealt once, from per-class shuffled index runs.
 *
 * @throws {@link DataError} `BAD_OPTION` for α ≤ 0 and other bad options, `INFEASIBLE` when the
 *   minimum size cannot be met (by arithmetic, or within `maxAttempts` draws).
 */
export function dirichletPartition(data: LabeledData, options: DirichletOptions): Partition {
  const name = 'dirichlet';
  checkCommon(name, data, options);
  checkAlpha(name, options.alpha);
  const { clients, alpha, balance = true, maxAttempts = 1000 } = options;
  const minSamples = resolveMinSamples(name, data, clients, options.minSamples);
  check(
    Number.isInteger(maxAttempts) && maxAttempts >= 1,
    'BAD_OPTION',
    `${name}: maxAttempts must be a positive integer, got ${maxAttempts}`,
  );

  const rng = createRng(options.seed);
  const { order, offsets } = groupByLabel(data);
  const numClasses = data.numClasses;
  // counts[c·clients + j]: samples of class c dealt to client j.
  const counts = new Uint32Array(numClasses * clients);
  const sizes = new Float64Array(clients);
  const shares = new Float64Array(clients);
  const fair = data.n / clients;

  let attempt = 0;
  while (true) {
    attempt++;
    sizes.fill(0);
    for (let c = 0; c < numClasses; c++) {
      const classSize = offsets[c + 1]! - offsets[c]!;
      sampleSymmetricDirichlet(alpha, clients, rng, shares);
      if (balance) maskFullClients(shares, sizes, fair);
      let cum = 0;
      let prev = 0;
      for (let j = 0; j < clients; j++) {
        cum += shares[j]!;
        const end = j === clients - 1 ? classSize : Math.min(classSize, Math.floor(cum * classSize));
        counts[c * clients + j] = end - prev;
        sizes[j]! += end - prev;
        prev = end;
      }
    }
    let smallest = Infinity;
    for (let j = 0; j < clients; j++) smallest = Math.min(smallest, sizes[j]!);
    if (smallest >= minSamples) break;
    if (attempt >= maxAttempts) {
      throw new DataError(
        'INFEASIBLE',
        `${name}: no draw in ${maxAttempts} attempts gave all ${clients} clients ≥ ${minSamples} samples ` +
          `(alpha ${alpha}, ${data.n} samples); raise alpha, lower minSamples or use fewer clients`,
      );
    }
  }

  const parts = Array.from(sizes, (s) => new Uint32Array(s));
  const filled = new Uint32Array(clients);
  for (let c = 0; c < numClasses; c++) {
    let at = offsets[c]!;
    shuffleInPlace(order, rng, at, offsets[c + 1]!);
    for (let j = 0; j < clients; j++) {
      const k = counts[c * clients + j]!;
      parts[j]!.set(order.subarray(at, at + k), filled[j]!);
      filled[j]! += k;
      at += k;
    }
  }
  return toPartition(name, data, parts);
}

/**
 * NIID-Bench's balancing step: zero the share of every client at or above the fair size and
 * renormalise. If that leaves nothing (all the mass sat on full clients), share evenly among the
 * clients that are not full, so the class still goes somewhere sensible.
 */
function maskFullClients(shares: Float64Array, sizes: Float64Array, fair: number): void {
  let sum = 0;
  let open = 0;
  for (let j = 0; j < shares.length; j++) {
    if (sizes[j]! >= fair) shares[j] = 0;
    else open++;
    sum += shares[j]!;
  }
  if (sum > 0) {
    for (let j = 0; j < shares.length; j++) shares[j]! /= sum;
  } else if (open > 0) {
    for (let j = 0; j < shares.length; j++) shares[j] = sizes[j]! >= fair ? 0 : 1 / open;
  } else {
    shares.fill(1 / shares.length);
  }
}
