/**
 * The datasets of an experiment, cut as its `data` section says: the same test / proxy / client
 * parts for `fedzip distill`, the coordinator and its clients. `@fedzip/data` and `@fedzip/config`
 * are imported lazily (they read files), so that importing `@fedzip/model` in a browser still works.
 */
import type { ExperimentConfig } from '@fedzip/config';
import type { Dataset } from '@fedzip/data';

/** The three disjoint parts of an experiment's dataset. */
export interface ExperimentData {
  /** Held-out samples for accuracy reports. */
  readonly test: Dataset;
  /** The server's samples: teacher training and the distillation transfer set. */
  readonly proxy: Dataset;
  /** Samples partitioned among the clients. */
  readonly clients: Dataset;
}

/**
 * Loads and splits the experiment's data, deterministic in `config.seed`: the MNIST digits of the
 * `mnist` package (`loadMnistSplits`), or Gaussian clusters (`makeSyntheticDataset`) split
 * stratified by label. Node only.
 *
 * @throws `DataError` from `@fedzip/data` when the split does not fit.
 */
export async function loadExperimentData(config: ExperimentConfig): Promise<ExperimentData> {
  const data = await import('@fedzip/data');
  const { seed } = config;
  const { split } = config.data;
  if (config.data.dataset === 'mnist') {
    const s = data.loadMnistSplits({
      seed,
      testSize: split.test,
      proxySize: split.proxy,
      ...(split.clients !== undefined && { clientSize: split.clients }),
    });
    return { test: s.test, proxy: s.proxy, clients: s.clients };
  }
  const syn = config.data.synthetic!;
  const all = data.makeSyntheticDataset({
    n: syn.samples,
    numClasses: syn.classes,
    shape: syn.shape,
    separation: syn.separation,
    noise: syn.noise,
    seed,
  });
  const clients = split.clients ?? syn.samples - split.test - split.proxy;
  const [test, proxy, rest] = data.splitDataset(all, [split.test, split.proxy, clients], seed) as [
    Dataset,
    Dataset,
    Dataset,
  ];
  return { test, proxy, clients: rest };
}
