import type { LabeledData } from '../dataset.js';
import { labelHistogram } from '../dataset.js';
import type { Partition, PartitionKind } from './partition-types.js';

/** Wraps per-client index arrays as a {@link Partition}: sorts each ascending, counts labels. */
export function toPartition(kind: PartitionKind, data: LabeledData, indices: Uint32Array[]): Partition {
  for (const part of indices) part.sort();
  return { kind, indices, histogram: indices.map((part) => labelHistogram(data, part)) };
}

/**
 * Cuts `order` into consecutive parts of the given sizes (which must sum to `order.length`),
 * each copied into its own array.
 */
export function cutBySizes(order: Uint32Array, sizes: ArrayLike<number>): Uint32Array[] {
  const parts: Uint32Array[] = [];
  let at = 0;
  for (let j = 0; j < sizes.length; j++) {
    parts.push(order.slice(at, at + sizes[j]!));
    at += sizes[j]!;
  }
  return parts;
}

/** `clients` sizes summing to `total` that differ by at most one (the larger ones first). */
export function equalSizes(total: number, clients: number): Uint32Array {
  const sizes = new Uint32Array(clients);
  const base = Math.floor(total / clients);
  const extra = total % clients;
  for (let j = 0; j < clients; j++) sizes[j] = base + (j < extra ? 1 : 0);
  return sizes;
}
