import type { Dataset } from '../dataset.js';
import { subset } from '../dataset.js';
import { DataError, check } from '../errors.js';
import { splitIndices } from '../split.js';
import { MNIST_COUNT, loadMnist } from './mnist-loader.js';

/** Default sizes of the MNIST split: 2,000 test, 2,000 proxy, the remaining 6,000 for clients. */
export const DEFAULT_MNIST_SPLIT = Object.freeze({ seed: 0, testSize: 2000, proxySize: 2000 });

/** Options of {@link loadMnistSplits}; every field is optional. */
export interface MnistSplitOptions {
  /** Seed of the split. Default 0. */
  seed?: number;
  /** Held-out digits for accuracy reports. Default 2,000. */
  testSize?: number;
  /** Server-side digits for training the teacher and for distillation. Default 2,000. */
  proxySize?: number;
  /** Digits to partition among clients. Default: all the rest (6,000 with the defaults). */
  clientSize?: number;
}

/** The three disjoint parts of the MNIST digits, with their indices into {@link loadMnist}. */
export interface MnistSplits {
  /** Held-out test digits. */
  readonly test: Dataset;
  /** The server's proxy digits (teacher training, distillation transfer set). */
  readonly proxy: Dataset;
  /** Digits to partition among the clients. */
  readonly clients: Dataset;
  /** Where each part's digits sit in {@link loadMnist}'s dataset. */
  readonly indices: {
    readonly test: Uint32Array;
    readonly proxy: Uint32Array;
    readonly clients: Uint32Array;
  };
}

/**
 * Loads the MNIST digits and splits them into test / proxy / clients, stratified by digit (each part
 * holds every digit in about its overall share) and deterministic in the seed.
 *
 * @throws {@link DataError} `INFEASIBLE` when the sizes add up to more than 10,000, `BAD_OPTION`
 *   for a size that is not a non-negative integer or a non-integer seed.
 */
export function loadMnistSplits(options: MnistSplitOptions = {}): MnistSplits {
  const {
    seed = DEFAULT_MNIST_SPLIT.seed,
    testSize = DEFAULT_MNIST_SPLIT.testSize,
    proxySize = DEFAULT_MNIST_SPLIT.proxySize,
  } = options;
  for (const [name, v] of [
    ['testSize', testSize],
    ['proxySize', proxySize],
  ] as const) {
    check(Number.isInteger(v) && v >= 0, 'BAD_OPTION', `${name} must be a non-negative integer, got ${v}`);
  }
  const clientSize = options.clientSize ?? MNIST_COUNT - testSize - proxySize;
  const total = testSize + proxySize + clientSize;
  if (total > MNIST_COUNT || clientSize < 0) {
    throw new DataError(
      'INFEASIBLE',
      `MNIST split test ${testSize} + proxy ${proxySize} + clients ${Math.max(0, clientSize)} = ` +
        `${testSize + proxySize + Math.max(0, clientSize)} exceeds the ${MNIST_COUNT} digits of the mnist package`,
    );
  }
  const all = loadMnist();
  const [test, proxy, clients] = splitIndices(all, [testSize, proxySize, clientSize], seed) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  return {
    test: subset(all, test),
    proxy: subset(all, proxy),
    clients: subset(all, clients),
    indices: { test, proxy, clients },
  };
}
