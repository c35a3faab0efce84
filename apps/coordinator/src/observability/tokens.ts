import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';

/** DI token of the {@link ObservabilityOptions}. */
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

/** DI token of the {@link StoreProbe} (`null`: no store configured). */
export const STORE_PROBE = Symbol('STORE_PROBE');

/**
 * Checks that the experiment store can take writes, for readiness. It resolves (optionally with
 * details for the health response, e.g. `{ path }`) when the store is writable, and rejects (or
 * lets `signal` abort it) when it is not. The store (`libs/store`) supplies one; until it is wired
 * (issue 6), no probe is configured and readiness reports the store as up with
 * `configured: false`.
 */
export interface StoreProbe {
  check(signal: AbortSignal): Promise<Record<string, unknown> | void>;
}

/** Options of the observability module. */
export interface ObservabilityOptions {
  /** The coordinator's pino logger (event lines; also Nest's logs when `nestLogs`). */
  readonly logger: Logger;
  /** Route Nest's own logs (and HTTP request logs, at debug) through `logger` via nestjs-pino. */
  readonly nestLogs: boolean;
  readonly storeProbe: StoreProbe | null;
  /** Readiness fails when the event loop was blocked longer than this recently (ms). */
  readonly maxEventLoopDelayMs: number;
  /** Other modules of the app (the experiment service), imported beside the coordinator's. */
  readonly modules: readonly DynamicModule[];
}
