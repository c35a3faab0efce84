import { type CodecErrorCode, CodecError, type DecodeLimits, decode, parseEncoded } from '@fedzip/codec';
import { type AddReport, UpdateAccumulator } from './accumulator.js';
import { AggregationError } from './errors.js';
import { clipScale, l2Norm } from './math/vector.js';
import type { AggregationInput, ClientFit, ClientUpdate, FitResults, Strategy } from './strategy.js';

/** Options of {@link RoundCollector}. */
export interface CollectorOptions {
  /** Largest element count a message may declare (the codec's limit, default 2^27). */
  readonly maxElements?: number;
  /** Clip every delta to this L2 norm (a strategy's `clipNorm`). */
  readonly clipNorm?: number;
}

/** Why the collector refused an update: the codec's reason, or a duplicate client. */
export type RejectionCode = CodecErrorCode | 'DUPLICATE_CLIENT';

/** Outcome of {@link RoundCollector.tryAdd}. */
export type CollectOutcome =
  | ({ readonly ok: true } & AddReport)
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string };

/**
 * Gathers one round's encoded updates into the input a strategy `needs`: a streaming
 * {@link UpdateAccumulator} for `'mean'` (O(model) memory), or one decoded Float32Array per
 * client for `'per-client'`. Either way every message is validated against the model length
 * before it touches anything, and a rejected update leaves the round as it was.
 */
export class RoundCollector {
  private readonly fits: ClientFit[] = [];
  private readonly updates: ClientUpdate[] = [];
  private readonly seen = new Set<string>();
  private readonly accumulator: UpdateAccumulator | null;
  private readonly limits: DecodeLimits;
  private readonly clipNorm: number | undefined;

  /**
   * @param n - the model's parameter count.
   * @param needs - the strategy's input shape.
   */
  constructor(
    readonly n: number,
    readonly needs: AggregationInput,
    options: CollectorOptions = {},
  ) {
    this.clipNorm = options.clipNorm;
    this.accumulator = needs === 'mean' ? new UpdateAccumulator(n, options) : null;
    if (
      needs === 'per-client' &&
      options.clipNorm !== undefined &&
      !(Number.isFinite(options.clipNorm) && options.clipNorm > 0)
    ) {
      throw new RangeError(`clipNorm must be a finite number > 0, got ${options.clipNorm}`);
    }
    this.limits =
      options.maxElements === undefined
        ? { expectedLength: n }
        : { expectedLength: n, maxElements: options.maxElements };
  }

  /** A collector shaped for `strategy` (its `needs` and `clipNorm`) and a model of n parameters. */
  static for(strategy: Strategy, n: number, options: { readonly maxElements?: number } = {}): RoundCollector {
    return new RoundCollector(n, strategy.needs, {
      ...options,
      ...(strategy.clipNorm !== undefined && { clipNorm: strategy.clipNorm }),
    });
  }

  /** Updates accepted so far. */
  get count(): number {
    return this.fits.length;
  }

  /**
   * Validates and takes one client's update, weighted by `fit.numSamples`. Throws a `CodecError`
   * for a bad message or sample count (`BAD_PARAM`), or an `AggregationError`
   * `DUPLICATE_CLIENT` for a second update from the same client; then nothing was taken.
   */
  add(fit: ClientFit, encoded: Uint8Array): AddReport {
    if (this.seen.has(fit.clientId)) {
      throw new AggregationError(
        'DUPLICATE_CLIENT',
        `client ${fit.clientId} already sent an update this round`,
      );
    }
    let report: AddReport;
    if (this.accumulator) {
      report = this.accumulator.add(encoded, fit.numSamples);
    } else {
      const w = fit.numSamples;
      if (!(Number.isFinite(w) && w > 0))
        throw new CodecError('BAD_PARAM', `weight ${w} must be a finite number > 0`);
      const delta = decode(parseEncoded(encoded, this.limits));
      report = { norm: null, scale: 1 };
      if (this.clipNorm !== undefined) {
        const norm = l2Norm(delta);
        const scale = clipScale(norm, this.clipNorm);
        if (scale !== 1) for (let i = 0; i < delta.length; i++) delta[i]! *= scale;
        report = { norm, scale };
      }
      this.updates.push({ ...copyFit(fit), delta });
    }
    this.seen.add(fit.clientId);
    this.fits.push(copyFit(fit));
    return report;
  }

  /** {@link add} that returns the rejection's code instead of throwing it. */
  tryAdd(fit: ClientFit, encoded: Uint8Array): CollectOutcome {
    try {
      return { ok: true, ...this.add(fit, encoded) };
    } catch (e) {
      if (e instanceof CodecError || (e instanceof AggregationError && e.code === 'DUPLICATE_CLIENT')) {
        return { ok: false, code: e.code as RejectionCode, message: e.message };
      }
      throw e;
    }
  }

  /** The round's results, in the shape `needs` names (a zero mean when nothing was accepted). */
  results(): FitResults {
    const clip = this.clipNorm === undefined ? {} : { clipNorm: this.clipNorm };
    if (this.accumulator) {
      const acc = this.accumulator;
      return {
        kind: 'mean',
        clients: [...this.fits],
        mean: acc.count > 0 ? acc.mean() : new Float32Array(this.n),
        totalWeight: acc.totalWeight,
        ...clip,
      };
    }
    return { kind: 'per-client', clients: [...this.updates], ...clip };
  }
}

function copyFit(fit: ClientFit): ClientFit {
  const { clientId, numSamples, metrics } = fit;
  return metrics === undefined ? { clientId, numSamples } : { clientId, numSamples, metrics: { ...metrics } };
}
