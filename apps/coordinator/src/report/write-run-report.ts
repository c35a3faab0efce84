/**
 * Writes a run folder: report.html, metrics.json, rounds.csv, accuracy-vs-uplink.svg and .png
 * (docs/reports.md). Each file is written to a temporary name and renamed into place, so a reader
 * never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { svgToPng } from '@fedzip/plot/png';
import { type ReportAssets, renderReportHtml } from './report-html.js';
import { type RunReport, accuracyVsUplinkSvg, roundsCsv, runMetrics } from './run-metrics.js';

export { renderReportHtml };

/** The file names inside a run folder. */
export const RUN_FILES = {
  html: 'report.html',
  metrics: 'metrics.json',
  csv: 'rounds.csv',
  svg: 'accuracy-vs-uplink.svg',
  png: 'accuracy-vs-uplink.png',
} as const;

/** Width of the PNG figure in pixels (twice the SVG's 800: sharp on high-density screens and in print). */
export const PNG_WIDTH = 1600;

/** Options of {@link writeRunReport}. */
export interface WriteRunReportOptions {
  /** The built page assets; default: read from `dist/web`. */
  readonly assets?: ReportAssets;
}

/** Paths of the files {@link writeRunReport} wrote. */
export type RunFiles = { readonly dir: string } & { readonly [K in keyof typeof RUN_FILES]: string };

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes the run folder `dir` (created if needed; files of an earlier report there are replaced)
 * and returns the paths written.
 */
export async function writeRunReport(
  dir: string,
  run: RunReport,
  options: WriteRunReportOptions = {},
): Promise<RunFiles> {
  await mkdir(dir, { recursive: true });
  const files = Object.fromEntries(Object.entries(RUN_FILES).map(([k, f]) => [k, join(dir, f)])) as {
    [K in keyof typeof RUN_FILES]: string;
  };
  const svg = accuracyVsUplinkSvg(run);
  const png = svgToPng(svg, { width: PNG_WIDTH });
  await Promise.all([
    writeAtomic(files.metrics, `${JSON.stringify(runMetrics(run), null, 2)}\n`),
    writeAtomic(files.csv, roundsCsv(run.records)),
    writeAtomic(files.svg, svg),
    writeAtomic(files.png, png.bytes),
    writeAtomic(files.html, renderReportHtml(run, options.assets)),
  ]);
  return { dir, ...files };
}
