import type { Dataset, LabeledData } from '../dataset.js';
import { subset } from '../dataset.js';
import { DataError } from '../errors.js';
import { dirichletPartition } from './dirichlet-labels.js';
import { iidPartition } from './iid.js';
import type { Partition, PartitionOptions } from './partition-types.js';
import { quantityPartition } from './quantity-skew.js';
import { shardsPartition } from './shards.js';

/**
 * Splits the samples among clients by the scheme in `options.kind`: `iid`, `dirichlet` (label skew,
 * α), `shards` (McMahan's pathological split) or `quantity` (size skew). Seeded and reproducible;
 * every sample goes to exactly one client. Options are checked at run time too, since they usually
 * come from a YAML or JSON config.
 *
 * @throws {@link DataError} `BAD_OPTION` for an unknown kind or a bad option, `INFEASIBLE` for
 *   options that cannot be met together (more clients than samples, …).
 */
export function partition(data: LabeledData, options: PartitionOptions): Partition {
  switch (options.kind) {
    case 'iid':
      return iidPartition(data, options);
    case 'dirichlet':
      return dirichletPartition(data, options);
    case 'shards':
      return shardsPartition(data, options);
    case 'quantity':
      return quantityPartition(data, options);
    default: {
      const kind = String((options as { kind?: unknown }).kind);
      throw new DataError(
        'BAD_OPTION',
        `unknown partition kind '${kind}': expected iid, dirichlet, shards or quantity`,
      );
    }
  }
}

/** Each client's samples as its own {@link Dataset} (copied by {@link subset}). */
export function clientDatasets(data: Dataset, part: Partition): Dataset[] {
  return part.indices.map((indices) => subset(data, indices));
}
