import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';

/**
 * One step of the schema history. Steps are never edited once released: a change to the schema
 * is a new step appended to {@link MIGRATIONS}, so that a store written by any older build can be
 * brought forward one version at a time.
 */
export interface Migration {
  /** The schema version the step produces (1, 2, …: the index in the list plus one). */
  readonly version: number;
  /** What the step changes, for logs and docs/store.md. */
  readonly description: string;
  /** The SQL run inside the step's transaction. */
  readonly sql: string;
}

/**
 * `PRAGMA application_id` of a fedzip store (`FZST` in ASCII). A database carrying another
 * non-zero id belongs to some other program and is refused with `NOT_A_STORE`.
 */
export const APPLICATION_ID = 0x465a5354;

/** v1: experiments, rounds, submissions and checkpoints holding the global weights. */
const V1 = `
CREATE TABLE experiments (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  config        TEXT NOT NULL,
  status        TEXT NOT NULL,
  status_reason TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE rounds (
  experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  round          INTEGER NOT NULL,
  attempt        INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  status         TEXT NOT NULL,
  selected       INTEGER,
  reported       INTEGER,
  accepted       INTEGER,
  dropped        INTEGER,
  uplink_bytes   INTEGER,
  downlink_bytes INTEGER,
  aggregate_ms   REAL,
  round_ms       REAL,
  accuracy       REAL,
  loss           REAL,
  recorded_at    INTEGER NOT NULL,
  record         TEXT NOT NULL,
  PRIMARY KEY (experiment_id, round, attempt)
) STRICT;

CREATE TABLE submissions (
  id            INTEGER PRIMARY KEY,
  experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  round         INTEGER NOT NULL,
  attempt       INTEGER NOT NULL,
  client_id     TEXT NOT NULL,
  accepted      INTEGER NOT NULL,
  code          TEXT,
  reason        TEXT,
  bytes         INTEGER NOT NULL,
  samples       INTEGER,
  received_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX submissions_by_round ON submissions (experiment_id, round, attempt);

CREATE TABLE checkpoints (
  experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  round         INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  accuracy      REAL,
  length        INTEGER NOT NULL,
  weights       BLOB NOT NULL,
  sha256        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (experiment_id, round)
) STRICT;
`;

/**
 * v2: what a bit-identical resume needs besides the weights: the test loss, a JSON `meta`
 * (strategy name, RNG state…), named binary arrays (server-optimizer moments, the downlink
 * error-feedback residual) and a manifest hash binding them to the checkpoint row.
 */
const V2 = `
ALTER TABLE checkpoints ADD COLUMN loss REAL;
ALTER TABLE checkpoints ADD COLUMN meta TEXT;
ALTER TABLE checkpoints ADD COLUMN manifest_sha256 TEXT;

CREATE TABLE checkpoint_arrays (
  experiment_id TEXT NOT NULL,
  round         INTEGER NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  data          BLOB NOT NULL,
  sha256        TEXT NOT NULL,
  PRIMARY KEY (experiment_id, round, name),
  FOREIGN KEY (experiment_id, round) REFERENCES checkpoints (experiment_id, round) ON DELETE CASCADE
) STRICT;
`;

/**
 * v3: each experiment's join secrets, apart from its config (which the API shows): the HMAC key
 * signed join tokens are checked with, and the optional shared token.
 */
const V3 = `
CREATE TABLE experiment_secrets (
  experiment_id TEXT PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
  join_secret   TEXT NOT NULL,
  join_token    TEXT NOT NULL
) STRICT;
`;

/** The schema history, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'experiments, rounds, submissions, checkpoints', sql: V1 },
  { version: 2, description: 'checkpoint loss, meta and named state arrays', sql: V2 },
  { version: 3, description: 'experiment join secrets', sql: V3 },
];

/** The schema version this build writes: the last step of {@link MIGRATIONS}. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What {@link migrate} did. */
export interface MigrationReport {
  /** The version the file had when opened (0: a new, empty file). */
  readonly from: number;
  /** The version it has now. */
  readonly to: number;
}

/** `PRAGMA user_version`: the schema version recorded in the file header. */
export function schemaVersionOf(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Checks, without writing anything, that `db` is a fedzip store (or an empty file) this build
 * can open: returns its schema version. Throws `NOT_A_STORE` or `TOO_NEW` (see {@link migrate}).
 */
export function checkSchema(db: BetterSqlite3.Database, latest: number = MIGRATIONS.length): number {
  const from = schemaVersionOf(db);
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StoreError('NOT_A_STORE', `not a fedzip store (application_id ${appId})`);
  }
  if (from > latest) {
    throw new StoreError(
      'TOO_NEW',
      `the store has schema version ${from} but this build knows only up to ${latest}: upgrade fedzip`,
    );
  }
  if (from === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as {
      n: number;
    };
    if (tables.n > 0) throw new StoreError('NOT_A_STORE', 'not a fedzip store (foreign tables, no version)');
  }
  return from;
}

/**
 * Brings `db` to the last version of `migrations`, one step per transaction (the step's SQL and
 * the `user_version` bump commit together, so a crash leaves the file at a whole version).
 *
 * Throws `TOO_NEW` when the file is ahead of `migrations` (touching nothing), `NOT_A_STORE` when it
 * belongs to another program, and `MIGRATION_FAILED` when a step throws (that step is rolled
 * back; the earlier ones stay committed).
 */
export function migrate(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} declares version ${m.version}`);
  });
  const latest = migrations.length;
  const from = checkSchema(db, latest);
  for (const step of migrations.slice(from)) {
    const apply = db.transaction(() => {
      // Re-read under the write lock: another process may have applied the step meanwhile.
      if (schemaVersionOf(db) >= step.version) return;
      db.exec(step.sql);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${step.version}`);
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new StoreError(
        'MIGRATION_FAILED',
        `migration to schema version ${step.version} (${step.description}) failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { from, to: latest };
}
