import { checkConfig } from '../errors.js';
import { clipScale, l2Norm, weightedMean } from '../math/vector.js';
import type {
  AggregationInput,
  ClientUpdate,
  FitFailure,
  FitResults,
  PerClientResults,
  Strategy,
} from '../strategy.js';
import { checkShape } from './base-strategy.js';
import { WrappingStrategy } from './wrapping-strategy.js';

/** Options of {@link NormClipping}: exactly one of `maxNorm` and `medianMultiple`. */
export interface NormClippingOptions {
  /**
   * A fixed L2 bound C. Streaming-friendly: the wrapper asks the coordinator (through
   * `clipNorm`) to clip each update while accumulating, and keeps the inner strategy's `needs`.
   */
  readonly maxNorm?: number;
  /**
   * A bound relative to the round: `medianMultiple × median(‖Δₖ‖)` (issue 7's norm bound). Needs
   * every client's delta (`needs` becomes `'per-client'`).
   */
  readonly medianMultiple?: number;
  /** With `medianMultiple`: scale oversized deltas down (`'clip'`, default) or drop them (`'reject'`). */
  readonly action?: 'clip' | 'reject';
}

/**
 * Norm clipping as a wrapper around any strategy, the way Flower adds privacy and robustness by
 * wrapping a strategy: each client delta is scaled to at most a bound before the inner strategy
 * sees it, so a single huge update moves the model by a bounded amount. The same seam carries
 * client-level DP later (clip to C here, add N(0, σ²C²) noise to the aggregate).
 *
 * Selection, fit config, evaluation and state are the inner strategy's; the name is
 * `clip(<inner>)`. Rejected clients (`action: 'reject'`) join the failures with code
 * `NORM_BOUND`, so `acceptFailures: false` on the inner strategy fails such a round.
 */
export class NormClipping extends WrappingStrategy {
  override readonly needs: AggregationInput;
  readonly clipNorm?: number;
  readonly medianMultiple?: number;
  readonly action: 'clip' | 'reject';
  /** Per-client norms and the bound of the last `medianMultiple` round (for metrics). */
  lastRound: { readonly norms: readonly number[]; readonly bound: number } | null = null;

  constructor(inner: Strategy, options: NormClippingOptions) {
    super(inner, `clip(${inner.name})`);
    const { maxNorm, medianMultiple } = options;
    checkConfig(
      (maxNorm === undefined) !== (medianMultiple === undefined),
      'clip',
      'give exactly one of maxNorm and medianMultiple',
    );
    this.action = options.action ?? 'clip';
    checkConfig(
      ['clip', 'reject'].includes(this.action),
      'action',
      `must be 'clip' or 'reject', got ${this.action}`,
    );
    if (maxNorm !== undefined) {
      checkConfig(
        Number.isFinite(maxNorm) && maxNorm > 0,
        'maxNorm',
        `must be a finite number > 0, got ${maxNorm}`,
      );
      checkConfig(options.action === undefined, 'action', 'only applies with medianMultiple');
      this.clipNorm = inner.clipNorm === undefined ? maxNorm : Math.min(maxNorm, inner.clipNorm);
      this.needs = inner.needs;
    } else {
      const k = medianMultiple!;
      checkConfig(Number.isFinite(k) && k > 0, 'medianMultiple', `must be a finite number > 0, got ${k}`);
      checkConfig(
        inner.clipNorm === undefined,
        'medianMultiple',
        'cannot wrap a strategy that clips to a fixed norm',
      );
      this.medianMultiple = k;
      this.needs = 'per-client';
    }
  }

  /**
   * {@inheritDoc Strategy.aggregate}
   *
   * With `medianMultiple`, also null when every client was rejected for its norm.
   */
  override aggregate(
    round: number,
    global: Float32Array,
    results: FitResults,
    failures: readonly FitFailure[],
  ): Float32Array | null {
    checkShape(this, global, results);
    if (this.medianMultiple === undefined) return this.inner.aggregate(round, global, results, failures);

    const clients = (results as PerClientResults).clients;
    if (clients.length === 0)
      return this.inner.aggregate(round, global, this.reshape([], global.length), failures);
    const norms = clients.map((c) => l2Norm(c.delta));
    const bound = this.medianMultiple * median(norms);
    const kept: ClientUpdate[] = [];
    const dropped: FitFailure[] = [];
    clients.forEach((c, k) => {
      const norm = norms[k]!;
      if (norm <= bound) kept.push(c);
      else if (this.action === 'reject') {
        dropped.push({ clientId: c.clientId, code: 'NORM_BOUND', message: `norm ${norm} exceeds ${bound}` });
      } else {
        const s = clipScale(norm, bound);
        kept.push({ ...c, delta: c.delta.map((x) => x * s) });
      }
    });
    if (kept.length === 0) return null;
    const next = this.inner.aggregate(round, global, this.reshape(kept, global.length), [
      ...failures,
      ...dropped,
    ]);
    if (next !== null) this.lastRound = { norms, bound };
    return next;
  }

  /** The clipped per-client deltas in the shape the inner strategy needs. */
  private reshape(clients: readonly ClientUpdate[], n: number): FitResults {
    if (this.inner.needs === 'per-client') return { kind: 'per-client', clients };
    return {
      kind: 'mean',
      clients: clients.map(({ clientId, numSamples, metrics }) =>
        metrics === undefined ? { clientId, numSamples } : { clientId, numSamples, metrics },
      ),
      mean:
        clients.length > 0
          ? weightedMean(
              clients.map((c) => c.delta),
              clients.map((c) => c.numSamples),
            )
          : new Float32Array(n),
      totalWeight: clients.reduce((s, c) => s + c.numSamples, 0),
    };
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
