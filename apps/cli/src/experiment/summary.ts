import Table from 'cli-table3';
import { CliError } from '../support/errors.js';
import { type ExperimentSummary, type RunTotals, runTotals } from '../../../coordinator/src/index.js';
import { type ReportTarget, writeRunFolder } from './report.js';

/** The `--json` line of `fedzip run` (issue 4's contract); the same figures head the run's report. */
export type { RunTotals };

/** Sums the per-round records of a run. */
export function totals(summary: ExperimentSummary, wallSeconds: number): RunTotals {
  return runTotals(summary, wallSeconds);
}

const mb = (b: number) => (b / 1e6).toFixed(b < 1e5 ? 4 : 2);
const kb = (b: number) => (b / 1e3).toFixed(1);
const pct = (a: number | null) => (a === null ? '–' : `${(100 * a).toFixed(2)}%`);

/** The per-round table and the totals, as printed at the end of `fedzip run`. */
export function formatSummary(summary: ExperimentSummary, t: RunTotals): string {
  const rounds = new Table({
    head: ['round', 'clients', 'accuracy', 'loss', 'up kB', 'up ×', 'down kB', 'down ×', 'round s'],
    style: { head: [], border: [] },
  });
  for (const r of summary.records) {
    rounds.push([
      r.status === 'completed' ? String(r.round) : `${r.round} (failed: ${r.reason ?? ''})`,
      `${r.accepted}/${r.selected}${r.dropped ? ` −${r.dropped}` : ''}`,
      pct(r.accuracy),
      r.loss === null ? '–' : r.loss.toFixed(4),
      kb(r.uplinkBytes),
      r.uplinkBytes ? (r.denseUplinkBytes / r.uplinkBytes).toFixed(1) : '–',
      kb(r.downlinkBytes),
      r.downlinkBytes ? (r.denseDownlinkBytes / r.downlinkBytes).toFixed(1) : '–',
      (r.roundMs / 1000).toFixed(1),
    ]);
  }
  const lines = [
    rounds.toString(),
    `${summary.status === 'completed' ? 'completed' : `FAILED (${summary.reason ?? 'unknown'})`}: ${t.rounds} rounds in ${t.wallSeconds} s, final accuracy ${pct(t.finalAccuracy)}${t.epsilon === undefined ? '' : `, privacy ε = ${t.epsilon.toPrecision(4)}`}`,
    `uplink ${mb(t.uplinkBytes)} MB (dense ${mb(t.denseUplinkBytes)} MB, ${t.uplinkRatio.toFixed(1)}× smaller); downlink ${mb(t.downlinkBytes)} MB (dense ${mb(t.denseDownlinkBytes)} MB, ${t.downlinkRatio.toFixed(1)}× smaller)`,
  ];
  return lines.join('\n');
}

/**
 * The end of `fedzip run` and `fedzip serve`: the table on stdout, the run folder (unless
 * `report` is undefined, i.e. `--no-report`) and its `report: <path>` line, then (with `--json`)
 * the totals as the last line; a failed experiment becomes a one-line error (exit 1) after those.
 */
export async function printRun(
  summary: ExperimentSummary,
  startedMs: number,
  json: boolean,
  report?: ReportTarget,
): Promise<void> {
  const elapsedMs = performance.now() - startedMs;
  const t = totals(summary, elapsedMs / 1000);
  process.stdout.write(`${formatSummary(summary, t)}\n`);
  if (report) {
    const html = await writeRunFolder(report, summary, new Date(Date.now() - elapsedMs));
    process.stdout.write(`report: ${html}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify(t)}\n`);
  if (summary.status !== 'completed')
    throw new CliError(`experiment failed: ${summary.reason ?? 'unknown reason'}`);
}
