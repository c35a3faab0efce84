import type BetterSqlite3 from 'better-sqlite3';
import { bytesFromBlob, bytesOf, float32FromBlob, sha256Hex } from './bytes.js';
import type { StoreContext } from './context.js';
import { StoreError, guard } from './errors.js';
import { checkId, checkInt, checkOptFinite, toJson } from './validate.js';

/** A named piece of server state saved with a checkpoint: floats, or opaque bytes. */
export type StateArray = Float32Array | Uint8Array;

/** How a {@link StateArray} is stored: `f32` (little-endian float32) or `u8` (raw bytes). */
export type StateArrayKind = 'f32' | 'u8';

/** What may name a state array: 1–128 of `[A-Za-z0-9._:/-]`, starting alphanumeric. */
export const ARRAY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** What {@link CheckpointRepo.save} takes. */
export interface NewCheckpoint {
  readonly experimentId: string;
  /** The completed round this model came out of (0: the initial model). */
  readonly round: number;
  /** The model version (what clients see). */
  readonly version: number;
  /** The global model, stored bit for bit. */
  readonly weights: Float32Array;
  /** Server-side test accuracy of this model (null: not evaluated); drives "best". */
  readonly accuracy?: number | null;
  readonly loss?: number | null;
  /**
   * Extra state a bit-identical resume needs, by name: server-optimizer moments (the arrays of an
   * aggregation `StrategyState`), the downlink error-feedback residual, an RNG state as bytes…
   */
  readonly arrays?: Readonly<Record<string, StateArray>>;
  /** Extra JSON state (e.g. `{ strategy: 'fedadam' }`); non-finite numbers are refused. */
  readonly meta?: unknown;
}

