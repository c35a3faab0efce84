/**
 * Pure summaries of one benchmark row: from the coordinator's round records and the per-update
 * timings to the figures of the table and the JSON file. No I/O, so it is unit-tested
 * (test/bench/fl-summary.spec.ts).
 */

/** The fields of the coordinator's `RoundRecord` this benchmark reads. */
export interface RoundFigures {
  readonly round: number;
  readonly status: 'completed' | 'failed';
  readonly uplinkBytes: number;
  readonly denseUplinkBytes: number;
  readonly downlinkBytes: number;
  readonly denseDownlinkBytes: number;
  readonly aggregateMs: number;
  readonly accuracy: number | null;
}

/** Per-update timings collected from the coordinator's `update-accepted` events. */
export interface UpdateTimings {
  /** Client-side encode time of each accepted update (its metrics' `encodeMs`). */
  readonly encodeMs: readonly number[];
  /** Server-side parse + decode-into-the-sum time of each accepted update. */
  readonly decodeMs: readonly number[];
}

/** One point of the accuracy-against-bytes curve: after `round`, with the bytes moved so far. */
export interface CurvePoint {
  readonly round: number;
  /** Test accuracy after the round, in [0, 1]. */
  readonly accuracy: number;
  readonly cumulativeUplinkMB: number;
  readonly cumulativeDownlinkMB: number;
}

/** The identity of a row, as run. */
export interface RowIdentity {
  readonly name: string;
  /** The experiment's seed (data split, initial weights, client sampling, codec randomness). */
  readonly seed: number;
  readonly uplink: string;
  readonly errorFeedback: boolean;
  readonly downlink: string;
  readonly downlinkFull: string;
  readonly strategy: string;
}

/** One row of the results: the columns of the table, and the curve behind the chart. */
export interface FlRow extends RowIdentity {
  readonly status: 'completed' | 'failed';
  /** Rounds completed. */
  readonly rounds: number;
  /** Accuracy after the last evaluated round, in [0, 1] (null: never evaluated). */
  readonly finalAccuracy: number | null;
  /** Highest accuracy over the evaluated rounds. */
  readonly bestAccuracy: number | null;
  /** First round whose accuracy reached {@link FlRow.target} (null: never). */
  readonly roundsToTarget: number | null;
  /** The accuracy target of `roundsToTarget`, in [0, 1]. */
  readonly target: number;
  /** Uplink megabytes (10^6 B) of whole update frames, every attempt. */
  readonly uplinkMB: number;
  /** Dense float32 uplink bytes over actual uplink bytes. */
  readonly uplinkRatio: number;
  readonly downlinkMB: number;
  readonly downlinkRatio: number;
  /** Median client encode time per update (delta + codec + error feedback), ms. */
  readonly encodeMsPerUpdate: number | null;
  /** Server decode + aggregate time per accepted update: (Σ decode + Σ aggregate) / updates, ms. */
  readonly serverMsPerUpdate: number | null;
  /** Accepted updates. */
  readonly updates: number;
  /** Seconds from the row's start (preparation included) to the end of its last round. */
  readonly wallSeconds: number;
  readonly curve: readonly CurvePoint[];
}

const MB = 1e6;

/** The median of `xs` (null when empty). */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >>> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rounds averaged by {@link lastMean}. */
export const LAST_ROUNDS = 5;

/**
 * Mean accuracy over the last {@link LAST_ROUNDS} evaluated rounds of a curve (null when empty):
 * steadier than the final round's, which moves by ±1 pp from one round to the next here under
 * label skew and 10-of-20 sampling.
 */
export function lastMean(curve: readonly CurvePoint[], rounds = LAST_ROUNDS): number | null {
  const tail = curve.slice(-rounds);
  return tail.length === 0 ? null : tail.reduce((a, p) => a + p.accuracy, 0) / tail.length;
}

/** The first completed round whose accuracy is at least `target`, or null. */
export function roundsToTarget(records: readonly RoundFigures[], target: number): number | null {
  for (const r of records) {
    if (r.status === 'completed' && r.accuracy !== null && r.accuracy >= target) return r.round;
  }
  return null;
}

/** The accuracy-against-bytes curve: one point per evaluated, completed round. */
export function curveOf(records: readonly RoundFigures[]): CurvePoint[] {
  let up = 0;
  let down = 0;
  const out: CurvePoint[] = [];
  for (const r of records) {
    up += r.uplinkBytes;
    down += r.downlinkBytes;
    if (r.status === 'completed' && r.accuracy !== null) {
      out.push({
        round: r.round,
        accuracy: r.accuracy,
        cumulativeUplinkMB: up / MB,
        cumulativeDownlinkMB: down / MB,
      });
    }
  }
  return out;
}

