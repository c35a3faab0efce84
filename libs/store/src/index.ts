/**
 * @fedzip/store: the coordinator's embedded store. One SQLite file (better-sqlite3, WAL mode)
 * holding experiments, round records, per-client submissions and global-model checkpoints, each
 * checkpoint written atomically with the SHA-256 of its weights and verified on read, with
 * retention of the last N plus the best. Schema changes are versioned migrations, so an old file
 * opens with a new build. The reference is docs/store.md. No Nest, Socket.IO or tfjs here.
 */
export { StoreError, type StoreErrorCode } from './errors.js';
export { DEFAULT_STORE_PATH, type RewindReport, Store, type StoreOptions, openStore } from './store.js';
export {
  EXPERIMENT_STATUSES,
  ExperimentRepo,
  type ExperimentSecrets,
  type ExperimentStatus,
  type NewExperiment,
  type StoredExperiment,
} from './experiments.js';
export { type RoundFields, RoundRepo, type RoundTotals, type StoredRound } from './rounds.js';
export { type NewSubmission, type StoredSubmission, SubmissionRepo } from './submissions.js';
export {
  ARRAY_NAME_PATTERN,
  type Checkpoint,
  type CheckpointInfo,
  type CheckpointLookup,
  CheckpointRepo,
  type CorruptCheckpoint,
  DEFAULT_RETENTION,
  type NewCheckpoint,
  type RetentionPolicy,
  type SavedCheckpoint,
  type StateArray,
  type StateArrayKind,
} from './checkpoints.js';
export {
  APPLICATION_ID,
  MIGRATIONS,
  type Migration,
  type MigrationReport,
  SCHEMA_VERSION,
  checkSchema,
  migrate,
  schemaVersionOf,
} from './migrations.js';
export { weightsSha256 } from './bytes.js';
export { ID_PATTERN } from './validate.js';
