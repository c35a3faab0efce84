/**
 * The data files of a run folder: metrics.json (everything about the run as one JSON object),
 * rounds.csv (one row per round attempt) and the main figure (accuracy against cumulative uplink
 * megabytes) as SVG. Pure functions of a {@link RunReport}; docs/reports.md documents the fields.
 */
import type { ExperimentConfig } from '@fedzip/config';
import { type Series, lineChartSvg } from '@fedzip/plot';
import type { RoundRecord } from '@fedzip/protocol';
import { type RunTotals, runTotals } from './run-totals.js';

/** Identifies the layout of metrics.json; bumped when a field changes meaning or goes away. */
export const METRICS_FORMAT = 'fedzip-run/1';

/** Everything a report is made from: what the experiment was, what happened, and when. */
export interface RunReport {
  /** The experiment id (`<config name>-<6 hex digits>`), also the run folder's name. */
  readonly experimentId: string;
  /** The resolved config (every default filled). */
  readonly config: ExperimentConfig;
  /** `running`: a report of an experiment still in progress (the REST API serves those). */
  readonly status: 'completed' | 'failed' | 'running';
  /** Why the experiment failed (absent when it completed). */
  readonly reason?: string;
  /** Completed rounds. */
  readonly rounds: number;
  readonly finalAccuracy: number | null;
  readonly finalLoss: number | null;
  /** Every round attempt, in the order they closed. */
  readonly records: readonly RoundRecord[];
  /** When the command started and when the experiment finished. */
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Extra environment facts (e.g. `backend`, `fedzip` version), added to node/platform/arch. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** When a run happened and how long it took. */
export interface RunTimings {
  /** ISO 8601, UTC. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** From the command's start (including data loading and distillation) to the end, in seconds. */
  readonly wallSeconds: number;
  /** Sum of the round attempts' durations, in seconds. */
  readonly roundSeconds: number;
}

/** The content of metrics.json. */
export interface RunMetrics {
  readonly format: typeof METRICS_FORMAT;
  readonly experimentId: string;
  readonly name: string;
  readonly status: RunReport['status'];
  readonly reason?: string;
  readonly finalLoss: number | null;
  readonly totals: RunTotals;
  readonly timings: RunTimings;
  readonly environment: Readonly<Record<string, string>>;
  readonly config: ExperimentConfig;
  readonly records: readonly RoundRecord[];
}

/** The metrics.json object of a run. */
export function runMetrics(run: RunReport): RunMetrics {
  const wallSeconds = (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000;
  const roundMs = run.records.reduce((a, r) => a + r.roundMs, 0);
  return {
    format: METRICS_FORMAT,
    experimentId: run.experimentId,
    name: run.config.name,
    status: run.status,
    ...(run.reason !== undefined ? { reason: run.reason } : {}),
    finalLoss: run.finalLoss,
    totals: runTotals(run, wallSeconds),
    timings: {
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      roundSeconds: Math.round(roundMs / 100) / 10,
    },
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      ...run.environment,
    },
    config: run.config,
    records: run.records,
  };
}

/** The columns of rounds.csv, in order: every {@link RoundRecord} field plus derived ones. */
export const CSV_COLUMNS = [
  'round',
  'attempt',
  'status',
  'reason',
  'version',
  'selected',
  'reported',
  'accepted',
  'dropped',
  'rejected',
  'uplinkBytes',
  'denseUplinkBytes',
  'uplinkRatio',
  'cumulativeUplinkBytes',
  'downlinkBytes',
  'denseDownlinkBytes',
  'downlinkRatio',
  'cumulativeDownlinkBytes',
  'accuracy',
  'loss',
  'meanTrainLoss',
  'epsilon',
  'aggregateMs',
  'roundMs',
] as const;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const cell = (v: number | string | null | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;

/**
 * rounds.csv: a header, then one row per round attempt (RFC 4180: CRLF line ends, quoted fields
 * where needed). Empty cells mean "none": no reason, not evaluated, nothing moved (ratios).
 */
export function roundsCsv(records: readonly RoundRecord[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  let up = 0;
  let down = 0;
  for (const r of records) {
    up += r.uplinkBytes;
    down += r.downlinkBytes;
    const rejected = Object.entries(r.rejected)
      .map(([code, n]) => `${code}:${n}`)
      .join(' ');
    const row: Record<(typeof CSV_COLUMNS)[number], number | string | null | undefined> = {
      round: r.round,
      attempt: r.attempts,
      status: r.status,
      reason: r.reason,
      version: r.version,
      selected: r.selected,
      reported: r.reported,
      accepted: r.accepted,
      dropped: r.dropped,
      rejected,
      uplinkBytes: r.uplinkBytes,
      denseUplinkBytes: r.denseUplinkBytes,
      uplinkRatio: r.uplinkBytes > 0 ? r.denseUplinkBytes / r.uplinkBytes : null,
      cumulativeUplinkBytes: up,
      downlinkBytes: r.downlinkBytes,
      denseDownlinkBytes: r.denseDownlinkBytes,
      downlinkRatio: r.downlinkBytes > 0 ? r.denseDownlinkBytes / r.downlinkBytes : null,
      cumulativeDownlinkBytes: down,
      accuracy: r.accuracy,
      loss: r.loss,
      meanTrainLoss: r.meanTrainLoss,
      epsilon: r.epsilon,
      aggregateMs: r.aggregateMs,
      roundMs: r.roundMs,
    };
    rows.push(CSV_COLUMNS.map((c) => csvField(cell(row[c]))).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/**
 * Test accuracy (0..1) against cumulative uplink megabytes (10^6 bytes): one point per completed,
 * evaluated round attempt; failed attempts add their bytes to the next point.
 */
export function accuracyByUplink(records: readonly RoundRecord[]): [mb: number, accuracy: number][] {
  const points: [number, number][] = [];
  let up = 0;
  for (const r of records) {
    up += r.uplinkBytes;
    if (r.status === 'completed' && r.accuracy !== null && Number.isFinite(r.accuracy))
      points.push([up / 1e6, r.accuracy]);
  }
  return points;
}

/** The main figure (accuracy in % against cumulative uplink MB) as a standalone SVG document. */
export function accuracyVsUplinkSvg(run: RunReport, options: { readonly idPrefix?: string } = {}): string {
  const c = run.config.compression;
  const series: Series = {
    name: `${c.uplink}${c.errorFeedback ? ' + error feedback' : ''}`,
    points: accuracyByUplink(run.records).map(([mb, acc]) => [mb, acc * 100] as const),
  };
  const final = run.finalAccuracy === null ? '–' : `${(run.finalAccuracy * 100).toFixed(2)}%`;
  return lineChartSvg([series], {
    width: 800,
    height: 480,
    title: 'Test accuracy vs cumulative uplink',
    subtitle: `${run.experimentId} · uplink ${series.name} · ${run.rounds} rounds · final accuracy ${final}`,
    x: { label: 'cumulative uplink (MB)', min: 0 },
    y: { label: 'test accuracy (%)', max: 100 },
    ...(options.idPrefix ? { idPrefix: options.idPrefix } : {}),
  });
}
