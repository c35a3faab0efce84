import { CentralDp, type Strategy } from '@fedzip/aggregation';
import { mixSeed } from '@fedzip/codec';
import type { ExperimentConfig } from '@fedzip/config';
import { DEFAULT_ORDERS, computeRdp, epsilonFromRdp } from '@fedzip/privacy';
import type { AssignMessage } from '@fedzip/protocol';

/** Mixed into the experiment seed for the server's DP noise, apart from every other stream. */
const NOISE_STREAM = 0x6a09e667;

/**
 * The coordinator's side of the `privacy` section (docs/privacy.md): wraps the strategy for central
 * DP, says what the `assign` message carries, and reports ε after each round.
 *
 * ε is stateless in the round count: after r completed rounds it is the sampled Gaussian mechanism
 * composed r times (central: q = clients per round / clients.count, σ; local: q = 1, σ/2, see
 * `localPrivacyAfterRounds`), so a resumed run reports the same numbers as an uninterrupted one.
 */
export class PrivacyBudget {
  /** RDP of one round at each of DEFAULT_ORDERS (empty when privacy is off). */
  private readonly perRound: number[];
  private readonly cache = new Map<number, number>();

  constructor(private readonly config: ExperimentConfig) {
    const p = config.privacy;
    this.perRound = p.enabled ? computeRdp(this.q, this.sigma, 1, DEFAULT_ORDERS) : [];
  }

  /** Whether privacy is on. */
  get enabled(): boolean {
    return this.config.privacy.enabled;
  }

  /** The sampling rate the accountant uses (1 in local mode: the server knows whom it picked). */
  get q(): number {
    const c = this.config.clients;
    if (this.config.privacy.mode === 'local') return 1;
    const nominal = c.perRound ?? Math.max(1, Math.floor((c.fraction ?? 1) * c.count));
    return Math.min(1, nominal / c.count);
  }

  /** The noise multiplier the accountant uses (σ/2 in local mode: replace-one sensitivity 2C). */
  get sigma(): number {
    const p = this.config.privacy;
    return p.mode === 'local' ? p.noiseMultiplier / 2 : p.noiseMultiplier;
  }

  /** `strategy`, wrapped in {@link CentralDp} when central DP is on. */
  wrap(strategy: Strategy): Strategy {
    const p = this.config.privacy;
    if (!p.enabled || p.mode !== 'central') return strategy;
    const seed = p.noiseSeed ?? mixSeed((this.config.seed ^ NOISE_STREAM) >>> 0);
    return new CentralDp(strategy, { clipNorm: p.clipNorm, noiseMultiplier: p.noiseMultiplier, seed });
  }

  /** The `dp` field of `assign` (spread it in: `{}` when privacy is off). */
  assignField(): Pick<AssignMessage, 'dp'> {
    const p = this.config.privacy;
    if (!p.enabled) return {};
    return { dp: { clipNorm: p.clipNorm, noiseMultiplier: p.mode === 'local' ? p.noiseMultiplier : 0 } };
  }

  /** ε at `privacy.delta` after `rounds` completed rounds; null when privacy is off. ∞ when σ = 0. */
  epsilonAfter(rounds: number): number | null {
    if (!this.enabled) return null;
    let eps = this.cache.get(rounds);
    if (eps === undefined) {
      const rdp = this.perRound.map((r) => (rounds === 0 ? 0 : r * rounds));
      eps = epsilonFromRdp(DEFAULT_ORDERS, rdp, this.config.privacy.delta).epsilon;
      this.cache.set(rounds, eps);
    }
    return eps;
  }

  /** The `epsilon` field of a round record (`{}` when privacy is off or ε is infinite: JSON has no ∞). */
  recordField(rounds: number): { epsilon?: number } {
    const eps = this.epsilonAfter(rounds);
    return eps === null || !Number.isFinite(eps) ? {} : { epsilon: eps };
  }
}
