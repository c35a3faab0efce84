/**
 * The benchmark's figure: test accuracy against cumulative uplink MB, one line per row, on a log
 * x-axis (dense float32 moves ~100–1000× the bytes of the sparse rows). SVG from `@fedzip/plot`,
 * PNG through `@fedzip/plot/png`.
 */
import { type Series, lineChartSvg } from '@fedzip/plot';
import { svgToPng } from '@fedzip/plot/png';
import type { FlRow } from './summary.js';

/**
 * Colours for up to 20 lines: Okabe & Ito's palette, then darker and lighter companions. Rows
 * without error feedback are dashed, so a codec and its residual-free twin share a colour family.
 */
const COLORS: readonly string[] = [
  '#000000',
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#8C564B',
  '#7F7F7F',
  '#BCBD22',
  '#17BECF',
  '#9467BD',
  '#D62728',
  '#2CA02C',
  '#1F77B4',
  '#FF7F0E',
  '#393B79',
  '#637939',
  '#8C6D31',
  '#843C39',
];

/** The chart's series: one per row, x = cumulative uplink MB, y = accuracy in %. */
export function chartSeries(rows: readonly FlRow[]): Series[] {
  return rows.map((r, i) => ({
    name: r.name,
    points: r.curve.map((p) => [p.cumulativeUplinkMB, p.accuracy * 100] as const),
    color: COLORS[i % COLORS.length]!,
    dashed: !r.errorFeedback && r.uplink !== 'none',
  }));
}

/**
 * The rows the figure shows: one line per uplink codec, i.e. the rows with FedAvg and the dense
 * downlink (the server-momentum and compressed-downlink variants are in the table only).
 */
export function chartRows(rows: readonly FlRow[]): FlRow[] {
  return rows.filter((r) => r.strategy === 'fedavg' && r.downlink === 'none' && r.downlinkFull === 'none');
}

/** The figure as SVG text (of {@link chartRows}). `subtitle` says what was run (partition, rounds). */
export function chartSvg(allRows: readonly FlRow[], subtitle: string): string {
  const rows = chartRows(allRows);
  const ys = rows.flatMap((r) => r.curve.map((p) => p.accuracy * 100));
  const low = ys.length > 0 ? Math.max(0, Math.floor(Math.min(...ys) / 10) * 10) : 0;
  return lineChartSvg(chartSeries(rows), {
    width: 960,
    height: 600,
    title: 'Test accuracy against cumulative uplink bytes',
    subtitle,
    x: { label: 'cumulative uplink MB (log scale)', log: true },
    y: { label: 'test accuracy %', min: low, max: 100 },
    markers: false,
    legend: true,
  });
}

/** The figure as PNG bytes (1600 px wide). */
export function chartPng(svg: string): Uint8Array {
  return svgToPng(svg, { width: 1600 }).bytes;
}
