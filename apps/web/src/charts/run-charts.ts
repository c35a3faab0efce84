/**
 * The four run charts shared by the live dashboard and the static report page, drawn with uPlot:
 * accuracy and loss per round; uplink and downlink bytes per round; the compression ratio
 * (dense / encoded) per round; accuracy against cumulative uplink megabytes.
 * The page must load uPlot's stylesheet (`/uPlot.min.css`, or inlined in the report); each panel
 * carries `data-points` (points drawn), which tests read.
 */
import type { RoundRecord } from '@fedzip/protocol';
import uPlot from 'uplot';
import { type RunSeries, formatBytes, runSeries } from './run-series.js';

/** Options of {@link mountRunCharts}. */
export interface RunChartsOptions {
  /** Height of each chart's plotting canvas in CSS pixels (default 240). */
  readonly height?: number;
  /** Width used when the container has no layout width yet (default 480). */
  readonly fallbackWidth?: number;
}

/** Mounted charts: feed them new records, or remove them. */
export interface RunCharts {
  /** Redraws every chart from `records` (all round attempts so far, as the coordinator sends them). */
  update(records: readonly RoundRecord[]): void;
  /** Removes the charts and their resize observer from the page. */
  destroy(): void;
}

const COLORS = {
  accuracy: '#2563eb',
  loss: '#dc2626',
  uplink: '#7c3aed',
  downlink: '#0d9488',
  grid: 'rgba(100, 116, 139, 0.18)',
  axis: '#475569',
} as const;

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

interface ChartSpec {
  readonly title: string;
  readonly className: string;
  readonly options: (width: number, height: number) => uPlot.Options;
  readonly data: (s: RunSeries) => uPlot.AlignedData;
}

let syncCounter = 0;

/**
 * Renders the run charts into `container` (a grid of four titled panels, each sized to its
 * panel's width and kept so on resize). Only completed, evaluated rounds contribute accuracy and
 * loss points; the bytes of failed attempts count towards their round.
 */
export function mountRunCharts(
  container: HTMLElement,
  records: readonly RoundRecord[],
  options: RunChartsOptions = {},
): RunCharts {
  const height = options.height ?? 240;
  const fallbackWidth = options.fallbackWidth ?? 480;
  const syncKey = `fedzip-run-${++syncCounter}`;
  ensureStyles(container.ownerDocument);
  const specs = chartSpecs(syncKey);
  const grid = document.createElement('div');
  grid.className = 'fz-charts';
  container.appendChild(grid);

  let series = runSeries(records);
  const mounted = specs.map((spec) => {
    const panel = document.createElement('figure');
    panel.className = `fz-chart ${spec.className}`;
    const caption = document.createElement('figcaption');
    caption.className = 'fz-chart-title';
    caption.textContent = spec.title;
    const host = document.createElement('div');
    host.className = 'fz-chart-plot';
    panel.append(caption, host);
    grid.appendChild(panel);
    const width = widthOf(host, fallbackWidth);
    const data = spec.data(series);
    const plot = new uPlot(spec.options(width, height), data, host);
    panel.dataset['points'] = String(countPoints(data));
    return { spec, panel, host, plot };
  });

  const resize = () => {
    for (const m of mounted) {
      const width = widthOf(m.host, fallbackWidth);
      if (width !== m.plot.width) m.plot.setSize({ width, height });
    }
  };
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(resize);
  for (const m of mounted) observer?.observe(m.host);

  return {
    update(next) {
      series = runSeries(next);
      for (const m of mounted) {
        const data = m.spec.data(series);
        m.plot.setData(data);
        m.panel.dataset['points'] = String(countPoints(data));
      }
    },
    destroy() {
      observer?.disconnect();
      for (const m of mounted) m.plot.destroy();
      grid.remove();
    },
  };
}

/** Non-null y values over every series: the points drawn (exposed as `data-points` on the panel). */
function countPoints(data: uPlot.AlignedData): number {
  let n = 0;
  for (let i = 1; i < data.length; i++) for (const v of data[i]!) if (v != null) n++;
  return n;
}

