import { beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { sameBits, storeError, tempStore, track, weightsFor } from './__tests__/helpers.js';
import { type RetentionPolicy, type Store, openStore, weightsSha256 } from './index.js';

const EXP = 'exp-1';
let store: Store;
let path: string;

beforeEach(() => {
  ({ store, path } = tempStore());
  store.experiments.create({ id: EXP, config: {} });
});

/** Saves rounds `from..to` with {@link weightsFor}(round) and the given accuracies. */
function saveRounds(rounds: readonly number[], accuracy: (r: number) => number | null = () => null): void {
  for (const r of rounds) {
    store.checkpoints.save({
      experimentId: EXP,
      round: r,
      version: r,
      weights: weightsFor(r),
      accuracy: accuracy(r),
    });
  }
}

/** Closes the store, runs `sql` on a raw connection, reopens the store. */
function tamper(sql: string, ...params: unknown[]): void {
  store.close();
  const raw = new Database(path);
  raw.prepare(sql).run(...params);
  raw.close();
  store = track(openStore(path));
}

/** Reopens the store with another retention policy. */
function reopen(retention: RetentionPolicy): void {
  store.close();
  store = track(openStore(path, { retention }));
}

/** Flips bit `bit` of byte `at` of a BLOB, behind the store's back. */
function flipBit(at: number, bit: number): (blob: Buffer) => Buffer {
  return (blob) => {
    const copy = Buffer.from(blob);
    copy[at]! ^= 1 << bit;
    return copy;
  };
}

describe('checkpoints: integrity', () => {
  it('gives the weights back bit for bit, with the SHA-256 of their bytes', () => {
    const weights = weightsFor(1);
    weights[0] = -0;
    weights[1] = NaN;
    new Uint32Array(weights.buffer)[2] = 0x7fc00123; // a NaN with a payload
    weights[3] = Infinity;
    const saved = store.checkpoints.save({ experimentId: EXP, round: 0, version: 0, weights, accuracy: 0.1 });

    const bytes = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength);
    expect(saved.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(saved.sha256).toBe(weightsSha256(weights));
    expect(saved.pruned).toEqual([]);

    const got = store.checkpoints.load(EXP, 0);
    expect(got.sha256).toBe(saved.sha256);
    expect(weightsSha256(got.weights)).toBe(saved.sha256);
    expect(sameBits(got.weights, weights)).toBe(true);
    expect(got.weights.buffer).not.toBe(weights.buffer);
  });

  it('respects byteOffset (a subarray is stored as itself, not its whole buffer)', () => {
    const big = weightsFor(2, 100);
    const view = big.subarray(10, 20);
    const saved = store.checkpoints.save({ experimentId: EXP, round: 1, version: 1, weights: view });
    const got = store.checkpoints.load(EXP, 1);
    expect(got.length).toBe(10);
    expect(sameBits(got.weights, view)).toBe(true);
    expect(saved.sha256).toBe(weightsSha256(view));
  });

  it('keeps state arrays and meta with the checkpoint', () => {
    const m = new Float32Array([1.5, -2, 3e-8]);
    const rng = new Uint8Array([1, 2, 3, 250]);
    store.checkpoints.save({
      experimentId: EXP,
      round: 1,
      version: 1,
      weights: weightsFor(1, 8),
      loss: 0.25,
      arrays: { 'opt.m': m, 'rng/state': rng, 'downlink.residual': new Float32Array(0) },
      meta: { strategy: 'fedadam', step: 3 },
    });
    const got = store.checkpoints.load(EXP, 1);
    expect(got.loss).toBe(0.25);
    expect(got.meta).toEqual({ strategy: 'fedadam', step: 3 });
    expect(Object.keys(got.arrays).sort()).toEqual(['downlink.residual', 'opt.m', 'rng/state']);
    expect(sameBits(got.arrays['opt.m'] as Float32Array, m)).toBe(true);
    expect(Array.from(got.arrays['rng/state']!)).toEqual([1, 2, 3, 250]);
    expect(Object.prototype.toString.call(got.arrays['rng/state'])).toBe('[object Uint8Array]');
    expect(got.arrays['downlink.residual']!.length).toBe(0);
  });

  it('detects a corrupted latest checkpoint and falls back to the previous valid one', () => {
    saveRounds([1, 2, 3]);
    // Flip one bit in the middle of round 3's weights, behind the store's back.
    store.close();
    const raw = new Database(path);
    const { weights } = raw.prepare(`SELECT weights FROM checkpoints WHERE round = 3`).get() as {
      weights: Buffer;
    };
    raw.prepare(`UPDATE checkpoints SET weights = ? WHERE round = 3`).run(flipBit(4000, 0)(weights));
    raw.close();
    store = track(openStore(path));
    const { checkpoint, corrupt } = store.checkpoints.latestValid(EXP);
    expect(corrupt).toHaveLength(1);
    expect(corrupt[0]).toMatchObject({ experimentId: EXP, round: 3 });
    expect(corrupt[0]!.reason).toContain('SHA-256');
    expect(corrupt[0]!.error.code).toBe('CORRUPT');
    expect(checkpoint!.round).toBe(2);
    expect(sameBits(checkpoint!.weights, weightsFor(2))).toBe(true);

    expect(storeError(() => store.checkpoints.load(EXP, 3)).code).toBe('CORRUPT');
    expect(store.checkpoints.verify(EXP).map((c) => c.round)).toEqual([3]);
    // The corrupt row is reported, not deleted: rewinding to the fallback removes it.
    expect(store.checkpoints.list(EXP).map((c) => c.round)).toEqual([1, 2, 3]);
    expect(store.rewind(EXP, 2).checkpoints).toBe(1);
    expect(store.checkpoints.latestValid(EXP)).toMatchObject({ corrupt: [], checkpoint: { round: 2 } });
  });

  it('detects a bit flipped in the file on disk', () => {
    saveRounds([1, 2, 3]);
    store.close(); // checkpoints the WAL into the main file and removes it
    const file = readFileSync(path);
    const w3 = weightsFor(3);
    const needle = Buffer.from(w3.buffer, 4000, 64);
    const at = file.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    expect(file.lastIndexOf(needle)).toBe(at);
    file[at + 10]! ^= 0x10;
    writeFileSync(path, file);

    store = track(openStore(path));
    const { checkpoint, corrupt } = store.checkpoints.latestValid(EXP);
    expect(corrupt.map((c) => c.round)).toEqual([3]);
    expect(checkpoint!.round).toBe(2);
    expect(sameBits(checkpoint!.weights, weightsFor(2))).toBe(true);
  });

  it('walks back over several corrupt checkpoints, and returns null when none is valid', () => {
    saveRounds([1, 2, 3]);
    tamper(`UPDATE checkpoints SET sha256 = ? WHERE round >= 2`, '0'.repeat(64));
    expect(store.checkpoints.latestValid(EXP)).toMatchObject({
      checkpoint: { round: 1 },
      corrupt: [{ round: 3 }, { round: 2 }],
    });
    tamper(`UPDATE checkpoints SET weights = zeroblob(100) WHERE round = 1`);
    const none = store.checkpoints.latestValid(EXP);
    expect(none.checkpoint).toBeNull();
    expect(none.corrupt.map((c) => c.round)).toEqual([3, 2, 1]);
    expect(none.corrupt[2]!.reason).toContain('bytes');
  });

  it('detects tampered state: an array changed, an array lost, a field changed, meta swapped', () => {
    const save = (round: number) =>
      store.checkpoints.save({
        experimentId: EXP,
        round,
        version: round,
        weights: weightsFor(round, 16),
        accuracy: 0.5,
        arrays: { a: new Float32Array([1, 2]), b: new Uint8Array([9]) },
        meta: { n: round },
      });
    reopen({ keepLast: Infinity, keepBest: true });
    [1, 2, 3, 4, 5].forEach(save);
    store.close();
    const raw = new Database(path);
    raw.prepare(`UPDATE checkpoint_arrays SET data = x'0a' WHERE round = 1 AND name = 'b'`).run();
    raw.prepare(`DELETE FROM checkpoint_arrays WHERE round = 2 AND name = 'a'`).run();
    raw.prepare(`UPDATE checkpoints SET accuracy = 0.99 WHERE round = 3`).run();
    raw.prepare(`UPDATE checkpoints SET meta = '{"n":1}' WHERE round = 4`).run();
    raw.close();
    store = track(openStore(path));

    const reasons = Object.fromEntries(store.checkpoints.verify(EXP).map((c) => [c.round, c.reason]));
    expect(Object.keys(reasons)).toEqual(['1', '2', '3', '4']);
    expect(reasons[1]).toContain('state array b');
    expect(reasons[2]).toContain('manifest');
    expect(reasons[3]).toContain('manifest');
    expect(reasons[4]).toContain('manifest');
    // best() skips the tampered 0.99 and reports it.
    expect(store.checkpoints.best(EXP)).toMatchObject({ checkpoint: { round: 5 }, corrupt: [{ round: 3 }] });
  });

  it('writes a checkpoint atomically with whatever else the transaction holds', () => {
    expect(() =>
      store.transaction(() => {
        store.rounds.record(EXP, { round: 1, version: 1, status: 'completed' });
        store.checkpoints.save({ experimentId: EXP, round: 1, version: 1, weights: weightsFor(1) });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(store.checkpoints.list(EXP)).toEqual([]);
    expect(store.rounds.list(EXP)).toEqual([]);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM checkpoint_arrays').get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('checkpoints: retention', () => {
  it('keeps the last N plus the best, and reports what it pruned', () => {
    reopen({ keepLast: 2, keepBest: true });
    const acc: Record<number, number> = { 1: 0.3, 2: 0.9, 3: 0.5, 4: 0.6, 5: 0.7, 6: 0.8 };
    const pruned: number[][] = [];
    for (let r = 1; r <= 6; r++) {
      pruned.push(
        store.checkpoints.save({
          experimentId: EXP,
          round: r,
          version: r,
          weights: weightsFor(r),
          accuracy: acc[r],
        }).pruned as number[],
      );
    }
    expect(pruned).toEqual([[], [], [1], [], [3], [4]]);
    expect(store.checkpoints.list(EXP).map((c) => c.round)).toEqual([2, 5, 6]);
    expect(store.checkpoints.best(EXP).checkpoint).toMatchObject({ round: 2, accuracy: 0.9 });
    expect(store.checkpoints.latestValid(EXP).checkpoint!.round).toBe(6);
  });

  it('keeps the later checkpoint on accuracy ties, and ignores checkpoints without accuracy', () => {
    reopen({ keepLast: Infinity, keepBest: true });
    saveRounds([1, 2, 3, 4, 5], (r) => (r === 2 || r === 3 ? 0.8 : r === 5 ? null : 0.1));
    expect(store.checkpoints.prune(EXP, { keepLast: 1, keepBest: true })).toEqual([1, 2, 4]);
    expect(store.checkpoints.list(EXP).map((c) => c.round)).toEqual([3, 5]);
    expect(store.checkpoints.best(EXP).checkpoint!.round).toBe(3);
  });

  it('honours keepBest: false, Infinity, and a per-save override', () => {
    saveRounds([1, 2, 3, 4], (r) => (r === 1 ? 1 : null));
    expect(store.checkpoints.list(EXP).map((c) => c.round)).toEqual([1, 2, 3, 4]); // default: last 3 + best
    const saved = store.checkpoints.save(
      { experimentId: EXP, round: 5, version: 5, weights: weightsFor(5) },
      { retention: { keepLast: Infinity, keepBest: false } },
    );
    expect(saved.pruned).toEqual([]);
    expect(store.checkpoints.prune(EXP, { keepLast: 2, keepBest: false })).toEqual([1, 2, 3]);
    expect(store.checkpoints.best(EXP).checkpoint).toBeNull();
  });

  it('refuses a retention policy that would delete the checkpoint it just saved', () => {
    expect(storeError(() => store.checkpoints.prune(EXP, { keepLast: 0, keepBest: true })).field).toBe(
      'retention.keepLast',
    );
    expect(storeError(() => openStore(path, { retention: { keepLast: 1.5, keepBest: true } })).code).toBe(
      'BAD_INPUT',
    );
  });
});

describe('checkpoints: errors', () => {
  it('refuses a second checkpoint of a round (EXISTS) and unknown experiments (NOT_FOUND)', () => {
    saveRounds([1]);
    const again = storeError(() => saveRounds([1]));
    expect(again.code).toBe('EXISTS');
    const unknown = storeError(() =>
      store.checkpoints.save({ experimentId: 'nope', round: 1, version: 1, weights: weightsFor(1) }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    expect(storeError(() => store.checkpoints.load(EXP, 9)).code).toBe('NOT_FOUND');
    expect(store.checkpoints.latestValid('nope')).toEqual({ checkpoint: null, corrupt: [] });
  });

  it('validates its input (BAD_INPUT naming the field)', () => {
    const base = { experimentId: EXP, round: 1, version: 1, weights: weightsFor(1, 4) };
    const field = (input: object) =>
      storeError(() =>
        store.checkpoints.save({ ...base, ...input } as Parameters<Store['checkpoints']['save']>[0]),
      ).field;
    expect(field({ weights: new Float32Array(0) })).toBe('weights');
    expect(field({ weights: new Float64Array(4) })).toBe('weights');
    expect(field({ round: -1 })).toBe('round');
    expect(field({ version: 1.5 })).toBe('version');
    expect(field({ accuracy: NaN })).toBe('accuracy');
    expect(field({ loss: Infinity })).toBe('loss');
    expect(field({ experimentId: '../etc' })).toBe('experimentId');
    expect(field({ arrays: { 'bad name': new Float32Array(1) } })).toBe('arrays.bad name');
    expect(field({ arrays: { x: new Int16Array(1) } })).toBe('arrays.x');
    expect(field({ meta: { x: NaN } })).toBe('meta');
    expect(field({ meta: { x: 1n } })).toBe('meta');
    expect(store.checkpoints.list(EXP)).toEqual([]);
  });
});