const ratio = (dense: number, actual: number): number => (actual > 0 ? dense / actual : 0);

/** Summarizes one finished row. */
export function summarizeRow(
  id: RowIdentity,
  records: readonly RoundFigures[],
  timings: UpdateTimings,
  wallSeconds: number,
  target: number,
): FlRow {
  const sum = (f: (r: RoundFigures) => number) => records.reduce((a, r) => a + f(r), 0);
  const evaluated = records.filter((r) => r.status === 'completed' && r.accuracy !== null);
  const accuracies = evaluated.map((r) => r.accuracy!);
  const uplink = sum((r) => r.uplinkBytes);
  const downlink = sum((r) => r.downlinkBytes);
  const updates = timings.decodeMs.length;
  const serverMs = timings.decodeMs.reduce((a, b) => a + b, 0) + sum((r) => r.aggregateMs);
  const completed = records.filter((r) => r.status === 'completed').length;
  return {
    ...id,
    status: completed === records.length && records.length > 0 ? 'completed' : 'failed',
    rounds: completed,
    finalAccuracy: accuracies.length > 0 ? accuracies[accuracies.length - 1]! : null,
    bestAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : null,
    roundsToTarget: roundsToTarget(records, target),
    target,
    uplinkMB: uplink / MB,
    uplinkRatio: ratio(
      sum((r) => r.denseUplinkBytes),
      uplink,
    ),
    downlinkMB: downlink / MB,
    downlinkRatio: ratio(
      sum((r) => r.denseDownlinkBytes),
      downlink,
    ),
    encodeMsPerUpdate: median(timings.encodeMs),
    serverMsPerUpdate: updates > 0 ? serverMs / updates : null,
    updates,
    wallSeconds,
    curve: curveOf(records),
  };
}

/** An accuracy in [0, 1] as a percentage with two decimals, `–` for none. */
export const pct = (v: number | null): string => (v === null ? '–' : (v * 100).toFixed(2));
const ms = (v: number | null): string => (v === null ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const mb = (v: number): string => (v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(1));
const times = (v: number): string => (v === 0 ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)}×`);

/** The table's header: the columns the issue asks for, plus the last-rounds mean and Δs to dense. */
export function tableHead(target: number): string[] {
  return [
    'row',
    'uplink codec',
    'EF',
    'final acc %',
    'Δ final pp',
    `last-${LAST_ROUNDS} acc %`,
    `Δ last-${LAST_ROUNDS} pp`,
    'best acc %',
    `rounds to ${(target * 100).toFixed(0)}%`,
    'uplink MB',
    'uplink ×',
    'downlink MB',
    'downlink ×',
    'encode ms/upd',
    'server ms/upd',
    'wall s',
  ];
}

/** A row's cells; `dense` (the dense row, if run) gives the Δ columns. */
export function tableCells(r: FlRow, dense: FlRow | undefined): string[] {
  const diff = (a: number | null, b: number | null | undefined): string =>
    a === null || b === null || b === undefined ? '–' : ((a - b) * 100).toFixed(2);
  const last = lastMean(r.curve);
  return [
    r.name + (r.status === 'failed' ? ' (failed)' : ''),
    `\`${r.uplink}\``,
    r.errorFeedback ? 'yes' : 'no',
    pct(r.finalAccuracy),
    diff(r.finalAccuracy, dense?.finalAccuracy),
    pct(last),
    diff(last, dense ? lastMean(dense.curve) : null),
    pct(r.bestAccuracy),
    r.roundsToTarget === null ? '–' : String(r.roundsToTarget),
    mb(r.uplinkMB),
    times(r.uplinkRatio),
    mb(r.downlinkMB),
    times(r.downlinkRatio),
    ms(r.encodeMsPerUpdate),
    ms(r.serverMsPerUpdate),
    r.wallSeconds.toFixed(0),
  ];
}

/** The results as a Markdown table (dense row, when present, as the Δ reference). */
export function markdownTable(rows: readonly FlRow[], target: number): string {
  const dense = rows.find((r) => r.name === 'dense');
  return markdown(
    tableHead(target),
    rows.map((r) => tableCells(r, dense)),
  );
}

/** A Markdown table of `head` and `body` rows (cells as given). */
export function markdown(head: readonly string[], body: readonly (readonly string[])[]): string {
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}