/** Puts {@link RUN_CHARTS_CSS} first in the document's head once, so page styles override it. */
function ensureStyles(doc: Document): void {
  const id = 'fz-run-charts-css';
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = RUN_CHARTS_CSS;
  doc.head.prepend(style);
}

function widthOf(el: HTMLElement, fallback: number): number {
  const w = Math.floor(el.clientWidth);
  return w > 50 ? w : fallback;
}

function chartSpecs(syncKey: string): ChartSpec[] {
  const roundAxis: uPlot.Axis = {
    ...axisBase(),
    size: 30,
    label: 'round',
    incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
  };
  const roundSeries: uPlot.Series = { label: 'round', value: latestOr(String) };
  const roundScale: uPlot.Scale = { time: false, range: integerRange };
  const cursor: uPlot.Cursor = { sync: { key: syncKey }, points: { size: 8 } };
  const base = (width: number, height: number) => ({ width, height, cursor, legend: { live: true } });

  return [
    {
      title: 'Accuracy and loss per round',
      className: 'fz-chart-accuracy',
      options: (width, height) => ({
        ...base(width, height),
        scales: { x: roundScale, acc: { range: accuracyRange }, loss: { range: lossRange } },
        series: [
          roundSeries,
          line('test accuracy', COLORS.accuracy, 'acc', (v) => `${(v * 100).toFixed(2)} %`),
          line('test loss', COLORS.loss, 'loss', (v) => v.toFixed(4), true),
        ],
        axes: [
          roundAxis,
          {
            ...axisBase(),
            scale: 'acc',
            label: 'accuracy',
            values: percentTicks,
          },
          {
            ...axisBase(),
            scale: 'loss',
            side: 1,
            label: 'loss',
            grid: { show: false },
            values: (_u, splits) => splits.map((v) => shortNumber(v)),
          },
        ],
      }),
      data: (s) => [s.perRound.round, s.perRound.accuracy, s.perRound.loss],
    },
    {
      title: 'Bytes per round',
      className: 'fz-chart-bytes',
      options: (width, height) => ({
        ...base(width, height),
        scales: { x: roundScale, bytes: { range: zeroBasedRange } },
        series: [
          roundSeries,
          line('uplink', COLORS.uplink, 'bytes', formatBytes),
          line('downlink', COLORS.downlink, 'bytes', formatBytes),
        ],
        axes: [
          roundAxis,
          {
            ...axisBase(),
            scale: 'bytes',
            label: 'bytes',
            size: 64,
            values: (_u, splits) => splits.map((v) => formatBytes(v).replace(/\.0+ /, ' ')),
          },
        ],
      }),
      data: (s) => [s.perRound.round, s.perRound.uplinkBytes, s.perRound.downlinkBytes],
    },
    {
      title: 'Compression ratio (dense ÷ encoded)',
      className: 'fz-chart-ratio',
      options: (width, height) => ({
        ...base(width, height),
        scales: { x: roundScale, ratio: { range: zeroBasedRange } },
        series: [
          roundSeries,
          line('uplink', COLORS.uplink, 'ratio', (v) => `${v.toFixed(1)}×`),
          line('downlink', COLORS.downlink, 'ratio', (v) => `${v.toFixed(1)}×`),
        ],
        axes: [
          roundAxis,
          {
            ...axisBase(),
            scale: 'ratio',
            label: 'ratio',
            values: (_u, splits) => splits.map((v) => `${shortNumber(v)}×`),
          },
        ],
      }),
      data: (s) => [s.perRound.round, s.perRound.uplinkRatio, s.perRound.downlinkRatio],
    },
    {
      title: 'Accuracy vs cumulative uplink',
      className: 'fz-chart-efficiency',
      options: (width, height) => ({
        ...base(width, height),
        cursor: { points: { size: 8 } },
        scales: { x: { time: false, range: zeroBasedRange }, acc: { range: accuracyRange } },
        series: [
          { label: 'uplink', value: latestOr((v) => `${v.toFixed(3)} MB`) },
          line('test accuracy', COLORS.accuracy, 'acc', (v) => `${(v * 100).toFixed(2)} %`),
        ],
        axes: [
          {
            ...axisBase(),
            size: 30,
            label: 'cumulative uplink (MB)',
            values: (_u, splits) => splits.map((v) => shortNumber(v)),
          },
          {
            ...axisBase(),
            scale: 'acc',
            label: 'accuracy',
            values: percentTicks,
          },
        ],
      }),
      data: (s) => [s.accuracyByUplink.uplinkMB, s.accuracyByUplink.accuracy],
    },
  ];
}

