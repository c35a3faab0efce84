/**
 * A small line-chart renderer that writes SVG text: named series of (x, y) points, axes with nice
 * ticks, axis labels, a legend and a title. Pure string building (no DOM, no Node APIs), so it runs
 * in browsers as well as in Node; {@link svgToPng} in `@fedzip/plot/png` turns the result into a PNG.
 */
import { formatTick, linearTicks, logTicks, type Ticks } from './ticks.js';

/** A point of a series: `[x, y]`. Points with a non-finite coordinate are gaps in the line. */
export type Point = readonly [x: number, y: number];

/** One line of the chart. */
export interface Series {
  /** Shown in the legend (escaped; may be empty). */
  readonly name: string;
  readonly points: readonly Point[];
  /** A CSS colour; default: the next colour of {@link PALETTE}. */
  readonly color?: string;
  /** Draw `stroke-dasharray` dashes (e.g. for a baseline). */
  readonly dashed?: boolean;
}

/** One axis. Bounds not given come from the data, widened to a whole tick step. */
export interface AxisOptions {
  readonly label?: string;
  readonly min?: number;
  readonly max?: number;
  /** Logarithmic scale: points with a coordinate ≤ 0 on this axis become gaps. */
  readonly log?: boolean;
  /** Tick label text; default: just enough decimals to tell the ticks apart. */
  readonly format?: (value: number) => string;
  /** About how many ticks (linear scale); default 5 on y, 6 on x. */
  readonly ticks?: number;
}

/** How to draw a chart; every field is optional. */
export interface LineChartOptions {
  /** Pixel size of the SVG's view box; default 800 × 500. */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** A smaller line under the title. */
  readonly subtitle?: string;
  readonly x?: AxisOptions;
  readonly y?: AxisOptions;
  /** Dots on the points; default: when no series has more than 40 points. */
  readonly markers?: boolean;
  /** Show the legend; default: when there are two or more series. */
  readonly legend?: boolean;
  /** Prefix of element ids (the clip path), for pages holding several charts; default `fz-plot`. */
  readonly idPrefix?: string;
  /** Font family written into the SVG; default `DejaVu Sans, Verdana, sans-serif`. */
  readonly fontFamily?: string;
}

/** A mistake in the input of a chart (e.g. a negative width), with a message saying which. */
export class PlotError extends Error {
  override readonly name = 'PlotError';
}

/** The default series colours: Okabe & Ito's palette, readable by colour-blind people. */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

/** Escapes text for SVG/HTML text content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const FONT = { tick: 12, label: 13, title: 17, subtitle: 12.5, legend: 12.5 };
/** A rough width of DejaVu Sans text (average advance ≈ 0.6 em), for layout only. */
const textWidth = (s: string, size: number) => s.length * size * 0.6;
const fmt = (v: number) => String(Math.round(v * 100) / 100);

interface Scale {
  readonly ticks: Ticks;
  readonly format: (v: number) => string;
  /** Data value → 0..1 along the axis. */
  readonly unit: (v: number) => number;
  readonly log: boolean;
}

function finite(name: string, v: number | undefined): void {
  if (v !== undefined && !Number.isFinite(v))
    throw new PlotError(`${name} must be a finite number, got ${v}`);
}

function buildScale(axis: AxisOptions, values: readonly number[], name: 'x' | 'y', count: number): Scale {
  finite(`${name}.min`, axis.min);
  finite(`${name}.max`, axis.max);
  const log = axis.log ?? false;
  if (log && ((axis.min !== undefined && axis.min <= 0) || (axis.max !== undefined && axis.max <= 0)))
    throw new PlotError(`${name} is logarithmic: its bounds must be > 0`);
  let lo = axis.min ?? (values.length ? Math.min(...values) : log ? 1 : 0);
  let hi = axis.max ?? (values.length ? Math.max(...values) : log ? 10 : 1);
  if (lo > hi) throw new PlotError(`${name}.min (${lo}) is above ${name}.max (${hi})`);
  if (lo === hi) {
    // One value (or one point): centre it in a small range.
    if (log) [lo, hi] = [lo / 2, hi * 2];
    else {
      const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
      if (axis.min === undefined) lo -= pad;
      if (axis.max === undefined || axis.min !== undefined) hi += pad;
    }
  }
  const widen = { min: axis.min === undefined, max: axis.max === undefined };
  const ticks = log ? logTicks(lo, hi, widen) : linearTicks(lo, hi, axis.ticks ?? count, widen);
  const format = axis.format ?? ((v: number) => formatTick(v, log ? undefined : ticks.decimals));
  const unit = log
    ? (v: number) => Math.log(v / ticks.min) / Math.log(ticks.max / ticks.min)
    : (v: number) => (v - ticks.min) / (ticks.max - ticks.min);
  return { ticks, format, unit, log };
}

