/**
 * Pure data shaping for the run charts: {@link RoundRecord}s → column arrays in uPlot's aligned
 * layout (`[xs, ...ys]`, `null` for a gap). No DOM, no uPlot: unit-tested in Node.
 */
import type { RoundRecord } from '@fedzip/protocol';

/** One column of y values aligned with an x column; `null` leaves a gap. */
export type Column = (number | null)[];

/** The columns of every run chart. */
export interface RunSeries {
  /** Per round index (1-based, ascending): the x column shared by the per-round charts. */
  readonly perRound: {
    readonly round: number[];
    /** Test accuracy after the round (completed and evaluated rounds only). */
    readonly accuracy: Column;
    /** Test loss after the round (completed and evaluated rounds only). */
    readonly loss: Column;
    /** Encoded uplink bytes, summed over every attempt of the round. */
    readonly uplinkBytes: Column;
    /** Encoded downlink bytes, summed over every attempt of the round. */
    readonly downlinkBytes: Column;
    /** Dense / encoded uplink bytes (null when nothing was received). */
    readonly uplinkRatio: Column;
    /** Dense / encoded downlink bytes (null when nothing was sent). */
    readonly downlinkRatio: Column;
  };
  /** Accuracy against cumulative uplink megabytes (10^6 bytes), evaluated rounds only. */
  readonly accuracyByUplink: {
    readonly uplinkMB: number[];
    readonly accuracy: Column;
    /** The round each point belongs to. */
    readonly round: number[];
  };
}

/** Megabytes as used on the charts: 10^6 bytes. */
export const MB = 1e6;

/** Ratio `dense / actual`, or null when `actual` is 0 (nothing moved). */
export function compressionRatio(dense: number, actual: number): number | null {
  return actual > 0 ? dense / actual : null;
}

/**
 * Shapes round records (every attempt, oldest first, as the coordinator records them) into chart
 * columns. Attempts of the same round index are merged: their bytes add up, and the accuracy and
 * loss come from the attempt that completed. Records need not be sorted.
 */
export function runSeries(records: readonly RoundRecord[]): RunSeries {
  interface Acc {
    up: number;
    denseUp: number;
    down: number;
    denseDown: number;
    accuracy: number | null;
    loss: number | null;
  }
  const byRound = new Map<number, Acc>();
  for (const r of records) {
    let a = byRound.get(r.round);
    if (!a) {
      a = { up: 0, denseUp: 0, down: 0, denseDown: 0, accuracy: null, loss: null };
      byRound.set(r.round, a);
    }
    a.up += r.uplinkBytes;
    a.denseUp += r.denseUplinkBytes;
    a.down += r.downlinkBytes;
    a.denseDown += r.denseDownlinkBytes;
    if (r.status === 'completed') {
      a.accuracy = finite(r.accuracy);
      a.loss = finite(r.loss);
    }
  }
  const rounds = [...byRound.keys()].sort((x, y) => x - y);
  const perRound = {
    round: rounds,
    accuracy: [] as Column,
    loss: [] as Column,
    uplinkBytes: [] as Column,
    downlinkBytes: [] as Column,
    uplinkRatio: [] as Column,
    downlinkRatio: [] as Column,
  };
  const accuracyByUplink = { uplinkMB: [] as number[], accuracy: [] as Column, round: [] as number[] };
  let cumulativeUp = 0;
  for (const round of rounds) {
    const a = byRound.get(round)!;
    perRound.accuracy.push(a.accuracy);
    perRound.loss.push(a.loss);
    perRound.uplinkBytes.push(a.up);
    perRound.downlinkBytes.push(a.down);
    perRound.uplinkRatio.push(compressionRatio(a.denseUp, a.up));
    perRound.downlinkRatio.push(compressionRatio(a.denseDown, a.down));
    cumulativeUp += a.up;
    if (a.accuracy !== null) {
      accuracyByUplink.uplinkMB.push(cumulativeUp / MB);
      accuracyByUplink.accuracy.push(a.accuracy);
      accuracyByUplink.round.push(round);
    }
  }
  return { perRound, accuracyByUplink };
}

/** The last completed round index in `records` (0 when none completed). */
export function lastCompletedRound(records: readonly RoundRecord[]): number {
  let last = 0;
  for (const r of records) if (r.status === 'completed' && r.round > last) last = r.round;
  return last;
}

/** Formats a byte count with a binary-free SI unit: `532 B`, `12.3 kB`, `4.56 MB`. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1e3) return `${Math.round(bytes)} B`;
  if (abs < 1e6) return `${trim(bytes / 1e3)} kB`;
  if (abs < 1e9) return `${trim(bytes / 1e6)} MB`;
  return `${trim(bytes / 1e9)} GB`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
