import type BetterSqlite3 from 'better-sqlite3';
import type { StoreContext } from './context.js';
import { StoreError, guard } from './errors.js';
import { checkClientId, checkId, checkInt, checkOptInt, checkText } from './validate.js';

/** One client update as the coordinator judged it. */
export interface NewSubmission {
  readonly experimentId: string;
  /** 1-based round index. */
  readonly round: number;
  /** 1-based attempt of the round (default 1). */
  readonly attempt?: number;
  readonly clientId: string;
  /** Whether the update went into the aggregate. */
  readonly accepted: boolean;
  /** The reject code (e.g. `STALE_VERSION`), for a rejected update. At most 64 characters. */
  readonly code?: string;
  /** Why it was rejected, in words. At most 1024 characters. */
  readonly reason?: string;
  /** Encoded bytes received. */
  readonly bytes: number;
  /** Training samples the client reported (absent: unknown). */
  readonly samples?: number;
}

/** A stored submission. */
export interface StoredSubmission {
  /** Row id, increasing in arrival order. */
  readonly id: number;
  readonly experimentId: string;
  readonly round: number;
  readonly attempt: number;
  readonly clientId: string;
  readonly accepted: boolean;
  readonly code: string | null;
  readonly reason: string | null;
  readonly bytes: number;
  readonly samples: number | null;
  /** Milliseconds since the epoch. */
  readonly receivedAt: number;
}

interface SubmissionRow {
  id: number;
  experiment_id: string;
  round: number;
  attempt: number;
  client_id: string;
  accepted: number;
  code: string | null;
  reason: string | null;
  bytes: number;
  samples: number | null;
  received_at: number;
}

function fromRow(r: SubmissionRow): StoredSubmission {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    round: r.round,
    attempt: r.attempt,
    clientId: r.client_id,
    accepted: r.accepted === 1,
    code: r.code,
    reason: r.reason,
    bytes: r.bytes,
    samples: r.samples,
    receivedAt: r.received_at,
  };
}

/** Per-client submissions: accepted, or rejected with a code and reason. */
export class SubmissionRepo {
  readonly #ctx: StoreContext;
  readonly #exists: BetterSqlite3.Statement<[string]>;
  readonly #insert: BetterSqlite3.Statement;
  readonly #list: BetterSqlite3.Statement<[string], SubmissionRow>;
  readonly #listRound: BetterSqlite3.Statement<[string, number], SubmissionRow>;

  /** @internal Built by {@link openStore}. */
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#exists = db.prepare(`SELECT 1 FROM experiments WHERE id = ?`);
    this.#insert = db.prepare(
      `INSERT INTO submissions (experiment_id, round, attempt, client_id, accepted, code, reason, bytes,
         samples, received_at)
       VALUES (@experimentId, @round, @attempt, @clientId, @accepted, @code, @reason, @bytes, @samples, @now)`,
    );
    this.#list = db.prepare(`SELECT * FROM submissions WHERE experiment_id = ? ORDER BY id`);
    this.#listRound = db.prepare(
      `SELECT * FROM submissions WHERE experiment_id = ? AND round = ? ORDER BY id`,
    );
  }

  /** Stores one submission. Throws `NOT_FOUND` for an unknown experiment, `BAD_INPUT` for bad fields. */
  record(input: NewSubmission): StoredSubmission {
    this.#ctx.assertOpen();
    if (typeof input.accepted !== 'boolean') {
      throw new StoreError('BAD_INPUT', 'accepted: expected a boolean', { field: 'accepted' });
    }
    const row = {
      experimentId: checkId(input.experimentId, 'experimentId'),
      round: checkInt(input.round, 'round', 0),
      attempt: checkInt(input.attempt ?? 1, 'attempt', 1),
      clientId: checkClientId(input.clientId, 'clientId'),
      accepted: input.accepted ? 1 : 0,
      code: input.code === undefined ? null : checkText(input.code, 'code', 64),
      reason: input.reason === undefined ? null : checkText(input.reason, 'reason', 1024),
      bytes: checkInt(input.bytes, 'bytes', 0),
      samples: checkOptInt(input.samples, 'samples', 0),
      now: this.#ctx.now(),
    };
    const id = guard(`record submission of ${row.clientId}`, () => {
      if (!this.#exists.get(row.experimentId)) {
        throw new StoreError('NOT_FOUND', `no experiment ${row.experimentId}`);
      }
      return Number(this.#insert.run(row).lastInsertRowid);
    });
    return {
      id,
      experimentId: row.experimentId,
      round: row.round,
      attempt: row.attempt,
      clientId: row.clientId,
      accepted: input.accepted,
      code: row.code,
      reason: row.reason,
      bytes: row.bytes,
      samples: row.samples,
      receivedAt: row.now,
    };
  }

  /** The experiment's submissions in arrival order, optionally of one round only. */
  list(experimentId: string, filter: { readonly round?: number } = {}): StoredSubmission[] {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const rows = guard(`list submissions of ${experimentId}`, () =>
      filter.round === undefined
        ? this.#list.all(experimentId)
        : this.#listRound.all(experimentId, checkInt(filter.round, 'round', 0)),
    );
    return rows.map(fromRow);
  }
}
