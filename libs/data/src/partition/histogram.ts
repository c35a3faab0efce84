import type { Partition } from './partition-types.js';

/**
 * Shannon entropy, in bits, of the label distribution given by `counts`: H = −Σ p log₂ p with
 * p = count/total. 0 for a single label, log₂(classes) when all are equally common, 0 when empty.
 */
export function labelEntropy(counts: readonly number[]): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return 0;
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/**
 * Mean per-client label entropy in bits, over clients holding at least one sample: the usual
 * one-number summary of label skew (low: few labels per client; log₂(classes): IID).
 */
export function meanLabelEntropy(histogram: readonly (readonly number[])[]): number {
  let sum = 0;
  let m = 0;
  for (const row of histogram) {
    if (row.some((c) => c > 0)) {
      sum += labelEntropy(row);
      m++;
    }
  }
  return m === 0 ? 0 : sum / m;
}

/** Options of {@link formatHistogramTable}. */
export interface HistogramTableOptions {
  /** Clients shown before the rest are summarised in one line. Default 50. */
  maxRows?: number;
}

/**
 * A fixed-width text table of a partition's label histogram: one row per client with its count per
 * label, its total and its number of distinct labels, then an `all` row of column sums.
 *
 * ```text
 * client |   0   1   2 | total labels
 *      0 | 120   0   3 |   123      2
 * ```
 */
export function formatHistogramTable(
  source: Partition | readonly (readonly number[])[],
  options: HistogramTableOptions = {},
): string {
  const histogram = 'histogram' in source ? source.histogram : source;
  const { maxRows = 50 } = options;
  const numClasses = histogram.reduce((m, row) => Math.max(m, row.length), 0);
  const columnTotals = new Array<number>(numClasses).fill(0);
  for (const row of histogram) row.forEach((c, l) => (columnTotals[l]! += c));
  const grand = columnTotals.reduce((a, b) => a + b, 0);

  const width = Math.max(String(grand).length, String(numClasses - 1).length);
  const cells = (row: readonly string[]): string => row.map((s) => s.padStart(width)).join(' ');
  const labels = Array.from({ length: numClasses }, (_, l) => String(l));
  const clientWidth = Math.max('client'.length, String(histogram.length - 1).length);
  const line = (client: string, counts: readonly number[]): string => {
    const total = counts.reduce((a, b) => a + b, 0);
    const distinct = counts.filter((c) => c > 0).length;
    const row = Array.from({ length: numClasses }, (_, l) => String(counts[l] ?? 0));
    return `${client.padStart(clientWidth)} | ${cells(row)} | ${String(total).padStart(5)} ${String(distinct).padStart(6)}`;
  };

  const out = [`${'client'.padStart(clientWidth)} | ${cells(labels)} | ${'total'.padStart(5)} labels`];
  histogram.slice(0, maxRows).forEach((row, j) => out.push(line(String(j), row)));
  if (histogram.length > maxRows) out.push(`... ${histogram.length - maxRows} more clients`);
  out.push(line('all', columnTotals));
  return out.join('\n');
}
