import type { Row } from './rows.js';

/** One target of issue #2, section 4, checked against the rows of this run. */
export interface TargetCheck {
  readonly name: string;
  /** Human-readable goal, e.g. "≥ 1000 MB/s". */
  readonly goal: string;
  /** The worst measured value over the inputs the target applies to (NaN when no row ran). */
  readonly measured: number;
  /** The best one, for the spread (equal to `measured` with one input). */
  readonly best: number;
  readonly unit: string;
  readonly inputs: number;
  readonly pass: boolean;
}

interface Spec {
  readonly name: string;
  readonly codec: string;
  readonly pick: (r: Row) => number | null;
  /** The goal: at least `limit`, or at most `limit` when `lowerIsBetter`. */
  readonly limit: number;
  readonly lowerIsBetter?: boolean;
  readonly unit: string;
  readonly where?: (r: Row) => boolean;
}

const indexOverBound = (r: Row): number | null =>
  r.indexBitsPerKept !== null && r.indexBoundBitsPerKept
    ? r.indexBitsPerKept / r.indexBoundBitsPerKept
    : null;

const SPECS: readonly Spec[] = [
  { name: 'q8 encode', codec: 'q8', pick: (r) => r.encodeMBps, limit: 1000, unit: 'MB/s' },
  { name: 'sq8 encode', codec: 'sq8', pick: (r) => r.encodeMBps, limit: 700, unit: 'MB/s' },
  { name: 'q8 decode-and-accumulate', codec: 'q8', pick: (r) => r.decodeMBps, limit: 1000, unit: 'MB/s' },
  {
    name: 'approx-topk:0.01+q8 encode',
    codec: 'approx-topk:0.01+q8',
    pick: (r) => r.encodeMBps,
    limit: 1000,
    unit: 'MB/s',
  },
  { name: 'topk:0.01+q8 encode', codec: 'topk:0.01+q8', pick: (r) => r.encodeMBps, limit: 200, unit: 'MB/s' },
  {
    name: 'Rice positions at 1%',
    codec: 'topk:0.01+q8',
    pick: indexOverBound,
    limit: 1.03,
    lowerIsBetter: true,
    unit: '× bound',
  },
  {
    name: 'Rice positions at 0.1%',
    codec: 'topk:0.001+q8',
    pick: indexOverBound,
    limit: 1.03,
    lowerIsBetter: true,
    unit: '× bound',
  },
  {
    name: 'topk:0.01+q8 ratio, 1M Gaussian',
    codec: 'topk:0.01+q8',
    pick: (r) => r.ratio,
    limit: 190,
    unit: '×',
    where: (r) => r.n === 1_000_000 && r.dist === 'gaussian',
  },
];

/**
 * Checks the targets. Each is judged on its worst input: the lowest throughput or ratio, the
 * highest index cost, over every input size and distribution the run measured.
 */
export function checkTargets(rows: readonly Row[]): TargetCheck[] {
  return SPECS.map((s) => {
    const values = rows
      .filter((r) => r.codec === s.codec && (s.where ? s.where(r) : true))
      .map(s.pick)
      .filter((v): v is number => v !== null && Number.isFinite(v));
    const lowerIsBetter = s.lowerIsBetter === true;
    const worst = values.length ? (lowerIsBetter ? Math.max(...values) : Math.min(...values)) : NaN;
    const best = values.length ? (lowerIsBetter ? Math.min(...values) : Math.max(...values)) : NaN;
    const pass = lowerIsBetter ? worst <= s.limit : worst >= s.limit;
    return {
      name: s.name,
      goal: `${lowerIsBetter ? '≤' : '≥'} ${s.limit} ${s.unit}`,
      measured: worst,
      best,
      unit: s.unit,
      inputs: values.length,
      pass,
    };
  });
}
