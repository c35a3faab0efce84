/**
 * Codes of {@link StoreError}.
 *
 * - `BAD_INPUT`: an argument is malformed (an id, a non-finite number, a negative round...);
 *   `field` names it.
 * - `NOT_FOUND`: the experiment (or checkpoint) named does not exist.
 * - `EXISTS`: a row with the same key is already stored (experiment id, round attempt,
 *   checkpoint round).
 * - `CORRUPT`: stored bytes fail their SHA-256, or SQLite reports a malformed database.
 * - `TOO_NEW`: the file was written by a newer build (its schema version is above
 *   {@link SCHEMA_VERSION}); nothing was changed.
 * - `NOT_A_STORE`: the file is not SQLite, or is an SQLite database of another program.
 * - `MIGRATION_FAILED`: a migration step threw; its transaction was rolled back.
 * - `CLOSED`: the store was used after {@link Store.close}.
 * - `IO`: the file could not be opened, read or written (permissions, disk full, locked).
 */
export type StoreErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'EXISTS'
  | 'CORRUPT'
  | 'TOO_NEW'
  | 'NOT_A_STORE'
  | 'MIGRATION_FAILED'
  | 'CLOSED'
  | 'IO';

/** A typed store failure. `code` (and `field`, for `BAD_INPUT`) is the contract. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** The offending argument, for `BAD_INPUT`. */
  readonly field: string | undefined;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: {
      /** The offending argument, for `BAD_INPUT`. */
      readonly field?: string;
      /** The underlying error (usually a `SqliteError`). */
      readonly cause?: unknown;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.field = options?.field;
  }
}

/** SQLite result codes (as better-sqlite3 spells them in `SqliteError.code`) mapped to ours. */
function codeOf(sqliteCode: string): StoreErrorCode | undefined {
  if (sqliteCode === 'SQLITE_NOTADB') return 'NOT_A_STORE';
  if (sqliteCode === 'SQLITE_CORRUPT' || sqliteCode.startsWith('SQLITE_CORRUPT_')) return 'CORRUPT';
  if (sqliteCode === 'SQLITE_CONSTRAINT_PRIMARYKEY' || sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE') {
    return 'EXISTS';
  }
  if (sqliteCode === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'NOT_FOUND';
  const io = [
    'SQLITE_IOERR',
    'SQLITE_CANTOPEN',
    'SQLITE_FULL',
    'SQLITE_READONLY',
    'SQLITE_BUSY',
    'SQLITE_LOCKED',
  ];
  if (io.some((c) => sqliteCode === c || sqliteCode.startsWith(`${c}_`))) return 'IO';
  return undefined;
}

/**
 * Wraps whatever a storage call threw as a {@link StoreError}: store errors pass through, SQLite
 * errors are mapped by result code (`IO` when unknown), anything else is rethrown untouched
 * (a bug, not a storage condition).
 */
export function toStoreError(err: unknown, what: string): unknown {
  if (err instanceof StoreError) return err;
  // Duck-typed, not `instanceof Error`: the native addon keeps the `SqliteError` class of the
  // first realm that loaded it (Jest runs each test file in its own realm).
  if (typeof err !== 'object' || err === null) return err;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return err;
  if (code.startsWith('SQLITE_')) {
    return new StoreError(codeOf(code) ?? 'IO', `${what}: ${message} (${code})`, { cause: err });
  }
  if (/^E[A-Z]+$/.test(code)) return new StoreError('IO', `${what}: ${message}`, { cause: err });
  return err;
}

/** Runs `fn`, converting what it throws with {@link toStoreError}. */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(err, what);
  }
}
