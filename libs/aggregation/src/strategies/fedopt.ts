import { type FedOptParams, type FedOptVariant, fedOptStep } from '../math/server-steps.js';
import type { FitResults, MeanResults } from '../strategy.js';
import { BaseStrategy, type BaseStrategyOptions, type StepResult } from './base-strategy.js';
import { checkPositive, checkUnitInterval } from './fedavg.js';

/** Options of the FedOpt strategies; unset values take {@link FEDOPT_DEFAULTS}. */
export interface FedOptOptions extends BaseStrategyOptions {
  /** Server learning rate η. */
  readonly serverLr?: number;
  /** First-moment decay β1 ∈ [0, 1). */
  readonly beta1?: number;
  /** Second-moment decay β2 ∈ [0, 1) (FedAdam, FedYogi). */
  readonly beta2?: number;
  /** Adaptivity τ > 0. */
  readonly tau?: number;
}

/**
 * Defaults per variant. β1 = 0.9 and β2 = 0.99 are the values Reddi et al. fix in their
 * experiments; FedAdagrad defaults to no momentum (β1 = 0), as Flower's FedAdagrad does.
 * The paper tunes η and τ per task, so η comes from Flower (FedAdam, FedAdagrad 0.1; FedYogi
 * 0.01) and τ = 1e-3, Flower's current default and inside the paper's grid.
 */
export const FEDOPT_DEFAULTS: Readonly<Record<FedOptVariant, FedOptParams>> = Object.freeze({
  adagrad: { eta: 0.1, beta1: 0, beta2: 0, tau: 1e-3 },
  adam: { eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-3 },
  yogi: { eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 },
});

/**
 * The adaptive server optimizers of Reddi et al. 2021, "Adaptive Federated Optimization"
 * (ICLR), Algorithm 2, on the sample-weighted mean delta (the paper averages uniformly; weighting
 * by samples follows FedAvg and Flower). State: the moments `m` (starts at 0) and `v` (starts at
 * τ², the least value the paper allows, `v₋₁ ≥ τ²`; Flower starts at 0). No bias correction.
 */
export abstract class FedOpt extends BaseStrategy {
  readonly needs = 'mean' as const;
  readonly params: FedOptParams;
  private m: Float32Array | null = null;
  private v: Float32Array | null = null;

  protected constructor(
    readonly variant: FedOptVariant,
    options: FedOptOptions,
  ) {
    super(options);
    const d = FEDOPT_DEFAULTS[variant];
    this.params = Object.freeze({
      eta: checkPositive('serverLr', options.serverLr ?? d.eta),
      beta1: checkUnitInterval('beta1', options.beta1 ?? d.beta1),
      beta2: checkUnitInterval('beta2', options.beta2 ?? d.beta2),
      tau: checkPositive('tau', options.tau ?? d.tau),
    });
  }

  protected step(_round: number, global: Float32Array, results: FitResults): StepResult {
    this.checkStateLength(global.length);
    const n = global.length;
    const { mean } = results as MeanResults;
    const m = new Float32Array(n);
    const v = new Float32Array(n);
    if (!this.v) v.fill(this.params.tau * this.params.tau);
    const weights = fedOptStep(
      this.variant,
      global,
      mean,
      this.m ?? m,
      this.v ?? v,
      this.params,
      new Float32Array(n),
      m,
      v,
    );
    return {
      weights,
      commit: () => {
        this.m = m;
        this.v = v;
      },
    };
  }

  protected override stateNames(): readonly string[] {
    return ['m', 'v'];
  }
  protected override getState(): Record<string, Float32Array> | null {
    return this.m && this.v && { m: this.m, v: this.v };
  }
  protected override setState(arrays: Record<string, Float32Array> | null): void {
    this.m = arrays?.['m'] ?? null;
    this.v = arrays?.['v'] ?? null;
  }
}

/** FedAdam (Reddi et al. 2021, "Adaptive Federated Optimization"): Adam on the server. */
export class FedAdam extends FedOpt {
  readonly name = 'fedadam';
  constructor(options: FedOptOptions = {}) {
    super('adam', options);
  }
}

/** FedYogi (Reddi et al. 2021, "Adaptive Federated Optimization"): Yogi on the server. */
export class FedYogi extends FedOpt {
  readonly name = 'fedyogi';
  constructor(options: FedOptOptions = {}) {
    super('yogi', options);
  }
}

/** FedAdagrad (Reddi et al. 2021, "Adaptive Federated Optimization"): Adagrad on the server. */
export class FedAdagrad extends FedOpt {
  readonly name = 'fedadagrad';
  constructor(options: FedOptOptions = {}) {
    super('adagrad', options);
  }
}
