import { decode } from '@fedzip/codec';
import { DEFAULT_LIMITS } from '@fedzip/protocol';
import { initBackend } from '@fedzip/model';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PARAMS, join, next, recordEvents, serverModel, setup } from '../__tests__/fixtures.js';
import type { ClientError } from '../errors.js';
import type { SkippedEvent } from '../events.js';
import { layoutFingerprint } from '../model/layout.js';
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

function logs(): { lines: string[]; logger: { info(m: string): void; warn(m: string): void } } {
  const lines: string[] = [];
  return { lines, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } };
}

describe('FederatedClient: sessions, resync and reconnects', () => {
  it('answers a delta from an unknown base by dropping the model and re-joining with modelVersion null', async () => {
    const { client, server, transport } = track(setup());
    await join(client);
    server.publish(server.weightsOf(1).map((v) => v + 1));
    server.publish(server.weightsOf(2).map((v) => v + 1));
    const hello = server.nextHello();
    const full = next(client, 'model');
    server.sendDelta(2); // version 3 from 2, but the client holds 1
    expect((await hello).modelVersion).toBeNull();
    expect(await full).toMatchObject({ version: 3, kind: 'full' });
    expect(client.globalWeights()).toEqual(server.weightsOf(3));
    expect(transport.connectCalls).toBe(2);
    expect(client.phase).toBe('joined');
  });

  it('re-joins after a reconnect with the version it holds, keeping the residual', async () => {
    const { client, server, transport } = track(setup());
    const events = recordEvents(client);
    await join(client);
    server.assign({ roundId: 1, codec: 'topk:0.1+q8', errorFeedback: true });
    await server.nextUpdate();
    await client.whenIdle();
    const residual = client.residual();
    server.publish(server.weightsOf(1).map((v) => v * 2));

    const rejoined = next(client, 'joined');
    const delta = next(client, 'model');
    transport.drop();
    const hello = await server.nextHello();
    expect(hello.modelVersion).toBe(1);
    expect((await rejoined).rejoin).toBe(true);
    expect(await delta).toMatchObject({ version: 2, kind: 'delta', baseVersion: 1 });
    expect(client.residual()).toEqual(residual);
    expect(events).toEqual(expect.arrayContaining(['disconnected', 'reconnected']));
    expect(client.stats().reconnects).toBe(1);
  });

  it('sends an update trained across a disconnect after the re-join', async () => {
    const { client, server, transport } = track(setup());
    await join(client);
    client.once('progress', () => transport.drop('transport close', 1));
    const rejoined = next(client, 'joined');
    server.assign({ roundId: 3 });
    await rejoined;
    const u = await server.nextUpdate();
    expect(u.roundId).toBe(3);
    expect(server.hellos.map((h) => h.modelVersion)).toEqual([null, 1]);
  });

  it('abandons a round when a newer assignment arrives during training, and sends the newer one', async () => {
    const { client, server } = track(setup());
    const skipped: SkippedEvent[] = [];
    client.on('skipped', (s) => skipped.push(s));
    await join(client);
    client.once('progress', () => server.assign({ roundId: 2 }));
    server.assign({ roundId: 1, localEpochs: 3 });
    const u = await server.nextUpdate();
    await client.whenIdle();
    expect(u.roundId).toBe(2);
    expect(server.updates).toHaveLength(1);
    expect(skipped).toEqual([{ roundId: 1, reason: 'superseded' }]);
  });

  it('ignores stale and duplicate assignments', async () => {
    const { client, server } = track(setup());
    const skipped: SkippedEvent[] = [];
    client.on('skipped', (s) => skipped.push(s));
    await join(client);
    server.assign({ roundId: 5 });
    await server.nextUpdate();
    server.assign({ roundId: 5 });
    server.assign({ roundId: 4 });
    await client.whenIdle();
    expect(server.updates).toHaveLength(1);
    expect(skipped).toEqual([
      { roundId: 5, reason: 'duplicate' },
      { roundId: 4, reason: 'stale' },
    ]);
  });

  it('waits for the model version an assignment names', async () => {
    const { client, server } = track(setup());
    await join(client);
    const v2 = server.publish(server.weightsOf(1).map((v) => v - 0.5));
    server.assign({ roundId: 1, modelVersion: v2 });
    expect(client.busy).toBe(false);
    server.sendDelta(1);
    const u = await server.nextUpdate();
    expect(u.baseVersion).toBe(v2);
  });

  it('reports an unsupported optimizer and skips the round', async () => {
    const { client, server } = track(setup());
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    await join(client);
    const skipped = next(client, 'skipped');
    server.assign({ roundId: 1, optimizer: 'rmsprop' });
    expect(await skipped).toEqual({ roundId: 1, reason: 'failed' });
    expect(errors.map((e) => e.code)).toEqual(['UNSUPPORTED']);
    expect(server.updates).toHaveLength(0);
    expect(client.phase).toBe('joined');
  });

  it('refuses a malformed frame with an error event and carries on', async () => {
    const { client, server, transport } = track(setup());
    await join(client);
    const error = next(client, 'error');
    transport.deliver('assign', new Uint8Array([0x82, 0xa1])); // a map cut short
    expect(await error).toMatchObject({ code: 'BAD_MESSAGE', remoteCode: 'BAD_MSGPACK', fatal: false });
    server.assign({ roundId: 1 });
    expect((await server.nextUpdate()).roundId).toBe(1);
  });

  it('closes on a fatal server error, rejecting start()', async () => {
    const { client, server, transport } = track(setup());
    transport.server = () =>
      server.send('error', { code: 'UNAUTHENTICATED', message: 'bad token', event: 'hello', fatal: true });
    await expect(client.start()).rejects.toMatchObject({
      code: 'SERVER_ERROR',
      remoteCode: 'UNAUTHENTICATED',
    });
    const closed = await client.whenClosed();
    expect(closed.error?.code).toBe('SERVER_ERROR');
    expect(client.phase).toBe('closed');
  });

  it('closes when the server ends the session', async () => {
    const { client, transport } = track(setup());
    await join(client);
    transport.serverDisconnect();
    expect((await client.whenClosed()).reason).toMatch(/io server disconnect/);
  });

  it('abandons the round on stop() during training', async () => {
    const { client, server } = track(setup());
    await join(client);
    const skipped = next(client, 'skipped');
    client.once('progress', () => void client.stop());
    server.assign({ roundId: 1, localEpochs: 5 });
    expect(await skipped).toEqual({ roundId: 1, reason: 'stopped' });
    expect((await client.whenClosed()).reason).toMatch(/stopped/);
    expect(server.updates).toHaveLength(0);
  });

  it('does not send an update over the server limits, and leaves the residual as it was', async () => {
    const { client, server, transport } = track(setup());
    await join(client);
    // Welcome limits hold for a session: re-join under a 64-byte update limit.
    server.limits = { ...DEFAULT_LIMITS, maxUpdateBytes: 64 };
    const rejoined = next(client, 'joined');
    transport.drop();
    expect((await rejoined).limits.maxUpdateBytes).toBe(64);
    const error = next(client, 'error');
    const skipped = next(client, 'skipped');
    server.assign({ roundId: 1, codec: 'q8', errorFeedback: true });
    expect(await error).toMatchObject({ code: 'UPDATE_TOO_LARGE', roundId: 1 });
    expect(await skipped).toEqual({ roundId: 1, reason: 'too-large' });
    expect(client.residual()).toEqual(new Float32Array(PARAMS));
    expect(server.updates).toHaveLength(0);
  });

  it('refuses data that does not fit the experiment, rejecting start()', async () => {
    const data = { x: new Float32Array(8), y: [0, 1], n: 2, shape: [4], numClasses: 3 };
    const { client } = track(setup({ data }));
    await expect(client.start()).rejects.toMatchObject({ code: 'DATA_MISMATCH', fatal: true });
    expect(client.phase).toBe('closed');
  });

  it('answers an evaluation request', async () => {
    const { client, server } = track(setup());
    await join(client);
    const evaluated = next(client, 'evaluated');
    server.send('eval-request', { requestId: 9, modelVersion: 1, batchSize: 32 });
    const ev = await evaluated;
    await client.whenIdle();
    expect(server.evalResults).toEqual([
      expect.objectContaining({
        requestId: 9,
        modelVersion: 1,
        sampleCount: 48,
        loss: ev.loss,
        accuracy: ev.accuracy,
      }),
    ]);
  });
});

