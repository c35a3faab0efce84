import { EventEmitter } from 'node:events';
import type { ErrorCode } from '@fedzip/protocol';

/** A frame the clients' gateway refused before it reached an experiment's update intake. */
export interface FrameRefused {
  /** The `error` code (sent to the client, unless `answered` is false). */
  readonly code: ErrorCode;
  /** The event the frame came with (client-chosen, sanitised and capped), or null. */
  readonly event: string | null;
  readonly reason: string;
  /** Whether the connection was closed for it. */
  readonly fatal: boolean;
  /** Whether the client was told (rate-limited drops are answered at most once a second). */
  readonly answered: boolean;
  readonly socketId: string;
  /** The joined client's id and experiment, when the connection had joined. */
  readonly clientId: string | null;
  readonly experiment: string | null;
  /** The first refusal with this code on this connection (logs keep only those, and fatal ones). */
  readonly first: boolean;
}

/** Events of the clients' gateway, across experiments: for logs and metrics. */
export interface SessionEventMap {
  'frame-refused': [FrameRefused];
}

/** A typed event bus of the clients' gateway (one per coordinator process, on `ExperimentHost`). */
export class SessionEvents extends EventEmitter<SessionEventMap> {}
