/**
 * @fedzip/data: datasets in typed arrays, the MNIST digits of the `mnist` package, a synthetic
 * generator for tests, stratified splits and the federated partitioners (IID, Dirichlet α, shards,
 * quantity skew). Seeded through `@fedzip/codec`'s generator. No Nest, Socket.IO or tfjs here;
 * the MNIST loader reads files, so it needs Node.
 */
export * from './index.browser.js';
export { loadMnist, mnistDigitsDir } from './mnist/mnist-loader.js';
export {
  DEFAULT_MNIST_SPLIT,
  type MnistSplitOptions,
  type MnistSplits,
  loadMnistSplits,
} from './mnist/mnist-splits.js';