/**
 * Renders `series` as a standalone SVG document (with a white background, so that it reads the
 * same on dark pages and as a PNG). Points with a non-finite coordinate, or ≤ 0 on a log axis,
 * split their line; a chart without any drawable point shows its axes and "no data". Throws a
 * {@link PlotError} for bad options (size, bounds).
 */
export function lineChartSvg(series: readonly Series[], options: LineChartOptions = {}): string {
  const W = options.width ?? 800;
  const H = options.height ?? 500;
  if (!(Number.isFinite(W) && W >= 100 && Number.isFinite(H) && H >= 80))
    throw new PlotError(`the chart needs a finite size of at least 100 × 80, got ${W} × ${H}`);
  const xAxis = options.x ?? {};
  const yAxis = options.y ?? {};
  const ok = (v: number, log: boolean | undefined) => Number.isFinite(v) && (!log || v > 0);
  const drawable = (p: Point) => ok(p[0], xAxis.log) && ok(p[1], yAxis.log);
  const clipped = (p: Point) =>
    (xAxis.min === undefined || p[0] >= xAxis.min) &&
    (xAxis.max === undefined || p[0] <= xAxis.max) &&
    (yAxis.min === undefined || p[1] >= yAxis.min) &&
    (yAxis.max === undefined || p[1] <= yAxis.max);
  const inDomain = series.flatMap((s) => s.points.filter((p) => drawable(p) && clipped(p)));
  const x = buildScale(
    xAxis,
    inDomain.map((p) => p[0]),
    'x',
    6,
  );
  const y = buildScale(
    yAxis,
    inDomain.map((p) => p[1]),
    'y',
    5,
  );
  const font = options.fontFamily ?? 'DejaVu Sans, Verdana, sans-serif';
  const id = (options.idPrefix ?? 'fz-plot').replace(/[^\w-]/g, '_');
  const showLegend = options.legend ?? series.length >= 2;
  const markers = options.markers ?? series.every((s) => s.points.length <= 40);
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);

  // Layout, from the outside in.
  const yLabels = y.ticks.values.map(y.format);
  const top = 14 + (options.title ? 28 : 0) + (options.subtitle ? 20 : 0) + 12;
  const left = 14 + (yAxis.label ? 22 : 0) + Math.max(0, ...yLabels.map((t) => textWidth(t, FONT.tick))) + 10;
  const right = 24 + textWidth(x.format(x.ticks.values.at(-1) ?? 0), FONT.tick) / 2;
  const legendRows = showLegend ? layoutLegend(series, W - 40) : [];
  const bottom = 14 + 22 + (xAxis.label ? 24 : 0) + legendRows.length * 22 + (legendRows.length ? 8 : 0);
  const pw = W - left - right;
  const ph = H - top - bottom;
  if (pw < 20 || ph < 20) throw new PlotError(`the chart (${W} × ${H}) is too small for its labels`);
  const px = (v: number) => left + x.unit(v) * pw;
  const py = (v: number) => top + (1 - y.unit(v)) * ph;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${escapeXml(font)}">`,
  );
  if (options.title) out.push(`<title>${escapeXml(options.title)}</title>`);
  out.push(
    `<defs><clipPath id="${id}-clip"><rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(pw)}" height="${fmt(ph)}"/></clipPath></defs>`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  let ty = 14;
  if (options.title) {
    ty += 20;
    out.push(
      `<text x="${fmt(left)}" y="${ty}" font-size="${FONT.title}" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`,
    );
    ty += 8;
  }
  if (options.subtitle) {
    ty += 16;
    out.push(
      `<text x="${fmt(left)}" y="${ty}" font-size="${FONT.subtitle}" fill="#555">${escapeXml(options.subtitle)}</text>`,
    );
  }

  // Grid and ticks.
  out.push(`<g class="grid" stroke="#e4e4e4" stroke-width="1">`);
  for (const v of x.ticks.values)
    out.push(`<line x1="${fmt(px(v))}" x2="${fmt(px(v))}" y1="${fmt(top)}" y2="${fmt(top + ph)}"/>`);
  for (const v of y.ticks.values)
    out.push(`<line x1="${fmt(left)}" x2="${fmt(left + pw)}" y1="${fmt(py(v))}" y2="${fmt(py(v))}"/>`);
  out.push(`</g>`);
  out.push(
    `<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(pw)}" height="${fmt(ph)}" fill="none" stroke="#888" stroke-width="1"/>`,
  );
  out.push(`<g class="x-ticks" font-size="${FONT.tick}" fill="#444" text-anchor="middle">`);
  for (const v of x.ticks.values)
    out.push(`<text x="${fmt(px(v))}" y="${fmt(top + ph + 18)}">${escapeXml(x.format(v))}</text>`);
  out.push(`</g>`);
  out.push(`<g class="y-ticks" font-size="${FONT.tick}" fill="#444" text-anchor="end">`);
  for (const v of y.ticks.values)
    out.push(`<text x="${fmt(left - 8)}" y="${fmt(py(v) + 4)}">${escapeXml(y.format(v))}</text>`);
  out.push(`</g>`);
  if (xAxis.label)
    out.push(
      `<text class="x-label" x="${fmt(left + pw / 2)}" y="${fmt(top + ph + 42)}" font-size="${FONT.label}" fill="#222" text-anchor="middle">${escapeXml(xAxis.label)}</text>`,
    );
  if (yAxis.label) {
    const cx = 20;
    const cy = top + ph / 2;
    out.push(
      `<text class="y-label" x="${cx}" y="${fmt(cy)}" font-size="${FONT.label}" fill="#222" text-anchor="middle" transform="rotate(-90 ${cx} ${fmt(cy)})">${escapeXml(yAxis.label)}</text>`,
    );
  }

  // The lines.
  let drawn = 0;
  out.push(`<g class="series" clip-path="url(#${id}-clip)">`);
  series.forEach((s, i) => {
    const color = escapeXml(colors[i]!);
    const runs = splitRuns(s.points, drawable);
    const d = runs
      .filter((r) => r.length > 1)
      .map((r) => r.map((p, j) => `${j ? 'L' : 'M'}${fmt(px(p[0]))} ${fmt(py(p[1]))}`).join(''))
      .join('');
    out.push(`<g class="line" data-name="${escapeXml(s.name)}">`);
    if (d)
      out.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="2.25" stroke-linejoin="round" stroke-linecap="round"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`,
      );
    for (const r of runs) {
      drawn += r.length;
      // Lone points would be invisible without a dot.
      if (markers || r.length === 1)
        for (const p of r)
          out.push(
            `<circle cx="${fmt(px(p[0]))}" cy="${fmt(py(p[1]))}" r="3.5" fill="${color}" stroke="#fff" stroke-width="1"/>`,
          );
    }
    out.push(`</g>`);
  });
  out.push(`</g>`);
  if (drawn === 0)
    out.push(
      `<text class="no-data" x="${fmt(left + pw / 2)}" y="${fmt(top + ph / 2)}" font-size="${FONT.label}" fill="#888" text-anchor="middle">no data</text>`,
    );

  // The legend, centred under the x label.
  let ly = top + ph + (xAxis.label ? 48 : 26) + 18;
  for (const row of legendRows) {
    let lx = (W - row.width + 22) / 2; // the last item's trailing gap is not drawn
    for (const i of row.items) {
      const s = series[i]!;
      const color = escapeXml(colors[i]!);
      out.push(
        `<g class="legend-item"><line x1="${fmt(lx)}" x2="${fmt(lx + 22)}" y1="${fmt(ly - 4)}" y2="${fmt(ly - 4)}" stroke="${color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
          `<text x="${fmt(lx + 28)}" y="${fmt(ly)}" font-size="${FONT.legend}" fill="#222">${escapeXml(s.name)}</text></g>`,
      );
      lx += legendItemWidth(s.name);
    }
    ly += 22;
  }
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}

/** Consecutive drawable points of a series (a non-drawable point ends a run). */
function splitRuns(points: readonly Point[], drawable: (p: Point) => boolean): Point[][] {
  const runs: Point[][] = [];
  let run: Point[] = [];
  for (const p of points) {
    if (drawable(p)) run.push(p);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

const legendItemWidth = (name: string) => 28 + textWidth(name, FONT.legend) + 22;

/** Wraps the legend items into rows no wider than `max`. */
function layoutLegend(series: readonly Series[], max: number): { items: number[]; width: number }[] {
  const rows: { items: number[]; width: number }[] = [];
  series.forEach((s, i) => {
    const w = legendItemWidth(s.name);
    const row = rows.at(-1);
    if (row && row.width + w <= max) {
      row.items.push(i);
      row.width += w;
    } else rows.push({ items: [i], width: w });
  });
  return rows;
}
