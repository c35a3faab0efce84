/**
 * The `update` frame's wire form since protocol version 2: a positional msgpack array instead of a
 * map. `update` is the one message every selected client sends every round, so its envelope is
 * paid on every uplink frame: version 1's keys alone were 78 B of a 124 B envelope around a
 * ~1.1 kB sparse tensor. Other events keep their self-describing maps (docs/protocol.md, "Why only
 * `update` is positional").
 */
import type { UpdateMessage } from './messages.js';
import { packValueFloat32 } from './wire/msgpack.js';

/** The fields of the `update` tuple, in wire order (index `i` holds `UPDATE_FIELDS[i]`). */
export const UPDATE_FIELDS = [
  'roundId',
  'baseVersion',
  'sampleCount',
  'loss',
  'accuracy',
  'trainMs',
  'encodeMs',
  'update',
] as const;

/** A value of {@link UPDATE_FIELDS}. */
export type UpdateField = (typeof UPDATE_FIELDS)[number];

/** The `update` message as it travels, its elements named as in {@link UPDATE_FIELDS}. */
export type UpdateTuple = readonly [
  roundId: number,
  baseVersion: number,
  sampleCount: number,
  loss: number,
  accuracy: number,
  trainMs: number,
  encodeMs: number,
  update: Uint8Array,
];

/**
 * The positional wire form of `msg`. Numbers are left as they are: {@link packUpdate} narrows
 * the non-integers (loss, accuracy, fractional timings) to float32 when it writes them.
 */
export function toUpdateTuple(msg: UpdateMessage): UpdateTuple {
  const m = msg.metrics;
  return [
    msg.roundId,
    msg.baseVersion,
    msg.sampleCount,
    m.loss,
    m.accuracy,
    m.trainMs,
    m.encodeMs,
    msg.update,
  ];
}

/**
 * The `update` frame of `msg`: {@link toUpdateTuple} packed with non-integers as float32 (loss,
 * accuracy and fractional timings; a loss of 2^32 or more stays float64). Timings keep their
 * fraction because benchmarks report sub-millisecond encode times; it costs 4 B a timing.
 */
export function packUpdate(msg: UpdateMessage): Uint8Array {
  return packValueFloat32(toUpdateTuple(msg));
}
