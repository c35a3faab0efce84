import { afterEach, describe, expect, it } from '@jest/globals';
import type { AdminServerToClientEvents, AdminSnapshot, RoundRecord } from '@fedzip/protocol';
import { type Socket, io } from 'socket.io-client';
import { MAX_ADMIN_SOCKETS } from '../../apps/coordinator/src/admin/admin.gateway.js';
import { type Coordinator, startCoordinator } from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

type AdminSocket = Socket<AdminServerToClientEvents>;

function admin(url: string, auth?: unknown): AdminSocket {
  return io(`${url}/admin`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth === undefined ? {} : { auth: auth as Record<string, unknown> }),
  });
}

/** Resolves with the connect error's message, or rejects if the socket connects. */
function refusal(socket: AdminSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.on('connect_error', (e) => resolve(e.message));
    socket.on('connect', () => reject(new Error('connected')));
  });
}

describe('admin channel', () => {
  let coordinator: Coordinator | undefined;
  const sockets: { close(): void }[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await coordinator?.close();
    coordinator = undefined;
  });

  async function start(overrides: Record<string, unknown> = {}) {
    const { setup, target } = vectorSetup(500, overrides);
    coordinator = await startCoordinator(setup, {
      host: '127.0.0.1',
      port: 0,
      startWhen: setup.config.clients.count,
      logger: false,
    });
    return { setup, target, url: coordinator.url };
  }

  it('refuses a missing, wrong or malformed token before sending anything', async () => {
    const { url, setup } = await start();
    for (const auth of [
      undefined,
      {},
      { token: '' },
      { token: 'wrong' },
      { token: 42 },
      { token: `${setup.adminToken}x` },
    ]) {
      const s = admin(url, auth);
      sockets.push(s);
      let got = false;
      s.onAny(() => (got = true));
      expect(await refusal(s)).toBe('unauthorized');
      expect(got).toBe(false);
    }
  });

  it('sends a snapshot on connect, then pushes round events; a late socket gets every record', async () => {
    const { url, setup, target } = await start({ rounds: 3 });
    const s = admin(url, { token: setup.adminToken });
    sockets.push(s);
    const first = await new Promise<AdminSnapshot>((r) => s.once('snapshot', r));
    expect(first).toMatchObject({
      experiment: { id: 'vector', name: 'vector', rounds: 3 },
      status: 'waiting',
      current: null,
      records: [],
      totals: { completedRounds: 0, uplinkBytes: 0 },
    });
    expect(first.experiment.config).toMatchObject({ rounds: 3, clients: { count: 4 } });
    const opened: number[] = [];
    const closed: RoundRecord[] = [];
    s.on('round-opened', (e) => opened.push(e.round));
    s.on('round-closed', (e) => closed.push(e.record));
    const finished = new Promise<{ status: string }>((r) => s.once('finished', r));
    for (let i = 0; i < 4; i++) {
      const c = new ScriptedClient(url, `c${i}`, 'secret-token');
      c.onAssign((a) => c.submitTowards(a, target));
      sockets.push(c);
    }
    const summary = await coordinator!.run();
    expect(await finished).toMatchObject({ status: 'completed', rounds: 3 });
    expect(opened).toEqual([1, 2, 3]);
    expect(closed.map((r) => r.round)).toEqual([1, 2, 3]);
    expect(closed).toEqual(summary.records);

    const late = admin(url, { token: setup.adminToken });
    sockets.push(late);
    const snap = await new Promise<AdminSnapshot>((r) => late.once('snapshot', r));
    expect(snap.status).toBe('completed');
    expect(snap.records).toEqual(summary.records);
    expect(snap.totals.completedRounds).toBe(3);
    expect(snap.totals.uplinkBytes).toBe(summary.records.reduce((a, r) => a + r.uplinkBytes, 0));
    expect(snap.clients.connected).toBeLessThanOrEqual(4);
    expect(snap.clients.selected).toBe(3);
  });

  it('never sends the admin token, even when it came from the config', async () => {
    const { url, setup } = await start({ server: { adminToken: 'a-config-admin-token-0123' } });
    const s = admin(url, { token: setup.adminToken });
    sockets.push(s);
    const snap = await new Promise<AdminSnapshot>((r) => s.once('snapshot', r));
    expect(JSON.stringify(snap)).not.toContain(setup.adminToken);
    expect(JSON.stringify(snap)).not.toContain('a-config-admin-token-0123');
    expect(JSON.stringify(snap)).not.toContain(setup.joinToken);
  });

  it(`refuses more than ${MAX_ADMIN_SOCKETS} admin sockets at once`, async () => {
    const { url, setup } = await start();
    const open = await Promise.all(
      Array.from({ length: MAX_ADMIN_SOCKETS }, async () => {
        const s = admin(url, { token: setup.adminToken });
        sockets.push(s);
        await new Promise<AdminSnapshot>((r) => s.once('snapshot', r));
        return s;
      }),
    );
    const extra = admin(url, { token: setup.adminToken });
    sockets.push(extra);
    expect(await refusal(extra)).toBe('too many admin connections');
    open[0]!.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = admin(url, { token: setup.adminToken });
    sockets.push(again);
    await new Promise<AdminSnapshot>((r) => again.once('snapshot', r));
  });
});
