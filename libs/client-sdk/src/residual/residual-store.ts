/**
 * Persistence of the error-feedback residual, keyed by experiment and client. The residual is
 * the part of past updates the compressor dropped and the client still owes the server; losing it
 * on a reload or a process restart silently biases the next updates. Node persists it in files
 * (`FileResidualStore`), browsers in IndexedDB (issue 5); tests and one-shot runs keep it in memory.
 */

/** Whose residual: one per experiment and client. */
export interface ResidualKey {
  readonly experimentId: string;
  readonly clientId: string;
}

/** A stored residual and the model layout it belongs to. */
export interface StoredResidual {
  /** The layout fingerprint (`layoutFingerprint`) of the model the residual was accumulated for. */
  readonly fingerprint: string;
  /** The residual, one value per model parameter. */
  readonly values: Float32Array;
}

/** Where residuals persist. Implementations copy: callers may reuse the arrays they pass and get. */
export interface ResidualStore {
  /** The residual stored under `key`, or undefined when there is none. */
  load(key: ResidualKey): Promise<StoredResidual | undefined>;
  /** Stores `residual` under `key`, replacing what was there. */
  save(key: ResidualKey, residual: StoredResidual): Promise<void>;
}

/** A collision-free string for a key (ids may hold `:`, so plain joining could collide). */
export function residualKeyId(key: ResidualKey): string {
  return JSON.stringify([key.experimentId, key.clientId]);
}

/** A {@link ResidualStore} in memory: survives reconnects within a process, not restarts. */
export class MemoryResidualStore implements ResidualStore {
  private readonly entries = new Map<string, StoredResidual>();

  load(key: ResidualKey): Promise<StoredResidual | undefined> {
    const e = this.entries.get(residualKeyId(key));
    return Promise.resolve(e && { fingerprint: e.fingerprint, values: Float32Array.from(e.values) });
  }

  save(key: ResidualKey, residual: StoredResidual): Promise<void> {
    this.entries.set(residualKeyId(key), {
      fingerprint: residual.fingerprint,
      values: Float32Array.from(residual.values),
    });
    return Promise.resolve();
  }

  /** Number of stored residuals. */
  get size(): number {
    return this.entries.size;
  }
}
