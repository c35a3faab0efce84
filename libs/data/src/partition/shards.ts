import { createRng } from '@fedzip/codec';
import type { LabeledData } from '../dataset.js';
import { DataError, check } from '../errors.js';
import { groupByLabel } from '../group-by-label.js';
import { permutation, shuffleInPlace } from '../random/shuffle.js';
import { equalSizes, toPartition } from './partition-result.js';
import type { Partition, ShardsOptions } from './partition-types.js';
import { checkCommon } from './validate-options.js';

/**
 * McMahan et al. 2017 ("Communication-efficient learning of deep networks from decentralized
 * data", §3): sort the samples by label, cut them into `clients × k` equal shards (sizes differ by
 * at most one), deal k random shards to each client. Within a label the order is shuffled, so the
 * seed also decides which samples of a label land together.
 *
 * A client holds at most k labels when every class size is a multiple of the shard size; otherwise
 * a shard can straddle two labels, and a client holds at most 2k.
 *
 * @throws {@link DataError} for bad options, or `INFEASIBLE` when there are fewer samples than shards.
 */
export function shardsPartition(data: LabeledData, options: ShardsOptions): Partition {
  const name = 'shards';
  checkCommon(name, data, options);
  const { clients, shardsPerClient = 2 } = options;
  check(
    Number.isInteger(shardsPerClient) && shardsPerClient >= 1,
    'BAD_OPTION',
    `${name}: shardsPerClient must be a positive integer, got ${shardsPerClient}`,
  );
  const shardCount = clients * shardsPerClient;
  if (shardCount > data.n) {
    throw new DataError(
      'INFEASIBLE',
      `${name}: ${clients} clients × ${shardsPerClient} shards = ${shardCount} shards exceed the ${data.n} samples`,
    );
  }

  const rng = createRng(options.seed);
  const { order, offsets } = groupByLabel(data);
  for (let c = 0; c < data.numClasses; c++) shuffleInPlace(order, rng, offsets[c]!, offsets[c + 1]!);

  const shardSizes = equalSizes(data.n, shardCount);
  const shardStart = new Uint32Array(shardCount + 1);
  for (let s = 0; s < shardCount; s++) shardStart[s + 1] = shardStart[s]! + shardSizes[s]!;

  const deal = permutation(shardCount, rng);
  const parts: Uint32Array[] = [];
  for (let j = 0; j < clients; j++) {
    let size = 0;
    for (let t = 0; t < shardsPerClient; t++) size += shardSizes[deal[j * shardsPerClient + t]!]!;
    const part = new Uint32Array(size);
    let at = 0;
    for (let t = 0; t < shardsPerClient; t++) {
      const s = deal[j * shardsPerClient + t]!;
      part.set(order.subarray(shardStart[s]!, shardStart[s + 1]!), at);
      at += shardSizes[s]!;
    }
    parts.push(part);
  }
  return toPartition(name, data, parts);
}
