import { describe, expect, it } from '@jest/globals';
import { MESSAGES } from './__tests__/fixtures.js';
import { DEFAULT_LIMITS } from './limits.js';
import { messageSchemas } from './schemas.js';

describe('assign.dp (differential privacy, docs/privacy.md)', () => {
  const assign = messageSchemas(DEFAULT_LIMITS).assign;

  it('is optional, and takes a clip norm with a noise multiplier', () => {
    expect(assign.safeParse(MESSAGES.assign).success).toBe(true);
    const dp = { clipNorm: 0.5, noiseMultiplier: 1.1 };
    expect(assign.parse({ ...MESSAGES.assign, dp }).dp).toEqual(dp);
    expect(assign.safeParse({ ...MESSAGES.assign, dp: { clipNorm: 1, noiseMultiplier: 0 } }).success).toBe(
      true,
    );
  });

  it.each([
    { clipNorm: 0, noiseMultiplier: 1 },
    { clipNorm: -1, noiseMultiplier: 1 },
    { clipNorm: Number.POSITIVE_INFINITY, noiseMultiplier: 1 },
    { clipNorm: 1, noiseMultiplier: -0.1 },
    { clipNorm: 1, noiseMultiplier: Number.NaN },
    { clipNorm: 1 },
    { clipNorm: 1, noiseMultiplier: 1, extra: true },
    null,
  ])('refuses dp = %p', (dp) => {
    expect(assign.safeParse({ ...MESSAGES.assign, dp }).success).toBe(false);
  });
});
