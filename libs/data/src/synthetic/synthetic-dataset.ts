import { createRng } from '@fedzip/codec';
import { type Dataset, createDataset } from '../dataset.js';
import { check, checkSeed } from '../errors.js';
import { fillNormal } from '../random/normal.js';
import { shuffleInPlace } from '../random/shuffle.js';

/** Options of {@link makeSyntheticDataset}. */
export interface SyntheticOptions {
  /** Number of samples. */
  n: number;
  /** Number of classes (≤ 256). Default 10. */
  numClasses?: number;
  /** Shape of one sample, e.g. `[8, 8, 1]` for image-shaped data. Default `[20]`. */
  shape?: readonly number[];
  /**
   * Expected distance between two class centres, in units of the within-class σ. Two classes then
   * overlap with Bayes error Φ(−separation/2) (Φ the standard normal CDF), whatever the dimension:
   * 6 gives about 0.1 % per pair. Default 6.
   */
  separation?: number;
  /** Within-class standard deviation σ per feature. Default 1. */
  noise?: number;
  /** Seed: the same options and seed always give the same bytes. */
  seed: number;
}

/**
 * Gaussian class clusters for fast tests: class c has centre μ_c ~ N(0, s²·I) with
 * s = separation·σ/√(2d) (so E‖μ_a − μ_b‖ ≈ separation·σ), and a sample of class c is μ_c + N(0, σ²·I).
 * The classes are balanced (counts differ by at most one) and come in random order. A small MLP, or
 * even a nearest-centroid rule, learns them.
 *
 * @throws {@link DataError} `BAD_OPTION` for a non-positive size, class count or noise.
 */
export function makeSyntheticDataset(options: SyntheticOptions): Dataset {
  const { n, seed, numClasses = 10, shape = [20], separation = 6, noise = 1 } = options;
  checkSeed(seed);
  check(Number.isInteger(n) && n >= 1, 'BAD_OPTION', `n must be a positive integer, got ${n}`);
  check(
    Number.isInteger(numClasses) && numClasses >= 1 && numClasses <= 256,
    'BAD_OPTION',
    `numClasses must be an integer in [1, 256], got ${numClasses}`,
  );
  check(
    shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0),
    'BAD_OPTION',
    `shape must be a non-empty list of positive integers, got [${shape.join(', ')}]`,
  );
  check(separation >= 0 && Number.isFinite(separation), 'BAD_OPTION', `separation must be ≥ 0`);
  check(noise > 0 && Number.isFinite(noise), 'BAD_OPTION', `noise must be > 0, got ${noise}`);

  const d = shape.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const centres = fillNormal(
    new Float32Array(numClasses * d),
    rng,
    0,
    (separation * noise) / Math.sqrt(2 * d),
  );

  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = i % numClasses;
  shuffleInPlace(y, rng);

  const x = fillNormal(new Float32Array(n * d), rng, 0, noise);
  for (let i = 0; i < n; i++) {
    const c = y[i]! * d;
    const row = i * d;
    for (let j = 0; j < d; j++) x[row + j]! += centres[c + j]!;
  }
  return createDataset({ x, y, shape, numClasses });
}
