import { describe, expect, it } from '@jest/globals';
import { ConnectionLimiter, DEFAULT_RATE_LIMIT, TokenBucket, resolveRateLimit } from './rate-limit.js';

describe('TokenBucket', () => {
  it('starts full, empties, and refills at its rate', () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(1, 0), b.take(1, 0), b.take(1, 0), b.take(1, 0)]).toEqual([true, true, true, false]);
    expect(b.take(1, 400)).toBe(false); // 0.8 tokens
    expect(b.take(1, 500)).toBe(true); // 1 token after 0.5 s
    expect(b.take(3, 60_000)).toBe(true); // capped at capacity
    expect(b.take(1, 60_000)).toBe(false);
  });
});

describe('ConnectionLimiter', () => {
  const options = resolveRateLimit(
    {
      burstMessages: 4,
      messagesPerSecond: 1,
      maxDropped: 5,
      droppedForgivenPerSecond: 0,
      answerEveryMs: 1000,
    },
    1000,
  );

  it('fills the byte defaults from the largest frame', () => {
    expect(resolveRateLimit({}, 5000)).toMatchObject({ burstBytes: 10_000, bytesPerSecond: 5000 });
    expect(resolveRateLimit(undefined, 10)).toMatchObject({
      burstMessages: DEFAULT_RATE_LIMIT.burstMessages,
    });
    expect(() => resolveRateLimit({ burstMessages: -1 }, 10)).toThrow(/burstMessages/);
  });

  it('passes a burst, drops beyond it (answering once a second), then disconnects', () => {
    const l = new ConnectionLimiter(options, 0);
    const kinds = Array.from({ length: 4 }, () => l.admit(10, 0).kind);
    expect(kinds).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(l.admit(10, 0)).toMatchObject({ kind: 'drop', answer: true });
    expect(l.admit(10, 10)).toMatchObject({ kind: 'drop', answer: false });
    expect(l.admit(10, 1100)).toMatchObject({ kind: 'pass' }); // a token came back
    expect(l.admit(10, 1100)).toMatchObject({ kind: 'drop', answer: true });
    expect(l.admit(10, 1100).kind).toBe('drop');
    expect(l.admit(10, 1100).kind).toBe('drop');
    expect(l.admit(10, 1100).kind).toBe('disconnect');
    expect(l.dropped).toBe(6);
  });

  it('limits bytes too, without charging a message for a refused frame', () => {
    const l = new ConnectionLimiter(options, 0);
    expect(l.admit(1500, 0).kind).toBe('pass');
    expect(l.admit(1500, 0).kind).toBe('drop'); // 500 bytes left of the 2000 burst
    expect(l.admit(400, 0).kind).toBe('pass');
  });
});
