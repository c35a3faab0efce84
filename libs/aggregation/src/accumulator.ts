import {
  type CodecErrorCode,
  CodecError,
  type DecodeLimits,
  accumulate,
  decode,
  parseEncoded,
} from '@fedzip/codec';
import { clipScale, l2Norm } from './math/vector.js';

/** Options of {@link UpdateAccumulator}. */
export interface AccumulatorOptions extends DecodeLimits {
  /**
   * Clip every update to this L2 norm before it is summed (norm clipping, and the clipping step
   * of client-level DP). Costs one dense scratch array of n floats, allocated once: memory stays
   * O(model). Unset: updates are summed straight from their encoded form.
   */
  readonly clipNorm?: number;
}

/** What {@link UpdateAccumulator.add} did with an accepted update. */
export interface AddReport {
  /** The update's L2 norm, when clipping computed it (null otherwise). */
  readonly norm: number | null;
  /** The factor the update was scaled by before summing: 1 unless clipped. */
  readonly scale: number;
}

/** Outcome of {@link UpdateAccumulator.tryAdd}: accepted, or rejected with the codec's reason. */
export type AddOutcome =
  | ({ readonly ok: true } & AddReport)
  | { readonly ok: false; readonly code: CodecErrorCode; readonly message: string };

/**
 * The coordinator's streaming aggregation: a running weighted sum of decoded updates, in double
 * precision, of O(model) memory whatever the number of clients (issue 4, "Streaming
 * aggregation"). Each update is validated against the model's length and decoded straight into
 * the sum by the codec's `accumulate`, without a dense copy per client.
 *
 * All-or-nothing per update: a message the codec rejects leaves the sum, the total weight and
 * the count untouched, so a hostile client cannot poison the round by sending half a message.
 */
export class UpdateAccumulator {
  private readonly sum: Float64Array;
  private readonly limits: DecodeLimits;
  private readonly clipNorm: number | undefined;
  private scratch: Float32Array | null = null;
  private weightSum = 0;
  private added = 0;

  /**
   * @param n - the model's parameter count: every update must decode to exactly n values.
   * @param options - decode limits (`expectedLength`, if given, must equal n) and `clipNorm`.
   */
  constructor(
    readonly n: number,
    options: AccumulatorOptions = {},
  ) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    if (options.expectedLength !== undefined && options.expectedLength !== n) {
      throw new RangeError(`expectedLength ${options.expectedLength} disagrees with n = ${n}`);
    }
    const clip = options.clipNorm;
    if (clip !== undefined && !(Number.isFinite(clip) && clip > 0)) {
      throw new RangeError(`clipNorm must be a finite number > 0, got ${clip}`);
    }
    this.sum = new Float64Array(n);
    this.clipNorm = clip;
    this.limits =
      options.maxElements === undefined
        ? { expectedLength: n }
        : { expectedLength: n, maxElements: options.maxElements };
  }

  /** Updates accepted so far. */
  get count(): number {
    return this.added;
  }

  /** Sum of the weights of the accepted updates. */
  get totalWeight(): number {
    return this.weightSum;
  }

  /**
   * Validates `encoded` and adds `weight × update` (clipped first when `clipNorm` is set) to the
   * running sum. Throws a `CodecError` on a bad message (`SHAPE_MISMATCH` when its length is not
   * n, `BAD_CHECKSUM`, `TRUNCATED`, …) or a bad weight (`BAD_PARAM`: it must be finite and > 0),
   * and then nothing was added.
   */
  add(encoded: Uint8Array, weight: number): AddReport {
    if (!(Number.isFinite(weight) && weight > 0)) {
      throw new CodecError('BAD_PARAM', `weight ${weight} must be a finite number > 0`);
    }
    const parsed = parseEncoded(encoded, this.limits);
    let report: AddReport = { norm: null, scale: 1 };
    if (this.clipNorm === undefined) {
      accumulate(parsed, weight, this.sum, this.limits);
    } else {
      // decode validates every value before writing, so a rejection throws before the sum moves
      const dense = decode(parsed, { out: (this.scratch ??= new Float32Array(this.n)) });
      const norm = l2Norm(dense);
      const scale = clipScale(norm, this.clipNorm);
      const w = weight * scale;
      const sum = this.sum;
      for (let i = 0; i < dense.length; i++) sum[i]! += w * dense[i]!;
      report = { norm, scale };
    }
    this.weightSum += weight;
    this.added++;
    return report;
  }

  /** {@link add} that returns a rejection (with the codec's code) instead of throwing one. */
  tryAdd(encoded: Uint8Array, weight: number): AddOutcome {
    try {
      return { ok: true, ...this.add(encoded, weight) };
    } catch (e) {
      if (e instanceof CodecError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }

  /**
   * The weighted mean update `Σ wₖ Δₖ / Σ wₖ`, rounded once to float32 (into `out` if given).
   * Throws a RangeError when nothing was accepted: there is no mean of zero updates.
   */
  mean(out: Float32Array = new Float32Array(this.n)): Float32Array {
    if (this.added === 0) throw new RangeError('no update was accepted: there is no mean');
    if (out.length !== this.n) throw new RangeError(`out has ${out.length} elements, not ${this.n}`);
    const total = this.weightSum;
    const sum = this.sum;
    for (let i = 0; i < out.length; i++) out[i] = sum[i]! / total;
    return out;
  }

  /** Forgets every update, keeping the buffers (for the next round). */
  reset(): void {
    this.sum.fill(0);
    this.weightSum = 0;
    this.added = 0;
  }
}