describe('FederatedClient: residual persistence', () => {
  it('restores a stored residual on join and uses it in the first update', async () => {
    const store = new MemoryResidualStore();
    const first = track(setup({ residualStore: store }));
    await join(first.client);
    first.server.assign({ roundId: 1, codec: 'topk:0.1+q8', errorFeedback: true });
    await first.server.nextUpdate();
    await first.client.whenIdle();
    const residual = first.client.residual();
    await first.client.stop();

    const { lines, logger } = logs();
    const second = track(setup({ residualStore: store, logger }));
    await join(second.client);
    expect(second.client.residual()).toEqual(residual);
    expect(lines.some((l) => l.startsWith('restored the error-feedback residual'))).toBe(true);
  });

  it('resets a stored residual of another model layout, saying why', async () => {
    const store = new MemoryResidualStore();
    const key = { experimentId: 'exp-1', clientId: 'c1' };
    await store.save(key, {
      fingerprint: layoutFingerprint([{ name: 'x', shape: [7] }]),
      values: new Float32Array(7).fill(1),
    });
    const { lines, logger } = logs();
    const { client } = track(setup({ residualStore: store, logger }));
    await join(client);
    await client.whenIdle();
    expect(client.residual()).toEqual(new Float32Array(PARAMS));
    expect(lines.some((l) => /another model layout .* reset to zero on purpose/.test(l))).toBe(true);
  });

  it('resets the residual and re-joins for a full model when the architecture changes', async () => {
    const { client, server, transport } = track(setup());
    await join(client);
    server.assign({ roundId: 1, codec: 'topk:0.1+q8', errorFeedback: true });
    await server.nextUpdate();
    await client.whenIdle();
    expect(client.residual()!.some((v) => v !== 0)).toBe(true);

    // The server now runs a wider model under the same experiment id.
    const wider = serverModel(4, [7]);
    const version = server.reset(
      JSON.stringify({ model: { kind: 'mlp', hidden: [7] }, inputShape: [6], numClasses: 3 }),
      wider.layout,
      wider.weights,
    );
    const full = next(client, 'model');
    transport.drop();
    expect(await full).toMatchObject({ version, kind: 'full', denseBytes: 4 * (6 * 7 + 7 + 7 * 3 + 3) });
    expect(server.hellos.map((h) => h.modelVersion)).toEqual([null, 1, null]);
    expect(client.residual()).toEqual(new Float32Array(6 * 7 + 7 + 7 * 3 + 3));
    expect(client.globalWeights()).toEqual(wider.weights);
  });

  it('decodes the update to the model length in the error-feedback path', async () => {
    const { client, server } = track(setup());
    await join(client);
    server.assign({ roundId: 1, codec: 'randk:0.2+q4', errorFeedback: true });
    const u = await server.nextUpdate();
    expect(decode(u.update)).toHaveLength(PARAMS);
  });
});
