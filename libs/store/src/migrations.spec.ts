import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sameBits, storeError, tempDir, track, weightsFor } from './__tests__/helpers.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, openStore } from './index.js';

/**
 * The schema-v1 SQL exactly as the first release created it. Frozen here on purpose: if
 * MIGRATIONS[0] is ever edited, stores written by that release would no longer match what the
 * later steps expect, and the first test below fails.
 */
const V1_SQL = `
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

/** Writes a store file as the v1 build would have, with one experiment, round, submission, checkpoint. */
function writeV1Store(path: string, weights: Float32Array): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(V1_SQL);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma('user_version = 1');
  db.prepare(
    `INSERT INTO experiments VALUES ('mnist-1', 'MNIST', '{"rounds":5}', 'running', NULL, 10, 20)`,
  ).run();
  const record = { round: 1, version: 1, status: 'completed', accepted: 3, rejected: { STALE: 1 } };
  db.prepare(
    `INSERT INTO rounds (experiment_id, round, attempt, version, status, accepted, uplink_bytes, downlink_bytes,
       accuracy, recorded_at, record)
     VALUES ('mnist-1', 1, 1, 1, 'completed', 3, 1000, 2000, 0.5, 30, ?)`,
  ).run(JSON.stringify(record));
  db.prepare(
    `INSERT INTO submissions (experiment_id, round, attempt, client_id, accepted, code, reason, bytes, samples,
       received_at)
     VALUES ('mnist-1', 1, 1, 'client-a', 0, 'STALE', 'old version', 123, 60, 25)`,
  ).run();
  const bytes = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength);
  const sha = createHash('sha256').update(bytes).digest('hex');
  db.prepare(`INSERT INTO checkpoints VALUES ('mnist-1', 1, 1, 0.5, ?, ?, ?, 40)`).run(
    weights.length,
    bytes,
    sha,
  );
  db.close();
}

describe('migrations', () => {
  it('keeps the released v1 step byte for byte, and numbers steps 1, 2, …', () => {
    expect(MIGRATIONS[0]!.sql).toBe(V1_SQL);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
  });

  it('creates a new file at the current version, and reopens it without migrating', () => {
    const path = join(tempDir(), 'nested', 'folder', 'fedzip.db');
    const store = openStore(path);
    expect(store.migration).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
    const again = track(openStore(path));
    expect(again.migration).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('opens a v1 store with the current build, and its data survives', () => {
    const path = join(tempDir(), 'v1.db');
    const weights = weightsFor(7);
    weights[3] = -0;
    writeV1Store(path, weights);

    const store = track(openStore(path));
    expect(store.migration).toEqual({ from: 1, to: SCHEMA_VERSION });

    expect(store.experiments.get('mnist-1')).toEqual({
      id: 'mnist-1',
      name: 'MNIST',
      config: { rounds: 5 },
      status: 'running',
      statusReason: null,
      createdAt: 10,
      updatedAt: 20,
    });
    const rounds = store.rounds.list('mnist-1');
    expect(rounds).toHaveLength(1);
    expect(rounds[0]!.record).toEqual({
      round: 1,
      version: 1,
      status: 'completed',
      accepted: 3,
      rejected: { STALE: 1 },
    });
    expect(store.rounds.totals('mnist-1')).toEqual({
      rounds: 1,
      completed: 1,
      uplinkBytes: 1000,
      downlinkBytes: 2000,
      lastRound: 1,
    });
    expect(store.submissions.list('mnist-1')).toEqual([
      expect.objectContaining({
        clientId: 'client-a',
        accepted: false,
        code: 'STALE',
        bytes: 123,
        samples: 60,
      }),
    ]);

    // The v1 checkpoint verifies (weights-only, no manifest) and comes back bit for bit.
    const { checkpoint, corrupt } = store.checkpoints.latestValid('mnist-1');
    expect(corrupt).toEqual([]);
    expect(checkpoint).toMatchObject({ round: 1, version: 1, accuracy: 0.5, loss: null, arrays: {} });
    expect(checkpoint!.meta).toBeUndefined();
    expect(sameBits(checkpoint!.weights, weights)).toBe(true);

    // And the migrated file takes v2 checkpoints, state arrays included.
    const saved = store.checkpoints.save({
      experimentId: 'mnist-1',
      round: 2,
      version: 2,
      weights: weightsFor(8),
      arrays: { 'opt.m': new Float32Array([1, 2]) },
      meta: { strategy: 'fedadam' },
    });
    expect(store.checkpoints.latestValid('mnist-1').checkpoint).toMatchObject({
      round: 2,
      sha256: saved.sha256,
      meta: { strategy: 'fedadam' },
    });
  });

  it('refuses a store written by a newer build with TOO_NEW, and leaves it untouched', () => {
    const path = join(tempDir(), 'future.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE from_the_future (x INTEGER)');
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);

    const err = storeError(() => openStore(path));
    expect(err.code).toBe('TOO_NEW');
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses files that are not fedzip stores with NOT_A_STORE', () => {
    const dir = tempDir();
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    expect(storeError(() => openStore(garbage)).code).toBe('NOT_A_STORE');

    const foreign = join(dir, 'foreign.db');
    const raw = new Database(foreign);
    raw.exec('CREATE TABLE someone_elses (x INTEGER)');
    raw.close();
    expect(storeError(() => openStore(foreign)).code).toBe('NOT_A_STORE');

    const otherApp = join(dir, 'other-app.db');
    const raw2 = new Database(otherApp);
    raw2.pragma('application_id = 42');
    raw2.close();
    expect(storeError(() => openStore(otherApp)).code).toBe('NOT_A_STORE');
  });

  it('rolls a failing step back whole, keeping the earlier steps', () => {
    const path = join(tempDir(), 'fail.db');
    track(openStore(path)).close();
    const broken = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'broken',
        sql: 'CREATE TABLE half_done (x INTEGER); SELECT no_such_function();',
      },
    ];
    const err = storeError(() => openStore(path, { migrations: broken }));
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.prepare(`SELECT name FROM sqlite_schema WHERE name = 'half_done'`).get()).toBeUndefined();
    raw.close();
    expect(track(openStore(path)).schemaVersion).toBe(SCHEMA_VERSION);
  });
});
