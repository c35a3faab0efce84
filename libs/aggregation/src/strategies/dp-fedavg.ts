import { Xoshiro128, mixSeed, type Rng } from '@fedzip/codec';
import { GaussianSampler } from '@fedzip/privacy';
import { checkConfig } from '../errors.js';
import type { AggregationInput, FitFailure, FitResults, PerClientResults, Strategy } from '../strategy.js';
import { checkShape } from './base-strategy.js';
import { WrappingStrategy } from './wrapping-strategy.js';

/** Options of {@link CentralDp}. */
export interface CentralDpOptions {
  /** L2 bound C every client update is clipped to (on the server, whatever the client did). */
  readonly clipNorm: number;
  /** Noise multiplier σ: N(0, σ²C²) is added to each coordinate of the sum of clipped updates. */
  readonly noiseMultiplier: number;
  /** Seed of the noise stream (kept apart from client selection); per round it is mixed with the round. */
  readonly seed: number;
}

/**
 * Central client-level DP as a strategy wrapper (DP-FedAvg of McMahan et al. 2018, "Learning
 * Differentially Private Recurrent Language Models", with Flower's
 * `DifferentialPrivacyServerSideFixedClipping` cut): every client delta is clipped to C on
 * arrival (`clipNorm`: the collector does it, so a client that skipped clipping gains nothing),
 * the clipped deltas are summed **unweighted**, N(0, σ²C²) is added per coordinate, and the sum is
 * divided by the number of clients *selected* for the round (a constant of the configuration, the
 * paper's fixed-denominator estimator), never by sample counts: sample-count weights would let one
 * client's weight, and so the sensitivity, grow without bound. The inner strategy (FedAvg, FedAvgM,
 * FedAdam, …) then steps from this noisy mean as from any mean: post-processing, no privacy cost.
 *
 * Adding or removing one client moves the sum by at most C, so each round is the sampled Gaussian
 * mechanism with noise multiplier σ, which `@fedzip/privacy`'s accountant composes.
 *
 * Noise comes from xoshiro128 seeded with `mixSeed(seed ^ round·φ)`: reproducible, resumable, and
 * independent of the selection stream. A run's noise is only private while that seed is.
 */
export class CentralDp extends WrappingStrategy {
  override readonly needs: AggregationInput = 'per-client';
  readonly clipNorm: number;
  readonly noiseMultiplier: number;
  private readonly seed: number;
  private selected = new Map<number, number>();
  /** Per-round noise std on the mean (σC/m) of the last aggregated round, for metrics and tests. */
  lastNoiseStd: number | null = null;

  constructor(inner: Strategy, options: CentralDpOptions) {
    super(inner, `dp(${inner.name})`);
    const { clipNorm, noiseMultiplier, seed } = options;
    checkConfig(
      Number.isFinite(clipNorm) && clipNorm > 0,
      'clipNorm',
      `must be a finite number > 0, got ${clipNorm}`,
    );
    checkConfig(
      Number.isFinite(noiseMultiplier) && noiseMultiplier >= 0,
      'noiseMultiplier',
      `must be a finite number ≥ 0, got ${noiseMultiplier}`,
    );
    checkConfig(
      inner.needs === 'mean',
      'privacy',
      `central DP averages clipped updates: "${inner.name}" needs per-client updates (use a mean-based strategy)`,
    );
    this.clipNorm = inner.clipNorm === undefined ? clipNorm : Math.min(clipNorm, inner.clipNorm);
    this.noiseMultiplier = noiseMultiplier;
    this.seed = seed >>> 0;
  }

  /** {@inheritDoc Strategy.configureRound} Remembers how many were selected: the mean's denominator. */
  override configureRound(round: number, availableClientIds: readonly string[], rng: Rng): string[] {
    const ids = this.inner.configureRound(round, availableClientIds, rng);
    this.selected.set(round, ids.length);
    for (const r of this.selected.keys()) if (r < round - 4) this.selected.delete(r);
    return ids;
  }

  /**
   * {@inheritDoc Strategy.aggregate}
   *
   * The mean handed to the inner strategy is (Σₖ clip(Δₖ) + N(0, σ²C²)) / m, m the clients
   * selected (or, when `configureRound` was not called for the round, the clients that reported).
   */
  override aggregate(
    round: number,
    global: Float32Array,
    results: FitResults,
    failures: readonly FitFailure[],
  ): Float32Array | null {
    checkShape(this, global, results);
    const clients = (results as PerClientResults).clients;
    const m = Math.max(this.selected.get(round) ?? 0, clients.length, 1);
    const sum = new Float64Array(global.length);
    for (const c of clients) for (let i = 0; i < sum.length; i++) sum[i]! += c.delta[i]!;
    const rng = new Xoshiro128(mixSeed((this.seed ^ Math.imul(round, 0x9e3779b9)) >>> 0));
    new GaussianSampler(rng).addNoise(sum, this.noiseMultiplier * this.clipNorm);
    const mean = new Float32Array(sum.length);
    for (let i = 0; i < mean.length; i++) mean[i] = sum[i]! / m;
    const next = this.inner.aggregate(
      round,
      global,
      {
        kind: 'mean',
        clients: clients.map(({ clientId, numSamples, metrics }) =>
          metrics === undefined ? { clientId, numSamples } : { clientId, numSamples, metrics },
        ),
        mean,
        totalWeight: m,
        clipNorm: this.clipNorm,
      },
      failures,
    );
    if (next !== null) this.lastNoiseStd = (this.noiseMultiplier * this.clipNorm) / m;
    return next;
  }
}
