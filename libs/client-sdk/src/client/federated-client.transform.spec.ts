import { asEncoded, decode } from '@fedzip/codec';
import { initBackend } from '@fedzip/model';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PARAMS, expectedDelta, join, next, setup } from '../__tests__/fixtures.js';
import type { FederatedClient } from './federated-client.js';
import type { UpdateTransformRound } from './options.js';

const clients: FederatedClient[] = [];

beforeAll(async () => {
  await initBackend();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

describe('FederatedClient: the transformUpdate simulation hook', () => {
  it('rewrites the trained delta before it is encoded with the assigned codec', async () => {
    const seen: UpdateTransformRound[] = [];
    const { client, server } = setup({
      transformUpdate: (delta, round) => {
        seen.push(round);
        for (let i = 0; i < delta.length; i++) delta[i] = -3 * delta[i]!;
        return delta;
      },
    });
    clients.push(client);
    await join(client);
    const a = server.assign({ roundId: 1, codec: 'none' });
    const got = await server.nextUpdate();
    const values = decode(asEncoded(got.update, { expectedLength: PARAMS }));
    const honest = await expectedDelta(server.weightsOf(1), a);
    expect(values).toEqual(honest.map((x) => -3 * x));
    expect(seen).toEqual([{ roundId: 1, seed: a.seed }]);
  });

  it('skips the round when the transform returns the wrong length', async () => {
    const { client, server } = setup({ transformUpdate: () => new Float32Array(1) });
    clients.push(client);
    await join(client);
    const skipped = next(client, 'skipped');
    server.assign({ roundId: 1, codec: 'none' });
    expect(await skipped).toMatchObject({ roundId: 1, reason: 'failed' });
  });
});
