import type { RoundRecord } from '@fedzip/protocol';

/**
 * The totals of a run: the `--json` line of `fedzip run` (issue 4's contract), the final table of
 * the report and `totals` in metrics.json. Dense means float32 of the same tensors.
 */
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
  /** Differential privacy spent: ε of the last record that has one; absent without privacy. */
  readonly epsilon?: number;
}

/** What {@link runTotals} reads of an experiment's summary. */
export interface SummaryFigures {
  readonly finalAccuracy: number | null;
  readonly rounds: number;
  readonly records: readonly RoundRecord[];
}

/**
 * Sums the per-round records of a run (every attempt: failed ones moved bytes too); ratios are 0
 * when nothing moved; wall seconds are rounded to tenths.
 */
export function runTotals(summary: SummaryFigures, wallSeconds: number): RunTotals {
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
    ...lastEpsilon(summary.records),
  };
}

/** `{ epsilon }` of the last record that reports one, or `{}`. */
function lastEpsilon(records: readonly RoundRecord[]): { epsilon?: number } {
  for (let i = records.length - 1; i >= 0; i--) {
    const e = records[i]!.epsilon;
    if (e !== undefined) return { epsilon: e };
  }
  return {};
}