/** A checkpoint's row, without the bytes. */
export interface CheckpointInfo {
  readonly experimentId: string;
  readonly round: number;
  readonly version: number;
  readonly accuracy: number | null;
  readonly loss: number | null;
  /** Number of float32 weights. */
  readonly length: number;
  /** SHA-256 (hex) of the weights' bytes: see {@link weightsSha256}. */
  readonly sha256: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** A checkpoint read back and verified. */
export interface Checkpoint extends CheckpointInfo {
  /** A fresh copy; equal bit for bit to what was saved. */
  readonly weights: Float32Array;
  /** The state arrays saved with it (fresh copies; empty when none). */
  readonly arrays: Readonly<Record<string, StateArray>>;
  /** The JSON state saved with it (undefined when none). */
  readonly meta: unknown;
}

/** A checkpoint that failed verification. */
export interface CorruptCheckpoint {
  readonly experimentId: string;
  readonly round: number;
  /** What did not match, in words. */
  readonly reason: string;
  /** The `CORRUPT` error a {@link CheckpointRepo.load} of it throws. */
  readonly error: StoreError;
}

/** The answer of {@link CheckpointRepo.latestValid} and {@link CheckpointRepo.best}. */
export interface CheckpointLookup {
  /** The chosen checkpoint, verified; null when no stored checkpoint passes verification. */
  readonly checkpoint: Checkpoint | null;
  /** Checkpoints looked at and skipped because they failed verification, in the order tried. */
  readonly corrupt: readonly CorruptCheckpoint[];
}

/** Which checkpoints survive each save. */
export interface RetentionPolicy {
  /** Keep the last N checkpoints by round (≥ 1; `Infinity` keeps all). */
  readonly keepLast: number;
  /** Also keep the checkpoint with the highest accuracy (the later one on ties). */
  readonly keepBest: boolean;
}

/** Default {@link RetentionPolicy}: the last 3 plus the best. */
export const DEFAULT_RETENTION: RetentionPolicy = { keepLast: 3, keepBest: true };

/** What {@link CheckpointRepo.save} reports. */
export interface SavedCheckpoint {
  /** SHA-256 (hex) of the weights: the model's identity (`modelSha256`). */
  readonly sha256: string;
  /** SHA-256 binding the row's fields, the weights' hash, the meta and every state array. */
  readonly manifestSha256: string;
  /** Rounds of checkpoints the retention policy deleted. */
  readonly pruned: readonly number[];
}

interface CheckpointRow {
  experiment_id: string;
  round: number;
  version: number;
  accuracy: number | null;
  loss: number | null;
  length: number;
  sha256: string;
  created_at: number;
  meta: string | null;
  manifest_sha256: string | null;
}

interface ArrayRow {
  name: string;
  kind: string;
  data: Uint8Array;
  sha256: string;
}

/** A checked, hashed array ready to insert. */
interface PreparedArray {
  readonly name: string;
  readonly kind: StateArrayKind;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

const INFO_COLUMNS = `experiment_id, round, version, accuracy, loss, length, sha256, created_at, meta,
  manifest_sha256`;

/** Typed-array tag that works across realms (Jest VMs, worker threads). */
function tagOf(x: unknown): string {
  return Object.prototype.toString.call(x).slice(8, -1);
}

/**
 * The manifest hash: SHA-256 over a canonical JSON of the row's fields, the weights' hash, the
 * meta text and each array's name, kind, size and hash (sorted by name). A changed field, a lost
 * or extra array row, or a swapped meta all change it.
 */
function manifestOf(
  row: Pick<CheckpointRow, 'round' | 'version' | 'accuracy' | 'loss' | 'length' | 'sha256' | 'meta'>,
  arrays: readonly { name: string; kind: string; size: number; sha256: string }[],
): string {
  const sorted = [...arrays].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const canonical = JSON.stringify([
    'fedzip-checkpoint/1',
    row.round,
    row.version,
    row.accuracy,
    row.loss,
    row.length,
    row.sha256,
    row.meta,
    sorted.map((a) => [a.name, a.kind, a.size, a.sha256]),
  ]);
  return sha256Hex(Buffer.from(canonical, 'utf8'));
}

function infoOf(row: CheckpointRow): CheckpointInfo {
  return {
    experimentId: row.experiment_id,
    round: row.round,
    version: row.version,
    accuracy: row.accuracy,
    loss: row.loss,
    length: row.length,
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

/**
 * Global-model checkpoints: one per completed round, kept as BLOBs next to their SHA-256 and
 * written in one transaction with their state arrays and the retention pass (docs/store.md says
 * why BLOBs and not files).
 */
export class CheckpointRepo {
  readonly #ctx: StoreContext;
  readonly #retention: RetentionPolicy;
  readonly #exists: BetterSqlite3.Statement<[string]>;
  readonly #has: BetterSqlite3.Statement<[string, number]>;
  readonly #insert: BetterSqlite3.Statement;
  readonly #insertArray: BetterSqlite3.Statement;
  readonly #info: BetterSqlite3.Statement<[string, number], CheckpointRow>;
  readonly #weights: BetterSqlite3.Statement<[string, number], { weights: Uint8Array }>;
  readonly #arrays: BetterSqlite3.Statement<[string, number], ArrayRow>;
  readonly #list: BetterSqlite3.Statement<[string], CheckpointRow>;
  readonly #byBest: BetterSqlite3.Statement<[string], CheckpointRow>;
  readonly #prune: BetterSqlite3.Statement<
    { id: string; keepLast: number; keepBest: number },
    { round: number }
  >;
  readonly #delete: BetterSqlite3.Statement<[string, number]>;
  readonly #save: (rows: {
    row: Record<string, unknown>;
    arrays: readonly PreparedArray[];
    retention: RetentionPolicy;
  }) => number[];

  /** @internal Built by {@link openStore}. */
  constructor(ctx: StoreContext, retention: RetentionPolicy) {
    this.#ctx = ctx;
    this.#retention = checkRetention(retention);
    const { db } = ctx;
    this.#exists = db.prepare(`SELECT 1 FROM experiments WHERE id = ?`);
    this.#has = db.prepare(`SELECT 1 FROM checkpoints WHERE experiment_id = ? AND round = ?`);
    this.#insert = db.prepare(
      `INSERT INTO checkpoints (experiment_id, round, version, accuracy, loss, length, weights, sha256,
         created_at, meta, manifest_sha256)
       VALUES (@experimentId, @round, @version, @accuracy, @loss, @length, @weights, @sha256, @now, @meta,
         @manifest)`,
    );
    this.#insertArray = db.prepare(
      `INSERT INTO checkpoint_arrays (experiment_id, round, name, kind, data, sha256)
       VALUES (@experimentId, @round, @name, @kind, @data, @sha256)`,
    );
    this.#info = db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE experiment_id = ? AND round = ?`);
    this.#weights = db.prepare(`SELECT weights FROM checkpoints WHERE experiment_id = ? AND round = ?`);
    this.#arrays = db.prepare(
      `SELECT name, kind, data, sha256 FROM checkpoint_arrays WHERE experiment_id = ? AND round = ?
       ORDER BY name`,
    );
    this.#list = db.prepare(`SELECT ${INFO_COLUMNS} FROM checkpoints WHERE experiment_id = ? ORDER BY round`);
    this.#byBest = db.prepare(
      `SELECT ${INFO_COLUMNS} FROM checkpoints WHERE experiment_id = ? AND accuracy IS NOT NULL
       ORDER BY accuracy DESC, round DESC`,
    );
    // Everything but the last `keepLast` rounds and (if asked) the best one. LIMIT -1 = no limit.
    this.#prune = db.prepare(
      `DELETE FROM checkpoints
       WHERE experiment_id = @id
         AND round NOT IN (
           SELECT round FROM checkpoints WHERE experiment_id = @id ORDER BY round DESC LIMIT @keepLast)
         AND (@keepBest = 0 OR round IS NOT (
           SELECT round FROM checkpoints WHERE experiment_id = @id AND accuracy IS NOT NULL
           ORDER BY accuracy DESC, round DESC LIMIT 1))
       RETURNING round`,
    );
    this.#delete = db.prepare(`DELETE FROM checkpoints WHERE experiment_id = ? AND round = ?`);
    this.#save = db.transaction(({ row, arrays, retention }) => {
      this.#insert.run(row);
      for (const a of arrays) {
        this.#insertArray.run({
          experimentId: row['experimentId'],
          round: row['round'],
          name: a.name,
          kind: a.kind,
          data: bytesOf(a.bytes),
          sha256: a.sha256,
        });
      }
      return this.#pruneNow(row['experimentId'] as string, retention);
    });
  }

  /**
   * Saves the model of a completed round, with its hash, state arrays and meta, then applies the
   * retention policy (the store's, or `options.retention`), all in one transaction: after a crash
   * the checkpoint is either wholly there or not at all.
   *
   * Throws `NOT_FOUND` for an unknown experiment, `EXISTS` if that round has a checkpoint (after
   * a fallback, {@link Store.rewind} first), `BAD_INPUT` for malformed fields.
   */
  save(input: NewCheckpoint, options: { readonly retention?: RetentionPolicy } = {}): SavedCheckpoint {
    this.#ctx.assertOpen();
    const experimentId = checkId(input.experimentId, 'experimentId');
    const round = checkInt(input.round, 'round', 0);
    const version = checkInt(input.version, 'version', 0);
    const accuracy = checkOptFinite(input.accuracy, 'accuracy');
    const loss = checkOptFinite(input.loss, 'loss');
    const retention = options.retention === undefined ? this.#retention : checkRetention(options.retention);
    if (tagOf(input.weights) !== 'Float32Array' || input.weights.length === 0) {
      throw new StoreError('BAD_INPUT', 'weights: expected a non-empty Float32Array', { field: 'weights' });
    }
    const meta = input.meta === undefined ? null : toJson(input.meta, 'meta');
    const arrays = prepareArrays(input.arrays);
    const weights = bytesOf(input.weights);
    const sha256 = sha256Hex(weights);
    const length = input.weights.length;
    const manifest = manifestOf(
      { round, version, accuracy, loss, length, sha256, meta },
      arrays.map((a) => ({ name: a.name, kind: a.kind, size: a.bytes.byteLength, sha256: a.sha256 })),
    );
    const row = { experimentId, round, version, accuracy, loss, length, weights, sha256, meta, manifest };
    const pruned = guard(`save checkpoint ${round} of ${experimentId}`, () => {
      if (!this.#exists.get(experimentId)) throw new StoreError('NOT_FOUND', `no experiment ${experimentId}`);
      if (this.#has.get(experimentId, round)) {
        throw new StoreError(
          'EXISTS',
          `experiment ${experimentId} already has a checkpoint of round ${round}`,
        );
      }
      return this.#save({ row: { ...row, now: this.#ctx.now() }, arrays, retention });
    });
    return { sha256, manifestSha256: manifest, pruned };
  }

  /**
   * The newest checkpoint that passes verification, walking back over corrupt ones (which are
   * reported in `corrupt`, not deleted). This is what a resume starts from.
   */
  latestValid(experimentId: string): CheckpointLookup {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const rows = guard(`list checkpoints of ${experimentId}`, () => this.#list.all(experimentId)).reverse();
    return this.#firstValid(rows);
  }

  /**
   * The checkpoint with the highest accuracy that passes verification (the later one on ties),
   * skipping and reporting corrupt ones. Checkpoints saved without an accuracy never qualify.
   */
  best(experimentId: string): CheckpointLookup {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const rows = guard(`rank checkpoints of ${experimentId}`, () => this.#byBest.all(experimentId));
    return this.#firstValid(rows);
  }

  /**
   * The checkpoint of `round`, verified. Throws `NOT_FOUND` if there is none, `CORRUPT` if it
   * fails verification.
   */
  load(experimentId: string, round: number): Checkpoint {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    checkInt(round, 'round', 0);
    const row = guard(`read checkpoint ${round} of ${experimentId}`, () =>
      this.#info.get(experimentId, round),
    );
    if (!row)
      throw new StoreError('NOT_FOUND', `experiment ${experimentId} has no checkpoint of round ${round}`);
    return this.#loadVerified(row);
  }

  /** The experiment's checkpoints (rows only, not verified), oldest first. */
  list(experimentId: string): CheckpointInfo[] {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    return guard(`list checkpoints of ${experimentId}`, () => this.#list.all(experimentId)).map(infoOf);
  }

  /** Verifies every checkpoint of the experiment (reads all the bytes); returns the corrupt ones. */
  verify(experimentId: string): CorruptCheckpoint[] {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const corrupt: CorruptCheckpoint[] = [];
    for (const row of guard(`list checkpoints of ${experimentId}`, () => this.#list.all(experimentId))) {
      const bad = this.#tryLoad(row);
      if ('error' in bad) corrupt.push(bad);
    }
    return corrupt;
  }

  /**
   * Applies a retention policy (default: the store's) now; returns the rounds deleted. Retention
   * does not verify hashes: a corrupt best checkpoint is kept like any other.
   */
  prune(experimentId: string, retention: RetentionPolicy = this.#retention): number[] {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    const policy = checkRetention(retention);
    return guard(`prune checkpoints of ${experimentId}`, () =>
      this.#ctx.db.transaction(() => this.#pruneNow(experimentId, policy))(),
    );
  }

  /** Deletes the checkpoint of `round`; returns false if there was none. */
  delete(experimentId: string, round: number): boolean {
    this.#ctx.assertOpen();
    checkId(experimentId, 'experimentId');
    checkInt(round, 'round', 0);
    return guard(
      `delete checkpoint ${round} of ${experimentId}`,
      () => this.#delete.run(experimentId, round).changes > 0,
    );
  }

  #pruneNow(experimentId: string, retention: RetentionPolicy): number[] {
    const keepLast = retention.keepLast === Infinity ? -1 : retention.keepLast;
    return this.#prune
      .all({ id: experimentId, keepLast, keepBest: retention.keepBest ? 1 : 0 })
      .map((r) => r.round)
      .sort((a, b) => a - b);
  }

  #firstValid(rows: readonly CheckpointRow[]): CheckpointLookup {
    const corrupt: CorruptCheckpoint[] = [];
    for (const row of rows) {
      const got = this.#tryLoad(row);
      if ('error' in got) corrupt.push(got);
      else return { checkpoint: got, corrupt };
    }
    return { checkpoint: null, corrupt };
  }

  #tryLoad(row: CheckpointRow): Checkpoint | CorruptCheckpoint {
    try {
      return this.#loadVerified(row);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'CORRUPT') {
        return {
          experimentId: row.experiment_id,
          round: row.round,
          reason: err.message,
          error: err,
        };
      }
      throw err;
    }
  }

  #loadVerified(key: Pick<CheckpointRow, 'experiment_id' | 'round'>): Checkpoint {
    const where = `checkpoint ${key.round} of ${key.experiment_id}`;
    const corrupt = (what: string): never => {
      throw new StoreError('CORRUPT', `${where} is corrupt: ${what}`);
    };
    // One read transaction, so the row, the weights and the arrays are of the same save.
    const read = this.#ctx.db.transaction(() => {
      const info = this.#info.get(key.experiment_id, key.round);
      const weights = this.#weights.get(key.experiment_id, key.round)?.weights;
      if (info === undefined || weights === undefined) return null;
      return { info, blob: weights, arrayRows: this.#arrays.all(key.experiment_id, key.round) };
    });
    const got = guard(`read ${where}`, () => read());
    if (got === null) throw new StoreError('NOT_FOUND', `${where} was deleted meanwhile`);
    const { blob, arrayRows, info: row } = got;
    if (blob.byteLength !== row.length * 4) {
      corrupt(`weights hold ${blob.byteLength} bytes, expected ${row.length * 4}`);
    }
    const sha = sha256Hex(blob);
    if (sha !== row.sha256) corrupt(`weights SHA-256 is ${sha}, expected ${row.sha256}`);
    const arrays: Record<string, StateArray> = {};
    const hashed: { name: string; kind: string; size: number; sha256: string }[] = [];
    for (const a of arrayRows) {
      const aSha = sha256Hex(a.data);
      if (aSha !== a.sha256) corrupt(`state array ${a.name}: SHA-256 is ${aSha}, expected ${a.sha256}`);
      if (a.kind === 'f32' && a.data.byteLength % 4 === 0) arrays[a.name] = float32FromBlob(a.data);
      else if (a.kind === 'u8') arrays[a.name] = bytesFromBlob(a.data);
      else corrupt(`state array ${a.name}: bad kind ${a.kind} for ${a.data.byteLength} bytes`);
      hashed.push({ name: a.name, kind: a.kind, size: a.data.byteLength, sha256: a.sha256 });
    }
    if (row.manifest_sha256 === null) {
      // A schema-v1 checkpoint: weights only, nothing to bind.
      if (hashed.length > 0 || row.meta !== null) corrupt('state without a manifest');
    } else {
      const manifest = manifestOf(row, hashed);
      if (manifest !== row.manifest_sha256)
        corrupt(`manifest SHA-256 is ${manifest}, expected ${row.manifest_sha256}`);
    }
    let meta: unknown;
    try {
      meta = row.meta === null ? undefined : JSON.parse(row.meta);
    } catch {
      corrupt('meta is not JSON');
    }
    return { ...infoOf(row), weights: float32FromBlob(blob), arrays, meta };
  }
}

