/** The options of a {@link FederatedClient}, and their validation. */
import type { TrainingData } from '@fedzip/model';
import { type Capabilities, CAPS, ID_PATTERN, type ProtocolLimits, TOKEN_PATTERN } from '@fedzip/protocol';
import { ClientError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelStore } from '../model/model-store.js';
import type { ResidualStore } from '../residual/residual-store.js';
import type { Transport } from '../transport/transport.js';

/** Facts about the round whose delta an {@link UpdateTransform} rewrites. */
export interface UpdateTransformRound {
  readonly roundId: number;
  /** The assignment's seed (the same for every client of the round). */
  readonly seed: number;
}

/**
 * Rewrites a trained delta `w_local − w_global` before it is encoded: a **simulation hook** (the
 * Byzantine clients of an experiment's `attack` section, apps/cli/src/experiment/attacks.ts), not
 * something a real device sets. May modify `delta` in place and return it, or return a new array
 * of the same length.
 */
export type UpdateTransform = (delta: Float32Array, round: UpdateTransformRound) => Float32Array;

/** Options of {@link FederatedClient}. */
export interface FederatedClientOptions {
  /** The connection to the coordinator. */
  readonly transport: Transport;
  /** The join token (printable ASCII without spaces; may be empty when the server needs none). */
  readonly token: string;
  /** The id to join as (1–64 chars of `A–Z a–z 0–9 . _ : -`, starting with a letter or digit). */
  readonly clientId: string;
  /** Local training data; a `@fedzip/data` `Dataset` fits as it is. */
  readonly data: TrainingData;
  /** Where the error-feedback residual persists. Default: in memory only. */
  readonly residualStore?: ResidualStore;
  /**
   * Where the held global model persists (every version applied is saved). Default: not persisted.
   * Restoring needs {@link experimentId} too.
   */
  readonly modelStore?: ModelStore;
  /**
   * The experiment this client expects to join, when known before the first `welcome` (a page
   * reads it from the coordinator's `GET /client/info`). With {@link modelStore}, `start()` first
   * restores the model stored under (this id, `clientId`), so that `hello` states its version and
   * the server sends a delta from it or nothing. A `welcome` naming another experiment drops the
   * restored model and re-joins for a full one.
   */
  readonly experimentId?: string;
  /** Where the client logs. Default: silent. */
  readonly logger?: Partial<Logger>;
  /** Overrides of the `hello` capabilities (e.g. `runtime`, `backends`). */
  readonly capabilities?: Partial<Capabilities>;
  /** Limits this client enforces on frames it receives. Default `DEFAULT_LIMITS`. */
  readonly receiveLimits?: Partial<ProtocolLimits>;
  /**
   * Simulation only: rewrites every trained delta before encoding (see {@link UpdateTransform}).
   * The result is still encoded with the assigned codec and error feedback. Default: none.
   */
  readonly transformUpdate?: UpdateTransform;
}

/**
 * Checks what the server would refuse anyway (`hello`'s id and token bounds) and what training
 * would trip on (dataset lengths), so that a misconfigured client fails at once and says why.
 *
 * @throws {@link ClientError} `BAD_OPTION`.
 */
export function checkOptions(options: FederatedClientOptions): void {
  const bad = (why: string): never => {
    throw new ClientError('BAD_OPTION', why);
  };
  const { clientId, token, data } = options;
  if (clientId.length > CAPS.idChars || !ID_PATTERN.test(clientId)) {
    bad(
      `clientId ${JSON.stringify(clientId)} must be 1–64 chars of A–Z a–z 0–9 . _ : -, starting with a letter or digit`,
    );
  }
  if (token.length > CAPS.tokenChars || !TOKEN_PATTERN.test(token)) {
    bad('token must be at most 4096 chars of printable ASCII without spaces');
  }
  const f = data.shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(data.n) || data.n < 1 || data.x.length !== data.n * f || data.y.length !== data.n) {
    bad(
      `data must hold n ≥ 1 samples of [${data.shape.join(', ')}] (x ${data.x.length} values, y ${data.y.length}, n ${data.n})`,
    );
  }
}
