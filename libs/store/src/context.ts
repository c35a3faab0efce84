import type BetterSqlite3 from 'better-sqlite3';

/** What the repositories share: the connection and the clock. Internal to the lib. */
export interface StoreContext {
  readonly db: BetterSqlite3.Database;
  /** Milliseconds since the epoch, for `*_at` columns. */
  readonly now: () => number;
  /** Throws `CLOSED` after the store was closed. */
  readonly assertOpen: () => void;
}

/** A `SELECT count(*) AS n`-style row. */
export interface CountRow {
  readonly n: number;
}
