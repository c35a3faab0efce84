/**
 * Every failure the data library reports is a {@link DataError} with a stable {@link DataErrorCode},
 * so that the CLI and the coordinator can turn a bad experiment config into a readable message.
 */
export type DataErrorCode =
  /** An option is out of range or of the wrong kind (α ≤ 0, a fractional client count…). */
  | 'BAD_OPTION'
  /** The dataset itself is malformed: lengths disagree, a label is out of range, a file is corrupt. */
  | 'BAD_DATASET'
  /** The options are valid one by one but cannot be met together (more clients than samples…). */
  | 'INFEASIBLE'
  /** A data file or package could not be found. */
  | 'NOT_FOUND';

/** A typed data failure. `code` is part of the public contract; `message` is for humans. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly code: DataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a {@link DataError} unless `cond` holds. */
export function check(cond: boolean, code: DataErrorCode, message: string): asserts cond {
  if (!cond) throw new DataError(code, message);
}

/** Seeds are integers so that a config value round-trips exactly through YAML and JSON. */
export function checkSeed(seed: number): void {
  check(Number.isSafeInteger(seed), 'BAD_OPTION', `seed must be an integer, got ${seed}`);
}
