import { createHash, timingSafeEqual } from 'node:crypto';

/** Longest admin token read from a handshake; longer ones are refused unread. */
export const MAX_ADMIN_TOKEN_LENGTH = 512;

/**
 * Whether `presented` (anything a handshake carried) is the admin token `expected`, compared in
 * constant time: both sides are hashed to 32 bytes first, so neither the content nor the length
 * of the secret leaks through timing. An empty `expected` matches nothing (admin access is off).
 */
export function adminTokenMatches(expected: string, presented: unknown): boolean {
  if (expected === '' || typeof presented !== 'string') return false;
  if (presented.length === 0 || presented.length > MAX_ADMIN_TOKEN_LENGTH) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}
