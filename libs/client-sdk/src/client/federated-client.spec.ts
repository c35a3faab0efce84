import { asEncoded, createCodec, decode } from '@fedzip/codec';
import { initBackend } from '@fedzip/model';
import { PROTOCOL_VERSION } from '@fedzip/protocol';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { DATA, PARAMS, expectedDelta, join, next, recordEvents, setup } from '../__tests__/fixtures.js';
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

describe('FederatedClient: one round over a fake transport', () => {
  it('joins, takes the full model, trains and sends w_local − w_base (codec none, no EF)', async () => {
    const { client, server, transport } = track(setup());
    const events = recordEvents(client);
    const joined = await join(client);
    expect(joined).toMatchObject({
      clientId: 'c1',
      experimentId: 'exp-1',
      modelParams: PARAMS,
      rejoin: false,
    });
    expect(server.hellos[0]).toMatchObject({
      protocolVersion: PROTOCOL_VERSION,
      token: 'tok',
      clientId: 'c1',
      modelVersion: null,
    });
    expect(server.hellos[0]!.capabilities.codecs).toContain('topk');
    expect(client.modelVersion).toBe(1);
    expect(client.globalWeights()).toEqual(server.weightsOf(1));

    const acked = next(client, 'ack');
    const a = server.assign({ roundId: 1 });
    const got = await server.nextUpdate();
    expect(got).toMatchObject({ roundId: 1, baseVersion: 1, sampleCount: DATA.n });
    expect(got.metrics.trainMs).toBeGreaterThanOrEqual(0);
    const values = decode(asEncoded(got.update, { expectedLength: PARAMS }));
    expect(values).toEqual(await expectedDelta(server.weightsOf(1), a));
    await client.whenIdle();
    await acked;

    expect(client.roundsDone).toBe(1);
    expect(events.filter((e) => e !== 'progress')).toEqual([
      'joined',
      'model',
      'assigned',
      'trained',
      'sent',
      'ack',
    ]);
    expect(events.filter((e) => e === 'progress')).toHaveLength(3); // 48 samples, batch 16
    // Byte counts are the frames on the wire, both ways.
    const sentBytes = transport.sent.reduce((s, f) => s + f.frame.byteLength, 0);
    expect(client.bytesSent).toBe(sentBytes);
    expect(client.stats().bytesReceivedByEvent['model']).toBeGreaterThan(4 * PARAMS);
    expect(client.bytesReceived).toBeGreaterThan(client.stats().bytesReceivedByEvent['model']!);
    expect(client.lastCompressionRatio).toBeCloseTo((4 * PARAMS) / got.update.byteLength, 10);
  });

  it('with topk:0.1+q8 and error feedback, keeps residual = compensated − decoded across rounds', async () => {
    const store = new MemoryResidualStore();
    const { client, server } = track(setup({ residualStore: store }));
    await join(client);

    const a1 = server.assign({ roundId: 1, codec: 'topk:0.1+q8', errorFeedback: true });
    const sent1 = next(client, 'sent');
    const u1 = await server.nextUpdate();
    const d1 = await expectedDelta(server.weightsOf(1), a1);
    const r1 = d1.map((v, i) => v - decode(u1.update)[i]!);
    expect(decode(u1.update)).toHaveLength(PARAMS);
    expect(decode(u1.update).filter((v) => v !== 0).length).toBeLessThanOrEqual(Math.ceil(0.1 * PARAMS));
    expect(client.residual()).toEqual(r1);
    const s1 = await sent1;
    expect(s1.ratio).toBeGreaterThan(2);
    expect(s1.residualNorm).toBeGreaterThan(0);

    // Round 2 from a new version, reached by a delta: p₂ = Δ₂ + e₁, e₂ = p₂ − decode(u₂).
    server.publish(server.weightsOf(1).map((v, i) => v + 0.01 * Math.sin(i)));
    const model2 = next(client, 'model');
    server.sendDelta(1);
    await model2;
    const a2 = server.assign({ roundId: 2, codec: 'topk:0.1+q8', errorFeedback: true, seed: 11 });
    const u2 = await server.nextUpdate();
    expect(u2.baseVersion).toBe(2);
    const p2 = (await expectedDelta(client.globalWeights()!, a2)).map((v, i) => v + r1[i]!);
    const r2 = p2.map((v, i) => v - decode(u2.update)[i]!);
    expect(client.residual()).toEqual(r2);
    await client.whenIdle();
    const stored = await store.load({ experimentId: 'exp-1', clientId: 'c1' });
    expect(stored?.values).toEqual(r2);
  });

  it('applies a delta model as w_base + decode(Δ), lossy codecs included', async () => {
    const { client, server } = track(setup());
    await join(client);
    server.publish(server.weightsOf(1).map((v) => v * 0.9));
    const models = next(client, 'model');
    const delta = server.sendDelta(1, 'q8');
    const ev = await models;
    expect(ev).toMatchObject({ version: 2, kind: 'delta', baseVersion: 1, denseBytes: 4 * PARAMS });
    const d = createCodec('q8').decode(delta);
    const want = Float32Array.from(server.weightsOf(1), (v, i) => v + d[i]!);
    expect(client.globalWeights()).toEqual(want);
    expect(client.modelVersion).toBe(2);
  });

  it('surfaces a reject as an event', async () => {
    const { client, server } = track(setup());
    server.autoAck = false;
    await join(client);
    server.assign({ roundId: 4 });
    const u = await server.nextUpdate();
    const rejected = next(client, 'reject');
    server.send('reject', { roundId: u.roundId, code: 'LATE', message: 'round 4 closed' });
    expect(await rejected).toEqual({ roundId: 4, code: 'LATE', message: 'round 4 closed' });
    expect(client.stats()).toMatchObject({ roundsDone: 0, updatesSent: 1, updatesRejected: 1 });
  });

  it('leaks no tensors across rounds', async () => {
    const { client, server } = track(setup());
    await join(client);
    const counts: number[] = [];
    for (let round = 1; round <= 3; round++) {
      server.assign({
        roundId: round,
        codec: 'topk:0.2+q8',
        errorFeedback: true,
        optimizer: 'adam',
        lr: 0.01,
      });
      await server.nextUpdate();
      await client.whenIdle();
      counts.push(tf.memory().numTensors);
    }
    expect(counts[2]).toBe(counts[0]);
  });
});
