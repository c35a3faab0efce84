/**
 * Server update rules on the pseudo-gradient: the round's aggregate delta Δ̄ (mean of
 * `w_local − w_global`, so it points *downhill* and is added, never subtracted). Pure functions
 * over typed arrays; the strategy classes keep the state. Arithmetic is in double precision and
 * rounds once on store. Every output may alias its matching input (`out` = `global`,
 * `velocityOut` = `velocity`, …) for in-place updates.
 */
import type { Vector } from './vector.js';

/**
 * FedAvg's server step (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks
 * from Decentralized Data"), with a server learning rate η as in Reddi et al. 2021:
 * `w ← w + η Δ̄`. With η = 1 this is plain federated averaging of the client models.
 */
export function fedAvgStep(global: Vector, delta: Vector, lr: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = global[i]! + lr * delta[i]!;
  return out;
}

/**
 * FedAvgM's server step (Hsu, Qi & Brown 2019, "Measuring the Effects of Non-Identical Data
 * Distribution for Federated Visual Classification"): server momentum on the pseudo-gradient,
 * `v ← β v + Δ̄`, `w ← w + η v`. Writes the new velocity to `velocityOut`.
 */
export function fedAvgMStep(
  global: Vector,
  delta: Vector,
  velocity: Vector,
  lr: number,
  momentum: number,
  out: Float32Array,
  velocityOut: Float32Array,
): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const v = momentum * velocity[i]! + delta[i]!;
    velocityOut[i] = v;
    out[i] = global[i]! + lr * v;
  }
  return out;
}

/** The adaptive server optimizers of Reddi et al. 2021. */
export type FedOptVariant = 'adagrad' | 'adam' | 'yogi';

/** Hyperparameters of {@link fedOptStep}. */
export interface FedOptParams {
  /** Server learning rate η. */
  readonly eta: number;
  /** First-moment decay β1 ∈ [0, 1). */
  readonly beta1: number;
  /** Second-moment decay β2 ∈ [0, 1) (unused by Adagrad). */
  readonly beta2: number;
  /** Adaptivity τ > 0: larger is less adaptive. */
  readonly tau: number;
}

/**
 * One server step of FedAdagrad, FedAdam or FedYogi: Algorithm 2 of Reddi et al. 2021,
 * "Adaptive Federated Optimization" (ICLR), on the pseudo-gradient Δ̄:
 *
 *     m ← β1 m + (1 − β1) Δ̄
 *     v ← v + Δ̄²                              (Adagrad)
 *     v ← β2 v + (1 − β2) Δ̄²                  (Adam)
 *     v ← v − (1 − β2) Δ̄² sign(v − Δ̄²)        (Yogi)
 *     w ← w + η m / (√v + τ)
 *
 * As in the paper there is no bias correction (recent Flower versions add one to FedAdam; the
 * paper wins). Writes the new moments to `mOut` and `vOut`.
 */
export function fedOptStep(
  variant: FedOptVariant,
  global: Vector,
  delta: Vector,
  m: Vector,
  v: Vector,
  p: FedOptParams,
  out: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
): Float32Array {
  const { eta, beta1, beta2, tau } = p;
  for (let i = 0; i < out.length; i++) {
    const d = delta[i]!;
    const d2 = d * d;
    const mi = beta1 * m[i]! + (1 - beta1) * d;
    const vp = v[i]!;
    const vi =
      variant === 'adagrad'
        ? vp + d2
        : variant === 'adam'
          ? beta2 * vp + (1 - beta2) * d2
          : vp - (1 - beta2) * d2 * Math.sign(vp - d2);
    mOut[i] = mi;
    vOut[i] = vi;
    out[i] = global[i]! + (eta * mi) / (Math.sqrt(vi) + tau);
  }
  return out;
}
