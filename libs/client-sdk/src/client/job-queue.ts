/**
 * The client's work queue and its policy for overlapping assignments. Local work runs one job at a
 * time (there is one tfjs network), while messages keep arriving:
 *
 * - **Round ids only move forward.** An assignment for a round at or before the latest one
 *   accepted is ignored (`stale`, or `duplicate` for the same round).
 * - **The newest assignment wins.** At most one training job waits: a newer assignment replaces
 *   a waiting one (`superseded`), and marks a running one to abort at its next batch, or before
 *   its update is sent. The coordinator opens round r + 1 only after r closed, so r's update would
 *   be refused as `LATE` anyway; the abandoned round's delta is never encoded, so the residual does
 *   not change.
 * - **Training needs its exact base.** A job captures the weights of `assign.modelVersion` when
 *   they are held; otherwise it waits for that version to arrive, and is dropped (`no-model`) when a
 *   later version arrives instead.
 * - **Training before evaluation**: rounds have deadlines; evaluation requests wait behind them.
 */
import type { ReceivedOf } from '@fedzip/protocol';
import type { SkipReason } from '../events.js';

/** Train for a round. */
export interface TrainJob {
  readonly kind: 'train';
  readonly assign: ReceivedOf<'assign'>;
  /** The weights of `assign.modelVersion`, once held. */
  base: Float32Array | null;
  /** Set when the job must stop: why. */
  abort: SkipReason | null;
}

/** Evaluate a held version on local data. */
export interface EvalJob {
  readonly kind: 'eval';
  readonly request: ReceivedOf<'eval-request'>;
  readonly base: Float32Array;
}

/** Any job. */
export type Job = TrainJob | EvalJob;

/** Outcome of {@link JobQueue.offerAssign}. */
export type AssignOffer =
  | { readonly accepted: true; readonly job: TrainJob; readonly replaced: TrainJob | null }
  | { readonly accepted: false; readonly reason: 'stale' | 'duplicate' };

/** The queue; see the module comment. */
export class JobQueue {
  private latestRound: number | null = null;
  private waiting: TrainJob | null = null;
  private readonly evals: EvalJob[] = [];
  private current: Job | null = null;

  /** The job running, if any. */
  get running(): Job | null {
    return this.current;
  }

  /** The training job waiting (possibly for its model version), if any. */
  get waitingTrain(): TrainJob | null {
    return this.waiting;
  }

  /** Offers an assignment; `base` is the weights of its model version when held, else null. */
  offerAssign(assign: ReceivedOf<'assign'>, base: Float32Array | null): AssignOffer {
    if (this.latestRound !== null && assign.roundId <= this.latestRound) {
      return { accepted: false, reason: assign.roundId === this.latestRound ? 'duplicate' : 'stale' };
    }
    this.latestRound = assign.roundId;
    const replaced = this.waiting;
    if (replaced) replaced.abort = 'superseded';
    if (this.current?.kind === 'train' && this.current.abort === null) this.current.abort = 'superseded';
    const job: TrainJob = { kind: 'train', assign, base, abort: null };
    this.waiting = job;
    return { accepted: true, job, replaced };
  }

  /** Queues an evaluation. */
  offerEval(request: ReceivedOf<'eval-request'>, base: Float32Array): void {
    this.evals.push({ kind: 'eval', request, base });
  }

  /**
   * A model version is now held: a waiting job for it captures its base; a waiting job for an
   * older version can never run and is returned, dropped.
   */
  onModel(version: number, weights: Float32Array): TrainJob | null {
    const w = this.waiting;
    if (w === null || w.base !== null) return null;
    if (w.assign.modelVersion === version) {
      w.base = weights;
      return null;
    }
    if (w.assign.modelVersion < version) {
      w.abort = 'no-model';
      this.waiting = null;
      return w;
    }
    return null;
  }

  /** Whether a job can start now. */
  hasRunnable(): boolean {
    return (this.waiting !== null && this.waiting.base !== null) || this.evals.length > 0;
  }

  /** Takes the next runnable job and marks it running, or returns null. */
  start(): Job | null {
    let job: Job | null = null;
    if (this.waiting?.base) {
      job = this.waiting;
      this.waiting = null;
    } else {
      job = this.evals.shift() ?? null;
    }
    this.current = job;
    return job;
  }

  /** The running job finished. */
  finish(): void {
    this.current = null;
  }

  /**
   * Drops all waiting work and marks the running job to abort, with `reason`. Returns the dropped
   * training job, if one waited. With `forgetRounds`, round ids start over (a new experiment).
   */
  clear(reason: SkipReason, forgetRounds = false): TrainJob | null {
    const dropped = this.waiting;
    if (dropped) dropped.abort = reason;
    this.waiting = null;
    this.evals.length = 0;
    if (this.current?.kind === 'train' && this.current.abort === null) this.current.abort = reason;
    if (forgetRounds) this.latestRound = null;
    return dropped;
  }
}
