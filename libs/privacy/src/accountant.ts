import { DEFAULT_ORDERS, type PrivacySpent, computeRdp, epsilonFromRdp } from './rdp.js';

/** One kind of step the accountant has composed. */
export interface AccountedSteps {
  /** Sampling rate of each step. */
  readonly q: number;
  /** Noise multiplier σ of each step. */
  readonly sigma: number;
  /** How many such steps. */
  readonly steps: number;
}

/**
 * An RDP accountant (TF Privacy's `RdpAccountant` / Opacus' `RDPAccountant`): composes steps of the
 * sampled Gaussian mechanism by adding their RDP curves over a fixed set of orders, and converts
 * the total to (ε, δ) on demand. Steps of different q and σ compose freely.
 */
export class RdpAccountant {
  private readonly total: number[];
  private readonly log: AccountedSteps[] = [];

  constructor(readonly orders: readonly number[] = DEFAULT_ORDERS) {
    if (orders.length === 0) throw new RangeError('give at least one Rényi order');
    this.total = orders.map(() => 0);
  }

  /** Composes `steps` steps of sampling rate q and noise multiplier σ. */
  step(q: number, sigma: number, steps = 1): this {
    const rdp = computeRdp(q, sigma, steps, this.orders);
    rdp.forEach((r, k) => (this.total[k]! += r));
    if (steps > 0) this.log.push({ q, sigma, steps });
    return this;
  }

  /** The steps composed so far, in order. */
  get history(): readonly AccountedSteps[] {
    return this.log;
  }

  /** The composed RDP curve (a copy), one value per order. */
  get rdp(): number[] {
    return [...this.total];
  }

  /** ε at `delta` (∞ when some step had σ = 0 and q > 0; 0 before any step). */
  epsilon(delta: number): number {
    return this.spent(delta).epsilon;
  }

  /** (ε, δ) and the optimal order. */
  spent(delta: number): PrivacySpent {
    return epsilonFromRdp(this.orders, this.total, delta);
  }
}

/** What {@link privacyAfterRounds} needs: the parameters of a DP-FedAvg run. */
export interface RoundPrivacy {
  /** Probability that a given client takes part in a round (clients per round / clients). */
  readonly q: number;
  /** Noise multiplier σ: the noise std on the sum of clipped updates is σ·C. */
  readonly noiseMultiplier: number;
  readonly delta: number;
}

/**
 * ε after `rounds` rounds of DP-FedAvg (client-level, add/remove-one-client adjacency): the
 * sampled Gaussian mechanism composed `rounds` times. Stateless, so a resumed run recomputes it
 * from the round count alone.
 */
export function privacyAfterRounds(p: RoundPrivacy, rounds: number): PrivacySpent {
  return new RdpAccountant().step(p.q, p.noiseMultiplier, rounds).spent(p.delta);
}

/**
 * ε of local DP after `rounds` releases by one client: each release is the Gaussian mechanism on a
 * clipped update (L2 norm ≤ C) with noise σ·C. Local DP protects against the server, which knows
 * whom it selected, so there is no amplification by sampling (q = 1), and the adjacency is
 * "replace the client's data", whose sensitivity is 2C: the effective noise multiplier is σ/2.
 * Worst case: the client took part in every round.
 */
export function localPrivacyAfterRounds(
  noiseMultiplier: number,
  delta: number,
  rounds: number,
): PrivacySpent {
  return new RdpAccountant().step(1, noiseMultiplier / 2, rounds).spent(delta);
}