function axisBase(): uPlot.Axis {
  return {
    stroke: COLORS.axis,
    font: FONT,
    labelFont: LABEL_FONT,
    labelSize: 20,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1, size: 4 },
  };
}

function line(
  label: string,
  stroke: string,
  scale: string,
  format: (v: number) => string,
  dashed = false,
): uPlot.Series {
  return {
    label,
    stroke,
    scale,
    width: 2,
    spanGaps: true,
    ...(dashed ? { dash: [6, 4] } : {}),
    points: { show: true, size: 6, fill: stroke, stroke },
    value: latestOr(format),
  };
}

/**
 * A legend value formatter that shows the value under the cursor, and the series' latest value
 * while the cursor is off the chart (instead of a blank).
 */
function latestOr(format: (v: number) => string): uPlot.Series.Value {
  return (u, v, sidx, idx) => {
    if (idx == null) {
      const col = u.data[sidx];
      if (col) {
        for (let i = col.length - 1; i >= 0; i--) {
          const last = col[i];
          if (last != null) return format(last);
        }
      }
      return '–';
    }
    return v == null ? '–' : format(v);
  };
}

/** Accuracy from a little below its min to a little above its max, in steps of 10 %, within [0, 1]. */
function accuracyRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null) return [0, 1];
  const lo = Math.max(0, Math.floor((min - 0.02) * 10) / 10);
  const hi = Math.min(1, Math.ceil((max + 0.02) * 10) / 10);
  return hi > lo ? [lo, hi] : [0, 1];
}

/** Percent tick labels with as many decimals as the tick spacing needs. */
function percentTicks(_u: uPlot, splits: number[]): string[] {
  const step = splits.length > 1 ? Math.abs(splits[1]! - splits[0]!) * 100 : 10;
  const digits = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  return splits.map((v) => `${(v * 100).toFixed(digits)}%`);
}

/** x range over whole rounds, at least [1, 2] so a single round still has an axis. */
function integerRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null) return [1, 2];
  const lo = Math.floor(min);
  const hi = Math.ceil(max);
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** From 0 to a little above the max (never an empty range). */
function zeroBasedRange(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  if (max === null || !(max > 0)) return [0, 1];
  return [0, niceCeil(max * 1.08)];
}

function lossRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null) return [0, 1];
  const hi = max > 0 ? niceCeil(max * 1.08) : 1;
  return [Math.min(0, min), hi];
}

function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 10) return String(+v.toFixed(0));
  if (a >= 1) return String(+v.toFixed(1));
  return String(+v.toPrecision(3)); // small MB values: 0.0005, 0.001, 0.0015, not 0.001 twice
}

/**
 * Base CSS of the chart grid ({@link mountRunCharts}' `.fz-charts` and `.fz-chart*` classes),
 * added to the page's head (first, so the page's own rules win) on the first mount.
 */
export const RUN_CHARTS_CSS = `
.fz-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 16px; }
.fz-chart { margin: 0; padding: 12px 14px 8px; background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; min-width: 0; }
.fz-chart-title { font: 600 14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; margin: 0 0 6px; }
.fz-chart-plot { width: 100%; min-width: 0; }
.fz-chart .u-legend { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #334155; }
`;
