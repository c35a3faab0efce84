/**
 * @fedzip/data for browsers: everything but the MNIST loader, which reads the `mnist` package's
 * files. `index.ts` re-exports this and adds the loader.
 */
export { DataError, type DataErrorCode } from './errors.js';
export {
  type Dataset,
  type DatasetInit,
  type LabeledData,
  type Labels,
  createDataset,
  featureSize,
  labelHistogram,
  sampleFeatures,
  subset,
} from './dataset.js';
export { type LabelGroups, groupByLabel } from './group-by-label.js';
export { splitDataset, splitIndices, stratifiedOrder } from './split.js';
export { permutation, randomInt, shuffleInPlace, type MutableNumbers } from './random/shuffle.js';
export { fillNormal, standardNormal } from './random/normal.js';
export { sampleGamma, sampleLogGamma } from './random/gamma.js';
export { sampleDirichlet, sampleSymmetricDirichlet } from './random/dirichlet.js';
export { type SyntheticOptions, makeSyntheticDataset } from './synthetic/synthetic-dataset.js';
export type {
  CommonPartitionOptions,
  DirichletOptions,
  IidOptions,
  Partition,
  PartitionKind,
  PartitionOptions,
  QuantityOptions,
  QuantitySizes,
  ShardsOptions,
} from './partition/partition-types.js';
export { clientDatasets, partition } from './partition/partition.js';
export { iidPartition } from './partition/iid.js';
export { dirichletPartition } from './partition/dirichlet-labels.js';
export { shardsPartition } from './partition/shards.js';
export { quantityPartition } from './partition/quantity-skew.js';
export {
  type HistogramTableOptions,
  formatHistogramTable,
  labelEntropy,
  meanLabelEntropy,
} from './partition/histogram.js';
export { MNIST_CLASSES, MNIST_COUNT, MNIST_PIXELS, MNIST_SHAPE } from './mnist/mnist-shape.js';
