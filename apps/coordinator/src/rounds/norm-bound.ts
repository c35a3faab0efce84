import { l2Norm } from '@fedzip/aggregation';
import { type EncodedTensor, createCodec, decode } from '@fedzip/codec';
import type { RobustnessConfig } from '@fedzip/config';

/** The `robustness.normBound` settings. */
export type NormBoundConfig = NonNullable<RobustnessConfig['normBound']>;

/** Outcome of {@link NormBound.check}. */
export type NormCheck =
  | {
      readonly ok: true;
      /** The update to aggregate: the one received, or a dense re-encoding of its clipped form. */
      readonly update: Uint8Array;
      /** Its L2 norm as aggregated (after clipping). */
      readonly norm: number;
      /** Whether it was scaled down to the bound. */
      readonly clipped: boolean;
    }
  | { readonly ok: false; readonly norm: number; readonly bound: number; readonly message: string };

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The optional norm bound of the update intake (`robustness.normBound`, issue 7): an update whose
 * L2 norm exceeds `multiple` × a reference median is rejected or clipped.
 *
 * The intake aggregates as updates arrive, so the round's own median is unknown when an update
 * must be judged. The reference is the median norm of the updates accepted by the last round that
 * accepted at least `minCount` of them, fixed for the whole round (the same bound for every client
 * of a round, whatever the arrival order; an attacker cannot raise it mid-round). Before such a
 * round exists, it is the median of the current round's accepted norms once there are `minCount`;
 * until then updates pass unbounded. A zero median bounds nothing (all-zero updates are degenerate).
 *
 * Memory: one dense scratch array of the model's size, plus the norms of two rounds.
 */
export class NormBound {
  private scratch: Float32Array | null = null;
  private current: { roundId: number; norms: number[] } | null = null;
  private reference: readonly number[] | null = null;

  constructor(
    readonly config: NormBoundConfig,
    private readonly n: number,
  ) {}

  /** The bound updates of round `roundId` face now (Infinity when there is no reference yet). */
  boundFor(roundId: number): number {
    const cur = this.roll(roundId);
    const ref = this.reference ?? (cur.norms.length >= this.config.minCount ? cur.norms : null);
    if (!ref) return Infinity;
    const m = median(ref);
    return m > 0 ? this.config.multiple * m : Infinity;
  }

  /**
   * Decodes `parsed` (throws the codec's `CodecError`, e.g. `NON_FINITE`) and checks its norm
   * against {@link boundFor}. Nothing is recorded: call {@link accepted} once the update is in.
   */
  check(roundId: number, encoded: Uint8Array, parsed: Parameters<typeof decode>[0]): NormCheck {
    const dense = decode(parsed, { out: (this.scratch ??= new Float32Array(this.n)) });
    const norm = l2Norm(dense);
    const bound = this.boundFor(roundId);
    if (norm <= bound) return { ok: true, update: encoded, norm, clipped: false };
    const message = `update norm ${norm.toPrecision(4)} exceeds ${this.config.multiple} × the median norm (${bound.toPrecision(4)})`;
    if (this.config.action === 'reject') return { ok: false, norm, bound, message };
    const scale = bound / norm;
    for (let i = 0; i < dense.length; i++) dense[i]! *= scale;
    const update: EncodedTensor = createCodec('none').encode(dense, 0);
    return { ok: true, update, norm: bound, clipped: true };
  }

  /** Records the norm of an update accepted into round `roundId`. */
  accepted(roundId: number, norm: number): void {
    this.roll(roundId).norms.push(norm);
  }

  /** The current round's record; a new round id makes the previous round the reference if it has enough norms. */
  private roll(roundId: number): { roundId: number; norms: number[] } {
    if (this.current?.roundId !== roundId) {
      if (this.current && this.current.norms.length >= this.config.minCount)
        this.reference = this.current.norms;
      this.current = { roundId, norms: [] };
    }
    return this.current;
  }
}
