import { secretMatches } from '../auth/secret-compare.js';

/** Longest admin token read from a handshake; longer ones are refused unread. */
export const MAX_ADMIN_TOKEN_LENGTH = 512;

/**
 * Whether `presented` (anything a handshake or request carried) is the admin token `expected`,
 * compared in constant time (see `secretMatches`). An empty `expected` matches nothing (admin
 * access is off).
 */
export function adminTokenMatches(expected: string, presented: unknown): boolean {
  return secretMatches(expected, presented, MAX_ADMIN_TOKEN_LENGTH);
}