function checkRetention(r: RetentionPolicy): RetentionPolicy {
  if (typeof r !== 'object' || r === null) {
    throw new StoreError('BAD_INPUT', 'retention: expected { keepLast, keepBest }', { field: 'retention' });
  }
  if (r.keepLast !== Infinity) checkInt(r.keepLast, 'retention.keepLast', 1);
  if (typeof r.keepBest !== 'boolean') {
    throw new StoreError('BAD_INPUT', 'retention.keepBest: expected a boolean', {
      field: 'retention.keepBest',
    });
  }
  return { keepLast: r.keepLast, keepBest: r.keepBest };
}

function prepareArrays(arrays: NewCheckpoint['arrays']): PreparedArray[] {
  if (arrays === undefined) return [];
  if (typeof arrays !== 'object' || arrays === null) {
    throw new StoreError('BAD_INPUT', 'arrays: expected an object of named arrays', { field: 'arrays' });
  }
  return Object.entries(arrays).map(([name, array]) => {
    const field = `arrays.${name}`;
    if (!ARRAY_NAME_PATTERN.test(name)) {
      throw new StoreError('BAD_INPUT', `${field}: the name must match ${String(ARRAY_NAME_PATTERN)}`, {
        field,
      });
    }
    const tag = tagOf(array);
    let kind: StateArrayKind;
    if (tag === 'Float32Array') kind = 'f32';
    else if (tag === 'Uint8Array') kind = 'u8';
    else
      throw new StoreError('BAD_INPUT', `${field}: expected a Float32Array or Uint8Array, got ${tag}`, {
        field,
      });
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    return { name, kind, bytes, sha256: sha256Hex(bytes) };
  });
}
