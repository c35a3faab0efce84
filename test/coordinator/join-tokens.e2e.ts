import { afterEach, describe, expect, it } from '@jest/globals';
import { issueJoinToken, newJoinSecret } from '../../apps/coordinator/src/auth/join-token.js';
import {
  type Coordinator,
  ExperimentHost,
  ExperimentRuntime,
  systemClock,
} from '../../apps/coordinator/src/index.js';
import { startCoordinator } from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

describe('signed join tokens over loopback, two experiments on one coordinator', () => {
  let coordinator: Coordinator | undefined;
  const clients: ScriptedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await coordinator?.close();
    coordinator = undefined;
  });

  it('admits each token to its own experiment only, as the bound client, until it expires', async () => {
    const secretA = newJoinSecret();
    const secretB = newJoinSecret();
    const a = vectorSetup(50).setup;
    const b = vectorSetup(80).setup;
    coordinator = await startCoordinator(
      { ...a, id: 'exp-a', joinToken: 'shared-a', joinSecret: secretA },
      { host: '127.0.0.1', port: 0, logger: false },
    );
    coordinator.app.get(ExperimentHost).add(
      new ExperimentRuntime({ ...b, id: 'exp-b', joinToken: '', joinSecret: secretB }, systemClock, {
        startWhen: 1,
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    const join = async (clientId: string, token: string) => {
      const c = new ScriptedClient(coordinator!.url, clientId, token);
      clients.push(c);
      await c.until(() => c.inbox.welcome.length + c.inbox.error.length > 0, 5000, 'welcome or error');
      return c;
    };

    const toA = await join('dev-1', issueJoinToken(secretA, { experimentId: 'exp-a' }));
    expect(toA.inbox.welcome[0]).toMatchObject({ experimentId: 'exp-a', clientId: 'dev-1' });
    await toA.until(() => toA.weights !== null, 5000, 'the model');
    expect(toA.weights!.length).toBe(50);

    const toB = await join('dev-2', issueJoinToken(secretB, { experimentId: 'exp-b', clientId: 'dev-2' }));
    expect(toB.inbox.welcome[0]).toMatchObject({ experimentId: 'exp-b' });
    await toB.until(() => toB.weights !== null, 5000, 'the model');
    expect(toB.weights!.length).toBe(80);

    const refused = [
      // B's secret cannot sign for A, and a token names one experiment.
      await join('dev-3', issueJoinToken(secretB, { experimentId: 'exp-a' })),
      await join('dev-4', issueJoinToken(secretA, { experimentId: 'exp-nope' })),
      // Bound to another client id.
      await join('dev-5', issueJoinToken(secretA, { experimentId: 'exp-a', clientId: 'dev-6' })),
      // Expired.
      await join('dev-7', issueJoinToken(secretA, { experimentId: 'exp-a', expiresAt: now - 1 })),
      // With two experiments hosted, an empty shared token routes nowhere.
      await join('dev-8', 'anything'),
    ];
    for (const c of refused) {
      expect(c.inbox.welcome).toEqual([]);
      expect(c.inbox.model).toEqual([]); // disconnected before any model byte
      expect(c.inbox.error[0]).toMatchObject({ code: 'UNAUTHENTICATED', fatal: true });
    }
    expect(refused[3]!.inbox.error[0]!.message).toMatch(/expired/);
    expect(refused[2]!.inbox.error[0]!.message).toMatch(/another client id/);

    // The shared token of A still works beside the signed ones.
    const shared = await join('dev-9', 'shared-a');
    expect(shared.inbox.welcome[0]).toMatchObject({ experimentId: 'exp-a' });
  }, 30_000);

  it('holds joins while the coordinator restores its experiments, then admits them', async () => {
    const secret = newJoinSecret();
    const { setup } = vectorSetup(40);
    coordinator = await startCoordinator(
      { ...setup, id: 'first', joinToken: '', joinSecret: newJoinSecret() },
      { host: '127.0.0.1', port: 0, logger: false },
    );
    const host = coordinator.app.get(ExperimentHost);
    host.holdJoins();
    const c = new ScriptedClient(coordinator.url, 'early', issueJoinToken(secret, { experimentId: 'late' }));
    clients.push(c);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.inbox.welcome).toEqual([]);
    expect(c.inbox.error).toEqual([]); // not refused: waiting
    host.add(
      new ExperimentRuntime({ ...setup, id: 'late', joinToken: '', joinSecret: secret }, systemClock, {
        startWhen: 1,
      }),
    );
    host.ready();
    await c.until(() => c.inbox.welcome.length > 0, 5000, 'welcome');
    expect(c.inbox.welcome[0]).toMatchObject({ experimentId: 'late' });
  }, 30_000);
});
