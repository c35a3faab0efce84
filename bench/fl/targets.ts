/**
 * The targets of issue 8, judged on a finished set of rows: `topk:0.01+q8` with error feedback at
 * ≥ 190× fewer uplink bytes than dense and within 1.0 pp of dense; the best row at ≥ 300× within
 * 2 pp. Both compare final accuracies at the same rounds.
 */
import { type FlRow, LAST_ROUNDS, lastMean } from './summary.js';

/** One target and how it went. */
export interface TargetCheck {
  readonly name: string;
  readonly goal: string;
  /** What was measured, as text ("not run" when a needed row is missing). */
  readonly measured: string;
  readonly pass: boolean | null;
}

/** The row the first target is about. */
export const TOPK_ROW = 'topk1%+q8+ef';

const pp = (a: number, b: number): number => (a - b) * 100;

/** Δ of the last-rounds means, for the measured text (judged on final accuracy, as the issue). */
function lastDelta(r: FlRow, dense: FlRow): string {
  const a = lastMean(r.curve);
  const b = lastMean(dense.curve);
  return a === null || b === null ? '' : ` (last-${LAST_ROUNDS} mean ${pp(a, b).toFixed(2)} pp)`;
}

/** Checks the targets; a target whose rows did not run is `pass: null`. */
export function checkTargets(rows: readonly FlRow[]): TargetCheck[] {
  const denseRow = rows.find((r) => r.name === 'dense');
  const dense = denseRow?.finalAccuracy ?? null;
  const topk = rows.find((r) => r.name === TOPK_ROW);
  const out: TargetCheck[] = [];
  if (dense === null || topk?.finalAccuracy == null) {
    out.push({ name: `${TOPK_ROW} vs dense`, goal: '≥ 190×, ≥ −1.0 pp', measured: 'not run', pass: null });
  } else {
    const d = pp(topk.finalAccuracy, dense);
    out.push({
      name: `${TOPK_ROW} vs dense`,
      goal: '≥ 190×, ≥ −1.0 pp',
      measured: `${topk.uplinkRatio.toFixed(1)}×, ${d.toFixed(2)} pp${lastDelta(topk, denseRow!)}`,
      pass: topk.uplinkRatio >= 190 && d >= -1.0,
    });
  }
  const candidates = rows.filter((r) => r.uplinkRatio >= 300 && r.finalAccuracy !== null);
  const best = candidates.sort((a, b) => b.finalAccuracy! - a.finalAccuracy!)[0];
  if (dense === null || best === undefined) {
    out.push({
      name: 'best row at ≥ 300×',
      goal: '≥ 300×, ≥ −2.0 pp',
      measured: dense === null ? 'not run' : 'no row at ≥ 300×',
      pass: dense === null ? null : false,
    });
  } else {
    const d = pp(best.finalAccuracy!, dense);
    out.push({
      name: `best row at ≥ 300× (${best.name})`,
      goal: '≥ 300×, ≥ −2.0 pp',
      measured: `${best.uplinkRatio.toFixed(1)}×, ${d.toFixed(2)} pp${lastDelta(best, denseRow!)}`,
      pass: d >= -2.0,
    });
  }
  return out;
}

/** The checks as a Markdown table. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  return [
    line(['target', 'goal', 'measured', 'result']),
    line(['---', '---', '---', '---']),
    ...checks.map((c) =>
      line([c.name, c.goal, c.measured, c.pass === null ? 'not run' : c.pass ? 'pass' : 'FAIL']),
    ),
  ].join('\n');
}
