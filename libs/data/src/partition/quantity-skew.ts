import { createRng } from '@fedzip/codec';
import type { LabeledData } from '../dataset.js';
import { DataError, check } from '../errors.js';
import { sampleSymmetricDirichlet } from '../random/dirichlet.js';
import { fillNormal } from '../random/normal.js';
import { permutation } from '../random/shuffle.js';
import { cutBySizes, toPartition } from './partition-result.js';
import type { Partition, QuantityOptions, QuantitySizes } from './partition-types.js';
import { checkAlpha, checkCommon, resolveMinSamples } from './validate-options.js';

const DEFAULT_SIZES: QuantitySizes = { distribution: 'dirichlet', alpha: 0.5 };

/**
 * Quantity skew (NIID-Bench, Li et al. 2022, §3.2): client sizes are drawn, labels stay IID. Shares
 * q come from Dirichlet(α) or from a log-normal (q_j ∝ exp(σZ_j)); each client first gets
 * `minSamples`, then the rest is dealt in proportion to q with largest-remainder rounding, so the
 * sizes sum to n exactly and no redraw is needed. A random permutation is cut at those sizes.
 *
 * @throws {@link DataError} for bad options (α ≤ 0, σ < 0, …) or an infeasible `minSamples`.
 */
export function quantityPartition(data: LabeledData, options: QuantityOptions): Partition {
  const name = 'quantity';
  checkCommon(name, data, options);
  const { clients, sizes = DEFAULT_SIZES } = options;
  const minSamples = resolveMinSamples(name, data, clients, options.minSamples);
  const rng = createRng(options.seed);

  let shares: Float64Array;
  switch (sizes.distribution) {
    case 'dirichlet':
      checkAlpha(name, sizes.alpha);
      shares = sampleSymmetricDirichlet(sizes.alpha, clients, rng);
      break;
    case 'lognormal': {
      const { sigma } = sizes;
      check(
        Number.isFinite(sigma) && sigma >= 0,
        'BAD_OPTION',
        `${name}: sigma must be a finite number ≥ 0, got ${sigma}`,
      );
      shares = fillNormal(new Float64Array(clients), rng, 0, sigma);
      // Subtract the max before exp so a large σ cannot overflow.
      const max = shares.reduce((a, b) => Math.max(a, b), -Infinity);
      shares = shares.map((z) => Math.exp(z - max));
      const sum = shares.reduce((a, b) => a + b, 0);
      shares = shares.map((s) => s / sum);
      break;
    }
    default: {
      const got = String((sizes as { distribution?: unknown }).distribution);
      throw new DataError(
        'BAD_OPTION',
        `${name}: sizes.distribution must be 'dirichlet' or 'lognormal', got ${got}`,
      );
    }
  }
  const counts = allocate(data.n, shares, minSamples);
  return toPartition(name, data, cutBySizes(permutation(data.n, rng), counts));
}

/**
 * `minimum` per slot plus the rest dealt ∝ `shares` by the largest-remainder (Hamilton) method:
 * floors first, then one more to the largest fractional parts (ties to the lower index).
 */
export function allocate(total: number, shares: Float64Array, minimum: number): Uint32Array {
  const k = shares.length;
  const rest = total - minimum * k;
  const counts = new Uint32Array(k);
  const remainders = new Float64Array(k);
  let dealt = 0;
  for (let j = 0; j < k; j++) {
    const exact = shares[j]! * rest;
    const floor = Math.floor(exact);
    counts[j] = minimum + floor;
    remainders[j] = exact - floor;
    dealt += floor;
  }
  const byRemainder = Array.from({ length: k }, (_, j) => j).sort(
    (a, b) => remainders[b]! - remainders[a]! || a - b,
  );
  for (let t = 0; dealt < rest; t++, dealt++) counts[byRemainder[t % k]!]!++;
  return counts;
}
