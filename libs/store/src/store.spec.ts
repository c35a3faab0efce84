import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeError, tempDir, tempStore, track, weightsFor } from './__tests__/helpers.js';
import { DEFAULT_STORE_PATH, type RoundFields, openStore, weightsSha256 } from './index.js';

/** The shape the coordinator's RoundRecord has (the store must not depend on it). */
interface RoundRecordLike extends RoundFields {
  readonly rejected: Readonly<Record<string, number>>;
  readonly denseUplinkBytes: number;
  readonly meanTrainLoss: number | null;
}

function roundRecord(round: number, extra: Partial<RoundRecordLike> = {}): RoundRecordLike {
  return {
    round,
    version: round,
    status: 'completed',
    attempts: 1,
    selected: 4,
    reported: 4,
    accepted: 3,
    dropped: 0,
    rejected: { STALE_VERSION: 1 },
    uplinkBytes: 1000 * round,
    denseUplinkBytes: 40000,
    downlinkBytes: 500,
    aggregateMs: 1.5,
    roundMs: 120,
    accuracy: 0.5 + round / 100,
    loss: 1 / round,
    meanTrainLoss: null,
    ...extra,
  };
}

describe('openStore', () => {
  it('defaults to data/fedzip.db and creates missing folders', () => {
    expect(DEFAULT_STORE_PATH).toBe('data/fedzip.db');
    const path = join(tempDir(), 'a', 'b', 'store.db');
    const store = track(openStore(path));
    expect(store.path).toBe(path);
    expect(existsSync(path)).toBe(true);
  });

  it('works in memory', () => {
    const store = track(openStore(':memory:'));
    store.experiments.create({ id: 'm', config: { a: 1 } });
    expect(store.experiments.list().map((e) => e.id)).toEqual(['m']);
  });

  it('fails with IO when the folder cannot be created', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expect(storeError(() => openStore(join(file, 'store.db'))).code).toBe('IO');
  });

  it('throws CLOSED after close, and close is idempotent', () => {
    const { store } = tempStore();
    store.close();
    store.close();
    expect(store.closed).toBe(true);
    expect(storeError(() => store.experiments.list()).code).toBe('CLOSED');
    expect(storeError(() => store.transaction(() => 1)).code).toBe('CLOSED');
  });
});

