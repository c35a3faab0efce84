import Table from 'cli-table3';
import { CliError } from '../support/errors.js';
import type { ExperimentSummary, RoundRecord } from '../../../coordinator/src/index.js';

/** The `--json` line of `fedzip run` (issue 4's contract). Dense means float32 of the same tensors. */
export interface RunTotals {
  readonly finalAccuracy: number | null;
  readonly rounds: number;
  readonly uplinkBytes: number;
  readonly denseUplinkBytes: number;
  readonly uplinkRatio: number;
  readonly downlinkBytes: number;
  readonly denseDownlinkBytes: number;
  readonly downlinkRatio: number;
  readonly wallSeconds: number;
}

/** Sums the per-round records of a run. */
export function totals(summary: ExperimentSummary, wallSeconds: number): RunTotals {
  const sum = (f: (r: RoundRecord) => number) => summary.records.reduce((a, r) => a + f(r), 0);
  const up = sum((r) => r.uplinkBytes);
  const denseUp = sum((r) => r.denseUplinkBytes);
  const down = sum((r) => r.downlinkBytes);
  const denseDown = sum((r) => r.denseDownlinkBytes);
  return {
    finalAccuracy: summary.finalAccuracy,
    rounds: summary.rounds,
    uplinkBytes: up,
    denseUplinkBytes: denseUp,
    uplinkRatio: up > 0 ? denseUp / up : 0,
    downlinkBytes: down,
    denseDownlinkBytes: denseDown,
    downlinkRatio: down > 0 ? denseDown / down : 0,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
  };
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
    `${summary.status === 'completed' ? 'completed' : `FAILED (${summary.reason ?? 'unknown'})`}: ${t.rounds} rounds in ${t.wallSeconds} s, final accuracy ${pct(t.finalAccuracy)}`,
    `uplink ${mb(t.uplinkBytes)} MB (dense ${mb(t.denseUplinkBytes)} MB, ${t.uplinkRatio.toFixed(1)}× smaller); downlink ${mb(t.downlinkBytes)} MB (dense ${mb(t.denseDownlinkBytes)} MB, ${t.downlinkRatio.toFixed(1)}× smaller)`,
  ];
  return lines.join('\n');
}

/**
 * The end of `fedzip run` and `fedzip serve`: the table on stdout, then (with `--json`) the totals
 * as the last line; a failed experiment becomes a one-line error (exit 1) after the table.
 */
export function printRun(summary: ExperimentSummary, startedMs: number, json: boolean): void {
  const t = totals(summary, (performance.now() - startedMs) / 1000);
  process.stdout.write(`${formatSummary(summary, t)}\n`);
  if (json) process.stdout.write(`${JSON.stringify(t)}\n`);
  if (summary.status !== 'completed')
    throw new CliError(`experiment failed: ${summary.reason ?? 'unknown reason'}`);
}
