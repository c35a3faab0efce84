import type { RateLimitOptions } from '../gateway/rate-limit.js';

/** DI tokens of the coordinator module. */
export const CLOCK = Symbol('CLOCK');
export const COORDINATOR_OPTIONS = Symbol('COORDINATOR_OPTIONS');

/** Settings of a coordinator process (as opposed to those of one experiment). */
export interface CoordinatorServerOptions {
  /**
   * The admin token: the REST API (bearer), the dashboard and any `/admin` Socket.IO client must
   * present it. Empty: the admin side refuses everyone.
   */
  readonly adminToken: string;
  /** Per-connection rate limits of the clients' gateway (defaults: `DEFAULT_RATE_LIMIT`). */
  readonly rateLimit?: Partial<RateLimitOptions>;
  /** The largest frame the server takes (sizes the byte bucket of the rate limits). */
  readonly maxFrameBytes?: number;
}
