import type BetterSqlite3 from 'better-sqlite3';
import type { StoreContext } from './context.js';
import { StoreError, guard } from './errors.js';
import { checkId, checkInt, checkOneOf, checkOptFinite, checkOptInt, toJson } from './validate.js';

/**
 * The fields of a round record the store keeps as typed columns (for queries and sums). The
 * coordinator's `RoundRecord` fits this shape; whatever else it carries is kept verbatim in the
 * row's JSON, so the store never depends on that type.
 */
export interface RoundFields {
  /** 1-based round index. */
  readonly round: number;
  /** Model version after the round. */
  readonly version: number;
  readonly status: 'completed' | 'failed';
  /** 1-based attempt of this round index (default 1). */
  readonly attempts?: number;
  readonly selected?: number;
  readonly reported?: number;
  readonly accepted?: number;
  readonly dropped?: number;
  /** Encoded bytes received from clients. */
  readonly uplinkBytes?: number;
  /** Encoded model bytes sent to clients. */
  readonly downlinkBytes?: number;
  readonly aggregateMs?: number;
  readonly roundMs?: number;
  readonly accuracy?: number | null;
  readonly loss?: number | null;
}

/** A stored round: the whole record as given, plus where and when. */
export interface StoredRound<R extends RoundFields = RoundFields> {
  readonly experimentId: string;
  readonly round: number;
  readonly attempt: number;
  /** Milliseconds since the epoch. */
  readonly recordedAt: number;
  /** The record exactly as passed to {@link RoundRepo.record} (JSON round trip; not re-validated). */
  readonly record: R;
}

/** Sums over an experiment's rounds. */
export interface RoundTotals {
  /** Round attempts recorded (completed and failed). */
  readonly rounds: number;
  readonly completed: number;
  readonly uplinkBytes: number;
  readonly downlinkBytes: number;
  /** The last completed round (0: none). */
  readonly lastRound: number;
}

interface RoundRow {
  experiment_id: string;
  round: number;
  attempt: number;
  recorded_at: number;
  record: string;
}

const ROUND_STATUSES = ['completed', 'failed'] as const;

/** Per-round records (participants, bytes both ways, timings, metrics). */
export class RoundRepo {
  readonly #ctx: StoreContext;
  readonly #exists: BetterSqlite3.Statement<[string]>;
  readonly #insert: BetterSqlite3.Statement;
  readonly #list: BetterSqlite3.Statement<[string], RoundRow>;
  readonly #totals: BetterSqlite3.Statement<[string], RoundTotals>;

  /** @internal Built by {@link openStore}. */
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#exists = db.prepare(`SELECT 1 FROM experiments WHERE id = ?`);
    this.#insert = db.prepare(
      `INSERT INTO rounds (experiment_id, round, attempt, version, status, selected, reported, accepted,
         dropped, uplink_bytes, downlink_bytes, aggregate_ms, round_ms, accuracy, loss, recorded_at, record)
       VALUES (@experimentId, @round, @attempt, @version, @status, @selected, @reported, @accepted,
         @dropped, @uplinkBytes, @downlinkBytes, @aggregateMs, @roundMs, @accuracy, @loss, @now, @record)`,
    );
    this.#list = db.prepare(
      `SELECT experiment_id, round, attempt, recorded_at, record FROM rounds
       WHERE experiment_id = ? ORDER BY round, attempt`,
    );
    this.#totals = db.prepare(
      `SELECT count(*) AS rounds,
              coalesce(sum(status = 'completed'), 0) AS completed,
              coalesce(sum(uplink_bytes), 0) AS uplinkBytes,
              coalesce(sum(downlink_bytes), 0) AS downlinkBytes,
              coalesce(max(CASE WHEN status = 'completed' THEN round END), 0) AS lastRound
       FROM rounds WHERE experiment_id = ?`,
    );
  }

  /**
   * Stores one round attempt. Throws `NOT_FOUND` for an unknown experiment, `EXISTS` if that
   * round attempt is already recorded, `BAD_INPUT` for a malformed record (ids, negative or
   * non-finite numbers, a record JSON cannot hold).
   */
  record<R extends RoundFields>(experimentId: string, record: R): StoredRound<R> {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    if (typeof record !== 'object' || record === null) {
      throw new StoreError('BAD_INPUT', 'record: expected an object', { field: 'record' });
    }
    const row = {
      experimentId,
      round: checkInt(record.round, 'record.round', 0),
      attempt: checkInt(record.attempts ?? 1, 'record.attempts', 1),
      version: checkInt(record.version, 'record.version', 0),
      status: checkOneOf(record.status, ROUND_STATUSES, 'record.status'),
      selected: checkOptInt(record.selected, 'record.selected'),
      reported: checkOptInt(record.reported, 'record.reported'),
      accepted: checkOptInt(record.accepted, 'record.accepted'),
      dropped: checkOptInt(record.dropped, 'record.dropped'),
      uplinkBytes: checkOptInt(record.uplinkBytes, 'record.uplinkBytes'),
      downlinkBytes: checkOptInt(record.downlinkBytes, 'record.downlinkBytes'),
      aggregateMs: checkOptFinite(record.aggregateMs, 'record.aggregateMs', 0),
      roundMs: checkOptFinite(record.roundMs, 'record.roundMs', 0),
      accuracy: checkOptFinite(record.accuracy, 'record.accuracy'),
      loss: checkOptFinite(record.loss, 'record.loss'),
      record: toJson(record, 'record'),
      now: this.#ctx.now(),
    };
    guard(`record round ${row.round} of ${experimentId}`, () => {
      if (!this.#exists.get(experimentId)) throw new StoreError('NOT_FOUND', `no experiment ${experimentId}`);
      this.#insert.run(row);
    });
    return {
      experimentId,
      round: row.round,
      attempt: row.attempt,
      recordedAt: row.now,
      record: JSON.parse(row.record) as R,
    };
  }

  /** The experiment's round attempts in order (round, then attempt). Empty for an unknown id. */
  list<R extends RoundFields = RoundFields>(experimentId: string): StoredRound<R>[] {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const rows = guard(`list rounds of ${experimentId}`, () => this.#list.all(experimentId));
    return rows.map((r) => ({
      experimentId: r.experiment_id,
      round: r.round,
      attempt: r.attempt,
      recordedAt: r.recorded_at,
      record: JSON.parse(r.record) as R,
    }));
  }

  /** Counts and byte sums over the experiment's rounds (zeros for an unknown id). */
  totals(experimentId: string): RoundTotals {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const row = guard(`sum rounds of ${experimentId}`, () => this.#totals.get(experimentId));
    return row ?? { rounds: 0, completed: 0, uplinkBytes: 0, downlinkBytes: 0, lastRound: 0 };
  }
}
