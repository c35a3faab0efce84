/**
 * Every failure the codec reports is a {@link CodecError} with a stable {@link CodecErrorCode},
 * so that servers can answer hostile input with a reason code instead of crashing.
 */
export type CodecErrorCode =
  | 'TRUNCATED'
  | 'BAD_MAGIC'
  | 'BAD_VERSION'
  | 'BAD_FLAGS'
  | 'UNKNOWN_STAGE'
  | 'BAD_LENGTH'
  | 'TOO_MANY_ELEMENTS'
  | 'NON_FINITE'
  | 'BAD_CHECKSUM'
  | 'BAD_PARAM'
  | 'BAD_VALUE'
  | 'BAD_SPEC'
  | 'SHAPE_MISMATCH';

/** A typed codec failure. `code` is part of the public contract; `message` is for humans. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a {@link CodecError} unless `cond` holds. */
export function check(cond: boolean, code: CodecErrorCode, message: string): asserts cond {
  if (!cond) throw new CodecError(code, message);
}
