/**
 * Issue 7's network settings and session rules on a live coordinator: CORS (same-origin only by
 * default, configured origins otherwise) on HTTP and on the Socket.IO handshake, unknown events,
 * per-connection rate limits, a hello of another protocol version, and the sample count bounds
 * of updates.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { type MessageOf, decodeServerMessage, encodeMessage } from '@fedzip/protocol';
import { type Socket, io } from 'socket.io-client';
import { type Coordinator, startCoordinator } from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

let coordinator: Coordinator | null = null;
const sockets: { close(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await coordinator?.close();
  coordinator = null;
});

/** Whether a Socket.IO connection sending `origin` is accepted. */
function connects(url: string, origin: string): Promise<boolean> {
  const s: Socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { Origin: origin },
  });
  sockets.push(s);
  return new Promise((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('connect_error', () => resolve(false));
  });
}

describe('CORS', () => {
  it('is same-origin only by default', async () => {
    coordinator = await startCoordinator(vectorSetup(8).setup, { logger: false });
    const res = await fetch(`${coordinator.url}/health/live`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await connects(coordinator.url, 'https://evil.example')).toBe(false);
    expect(await connects(coordinator.url, coordinator.url)).toBe(true);
  });

  it('allows the configured origins', async () => {
    const { setup } = vectorSetup(8, { server: { corsOrigins: ['https://ok.example'] } });
    coordinator = await startCoordinator(setup, { logger: false });
    const res = await fetch(`${coordinator.url}/health/live`, { headers: { Origin: 'https://ok.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://ok.example');
    expect(await connects(coordinator.url, 'https://ok.example')).toBe(true);
    expect(await connects(coordinator.url, 'https://evil.example')).toBe(false);
  });
});

describe('session rules', () => {
  it('answers unknown events, limits a flood, then closes the connection', async () => {
    coordinator = await startCoordinator(vectorSetup(8).setup, {
      logger: false,
      rateLimit: { burstMessages: 5, messagesPerSecond: 1, maxDropped: 20, droppedForgivenPerSecond: 0 },
    });
    const c = new ScriptedClient(coordinator.url, 'c0', 'secret-token');
    sockets.push(c);
    await c.until(() => c.inbox.welcome.length === 1);
    c.socket.emit('no-such-event', new Uint8Array(1));
    await c.until(() => c.inbox.error.some((e) => e.code === 'BAD_EVENT'));
    for (let i = 0; i < 40; i++) c.socket.emit('no-such-event', new Uint8Array(1));
    await c.until(() => c.inbox.error.some((e) => e.code === 'RATE_LIMITED' && e.fatal));
    const limited = c.inbox.error.filter((e) => e.code === 'RATE_LIMITED');
    expect(limited.filter((e) => !e.fatal)).toHaveLength(1); // answered once, then silently dropped
    await c.until(() => c.socket.disconnected);
    const metrics = await (await fetch(`${coordinator.url}/metrics`)).text();
    expect(metrics).toMatch(/^fedzip_frames_refused_total\{reason="RATE_LIMITED"\} 2[01]$/m);
    expect(metrics).toMatch(/^fedzip_connections_closed_total\{reason="RATE_LIMITED"\} 1$/m);
  });

  it('refuses a protocol-version-1 hello with a fatal BAD_VERSION that says which side to upgrade', async () => {
    coordinator = await startCoordinator(vectorSetup(8).setup, { logger: false });
    const s: Socket = io(coordinator.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const answer = new Promise<unknown>((resolve) =>
      s.once('error', (frame: unknown) => resolve(decodeServerMessage('error', frame))),
    );
    const closed = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    // What a version-1 build sends: the same hello, stating 1 (its updates would be maps).
    const hello = {
      protocolVersion: 1,
      token: 'secret-token',
      clientId: 'old-client',
      modelVersion: null,
      capabilities: { runtime: 'node', backends: [], codecs: [], codecFormat: 1, maxMessageBytes: 1 << 20 },
    };
    s.emit('hello', encodeMessage('hello', hello as unknown as MessageOf<'hello'>));
    expect(await answer).toEqual({
      ok: true,
      event: 'error',
      msg: {
        code: 'BAD_VERSION',
        event: 'hello',
        fatal: true,
        message:
          'protocol version 1 is not supported; this side speaks 2 only, so the version-1 side must be ' +
          'upgraded (docs/protocol.md, "Versions")',
      },
    });
    await closed;
  });

  it('rejects a sample count outside clients.sampleCount', async () => {
    const { setup, target } = vectorSetup(8, {
      clients: {
        count: 1,
        perRound: 1,
        minResults: 1,
        deadlineSeconds: 5,
        sampleCount: { min: 10, max: 500 },
      },
      rounds: 1,
    });
    coordinator = await startCoordinator(setup, { logger: false });
    const run = coordinator.run();
    const c = new ScriptedClient(coordinator.url, 'c0', 'secret-token');
    sockets.push(c);
    await c.until(() => c.inbox.assign.length === 1);
    const a = c.inbox.assign[0]!;
    c.submitTowards(a, target, 0.5, 501);
    await c.until(() => c.inbox.reject.length === 1);
    expect(c.inbox.reject[0]).toMatchObject({ code: 'BAD_SAMPLE_COUNT' });
    expect(c.inbox.reject[0]!.message).toMatch(/outside \[10, 500\]/);
    coordinator.runner.stop();
    await run;
  });
});
