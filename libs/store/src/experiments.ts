import type BetterSqlite3 from 'better-sqlite3';
import type { StoreContext } from './context.js';
import { StoreError, guard } from './errors.js';
import { checkId, checkOneOf, checkText, toJson } from './validate.js';

/** The states an experiment goes through; the store accepts any order of transitions. */
export const EXPERIMENT_STATUSES = [
  'created',
  'preparing',
  'waiting',
  'running',
  'paused',
  'completed',
  'failed',
  'stopped',
] as const;

/** One of {@link EXPERIMENT_STATUSES}. */
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** What {@link ExperimentRepo.create} takes. */
export interface NewExperiment {
  /** Unique key, matching {@link ID_PATTERN} (it appears in URLs). */
  readonly id: string;
  /** Human-readable name (default: the id). At most 256 characters. */
  readonly name?: string;
  /** The experiment config, stored as JSON (any JSON value; non-finite numbers are refused). */
  readonly config: unknown;
  /** Initial status (default `created`). */
  readonly status?: ExperimentStatus;
  /** The join secrets, kept apart from the config (see {@link ExperimentRepo.secrets}). */
  readonly secrets?: ExperimentSecrets;
}

/** An experiment's join secrets. */
export interface ExperimentSecrets {
  /** The HMAC key its signed join tokens are checked with. */
  readonly joinSecret: string;
  /** A shared join token ('' for none). */
  readonly joinToken: string;
}

/** An experiment as stored. `C` is the config's type; the store does not check it on read. */
export interface StoredExperiment<C = unknown> {
  readonly id: string;
  readonly name: string;
  readonly config: C;
  readonly status: ExperimentStatus;
  /** Why the status was set (e.g. the failure), or null. */
  readonly statusReason: string | null;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface ExperimentRow {
  id: string;
  name: string;
  config: string;
  status: string;
  status_reason: string | null;
  created_at: number;
  updated_at: number;
}

function fromRow<C>(row: ExperimentRow): StoredExperiment<C> {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config) as C,
    status: row.status as ExperimentStatus,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkSecrets(secrets: ExperimentSecrets): { secret: string; token: string } {
  const secret = checkText(secrets.joinSecret, 'secrets.joinSecret', 256);
  const token = checkText(secrets.joinToken, 'secrets.joinToken', 4096);
  if (secret.length < 16) {
    throw new StoreError('BAD_INPUT', 'secrets.joinSecret: at least 16 characters', {
      field: 'secrets.joinSecret',
    });
  }
  return { secret, token };
}

/** Experiments: their config and lifecycle status. Get one from {@link Store.experiments}. */
export class ExperimentRepo {
  readonly #ctx: StoreContext;
  readonly #insert: BetterSqlite3.Statement;
  readonly #get: BetterSqlite3.Statement<[string], ExperimentRow>;
  readonly #list: BetterSqlite3.Statement<[], ExperimentRow>;
  readonly #listByStatus: BetterSqlite3.Statement<[string], ExperimentRow>;
  readonly #setStatus: BetterSqlite3.Statement;
  readonly #delete: BetterSqlite3.Statement;
  readonly #getSecrets: BetterSqlite3.Statement<[string], { join_secret: string; join_token: string }>;
  readonly #setSecrets: BetterSqlite3.Statement;

