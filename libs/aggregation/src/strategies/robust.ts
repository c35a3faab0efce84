import { checkConfig } from '../errors.js';
import { centeredClip } from '../math/centered-clip.js';
import { coordinateMedian, trimmedMean } from '../math/coordinate-wise.js';
import { fedAvgStep } from '../math/server-steps.js';
import { krumMinClients, multiKrum } from '../math/krum.js';
import type { FitResults, PerClientResults } from '../strategy.js';
import { BaseStrategy, type BaseStrategyOptions, type StepResult } from './base-strategy.js';
import { checkPositive } from './fedavg.js';

/** Options of the robust strategies. */
export interface RobustOptions extends BaseStrategyOptions {
  /** Server learning rate η applied to the robust aggregate Δ̂: `w ← w + η Δ̂` (default 1). */
  readonly serverLr?: number;
}

/**
 * The shared frame of the Byzantine-robust strategies (issue 7): they need every client's
 * decoded delta, compute a robust aggregate Δ̂ that ignores the sample counts clients claim (a
 * liar could otherwise buy weight), and apply `w ← w + η Δ̂`.
 */
export abstract class RobustStrategy extends BaseStrategy {
  readonly needs = 'per-client' as const;
  readonly serverLr: number;

  protected constructor(options: RobustOptions) {
    super(options);
    this.serverLr = checkPositive('serverLr', options.serverLr ?? 1);
  }

  /**
   * The robust aggregate of the deltas (as a step: `weights` holds Δ̂, `commit` any state it
   * moves), or null when there are too few of them.
   */
  protected abstract robustAggregate(deltas: readonly Float32Array[]): StepResult | null;

  protected step(_round: number, global: Float32Array, results: FitResults): StepResult | null {
    this.checkStateLength(global.length);
    const deltas = (results as PerClientResults).clients.map((c) => c.delta);
    const agg = this.robustAggregate(deltas);
    if (agg === null) return null;
    const weights = fedAvgStep(global, agg.weights, this.serverLr, new Float32Array(global.length));
    return agg.commit ? { weights, commit: agg.commit } : { weights };
  }
}

/**
 * Coordinate-wise median of the client deltas (Yin et al. 2018, "Byzantine-Robust Distributed
 * Learning: Towards Optimal Statistical Rates"; Flower's FedMedian). Tolerates just under half
 * the clients being Byzantine, per coordinate.
 */
export class FedMedian extends RobustStrategy {
  readonly name = 'median';
  constructor(options: RobustOptions = {}) {
    super(options);
  }
  protected robustAggregate(deltas: readonly Float32Array[]): StepResult {
    return { weights: coordinateMedian(deltas) };
  }
}

/** Options of {@link FedTrimmedMean}. */
export interface TrimmedMeanOptions extends RobustOptions {
  /** Fraction β ∈ [0, 0.5) of the clients trimmed from each end, per coordinate (default 0.2). */
  readonly beta?: number;
}

/**
 * Coordinate-wise β-trimmed mean (Yin et al. 2018, "Byzantine-Robust Distributed Learning:
 * Towards Optimal Statistical Rates"; Flower's FedTrimmedAvg): drops the ⌊βn⌋ largest and
 * smallest values of each coordinate and averages the rest.
 */
export class FedTrimmedMean extends RobustStrategy {
  readonly name = 'trimmed-mean';
  readonly beta: number;
  constructor(options: TrimmedMeanOptions = {}) {
    super(options);
    const beta = options.beta ?? 0.2;
    checkConfig(Number.isFinite(beta) && beta >= 0 && beta < 0.5, 'beta', `must be in [0, 0.5), got ${beta}`);
    this.beta = beta;
  }
  protected robustAggregate(deltas: readonly Float32Array[]): StepResult {
    return { weights: trimmedMean(deltas, this.beta) };
  }
}

/** Options of {@link Krum}. */
export interface KrumOptions extends RobustOptions {
  /** The number f of Byzantine clients to tolerate; a round needs n ≥ 2f + 3 results. */
  readonly byzantine: number;
  /** Multi-Krum: average the m best-scored deltas (default 1: Krum). */
  readonly multi?: number;
}

/**
 * Krum / Multi-Krum (Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine
 * Tolerant Gradient Descent"): scores each delta by the summed squared distances to its n − f − 2
 * nearest neighbours and keeps the best (Krum) or averages the m best (Multi-Krum). With fewer
 * than 2f + 3 results, `aggregate` returns null. When fewer than m deltas arrive, all n are
 * scored and min(m, n) kept.
 */
export class Krum extends RobustStrategy {
  readonly name = 'krum';
  readonly byzantine: number;
  readonly multi: number;
  /** Indices (into the round's clients) that the last successful aggregate kept. */
  lastSelected: readonly number[] = [];

  constructor(options: KrumOptions) {
    super(options);
    const f = options.byzantine;
    checkConfig(Number.isSafeInteger(f) && f >= 0, 'byzantine', `must be an integer ≥ 0, got ${f}`);
    const m = options.multi ?? 1;
    checkConfig(Number.isSafeInteger(m) && m >= 1, 'multi', `must be an integer ≥ 1, got ${m}`);
    this.byzantine = f;
    this.multi = m;
  }

  protected robustAggregate(deltas: readonly Float32Array[]): StepResult | null {
    if (deltas.length < krumMinClients(this.byzantine)) return null;
    const { aggregate, selected } = multiKrum(deltas, this.byzantine, Math.min(this.multi, deltas.length));
    return { weights: aggregate, commit: () => (this.lastSelected = selected) };
  }
}

/** Options of {@link CenteredClipping}. */
export interface CenteredClippingOptions extends RobustOptions {
  /** Clipping radius τ > 0 around the center. */
  readonly radius: number;
  /** Clipping iterations L (default 1, the paper's choice). */
  readonly iterations?: number;
}

/**
 * Centered clipping (Karimireddy, He & Jaggi 2021, "Learning from History for Byzantine Robust
 * Optimization"): clips each delta's distance to the previous round's aggregate at τ and
 * averages; the history makes a slow poisoning drift expensive. State: `center` (the last
 * aggregate; 0 before the first round).
 */
export class CenteredClipping extends RobustStrategy {
  readonly name = 'centered-clip';
  readonly radius: number;
  readonly iterations: number;
  private center: Float32Array | null = null;

  constructor(options: CenteredClippingOptions) {
    super(options);
    this.radius = checkPositive('radius', options.radius);
    const l = options.iterations ?? 1;
    checkConfig(Number.isSafeInteger(l) && l >= 1, 'iterations', `must be an integer ≥ 1, got ${l}`);
    this.iterations = l;
  }

  protected robustAggregate(deltas: readonly Float32Array[]): StepResult {
    const n = deltas[0]!.length;
    const next = centeredClip(deltas, this.center ?? new Float32Array(n), this.radius, this.iterations);
    return { weights: next, commit: () => (this.center = next) };
  }

  protected override stateNames(): readonly string[] {
    return ['center'];
  }
  protected override getState(): Record<string, Float32Array> | null {
    return this.center && { center: this.center };
  }
  protected override setState(arrays: Record<string, Float32Array> | null): void {
    this.center = arrays?.['center'] ?? null;
  }
}
