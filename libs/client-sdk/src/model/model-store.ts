/**
 * Persistence of the global model a client holds, keyed by experiment and client, so that a client
 * that restarts (a reloaded page, a restarted process) resumes at the version it held: its `hello`
 * states that version and the server answers with a delta from it, or nothing, instead of the full
 * model. A version number is worth nothing without its weights, so both are stored together, with
 * the architecture the weights belong to (the network is built from it before the first `welcome`).
 * Browsers persist it in IndexedDB (`IndexedDbStore`); tests keep it in memory.
 */
import { type ResidualKey, residualKeyId } from '../residual/residual-store.js';

/** Whose model: one per experiment and client (the same key as the residual's). */
export type ModelKey = ResidualKey;

/** A stored global model version. */
export interface StoredModel {
  /** `welcome.architecture` of the experiment, as the server sent it. */
  readonly architecture: string;
  /** The layout fingerprint (`layoutFingerprint`) of the network the weights belong to. */
  readonly fingerprint: string;
  /** The global model version the weights are. */
  readonly version: number;
  /** The flat weights of that version, as the client reconstructed them. */
  readonly weights: Float32Array;
}

/** Where held models persist. Implementations copy: callers may reuse the arrays they pass and get. */
export interface ModelStore {
  /** The model stored under `key`, or undefined when there is none. */
  load(key: ModelKey): Promise<StoredModel | undefined>;
  /** Stores `model` under `key`, replacing what was there. */
  save(key: ModelKey, model: StoredModel): Promise<void>;
}

function copy(m: StoredModel): StoredModel {
  return {
    architecture: m.architecture,
    fingerprint: m.fingerprint,
    version: m.version,
    weights: Float32Array.from(m.weights),
  };
}

/** A {@link ModelStore} in memory: survives a client's restart within a process, for tests. */
export class MemoryModelStore implements ModelStore {
  private readonly entries = new Map<string, StoredModel>();

  load(key: ModelKey): Promise<StoredModel | undefined> {
    const e = this.entries.get(residualKeyId(key));
    return Promise.resolve(e && copy(e));
  }

  save(key: ModelKey, model: StoredModel): Promise<void> {
    this.entries.set(residualKeyId(key), copy(model));
    return Promise.resolve();
  }

  /** Number of stored models. */
  get size(): number {
    return this.entries.size;
  }
}