describe('experiments', () => {
  it('creates, reads, lists, sets status and deletes', () => {
    let t = 1000;
    const { store } = tempStore({ now: () => t });
    const created = store.experiments.create({
      id: 'mnist-a',
      name: 'MNIST A',
      config: { rounds: 3, lr: 0.1 },
    });
    expect(created).toEqual({
      id: 'mnist-a',
      name: 'MNIST A',
      config: { rounds: 3, lr: 0.1 },
      status: 'created',
      statusReason: null,
      createdAt: 1000,
      updatedAt: 1000,
    });
    t = 2000;
    store.experiments.create({ id: 'b', config: null, status: 'waiting' });
    expect(store.experiments.get('b')).toMatchObject({ name: 'b', config: null, status: 'waiting' });
    expect(store.experiments.get('missing')).toBeNull();
    expect(storeError(() => store.experiments.require('missing')).code).toBe('NOT_FOUND');

    t = 3000;
    expect(store.experiments.setStatus('mnist-a', 'failed', 'no clients')).toMatchObject({
      status: 'failed',
      statusReason: 'no clients',
      createdAt: 1000,
      updatedAt: 3000,
    });
    expect(store.experiments.setStatus('mnist-a', 'running').statusReason).toBeNull();
    expect(store.experiments.list().map((e) => e.id)).toEqual(['mnist-a', 'b']);
    expect(store.experiments.list({ status: 'waiting' }).map((e) => e.id)).toEqual(['b']);

    expect(storeError(() => store.experiments.create({ id: 'b', config: {} })).code).toBe('EXISTS');
    expect(storeError(() => store.experiments.setStatus('missing', 'running')).code).toBe('NOT_FOUND');

    store.rounds.record('b', roundRecord(1));
    store.checkpoints.save({ experimentId: 'b', round: 1, version: 1, weights: weightsFor(1, 4) });
    expect(store.experiments.delete('b')).toBe(true);
    expect(store.experiments.delete('b')).toBe(false);
    expect(store.rounds.list('b')).toEqual([]);
    expect(store.checkpoints.list('b')).toEqual([]);
  });

  it('validates ids, names, statuses and configs', () => {
    const { store } = tempStore();
    const field = (fn: () => unknown) => storeError(fn).field;
    expect(field(() => store.experiments.create({ id: '', config: {} }))).toBe('id');
    expect(field(() => store.experiments.create({ id: '-x', config: {} }))).toBe('id');
    expect(field(() => store.experiments.create({ id: 'a/b', config: {} }))).toBe('id');
    expect(field(() => store.experiments.create({ id: 'x'.repeat(129), config: {} }))).toBe('id');
    expect(field(() => store.experiments.create({ id: 'a', name: 'n'.repeat(257), config: {} }))).toBe(
      'name',
    );
    expect(field(() => store.experiments.create({ id: 'a', config: { lr: NaN } }))).toBe('config');
    expect(field(() => store.experiments.create({ id: 'a', config: undefined }))).toBe('config');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(field(() => store.experiments.create({ id: 'a', config: cyclic }))).toBe('config');
    expect(
      field(() => store.experiments.create({ id: 'a', config: {}, status: 'bogus' as unknown as 'created' })),
    ).toBe('status');
    expect(store.experiments.list()).toEqual([]);
  });

  it('keeps join secrets apart from the config, created with the experiment or later', () => {
    const { store } = tempStore();
    const secrets = { joinSecret: 's'.repeat(43), joinToken: 'shared' };
    store.experiments.create({ id: 'a', config: { rounds: 1 }, secrets });
    expect(store.experiments.secrets('a')).toEqual(secrets);
    expect(JSON.stringify(store.experiments.require('a'))).not.toContain('sss');
    store.experiments.create({ id: 'b', config: {} });
    expect(store.experiments.secrets('b')).toBeNull();
    store.experiments.setSecrets('b', { joinSecret: 't'.repeat(20), joinToken: '' });
    expect(store.experiments.secrets('b')).toEqual({ joinSecret: 't'.repeat(20), joinToken: '' });
    expect(storeError(() => store.experiments.setSecrets('zz', secrets)).code).toBe('NOT_FOUND');
    // A bad secret refuses the whole creation: no experiment without its secrets.
    expect(
      storeError(() =>
        store.experiments.create({ id: 'c', config: {}, secrets: { joinSecret: 'short', joinToken: '' } }),
      ).field,
    ).toBe('secrets.joinSecret');
    expect(store.experiments.get('c')).toBeNull();
    store.experiments.delete('a');
    expect(store.experiments.secrets('a')).toBeNull();
  });
});

