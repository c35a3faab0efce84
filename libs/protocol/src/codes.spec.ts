import { describe, expect, it } from '@jest/globals';
import { DecodeErrorCode, ERROR_CODES, ErrorCode, REJECT_CODES, RejectCode } from './codes.js';

describe('codes', () => {
  it('spells every code as its own name (the wire value is readable)', () => {
    for (const table of [DecodeErrorCode, ErrorCode, RejectCode]) {
      for (const [key, value] of Object.entries(table)) expect(value).toBe(key);
    }
  });

  it('includes every decode failure among the error codes', () => {
    for (const code of Object.values(DecodeErrorCode)) expect(ERROR_CODES).toContain(code);
  });

  it('has the reject reasons the coordinator needs', () => {
    expect(REJECT_CODES).toEqual(
      expect.arrayContaining([
        'LATE',
        'DUPLICATE',
        'WRONG_VERSION',
        'WRONG_ROUND',
        'NOT_SELECTED',
        'BAD_ENCODING',
        'SHAPE_MISMATCH',
        'NON_FINITE',
        'BAD_SAMPLE_COUNT',
        'NORM_BOUND',
        'RATE_LIMITED',
        'UNAUTHENTICATED',
      ]),
    );
    expect(new Set(REJECT_CODES).size).toBe(REJECT_CODES.length);
  });
});
