import type { ExperimentConfig } from '@fedzip/config';
import { type Dataset, type Partition, partition, subset } from '@fedzip/data';
import { type ExperimentData, loadExperimentData } from '@fedzip/model';

/** The clients' partition of an experiment's client split, as its config says (seeded). */
export function clientPartition(config: ExperimentConfig, clients: Dataset): Partition {
  return partition(clients, {
    ...config.data.partition,
    clients: config.clients.count,
    seed: config.seed,
  } as Parameters<typeof partition>[1]);
}

/** The local data of client `index` (0-based) of an experiment: what a real device would hold. */
export async function clientDataset(
  config: ExperimentConfig,
  index: number,
  data?: ExperimentData,
): Promise<Dataset> {
  if (!Number.isInteger(index) || index < 0 || index >= config.clients.count) {
    throw new RangeError(`client index ${index} is outside 0…${config.clients.count - 1}`);
  }
  const d = data ?? (await loadExperimentData(config));
  return subset(d.clients, clientPartition(config, d.clients).indices[index]!);
}
