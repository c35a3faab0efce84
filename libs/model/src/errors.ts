/**
 * Every failure the model library reports on purpose is a {@link ModelError} with a stable
 * {@link ModelErrorCode}, so that the CLI and the coordinator can turn it into a readable message.
 */
export type ModelErrorCode =
  /** An option is out of range or of the wrong kind (a negative learning rate, an unknown kind…). */
  | 'BAD_OPTION'
  /** The data does not fit the model: wrong sample shape, class count or lengths. */
  | 'BAD_DATA'
  /** Flat weights or a layout do not match the model they are applied to. */
  | 'LAYOUT_MISMATCH'
  /** A saved model is missing, unreadable or malformed. */
  | 'BAD_ARTIFACTS'
  /** A tensor shape or attribute the kernel does not support. */
  | 'UNSUPPORTED';

/** A typed model failure. `code` is part of the public contract; `message` is for humans. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a {@link ModelError} unless `cond` holds. */
export function check(cond: boolean, code: ModelErrorCode, message: string): asserts cond {
  if (!cond) throw new ModelError(code, message);
}
