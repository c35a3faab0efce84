import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CheckpointRepo, DEFAULT_RETENTION, type RetentionPolicy } from './checkpoints.js';
import type { StoreContext } from './context.js';
import { StoreError, guard, toStoreError } from './errors.js';
import { ExperimentRepo } from './experiments.js';
import { type Migration, type MigrationReport, MIGRATIONS, checkSchema, migrate } from './migrations.js';
import { RoundRepo } from './rounds.js';
import { SubmissionRepo } from './submissions.js';
import { checkId, checkInt } from './validate.js';

/** Where {@link openStore} puts the database when given no path (relative to the working directory). */
export const DEFAULT_STORE_PATH = 'data/fedzip.db';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** Which checkpoints each save keeps (default {@link DEFAULT_RETENTION}: last 3 plus the best). */
  readonly retention?: RetentionPolicy;
  /** How long a write waits for another connection's lock before failing with `IO` (default 5000). */
  readonly busyTimeoutMs?: number;
  /** The clock for `createdAt`/`recordedAt`… (default `Date.now`); tests pin it. */
  readonly now?: () => number;
  /** @internal The schema history to apply (tests of the migration machinery only). */
  readonly migrations?: readonly Migration[];
}

/** What {@link Store.rewind} deleted. */
export interface RewindReport {
  readonly rounds: number;
  readonly submissions: number;
  readonly checkpoints: number;
}

/**
 * An open fedzip store: one SQLite file in WAL mode holding experiments, rounds, submissions and
 * checkpoints. Every call is synchronous (better-sqlite3) and every multi-row write is one
 * transaction. Not safe to share across worker threads; open one per thread.
 */
export class Store {
  /** Experiments: config and status. */
  readonly experiments: ExperimentRepo;
  /** Round records. */
  readonly rounds: RoundRepo;
  /** Per-client submissions. */
  readonly submissions: SubmissionRepo;
  /** Global-model checkpoints with SHA-256 verification and retention. */
  readonly checkpoints: CheckpointRepo;
  /** The schema migration done on open (`from === to` when none was needed). */
  readonly migration: MigrationReport;
  readonly #db: Database.Database;
  readonly #rewind: readonly Database.Statement<[string, number]>[];
  #closed = false;

  /** @internal Use {@link openStore}. */
  constructor(
    db: Database.Database,
    /** The file's absolute path (or `:memory:`). */
    readonly path: string,
    migration: MigrationReport,
    options: StoreOptions,
  ) {
    this.#db = db;
    this.migration = migration;
    const ctx: StoreContext = {
      db,
      now: options.now ?? Date.now,
      assertOpen: () => {
        if (this.#closed) throw new StoreError('CLOSED', `the store ${this.path} is closed`);
      },
    };
    this.experiments = new ExperimentRepo(ctx);
    this.rounds = new RoundRepo(ctx);
    this.submissions = new SubmissionRepo(ctx);
    this.checkpoints = new CheckpointRepo(ctx, options.retention ?? DEFAULT_RETENTION);
    this.#rewind = ['rounds', 'submissions', 'checkpoints'].map((table) =>
      db.prepare<[string, number]>(`DELETE FROM ${table} WHERE experiment_id = ? AND round > ?`),
    );
  }

  /**
   * Checks that the store takes writes now (for a readiness probe): takes and releases the write
   * lock without changing anything. Throws `IO` (busy, read-only, disk gone) or `CLOSED`.
   */
  probe(): { readonly schemaVersion: number } {
    if (this.#closed) throw new StoreError('CLOSED', `the store ${this.path} is closed`);
    guard('probe the store', () => {
      this.#db.prepare('BEGIN IMMEDIATE').run();
      this.#db.prepare('ROLLBACK').run();
    });
    return { schemaVersion: this.schemaVersion };
  }

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return this.migration.to;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `fn` in one write transaction: everything it writes through this store commits together
   * or not at all (if it throws, the error is rethrown after the rollback). Nests: an inner call
   * becomes a savepoint. `fn` must be synchronous (a returned promise is refused).
   *
   * The coordinator closes a round with `transaction(() => { rounds.record(…); checkpoints.save(…);
   * experiments.setStatus(…) })`, so a `kill -9` leaves either the whole round or none of it.
   */
  transaction<T>(fn: () => T): T {
    this.#assertOpen();
    const run = this.#db.transaction(fn);
    try {
      return this.#db.inTransaction ? run() : run.immediate();
    } catch (err) {
      throw toStoreError(err, 'transaction');
    }
  }

  /**
   * Forgets everything of the experiment after `round`: round records, submissions and
   * checkpoints of later rounds, in one transaction. A resume that fell back to an older
   * checkpoint (or found a half-done round) calls this with the checkpoint's round before
   * re-running the rounds after it.
   */
  rewind(experimentId: string, round: number): RewindReport {
    this.#assertOpen();
    checkId(experimentId, 'experimentId');
    checkInt(round, 'round', 0);
    return guard(`rewind ${experimentId} to round ${round}`, () =>
      this.transaction(() => {
        const [rounds = 0, submissions = 0, checkpoints = 0] = this.#rewind.map(
          (s) => s.run(experimentId, round).changes,
        );
        return { rounds, submissions, checkpoints };
      }),
    );
  }

  /**
   * Closes the file (checkpointing the WAL into it). Idempotent; any later call on the store
   * throws `CLOSED`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    guard(`close ${this.path}`, () => this.#db.close());
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', `the store ${this.path} is closed`);
  }
}

/**
 * Opens (creating it and its folder if needed) the store at `path` (default
 * {@link DEFAULT_STORE_PATH}; `:memory:` for a throwaway one) and migrates it to the current
 * schema.
 *
 * The connection runs in WAL mode with `synchronous = FULL`, foreign keys on. Throws
 * `TOO_NEW` for a file written by a newer build, `NOT_A_STORE` for a file that is not a fedzip
 * store, `MIGRATION_FAILED` if a migration step fails, `IO` if the file cannot be opened.
 */
export function openStore(path: string = DEFAULT_STORE_PATH, options: StoreOptions = {}): Store {
  const memory = path === ':memory:';
  const file = memory ? path : resolve(path);
  const timeout = options.busyTimeoutMs ?? 5000;
  checkInt(timeout, 'busyTimeoutMs', 0);
  if (!memory) {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      throw new StoreError('IO', `cannot create the folder of ${file}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  const db = guard(`open ${file}`, () => new Database(file, { timeout }));
  try {
    const migration = guard(`open ${file}`, () => {
      // Refuse a newer or foreign file before anything below writes to it.
      checkSchema(db, (options.migrations ?? MIGRATIONS).length);
      // WAL: a commit appends to the log and readers are never blocked; with synchronous=FULL the
      // log is fsynced at every commit, so a committed round survives a power cut (see docs/store.md).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      return migrate(db, options.migrations ?? MIGRATIONS);
    });
    return new Store(db, file, migration, options);
  } catch (err) {
    db.close();
    throw err;
  }
}
