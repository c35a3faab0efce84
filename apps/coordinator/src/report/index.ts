/** Run reports: the run folder written at the end of `fedzip run` / `fedzip serve` (docs/reports.md). */
export { type RunTotals, type SummaryFigures, runTotals } from './run-totals.js';
export {
  CSV_COLUMNS,
  METRICS_FORMAT,
  type RunMetrics,
  type RunReport,
  type RunTimings,
  accuracyByUplink,
  accuracyVsUplinkSvg,
  csvField,
  roundsCsv,
  runMetrics,
} from './run-metrics.js';
export { type ReportAssets, inlineJson, inlineScript, loadReportAssets } from './report-html.js';
export {
  PNG_WIDTH,
  RUN_FILES,
  type RunFiles,
  type WriteRunReportOptions,
  renderReportHtml,
  writeAtomic,
  writeRunReport,
} from './write-run-report.js';
