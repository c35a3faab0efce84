/**
 * Per-connection rate limits of the clients' Socket.IO endpoint (issue 7): token buckets on the
 * messages and bytes a connection sends, and a third bucket of dropped messages whose exhaustion
 * means sustained abuse (the connection is closed).
 */

/** Settings of {@link ConnectionLimiter}; every field has a generous default. */
export interface RateLimitOptions {
  /** Messages a connection may send at once (bucket capacity). Default 120. */
  readonly burstMessages: number;
  /** Messages per second the bucket refills. Default 30. */
  readonly messagesPerSecond: number;
  /**
   * Bytes a connection may send at once. Default 0: the server raises it to at least twice its
   * largest frame, so that one legal update always fits.
   */
  readonly burstBytes: number;
  /** Bytes per second the bucket refills. Default 0: the largest frame per second. */
  readonly bytesPerSecond: number;
  /** Dropped messages tolerated before the connection is closed. Default 500. */
  readonly maxDropped: number;
  /** Dropped messages forgiven per second. Default 10. */
  readonly droppedForgivenPerSecond: number;
  /** Shortest interval between two `RATE_LIMITED` answers on one connection, in ms. Default 1000. */
  readonly answerEveryMs: number;
}

/** The defaults of {@link RateLimitOptions}. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = Object.freeze({
  burstMessages: 120,
  messagesPerSecond: 30,
  burstBytes: 0,
  bytesPerSecond: 0,
  maxDropped: 500,
  droppedForgivenPerSecond: 10,
  answerEveryMs: 1000,
});

/** The limits for a server whose largest frame is `maxFrame` bytes (fills the byte defaults). */
export function resolveRateLimit(
  options: Partial<RateLimitOptions> | undefined,
  maxFrame: number,
): RateLimitOptions {
  const o = { ...DEFAULT_RATE_LIMIT, ...options };
  for (const [k, v] of Object.entries(o)) {
    if (!(Number.isFinite(v) && v >= 0))
      throw new RangeError(`rateLimit.${k} must be a finite number ≥ 0, got ${v}`);
  }
  return {
    ...o,
    burstBytes: Math.max(o.burstBytes, 2 * maxFrame),
    bytesPerSecond: o.bytesPerSecond > 0 ? o.bytesPerSecond : maxFrame,
  };
}

/** A token bucket: `capacity` tokens, refilled at `rate` per second, starting full. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly rate: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `cost` tokens if there are that many (after refilling up to `now`, in ms). */
  take(cost: number, now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Gives back `cost` tokens taken by {@link take} (never above capacity). */
  refund(cost: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + cost);
  }
}

/** What {@link ConnectionLimiter.admit} decided about one inbound message. */
export type RateDecision =
  /** Process the message. */
  | { readonly kind: 'pass' }
  /** Drop it; `answer` says whether to tell the client (answers are themselves rate-limited). */
  | { readonly kind: 'drop'; readonly answer: boolean; readonly why: string }
  /** Drop it and close the connection: it kept sending while limited. */
  | { readonly kind: 'disconnect'; readonly why: string };

/** The rate limits of one connection. */
export class ConnectionLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly drops: TokenBucket;
  private lastAnswer = -Infinity;
  /** Messages dropped so far. */
  dropped = 0;

  constructor(
    private readonly options: RateLimitOptions,
    now: number,
  ) {
    this.messages = new TokenBucket(options.burstMessages, options.messagesPerSecond, now);
    this.bytes = new TokenBucket(options.burstBytes, options.bytesPerSecond, now);
    this.drops = new TokenBucket(options.maxDropped, options.droppedForgivenPerSecond, now);
  }

  /** Decides about a message of `bytes` bytes arriving at `now` (ms). */
  admit(bytes: number, now: number): RateDecision {
    // Both buckets are charged only when both have room: a refused message costs nothing.
    const okMessages = this.messages.take(1, now);
    const okBytes = okMessages && this.bytes.take(bytes, now);
    if (okBytes) return { kind: 'pass' };
    if (okMessages) this.messages.refund(1);
    this.dropped++;
    const why = okMessages
      ? `more than ${this.options.bytesPerSecond} bytes/s (burst ${this.options.burstBytes})`
      : `more than ${this.options.messagesPerSecond} messages/s (burst ${this.options.burstMessages})`;
    if (!this.drops.take(1, now)) return { kind: 'disconnect', why: `kept sending ${why}` };
    const answer = now - this.lastAnswer >= this.options.answerEveryMs;
    if (answer) this.lastAnswer = now;
    return { kind: 'drop', answer, why };
  }
}
