import type { ExperimentConfig } from '@fedzip/config';
import type { TrainingData } from '@fedzip/model';
import type { LayoutEntry } from '@fedzip/protocol';

/** What clients need to build the network the weights belong to (sent in `welcome`). */
export interface Architecture {
  readonly model: unknown;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

/** Accuracy and loss of a model on the server's test split. */
export interface Evaluation {
  readonly accuracy: number;
  readonly loss: number;
}

/**
 * Everything the coordinator needs to run one experiment, prepared before it starts (data,
 * distilled and compressed student). Keeping tfjs behind `evaluate` keeps the loop testable.
 */
export interface ExperimentSetup {
  readonly id: string;
  readonly config: ExperimentConfig;
  readonly architecture: Architecture;
  readonly layout: readonly LayoutEntry[];
  /** The global model at version 0 (the decoded compressed student). */
  readonly initialWeights: Float32Array;
  /**
   * The first download, already encoded (the compressed student); decoding it gives
   * `initialWeights`. Absent: the coordinator encodes `initialWeights` with `downlinkFull`.
   */
  readonly initialDownload?: Uint8Array;
  /** Evaluates flat weights on the test split; absent: no server-side evaluation. */
  readonly evaluate?: (weights: Float32Array) => Promise<Evaluation>;
  /**
   * A shared token clients may present in `hello` (empty: any token is accepted while this is
   * the coordinator's only experiment). For demos and fixed deployments; see `joinSecret`.
   */
  readonly joinToken: string;
  /**
   * The local data of demo client `index` (0 ≤ index < `config.clients.count`), which
   * `GET /client/data/:index` hands to browser pages; absent: pages bring their own data.
   */
  readonly clientData?: (index: number) => Promise<TrainingData>;
  /**
   * The admin token: the dashboard and any `/admin` Socket.IO client must present it in the
   * handshake (`auth: { token }`). Empty: the admin channel refuses everyone.
   */
  readonly adminToken: string;
  /** The secret signed join tokens of this experiment are checked with (see `auth/join-token.ts`). */
  readonly joinSecret?: string;
}