  /** @internal Built by {@link openStore}. */
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#insert = db.prepare(
      `INSERT INTO experiments (id, name, config, status, status_reason, created_at, updated_at)
       VALUES (@id, @name, @config, @status, NULL, @now, @now)`,
    );
    this.#get = db.prepare(`SELECT * FROM experiments WHERE id = ?`);
    this.#list = db.prepare(`SELECT * FROM experiments ORDER BY created_at, id`);
    this.#listByStatus = db.prepare(`SELECT * FROM experiments WHERE status = ? ORDER BY created_at, id`);
    this.#setStatus = db.prepare(
      `UPDATE experiments SET status = @status, status_reason = @reason, updated_at = @now WHERE id = @id`,
    );
    this.#delete = db.prepare(`DELETE FROM experiments WHERE id = ?`);
    this.#getSecrets = db.prepare(
      `SELECT join_secret, join_token FROM experiment_secrets WHERE experiment_id = ?`,
    );
    this.#setSecrets = db.prepare(
      `INSERT INTO experiment_secrets (experiment_id, join_secret, join_token) VALUES (@id, @secret, @token)
       ON CONFLICT (experiment_id) DO UPDATE SET join_secret = @secret, join_token = @token`,
    );
  }

  /** The experiment's join secrets, or null when none were stored (an experiment of a v2 store). */
  secrets(id: string): ExperimentSecrets | null {
    this.#ctx.assertOpen();
    checkId(id, 'id');
    const row = guard(`read secrets of ${id}`, () => this.#getSecrets.get(id));
    return row ? { joinSecret: row.join_secret, joinToken: row.join_token } : null;
  }

  /** Stores (or replaces) the experiment's join secrets. Throws `NOT_FOUND` for an unknown id. */
  setSecrets(id: string, secrets: ExperimentSecrets): void {
    this.#ctx.assertOpen();
    checkId(id, 'id');
    const checked = checkSecrets(secrets);
    guard(`set secrets of ${id}`, () => {
      if (!this.#get.get(id)) throw new StoreError('NOT_FOUND', `no experiment ${id}`);
      this.#setSecrets.run({ id, ...checked });
    });
  }

  /** Stores a new experiment. Throws `EXISTS` if the id is taken, `BAD_INPUT` for bad fields. */
  create<C = unknown>(input: NewExperiment): StoredExperiment<C> {
    this.#ctx.assertOpen();
    const id = checkId(input.id, 'id');
    const name = checkText(input.name ?? id, 'name', 256);
    const config = toJson(input.config, 'config');
    const status = checkOneOf(input.status ?? 'created', EXPERIMENT_STATUSES, 'status');
    const secrets = input.secrets && checkSecrets(input.secrets);
    guard(`create experiment ${id}`, () =>
      this.#ctx.db.transaction(() => {
        const exists = this.#get.get(id);
        if (exists) throw new StoreError('EXISTS', `experiment ${id} already exists`);
        this.#insert.run({ id, name, config, status, now: this.#ctx.now() });
        if (secrets) this.#setSecrets.run({ id, ...secrets });
      })(),
    );
    return this.require<C>(id);
  }

  /** The experiment, or null if there is none with that id. */
  get<C = unknown>(id: string): StoredExperiment<C> | null {
    this.#ctx.assertOpen();
    checkId(id, 'id');
    const row = guard(`read experiment ${id}`, () => this.#get.get(id));
    return row ? fromRow<C>(row) : null;
  }

  /** The experiment; throws `NOT_FOUND` if there is none with that id. */
  require<C = unknown>(id: string): StoredExperiment<C> {
    const found = this.get<C>(id);
    if (!found) throw new StoreError('NOT_FOUND', `no experiment ${id}`);
    return found;
  }

  /** All experiments (or those with `status`), oldest first. */
  list<C = unknown>(filter: { readonly status?: ExperimentStatus } = {}): StoredExperiment<C>[] {
    this.#ctx.assertOpen();
    const rows = guard('list experiments', () =>
      filter.status === undefined
        ? this.#list.all()
        : this.#listByStatus.all(checkOneOf(filter.status, EXPERIMENT_STATUSES, 'status')),
    );
    return rows.map((r) => fromRow<C>(r));
  }

  /**
   * Sets the status (and its reason, cleared when omitted) and bumps `updatedAt`. Throws
   * `NOT_FOUND` for an unknown id.
   */
  setStatus(id: string, status: ExperimentStatus, reason?: string): StoredExperiment {
    this.#ctx.assertOpen();
    checkId(id, 'id');
    checkOneOf(status, EXPERIMENT_STATUSES, 'status');
    const why = reason === undefined ? null : checkText(reason, 'reason');
    const { changes } = guard(`set status of ${id}`, () =>
      this.#setStatus.run({ id, status, reason: why, now: this.#ctx.now() }),
    );
    if (changes === 0) throw new StoreError('NOT_FOUND', `no experiment ${id}`);
    return this.require(id);
  }

  /**
   * Deletes the experiment with its rounds, submissions and checkpoints. Returns false if there
   * was none.
   */
  delete(id: string): boolean {
    this.#ctx.assertOpen();
    checkId(id, 'id');
    return guard(`delete experiment ${id}`, () => this.#delete.run(id).changes > 0);
  }
}
