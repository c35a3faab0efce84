import { initBackend } from '@fedzip/model';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ARCHITECTURE, DATA, PARAMS, join, next, serverModel, setup } from '../__tests__/fixtures.js';
import type { ClientError } from '../errors.js';
import { layoutFingerprint } from '../model/layout.js';
import { MemoryModelStore, type ModelKey, type ModelStore, type StoredModel } from '../model/model-store.js';
import { MemoryResidualStore } from '../residual/residual-store.js';
import type { FederatedClient } from './federated-client.js';

const clients: FederatedClient[] = [];
function track<T extends { client: FederatedClient }>(s: T): T {
  clients.push(s.client);
  return s;
}

beforeAll(async () => {
  await initBackend();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

const KEY: ModelKey = { experimentId: 'exp-1', clientId: 'c1' };

/** A store that remembers what was saved and may fail. */
class SpyStore implements ModelStore {
  readonly inner = new MemoryModelStore();
  readonly saved: number[] = [];
  failLoad = false;
  load(key: ModelKey): Promise<StoredModel | undefined> {
    return this.failLoad ? Promise.reject(new Error('disk on fire')) : this.inner.load(key);
  }
  save(key: ModelKey, model: StoredModel): Promise<void> {
    this.saved.push(model.version);
    return this.inner.save(key, model);
  }
}

/** Runs a first client that joins and receives version 1 then 2 (a delta); returns its store. */
async function firstLife(store: ModelStore) {
  const s = setup({ modelStore: store });
  const { client, server } = s;
  await join(client);
  server.publish(server.weightsOf(1).map((v) => v + 0.5));
  const delta = next(client, 'model');
  server.sendDelta(1);
  await delta;
  await client.whenIdle();
  const held = client.globalWeights()!;
  await client.stop();
  return { held, server };
}

describe('FederatedClient: the model survives a restart (modelStore + experimentId)', () => {
  it('saves every version applied, with its architecture and layout fingerprint', async () => {
    const store = new SpyStore();
    const { held } = await firstLife(store);
    expect(store.saved).toEqual([1, 2]);
    const stored = (await store.load(KEY))!;
    expect(stored.version).toBe(2);
    expect(stored.weights).toEqual(held);
    expect(JSON.parse(stored.architecture)).toEqual(JSON.parse(ARCHITECTURE));
    expect(stored.fingerprint).toBe(layoutFingerprint(serverModel().layout));
  });

  it('restores before the first hello, which states the version: the server sends only the delta', async () => {
    const store = new MemoryModelStore();
    const { held } = await firstLife(store);
    const { client, server } = track(setup({ modelStore: store, experimentId: 'exp-1' }));
    // The fresh fake server knows versions 1 (its own) and 2 = the first life's.
    server.publish(held);
    server.publish(held.map((v) => v * 2));
    const restored = next(client, 'restored');
    const model = next(client, 'model');
    const joined = await client.start();
    expect(await restored).toEqual({ experimentId: 'exp-1', version: 2, modelParams: PARAMS });
    expect(server.hellos[0]!.modelVersion).toBe(2);
    expect(joined.modelVersion).toBe(2);
    expect(await model).toMatchObject({ version: 3, kind: 'delta', baseVersion: 2 });
    expect(client.globalWeights()).toEqual(server.weightsOf(3));
    await client.whenIdle();
    expect((await store.load(KEY))!.version).toBe(3);
  });

  it('trains on the restored version when the server has not moved on (no model message at all)', async () => {
    const store = new MemoryModelStore();
    const { held } = await firstLife(store);
    const { client, server } = track(setup({ modelStore: store, experimentId: 'exp-1' }));
    server.publish(held); // version 2, as held
    const models: number[] = [];
    client.on('model', (m) => models.push(m.version));
    await client.start();
    server.assign({ roundId: 1, modelVersion: 2 });
    const u = await server.nextUpdate();
    expect(u.baseVersion).toBe(2);
    expect(models).toEqual([]);
    expect(client.stats().modelsReceived).toBe(0);
  });

  it('keeps the residual across the restart too (both stores keyed by experiment and client)', async () => {
    const models = new MemoryModelStore();
    const residuals = new MemoryResidualStore();
    const first = setup({ modelStore: models, residualStore: residuals });
    await join(first.client);
    first.server.assign({ roundId: 1, codec: 'topk:0.1+q8', errorFeedback: true });
    await first.server.nextUpdate();
    await first.client.whenIdle();
    const residual = first.client.residual()!;
    await first.client.stop();

    const { client, server } = track(
      setup({ modelStore: models, residualStore: residuals, experimentId: 'exp-1' }),
    );
    await client.start();
    expect(server.hellos[0]!.modelVersion).toBe(1);
    await client.whenIdle();
    expect(client.residual()).toEqual(residual);
    expect(residual.some((v) => v !== 0)).toBe(true);
  });

  it('drops a restored model when the welcome names another experiment, and re-joins for a full one', async () => {
    const store = new MemoryModelStore();
    await firstLife(store);
    const { client, server, transport } = track(setup({ modelStore: store, experimentId: 'exp-1' }));
    server.experimentId = 'exp-2';
    const lines: string[] = [];
    client.on('error', (e) => lines.push(e.code));
    const full = next(client, 'model');
    await client.start();
    expect(await full).toMatchObject({ version: 1, kind: 'full' });
    expect(server.hellos.map((h) => h.modelVersion)).toEqual([2, null]);
    expect(transport.connectCalls).toBe(2);
    expect(client.globalWeights()).toEqual(server.weightsOf(1));
    expect(lines).toEqual([]);
    await client.whenIdle();
    expect((await store.load({ experimentId: 'exp-2', clientId: 'c1' }))!.version).toBe(1);
  });

  it('ignores a stored model of another layout, or one the data cannot train', async () => {
    const store = new MemoryModelStore();
    const other = serverModel(3, [4]);
    await store.save(KEY, {
      architecture: JSON.stringify({ model: { kind: 'mlp', hidden: [5] }, inputShape: [6], numClasses: 3 }),
      fingerprint: layoutFingerprint(other.layout),
      version: 9,
      weights: other.weights,
    });
    await store.save(
      { experimentId: 'exp-1', clientId: 'c2' },
      {
        architecture: JSON.stringify({ model: { kind: 'mlp', hidden: [5] }, inputShape: [7], numClasses: 3 }),
        fingerprint: 'x',
        version: 9,
        weights: new Float32Array(3),
      },
    );
    for (const clientId of ['c1', 'c2']) {
      const warnings: string[] = [];
      const { client, server } = track(
        setup({
          modelStore: store,
          experimentId: 'exp-1',
          clientId,
          logger: { warn: (m) => warnings.push(m) },
        }),
      );
      await join(client);
      expect(server.hellos[0]!.modelVersion).toBeNull();
      expect(warnings.join('\n')).toMatch(/stored model .* is not usable/);
    }
    expect(DATA.shape).toEqual([6]);
  });

  it('reports a store that fails to load as MODEL_STORE and joins without a model', async () => {
    const store = new SpyStore();
    store.failLoad = true;
    const { client, server } = track(setup({ modelStore: store, experimentId: 'exp-1' }));
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    await join(client);
    expect(errors.map((e) => [e.code, e.fatal])).toEqual([['MODEL_STORE', false]]);
    expect(server.hellos[0]!.modelVersion).toBeNull();
    expect(client.phase).toBe('joined');
  });

  it('does not restore without an expected experiment id', async () => {
    const store = new MemoryModelStore();
    await firstLife(store);
    const { client, server } = track(setup({ modelStore: store }));
    await join(client);
    expect(server.hellos[0]!.modelVersion).toBeNull();
  });
});
