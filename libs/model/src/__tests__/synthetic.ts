import { createRng } from '@fedzip/codec';
import type { TrainingData } from '../data-types.js';

/**
 * A tiny learnable dataset: one random prototype per class plus Gaussian noise. Not libs/data's
 * generator, so that these tests stand on their own.
 */
export function prototypes(
  n: number,
  shape: readonly number[],
  numClasses: number,
  seed: number,
  noise = 0.5,
): TrainingData {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const f = shape.reduce((a, b) => a * b, 1);
  const protos = Float32Array.from({ length: numClasses * f }, gauss);
  const x = new Float32Array(n * f);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % numClasses;
    y[i] = c;
    for (let j = 0; j < f; j++) x[i * f + j] = protos[c * f + j]! + noise * gauss();
  }
  return { x, y, n, shape, numClasses };
}
