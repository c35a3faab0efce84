import { accumulate, createCodec, decode, indexBoundBitsPerKept, inspect } from '@fedzip/codec';
import type { Dist } from './inputs.js';
import { type RepPlan, mbps, timeMedian } from './timing.js';

/**
 * The pipelines benchmarked, as spec strings written exactly as they appear in the `codec`
 * column (and in the targets of issue #2, section 4).
 */
export const SPECS: readonly string[] = [
  'none',
  'f16',
  'bf16',
  'q8',
  'sq8',
  'q4',
  'aq8',
  'qsgd:4',
  'kmeans:16',
  'sign',
  'ternary',
  'topk:0.01+q8',
  'topk:0.001+q8',
  'approx-topk:0.01+q8',
  'randk:0.05+sq8',
  'topk:0.01+sign',
  'q8(chunk=1024)',
];

/** One line of the table, and one element of the `--json` array. */
export interface Row {
  readonly codec: string;
  readonly dist: Dist;
  readonly n: number;
  /** Message bits per input value (header and checksum included). */
  readonly bitsPerValue: number;
  /** Dense float32 bytes over message bytes. */
  readonly ratio: number;
  /** ‖x − x̂‖² / ‖x‖². */
  readonly nmse: number;
  /** Median encode throughput, MB/s of float32 input. */
  readonly encodeMBps: number;
  /** Median decode-and-accumulate (`accumulate(e, w, sum)`) throughput, MB/s of float32 input. */
  readonly decodeMBps: number;
  /** Median `Float32Array.prototype.set` of the same input, measured just before this row. */
  readonly memcpyMBps: number;
  /** Position bits per kept value as sent (0 for random-k); null for dense rows. */
  readonly indexBitsPerKept: number | null;
  /** log2 C(n, k) / k; null for dense rows. */
  readonly indexBoundBitsPerKept: number | null;
}

/** Repetition plans for one row. */
export interface RowPlans {
  readonly codec: RepPlan;
  readonly memcpy: RepPlan;
}

const ENCODE_SEED = 20240601;
const WEIGHT = 0.25;

/** ‖x − y‖² / ‖x‖², accumulated in float64. */
function nmse(x: Float32Array, y: Float32Array): number {
  let err = 0;
  let ref = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    err += d * d;
    ref += x[i]! * x[i]!;
  }
  return ref > 0 ? err / ref : 0;
}

/**
 * Measures one pipeline on one input: memcpy for scale, encode, decode-and-accumulate, then the
 * size and error of one message. Scratch arrays are passed in so that rows do not allocate them.
 */
export function runRow(
  spec: string,
  dist: Dist,
  x: Float32Array,
  scratch: { readonly copy: Float32Array; readonly sum: Float32Array },
  plans: RowPlans,
): Row {
  const n = x.length;
  const codec = createCodec(spec);
  const memcpy = timeMedian(() => scratch.copy.set(x), plans.memcpy);

  let e = codec.encode(x, ENCODE_SEED);
  const enc = timeMedian(() => {
    e = codec.encode(x, ENCODE_SEED);
  }, plans.codec);

  scratch.sum.fill(0);
  const dec = timeMedian(() => accumulate(e, WEIGHT, scratch.sum), plans.codec);

  const info = inspect(e);
  const pos = info.positions;
  return {
    codec: spec,
    dist,
    n,
    bitsPerValue: info.bitsPerValue,
    ratio: info.ratio,
    nmse: nmse(x, decode(e, { out: scratch.copy })),
    encodeMBps: mbps(n, enc),
    decodeMBps: mbps(n, dec),
    memcpyMBps: mbps(n, memcpy),
    indexBitsPerKept: pos ? pos.bitsPerKept : null,
    indexBoundBitsPerKept: pos ? indexBoundBitsPerKept(n, info.kept) : null,
  };
}
