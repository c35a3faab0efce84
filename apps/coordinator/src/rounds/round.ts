/** Why a submission to a round was refused (a subset of the protocol's reject codes). */
export type RoundRejectCode = 'LATE' | 'DUPLICATE' | 'WRONG_VERSION' | 'WRONG_ROUND' | 'NOT_SELECTED';

/** What a round needs to know about a submission before it is decoded. */
export interface Submission {
  readonly clientId: string;
  readonly roundId: number;
  readonly baseVersion: number;
}

/** Outcome of {@link Round.admit}. */
export type Admission =
  { readonly ok: true } | { readonly ok: false; readonly code: RoundRejectCode; readonly reason: string };

/** Rules of one round, from ARCHITECTURE.md's flow and issue 4. */
export interface RoundRules {
  /** Fewest accepted updates for the round to produce a model. */
  readonly minResults: number;
  /** Milliseconds from opening until the deadline. */
  readonly deadlineMs: number;
}

/** Why a round ended. */
export type CloseReason = 'all-reported' | 'deadline' | 'too-few-results';

/**
 * The bookkeeping of one round: who was selected, who reported, who dropped. Pure state, no
 * timers: the scheduler owns time. A round is *complete* when every selected client reported or
 * dropped, and *closable at the deadline* when it holds at least `minResults` accepted updates.
 */
export class Round {
  private readonly reported = new Set<string>();
  private readonly accepted = new Set<string>();
  private readonly dropped = new Set<string>();
  private closedAt: number | null = null;

  constructor(
    readonly id: number,
    readonly modelVersion: number,
    readonly selected: ReadonlySet<string>,
    readonly openedAt: number,
    readonly rules: RoundRules,
  ) {}

  get deadline(): number {
    return this.openedAt + this.rules.deadlineMs;
  }
  get isOpen(): boolean {
    return this.closedAt === null;
  }
  get acceptedCount(): number {
    return this.accepted.size;
  }
  get droppedIds(): readonly string[] {
    return [...this.dropped];
  }
  get acceptedIds(): readonly string[] {
    return [...this.accepted];
  }

  /** Decides whether a submission may be decoded; a yes reserves the client's slot. */
  admit(s: Submission): Admission {
    if (s.roundId !== this.id) {
      return s.roundId < this.id
        ? { ok: false, code: 'LATE', reason: `round ${s.roundId} is closed; round ${this.id} is open` }
        : { ok: false, code: 'WRONG_ROUND', reason: `round ${s.roundId} does not exist yet` };
    }
    if (!this.isOpen)
      return { ok: false, code: 'LATE', reason: `round ${this.id} closed before the update arrived` };
    if (!this.selected.has(s.clientId))
      return { ok: false, code: 'NOT_SELECTED', reason: `not selected for round ${this.id}` };
    if (this.reported.has(s.clientId))
      return { ok: false, code: 'DUPLICATE', reason: `already reported in round ${this.id}` };
    if (s.baseVersion !== this.modelVersion) {
      return {
        ok: false,
        code: 'WRONG_VERSION',
        reason: `update is against version ${s.baseVersion}, round uses ${this.modelVersion}`,
      };
    }
    this.reported.add(s.clientId);
    return { ok: true };
  }

  /** Records the outcome of an admitted submission (decoding can still reject it). */
  settle(clientId: string, accepted: boolean): void {
    if (accepted) this.accepted.add(clientId);
  }

  /** Whether a selected client still owes an update (it has not reported). */
  awaiting(clientId: string): boolean {
    return this.isOpen && this.selected.has(clientId) && !this.reported.has(clientId);
  }

  /** A dropped client came back before the round closed: it may still report. */
  rejoin(clientId: string): void {
    this.dropped.delete(clientId);
  }

  /** A selected client disconnected before reporting. */
  drop(clientId: string): void {
    if (this.selected.has(clientId) && !this.reported.has(clientId)) this.dropped.add(clientId);
  }

  /** Every selected client has reported or dropped. */
  get complete(): boolean {
    return this.reported.size + this.dropped.size >= this.selected.size;
  }

  /** The reason to close now, or null to keep waiting. */
  closeReason(now: number): CloseReason | null {
    if (!this.isOpen) return null;
    if (this.complete)
      return this.accepted.size >= this.rules.minResults ? 'all-reported' : 'too-few-results';
    if (now >= this.deadline)
      return this.accepted.size >= this.rules.minResults ? 'deadline' : 'too-few-results';
    return null;
  }

  close(now: number): void {
    this.closedAt = now;
  }
}
