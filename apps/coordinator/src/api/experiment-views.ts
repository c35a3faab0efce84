/** The shapes the REST API answers with (`/api/experiments…`), shared with the CLI. */
import type { ExperimentStatus } from '@fedzip/store';

/** Where an experiment is in its life (`completed`, `failed` and `stopped` are final). */
export type { ExperimentStatus } from '@fedzip/store';

/** One line of `GET /api/experiments`. */
export interface ExperimentListItem {
  readonly id: string;
  readonly name: string;
  readonly status: ExperimentStatus;
  /** Completed rounds. */
  readonly round: number;
  /** Rounds the config asks for. */
  readonly rounds: number;
  /** Test accuracy after the last evaluated round. */
  readonly accuracy: number | null;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** `GET /api/experiments/:id`. */
export interface ExperimentDetail extends ExperimentListItem {
  /** Why it failed or stopped. */
  readonly reason: string | null;
  readonly modelVersion: number;
  /** SHA-256 (hex) of the global model's float32 weights (little-endian), or null before any. */
  readonly modelSha256: string | null;
  readonly clients: {
    readonly connected: number;
    /** Selected for the open round (0 between rounds). */
    readonly selected: number;
    /** Reported in the open round. */
    readonly reported: number;
  };
  readonly metrics: {
    readonly accuracy: number | null;
    readonly loss: number | null;
    readonly uplinkBytes: number;
    readonly denseUplinkBytes: number;
    readonly downlinkBytes: number;
    readonly denseDownlinkBytes: number;
    /** Dense float32 bytes over bytes sent (null before any traffic). */
    readonly uplinkRatio: number | null;
    readonly downlinkRatio: number | null;
  };
  /** The validated config (defaults filled in). */
  readonly config: unknown;
}
