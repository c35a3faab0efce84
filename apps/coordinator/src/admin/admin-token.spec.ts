import { describe, expect, it } from '@jest/globals';
import { MAX_ADMIN_TOKEN_LENGTH, adminTokenMatches } from './admin-token.js';

describe('adminTokenMatches', () => {
  const secret = 'correct-horse-battery-staple';

  it('accepts the exact token', () => {
    expect(adminTokenMatches(secret, secret)).toBe(true);
  });

  it('refuses a wrong, shorter, longer or differently cased token', () => {
    expect(adminTokenMatches(secret, 'wrong')).toBe(false);
    expect(adminTokenMatches(secret, secret.slice(0, -1))).toBe(false);
    expect(adminTokenMatches(secret, `${secret}x`)).toBe(false);
    expect(adminTokenMatches(secret, secret.toUpperCase())).toBe(false);
  });

  it('refuses anything that is not a non-empty string of bounded length', () => {
    for (const bad of [undefined, null, 42, {}, [secret], ''])
      expect(adminTokenMatches(secret, bad)).toBe(false);
    expect(adminTokenMatches('x'.repeat(600), 'x'.repeat(600))).toBe(false);
    expect(MAX_ADMIN_TOKEN_LENGTH).toBe(512);
  });

  it('matches nothing when no admin token is set', () => {
    expect(adminTokenMatches('', '')).toBe(false);
    expect(adminTokenMatches('', 'anything')).toBe(false);
  });
});
