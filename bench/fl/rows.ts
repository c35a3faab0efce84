/**
 * The rows of the accuracy-per-byte benchmark: each is a set of config overrides laid on the base
 * experiment (experiments/mnist-default.yaml), so that every row shares the seed, the student, the
 * data split and the client order, and differs only where its name says.
 */

/** One row of the benchmark: a name for the table and the config keys it changes. */
export interface RowDef {
  /** Short unique name (`--rows` takes these). */
  readonly name: string;
  /** The `compression` section of the row (every key given). */
  readonly compression: {
    readonly uplink: string;
    readonly errorFeedback: boolean;
    readonly downlink: string;
    readonly downlinkFull: string;
  };
  /** A `strategy` section replacing the base one (default: the base's `fedavg`). */
  readonly strategy?: Readonly<Record<string, unknown>>;
  /** Keys of `training` laid over the base (e.g. `lr`). */
  readonly training?: Readonly<Record<string, unknown>>;
  /** Part of the `--quick` subset. */
  readonly quick?: boolean;
  /**
   * Run once per seed of `--seeds` (the rows the targets judge, and dense); every other row runs
   * with the first seed only.
   */
  readonly seeded?: boolean;
  /** One line on why the row is there (printed with `--list`). */
  readonly note: string;
}

/** The downlink of every row that does not study it: dense float32 both ways. */
const DENSE_DOWN = { downlink: 'none', downlinkFull: 'none' } as const;
/** The default experiment's downlink: top 10 % + 8 bits for deltas, chunked 8 bits for full models. */
const COMPRESSED_DOWN = { downlink: 'topk:0.1+q8', downlinkFull: 'q8(chunk=256)' } as const;

function up(uplink: string, errorFeedback: boolean): RowDef['compression'] {
  return { uplink, errorFeedback, ...DENSE_DOWN };
}

/** Server momentum (FedAvgM, Hsu et al. 2019) with the momentum and server rate given. */
const fedavgm = (momentum: number, serverLr = 1) => ({ name: 'fedavgm', momentum, serverLr });

/**
 * Every row, in table order. The rows first (dense, the quantizers, sign with error
 * feedback, ternary, top-k at 1 % and 0.1 % with and without error feedback, approximate top-k,
 * random-k, k-means), then the additions this benchmark found worth keeping, then the best
 * setting with its downlink compressed.
 */
