import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `presented` (anything a request carried) equals the secret `expected`, in constant
 * time: both sides are hashed to 32 bytes first, so neither the content nor the length of the
 * secret leaks through timing. An empty `expected` matches nothing; a presented value that is not
 * a string, is empty, or is longer than `maxLength` is refused unread.
 */
export function secretMatches(expected: string, presented: unknown, maxLength: number): boolean {
  if (expected === '' || typeof presented !== 'string') return false;
  if (presented.length === 0 || presented.length > maxLength) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}