describe('rounds', () => {
  it('stores the whole record as given, with typed columns for sums', () => {
    const { store } = tempStore({ now: () => 42 });
    store.experiments.create({ id: 'e', config: {} });
    const r1 = roundRecord(1);
    expect(store.rounds.record('e', r1)).toEqual({
      experimentId: 'e',
      round: 1,
      attempt: 1,
      recordedAt: 42,
      record: r1,
    });
    store.rounds.record('e', roundRecord(2, { status: 'failed', attempts: 1, accuracy: null }));
    store.rounds.record('e', roundRecord(2, { attempts: 2 }));

    const list = store.rounds.list<RoundRecordLike>('e');
    expect(list.map((r) => [r.round, r.attempt, r.record.status])).toEqual([
      [1, 1, 'completed'],
      [2, 1, 'failed'],
      [2, 2, 'completed'],
    ]);
    expect(list[0]!.record.rejected).toEqual({ STALE_VERSION: 1 });
    expect(store.rounds.totals('e')).toEqual({
      rounds: 3,
      completed: 2,
      uplinkBytes: 5000,
      downlinkBytes: 1500,
      lastRound: 2,
    });
    expect(store.rounds.totals('other')).toEqual({
      rounds: 0,
      completed: 0,
      uplinkBytes: 0,
      downlinkBytes: 0,
      lastRound: 0,
    });
  });

  it('accepts a minimal record', () => {
    const { store } = tempStore();
    store.experiments.create({ id: 'e', config: {} });
    store.rounds.record('e', { round: 1, version: 1, status: 'completed' });
    expect(store.rounds.list('e')[0]!.record).toEqual({ round: 1, version: 1, status: 'completed' });
  });

  it('refuses duplicates, unknown experiments and malformed numbers', () => {
    const { store } = tempStore();
    store.experiments.create({ id: 'e', config: {} });
    store.rounds.record('e', roundRecord(1));
    expect(storeError(() => store.rounds.record('e', roundRecord(1))).code).toBe('EXISTS');
    expect(storeError(() => store.rounds.record('nope', roundRecord(1))).code).toBe('NOT_FOUND');
    const field = (extra: Partial<RoundRecordLike>) =>
      storeError(() => store.rounds.record('e', roundRecord(5, extra))).field;
    expect(field({ round: -1 })).toBe('record.round');
    expect(field({ attempts: 0 })).toBe('record.attempts');
    expect(field({ uplinkBytes: NaN })).toBe('record.uplinkBytes');
    expect(field({ uplinkBytes: 1.5 })).toBe('record.uplinkBytes');
    expect(field({ roundMs: -1 })).toBe('record.roundMs');
    expect(field({ accuracy: Infinity })).toBe('record.accuracy');
    expect(field({ status: 'done' as 'completed' })).toBe('record.status');
    expect(field({ denseUplinkBytes: NaN })).toBe('record');
    expect(store.rounds.list('e')).toHaveLength(1);
  });
});

describe('submissions', () => {
  it('records accepted and rejected updates, listed in arrival order', () => {
    const { store } = tempStore({ now: () => 7 });
    store.experiments.create({ id: 'e', config: {} });
    const a = store.submissions.record({
      experimentId: 'e',
      round: 1,
      clientId: 'client-1',
      accepted: true,
      bytes: 1234,
      samples: 600,
    });
    expect(a).toEqual({
      id: a.id,
      experimentId: 'e',
      round: 1,
      attempt: 1,
      clientId: 'client-1',
      accepted: true,
      code: null,
      reason: null,
      bytes: 1234,
      samples: 600,
      receivedAt: 7,
    });
    store.submissions.record({
      experimentId: 'e',
      round: 1,
      clientId: 'sock#Ab3',
      accepted: false,
      code: 'STALE_VERSION',
      reason: 'trained on v0, current is v1',
      bytes: 99,
    });
    store.submissions.record({
      experimentId: 'e',
      round: 2,
      attempt: 2,
      clientId: 'client-1',
      accepted: true,
      bytes: 1,
    });
    expect(store.submissions.list('e')).toHaveLength(3);
    expect(store.submissions.list('e', { round: 1 }).map((s) => [s.clientId, s.accepted, s.code])).toEqual([
      ['client-1', true, null],
      ['sock#Ab3', false, 'STALE_VERSION'],
    ]);
  });

  it('validates its input', () => {
    const { store } = tempStore();
    store.experiments.create({ id: 'e', config: {} });
    const base = { experimentId: 'e', round: 1, clientId: 'c', accepted: true, bytes: 1 };
    const err = (extra: object) => storeError(() => store.submissions.record({ ...base, ...extra }));
    expect(err({ experimentId: 'nope' }).code).toBe('NOT_FOUND');
    expect(err({ clientId: '' }).field).toBe('clientId');
    expect(err({ clientId: 'a\nb' }).field).toBe('clientId');
    expect(err({ bytes: -1 }).field).toBe('bytes');
    expect(err({ bytes: NaN }).field).toBe('bytes');
    expect(err({ samples: 0.5 }).field).toBe('samples');
    expect(err({ accepted: 'yes' }).field).toBe('accepted');
    expect(err({ reason: 'x'.repeat(2000) }).field).toBe('reason');
    expect(store.submissions.list('e')).toEqual([]);
  });
});