export const ROWS: readonly RowDef[] = [
  {
    name: 'dense',
    compression: up('none', false),
    quick: true,
    seeded: true,
    note: 'float32 both ways: the baseline',
  },
  { name: 'f16', compression: up('f16', false), note: 'half precision' },
  { name: 'q8', compression: up('q8', false), note: 'symmetric 8 bits, one scale' },
  { name: 'sq4', compression: up('sq4', false), note: 'stochastic (unbiased) 4 bits' },
  { name: 'qsgd', compression: up('qsgd:4', false), note: 'QSGD, 4 levels, bucketed, unbiased' },
  { name: 'sign+ef', compression: up('sign', true), note: 'EF-signSGD: 1 bit + 1 scale, residual' },
  { name: 'ternary', compression: up('ternary', false), note: 'TernGrad-style, unbiased' },
  {
    name: 'topk1%+q8+ef',
    compression: up('topk:0.01+q8', true),
    quick: true,
    seeded: true,
    note: 'top 1 %, 8 bits (Rice-coded), error feedback: the first target',
  },
  {
    name: 'topk1%+q8',
    compression: up('topk:0.01+q8', false),
    quick: true,
    note: 'the same without residual',
  },
  { name: 'topk0.1%+q8+ef', compression: up('topk:0.001+q8', true), note: 'top 0.1 %, error feedback' },
  { name: 'topk0.1%+q8', compression: up('topk:0.001+q8', false), note: 'top 0.1 % without residual' },
  {
    name: 'approx-topk1%+q8+ef',
    compression: up('approx-topk:0.01+q8', true),
    note: 'sampled-threshold top-k (DGC)',
  },
  { name: 'randk5%+sq8+ef', compression: up('randk:0.05+sq8', true), note: 'random 5 %, seeded positions' },
  { name: 'kmeans16', compression: up('kmeans:16', false), note: '16 centroids, 4-bit indices' },
  // Additions.
  {
    name: 'topk0.5%+q8+ef',
    compression: up('topk:0.005+q8', true),
    note: 'half the density of top 1 %',
  },
  {
    name: 'topk1%+sign+ef',
    compression: up('topk:0.01+sign', true),
    quick: true,
    seeded: true,
    note: 'STC-like: top 1 %, one sign bit + one scale per chunk; the default uplink (≈ 311×)',
  },
  // About 300× or more of whole frames on this 54,314-parameter student (an update's envelope
  // and codec header cost ~80 B): fewer coordinates at 8 bits, or more at 1–4 bits. Sizes from
  // the codec on a Laplace vector; the runs' own figures are in the tables.
  {
    name: 'topk0.6%+q8+ef',
    compression: up('topk:0.006+q8', true),
    note: 'top 0.6 %, 8 bits: ≈ 321× of whole frames',
  },
  {
    name: 'topk0.8%+q4+ef',
    compression: up('topk:0.008+q4', true),
    note: 'top 0.8 %, 4 bits: ≈ 313× of whole frames',
  },
  {
    name: 'topk0.8%+sign+ef',
    compression: up('topk:0.008+sign', true),
    seeded: true,
    note: 'STC-like at ≈ 364× of whole frames',
  },
  // Server momentum, tuned: β = 0.9 with η = 0.5 cost every row 1–2 pp here; β = 0.7, η = 1 is
  // the best of 0.5/0.7/0.9 (docs/BENCHMARKS.md, "What closes the gap").
  {
    name: 'dense+m',
    compression: up('none', false),
    strategy: fedavgm(0.7, 1),
    note: 'dense with server momentum (FedAvgM β = 0.7, η = 1)',
  },
  {
    name: 'topk1%+q8+ef+m',
    compression: up('topk:0.01+q8', true),
    strategy: fedavgm(0.7, 1),
    note: 'top 1 % + 8 bits with server momentum',
  },
  {
    name: 'topk1%+sign+ef+m',
    compression: up('topk:0.01+sign', true),
    strategy: fedavgm(0.7, 1),
    note: 'STC-like with server momentum',
  },
  // The best settings with the default experiment's compressed downlink.
  {
    name: 'topk1%+q8+ef+down',
    compression: { uplink: 'topk:0.01+q8', errorFeedback: true, ...COMPRESSED_DOWN },
    note: 'top 1 % + 8 bits up, the default experiment’s top 10 % + 8 bits down',
  },
  {
    name: 'topk1%+sign+ef+down',
    compression: { uplink: 'topk:0.01+sign', errorFeedback: true, ...COMPRESSED_DOWN },
    note: 'the default experiment’s codecs both ways (top 1 % + sign up, top 10 % + 8 bits down)',
  },
  {
    name: 'topk0.8%+sign+ef+down',
    compression: { uplink: 'topk:0.008+sign', errorFeedback: true, ...COMPRESSED_DOWN },
    note: 'STC-like at ≈ 364× with the compressed downlink',
  },
];

/** The names of {@link ROWS}, in order. */
export const ROW_NAMES: readonly string[] = ROWS.map((r) => r.name);

/**
 * The order rows run in: the baseline and the rows the targets are about first, so that a run cut
 * short (the full run takes hours on a shared 2-core machine) still answers the main questions.
 * The table keeps {@link ROWS}' order.
 */
const RUN_FIRST: readonly string[] = [
  'dense',
  'topk1%+q8+ef',
  'topk1%+sign+ef',
  'topk0.8%+sign+ef',
  'topk1%+q8',
];

/**
 * The rows of `rows` to run with the `index`-th seed of `--seeds`: all of them with the first, and
 * with the others the seeded ones, or all again when they were named (`--rows`).
 */
export function rowsForSeed(rows: readonly RowDef[], index: number, named = false): RowDef[] {
  return index === 0 || named ? [...rows] : rows.filter((r) => r.seeded === true);
}

/** Sorts rows into run order ({@link RUN_FIRST}, then table order). */
export function runOrder(rows: readonly RowDef[]): RowDef[] {
  const rank = (r: RowDef) => {
    const i = RUN_FIRST.indexOf(r.name);
    return i >= 0 ? i : RUN_FIRST.length + ROW_NAMES.indexOf(r.name);
  };
  return [...rows].sort((a, b) => rank(a) - rank(b));
}

/** Sorts anything named after a row into table order ({@link ROWS}' order). */
export function tableOrder<T extends { readonly name: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => ROW_NAMES.indexOf(a.name) - ROW_NAMES.indexOf(b.name));
}

/**
 * The rows to run, in run order ({@link runOrder}): the named ones (unknown names throw), else
 * the `--quick` subset, else every row.
 */
export function selectRows(names: readonly string[] | undefined, quick: boolean): RowDef[] {
  if (names !== undefined && names.length > 0) {
    const unknown = names.filter((n) => !ROW_NAMES.includes(n));
    if (unknown.length > 0) {
      throw new Error(`unknown row ${unknown.join(', ')} (allowed: ${ROW_NAMES.join(', ')})`);
    }
    return runOrder(ROWS.filter((r) => names.includes(r.name)));
  }
  return runOrder(quick ? ROWS.filter((r) => r.quick === true) : ROWS);
}
