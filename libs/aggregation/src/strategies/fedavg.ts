import { checkConfig } from '../errors.js';
import { fedAvgMStep, fedAvgStep } from '../math/server-steps.js';
import type { FitResults, MeanResults } from '../strategy.js';
import { BaseStrategy, type BaseStrategyOptions, type StepResult } from './base-strategy.js';

/** Options of {@link FedAvg}. */
export interface FedAvgOptions extends BaseStrategyOptions {
  /** Server learning rate η (default 1: the weighted mean of the client models). */
  readonly serverLr?: number;
}

/** Checks a positive finite number option. */
export function checkPositive(field: string, v: number): number {
  checkConfig(Number.isFinite(v) && v > 0, field, `must be a finite number > 0, got ${v}`);
  return v;
}

/** Checks an option in [0, 1). */
export function checkUnitInterval(field: string, v: number): number {
  checkConfig(Number.isFinite(v) && v >= 0 && v < 1, field, `must be in [0, 1), got ${v}`);
  return v;
}

/**
 * FedAvg (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data"): the sample-weighted mean of the client deltas, applied with a server
 * learning rate η: `w ← w + η Δ̄`, `Δ̄ = Σ nₖ Δₖ / Σ nₖ`. Consumes only the streamed mean.
 * FedProx (Li et al. 2020) is this server with a `proximalMu` in `fitConfig` for the clients.
 */
export class FedAvg extends BaseStrategy {
  readonly name: string = 'fedavg';
  readonly needs = 'mean' as const;
  readonly serverLr: number;

  constructor(options: FedAvgOptions = {}) {
    super(options);
    this.serverLr = checkPositive('serverLr', options.serverLr ?? 1);
  }

  protected step(_round: number, global: Float32Array, results: FitResults): StepResult {
    const { mean } = results as MeanResults;
    return { weights: fedAvgStep(global, mean, this.serverLr, new Float32Array(global.length)) };
  }
}

/** Options of {@link FedAvgM}. */
export interface FedAvgMOptions extends FedAvgOptions {
  /** Server momentum β ∈ [0, 1) (default 0.9). */
  readonly momentum?: number;
}

/**
 * FedAvgM (Hsu, Qi & Brown 2019, "Measuring the Effects of Non-Identical Data Distribution for
 * Federated Visual Classification"): server momentum on the weighted mean delta,
 * `v ← β v + Δ̄`, `w ← w + η v`, with v = 0 before the first round. State: `velocity`.
 */
export class FedAvgM extends BaseStrategy {
  readonly name = 'fedavgm';
  readonly needs = 'mean' as const;
  readonly serverLr: number;
  readonly momentum: number;
  private velocity: Float32Array | null = null;

  constructor(options: FedAvgMOptions = {}) {
    super(options);
    this.serverLr = checkPositive('serverLr', options.serverLr ?? 1);
    this.momentum = checkUnitInterval('momentum', options.momentum ?? 0.9);
  }

  protected step(_round: number, global: Float32Array, results: FitResults): StepResult {
    this.checkStateLength(global.length);
    const n = global.length;
    const { mean } = results as MeanResults;
    const velocity = new Float32Array(n);
    const weights = fedAvgMStep(
      global,
      mean,
      this.velocity ?? velocity,
      this.serverLr,
      this.momentum,
      new Float32Array(n),
      velocity,
    );
    return { weights, commit: () => (this.velocity = velocity) };
  }

  protected override stateNames(): readonly string[] {
    return ['velocity'];
  }
  protected override getState(): Record<string, Float32Array> | null {
    return this.velocity && { velocity: this.velocity };
  }
  protected override setState(arrays: Record<string, Float32Array> | null): void {
    this.velocity = arrays?.['velocity'] ?? null;
  }
}

/** Options of {@link FedProx}. */
export interface FedProxOptions extends FedAvgOptions {
  /** The proximal coefficient μ ≥ 0 clients add as `μ/2 ‖w − w_global‖²` to their loss. */
  readonly proximalMu: number;
}

/**
 * FedProx (Li et al. 2020, "Federated Optimization in Heterogeneous Networks", MLSys): the
 * proximal term lives in the clients' loss, so the server is FedAvg's and the strategy only
 * sends `proximalMu` in every round's `fitConfig`.
 */
export class FedProx extends FedAvg {
  override readonly name = 'fedprox';
  readonly proximalMu: number;

  constructor(options: FedProxOptions) {
    const mu = options.proximalMu;
    checkConfig(Number.isFinite(mu) && mu >= 0, 'proximalMu', `must be a finite number ≥ 0, got ${mu}`);
    super({ ...options, fitConfig: { ...options.fitConfig, proximalMu: mu } });
    this.proximalMu = mu;
  }
}
