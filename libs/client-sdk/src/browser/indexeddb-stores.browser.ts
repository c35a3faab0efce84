/**
 * IndexedDB persistence for browser clients: the error-feedback residual and the held global
 * model, in one database (default name `fedzip`) with one object store each, keyed by
 * `[experimentId, clientId]` (as JSON, `residualKeyId`). Values are structured-cloned typed arrays,
 * so a save is one transaction and a reload finds exactly what was saved. The database survives
 * reloads and browser restarts; clearing the site's data clears it.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ModelKey, ModelStore, StoredModel } from '../model/model-store.js';
import {
  type ResidualKey,
  type ResidualStore,
  type StoredResidual,
  residualKeyId,
} from '../residual/residual-store.js';

/** The default database name. */
export const DEFAULT_DB_NAME = 'fedzip';

interface FedzipDb extends DBSchema {
  residuals: { key: string; value: StoredResidual };
  models: { key: string; value: StoredModel };
}

const databases = new Map<string, Promise<IDBPDatabase<FedzipDb>>>();

/** Opens (once per page and name) the database, creating its object stores on first use. */
function database(name: string): Promise<IDBPDatabase<FedzipDb>> {
  let db = databases.get(name);
  if (db === undefined) {
    db = openDB<FedzipDb>(name, 1, {
      upgrade(d) {
        d.createObjectStore('residuals');
        d.createObjectStore('models');
      },
    });
    databases.set(name, db);
    // A failed open is not cached: the next call tries again.
    db.catch(() => databases.delete(name));
  }
  return db;
}

/** A {@link ResidualStore} in IndexedDB. */
export class IndexedDbResidualStore implements ResidualStore {
  constructor(readonly dbName: string = DEFAULT_DB_NAME) {}

  async load(key: ResidualKey): Promise<StoredResidual | undefined> {
    const v = await (await database(this.dbName)).get('residuals', residualKeyId(key));
    return v && { fingerprint: v.fingerprint, values: Float32Array.from(v.values) };
  }

  async save(key: ResidualKey, residual: StoredResidual): Promise<void> {
    await (
      await database(this.dbName)
    ).put(
      'residuals',
      { fingerprint: residual.fingerprint, values: Float32Array.from(residual.values) },
      residualKeyId(key),
    );
  }
}

/** A {@link ModelStore} in IndexedDB. */
export class IndexedDbModelStore implements ModelStore {
  constructor(readonly dbName: string = DEFAULT_DB_NAME) {}

  async load(key: ModelKey): Promise<StoredModel | undefined> {
    const v = await (await database(this.dbName)).get('models', residualKeyId(key));
    return v && { ...v, weights: Float32Array.from(v.weights) };
  }

  async save(key: ModelKey, model: StoredModel): Promise<void> {
    const value: StoredModel = {
      architecture: model.architecture,
      fingerprint: model.fingerprint,
      version: model.version,
      weights: Float32Array.from(model.weights),
    };
    await (await database(this.dbName)).put('models', value, residualKeyId(key));
  }
}

/** Deletes everything stored under `dbName` (both stores), e.g. for a "forget this device" button. */
export async function clearStoredState(dbName: string = DEFAULT_DB_NAME): Promise<void> {
  const db = await database(dbName);
  const tx = db.transaction(['residuals', 'models'], 'readwrite');
  await Promise.all([tx.objectStore('residuals').clear(), tx.objectStore('models').clear(), tx.done]);
}
