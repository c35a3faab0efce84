/**
 * Codes of {@link AggregationError}. Decoding failures are not here: they stay the codec's
 * `CodecError` so that the coordinator answers them with the codec's reason code.
 *
 * - `BAD_CONFIG`: a strategy or selection option is out of range (names the field).
 * - `BAD_STATE`: an imported optimizer state does not fit the strategy or the model.
 * - `BAD_RESULTS`: results handed to `aggregate` do not match what the strategy asked for
 *   (a wiring bug in the caller, not hostile input).
 * - `DUPLICATE_CLIENT`: a second update from the same client in one round.
 */
export type AggregationErrorCode = 'BAD_CONFIG' | 'BAD_STATE' | 'BAD_RESULTS' | 'DUPLICATE_CLIENT';

/** A typed aggregation failure. `code` (and `field`, for config errors) is the contract. */
export class AggregationError extends Error {
  override readonly name = 'AggregationError';
  constructor(
    readonly code: AggregationErrorCode,
    message: string,
    /** The offending config field, for `BAD_CONFIG`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Throws `BAD_CONFIG` naming `field` unless `cond` holds. */
export function checkConfig(cond: boolean, field: string, message: string): asserts cond {
  if (!cond) throw new AggregationError('BAD_CONFIG', `${field}: ${message}`, field);
}