describe('transactions and rewind', () => {
  it('nests transactions as savepoints', () => {
    const { store } = tempStore();
    store.experiments.create({ id: 'e', config: {} });
    store.transaction(() => {
      store.rounds.record('e', roundRecord(1));
      expect(() =>
        store.transaction(() => {
          store.rounds.record('e', roundRecord(2));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.rounds.list('e').map((r) => r.round)).toEqual([1]);
  });

  it('rewinds an experiment to a round, dropping everything after it', () => {
    const { store } = tempStore({ retention: { keepLast: Infinity, keepBest: false } });
    store.experiments.create({ id: 'e', config: {} });
    store.experiments.create({ id: 'other', config: {} });
    for (const id of ['e', 'other']) {
      for (let r = 1; r <= 4; r++) {
        store.rounds.record(id, roundRecord(r));
        store.submissions.record({ experimentId: id, round: r, clientId: 'c', accepted: true, bytes: 1 });
        store.checkpoints.save({ experimentId: id, round: r, version: r, weights: weightsFor(r, 4) });
      }
    }
    store.submissions.record({ experimentId: 'e', round: 5, clientId: 'c', accepted: true, bytes: 1 });
    expect(store.rewind('e', 2)).toEqual({ rounds: 2, submissions: 3, checkpoints: 2 });
    expect(store.rounds.list('e').map((r) => r.round)).toEqual([1, 2]);
    expect(store.checkpoints.list('e').map((c) => c.round)).toEqual([1, 2]);
    expect(store.submissions.list('e').map((s) => s.round)).toEqual([1, 2]);
    expect(store.checkpoints.list('other')).toHaveLength(4);
  });
});

describe('crash safety', () => {
  it('survives kill -9 in the middle of saving rounds: the last committed round is whole', async () => {
    const path = join(tempDir(), 'crash.db');
    const lib = fileURLToPath(new URL('../../../dist/libs/store/src/index.js', import.meta.url));
    const script = join(tempDir(), 'writer.mjs');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(lib)};
const store = openStore(process.argv[2]);
store.experiments.create({ id: 'crash', config: {} });
for (let r = 1; ; r++) {
  const w = new Float32Array(20000);
  for (let i = 0; i < w.length; i++) w[i] = Math.sin(r * 1000 + i) * 0.5 + r;
  let sha;
  store.transaction(() => {
    store.rounds.record('crash', { round: r, version: r, status: 'completed' });
    sha = store.checkpoints.save({
      experimentId: 'crash', round: r, version: r, weights: w, accuracy: r / 1e6,
      arrays: { 'opt.m': new Float32Array(20000).fill(r) },
    }).sha256;
  });
  process.stdout.write(JSON.stringify({ round: r, sha }) + '\\n');
}
`,
    );
    const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const printed: { round: number; sha: string }[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) printed.push(JSON.parse(line) as { round: number; sha: string });
        if (printed.length >= 8) child.kill('SIGKILL');
      });
    });
    expect(child.signalCode).toBe('SIGKILL');
    const lastPrinted = printed.at(-1)!.round;

    const store = track(openStore(path));
    const { checkpoint, corrupt } = store.checkpoints.latestValid('crash');
    expect(corrupt).toEqual([]);
    expect(store.checkpoints.verify('crash')).toEqual([]);
    // Committed but maybe not yet printed when the kill landed: at most one round more.
    expect(checkpoint!.round).toBeGreaterThanOrEqual(lastPrinted);
    expect(checkpoint!.round).toBeLessThanOrEqual(lastPrinted + 1);
    expect(checkpoint!.sha256).toBe(weightsSha256(weightsFor(checkpoint!.round, 20000)));
    expect(weightsSha256(checkpoint!.weights)).toBe(checkpoint!.sha256);
    const printedSha = printed.find((p) => p.round === checkpoint!.round)?.sha;
    if (printedSha !== undefined) expect(checkpoint!.sha256).toBe(printedSha);
    // The round record and its checkpoint committed together.
    expect(store.rounds.totals('crash').lastRound).toBe(checkpoint!.round);
  });
});
