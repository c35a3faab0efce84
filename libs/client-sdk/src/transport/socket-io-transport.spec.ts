import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asEncoded, createCodec, decode } from '@fedzip/codec';
import { makeSyntheticDataset } from '@fedzip/data';
import { createModel, getFlatWeights, initBackend, weightLayout } from '@fedzip/model';
import {
  type ClientToServerEvents,
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  type ReceivedOf,
  type ServerToClientEvents,
  decodeClientMessage,
  encodeMessage,
  maxFrameBytes,
} from '@fedzip/protocol';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Server, type Socket } from 'socket.io';
import type { FederatedClient } from '../client/federated-client.js';
import type { ClientEventMap } from '../events.js';
import { createNodeClient } from '../node/node-client.node.js';
import { SocketIoTransport } from './socket-io-transport.js';
import type { DisconnectInfo } from './transport.js';

const data = makeSyntheticDataset({ n: 64, shape: [8], numClasses: 4, seed: 2 });
const config = { kind: 'mlp', hidden: [8] } as const;

function next<K extends keyof ClientEventMap>(client: FederatedClient, event: K): Promise<ClientEventMap[K]> {
  return new Promise((resolve) => client.once(event, resolve));
}

describe('SocketIoTransport on loopback', () => {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    transports: ['websocket'],
    maxHttpBufferSize: maxFrameBytes(DEFAULT_LIMITS) + 1024,
  });
  let url = '';

  beforeAll(async () => {
    await initBackend();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => void io.close(() => resolve()));
  });

  it('does a round with a real socket.io server, then re-joins by itself after the connection drops', async () => {
    const m = createModel(config, data, { seed: 1 });
    const weights = getFlatWeights(m);
    const layout = weightLayout(m).entries.map((e) => ({ name: e.name, shape: [...e.shape] }));
    m.dispose();
    const n = weights.length;

    // A scripted coordinator: welcome + full model on a first hello, then one assignment.
    const hellos: ReceivedOf<'hello'>[] = [];
    const sockets: Socket[] = [];
    let gotUpdate!: (u: ReceivedOf<'update'>) => void;
    const update = new Promise<ReceivedOf<'update'>>((resolve) => (gotUpdate = resolve));
    io.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('hello', (frame) => {
        const r = decodeClientMessage('hello', frame);
        if (!r.ok || r.event !== 'hello') throw new Error(`bad hello: ${JSON.stringify(r)}`);
        hellos.push(r.msg);
        socket.emit(
          'welcome',
          encodeMessage('welcome', {
            protocolVersion: PROTOCOL_VERSION,
            clientId: r.msg.clientId,
            experimentId: 'loopback',
            architecture: JSON.stringify({ model: config, inputShape: [8], numClasses: 4 }),
            limits: DEFAULT_LIMITS,
          }),
        );
        if (r.msg.modelVersion !== null) return;
        const full = createCodec('none').encode(weights, 0);
        socket.emit(
          'model',
          encodeMessage('model', { version: 1, layout, baseVersion: null, weights: full }),
        );
        socket.emit(
          'assign',
          encodeMessage('assign', {
            roundId: 1,
            modelVersion: 1,
            localEpochs: 2,
            batchSize: 16,
            lr: 0.1,
            optimizer: 'sgd',
            proxMu: 0.01,
            codec: 'topk:0.1+q8',
            errorFeedback: true,
            deadline: Date.now() + 60_000,
            seed: 3,
          }),
        );
      });
      socket.on('update', (frame) => {
        const r = decodeClientMessage('update', frame);
        if (!r.ok || r.event !== 'update') throw new Error(`bad update: ${JSON.stringify(r)}`);
        socket.emit('ack', encodeMessage('ack', { roundId: r.msg.roundId }));
        gotUpdate(r.msg);
      });
    });

    const client = await createNodeClient({
      url,
      token: 'loopback-token',
      clientId: 'loop-1',
      data,
      socket: { reconnectionDelayMs: 50, reconnectionDelayMaxMs: 200 },
    });
    try {
      const acked = next(client, 'ack');
      const sent = next(client, 'sent');
      const joined = await client.start();
      expect(joined.experimentId).toBe('loopback');
      expect(hellos[0]).toMatchObject({ clientId: 'loop-1', modelVersion: null });
      expect(hellos[0]!.capabilities.runtime).toBe('node');

      const u = await update;
      expect(u).toMatchObject({ roundId: 1, baseVersion: 1, sampleCount: 64 });
      const values = decode(asEncoded(u.update, { expectedLength: n }));
      expect(values).toHaveLength(n);
      expect(values.filter((v) => v !== 0).length).toBeLessThanOrEqual(Math.ceil(0.1 * n));
      expect(values.some((v) => v !== 0)).toBe(true);
      expect((await sent).ratio).toBeGreaterThan(3);
      await acked;
      expect(client.roundsDone).toBe(1);

      // Kill the engine connection under the socket: Socket.IO reconnects with backoff, and the
      // client re-joins stating the version it holds.
      const rejoined = next(client, 'joined');
      sockets[0]!.conn.close();
      expect((await rejoined).rejoin).toBe(true);
      expect(hellos[1]).toMatchObject({ clientId: 'loop-1', modelVersion: 1 });
      expect(client.stats().reconnects).toBe(1);

      // A delta from a version the client does not hold: it closes and reconnects by itself
      // (socket.disconnect() then connect()), stating no version, and gets the full model again.
      const full = next(client, 'model');
      const delta = createCodec('none').encode(new Float32Array(n), 0);
      sockets[1]!.emit(
        'model',
        encodeMessage('model', { version: 9, layout, baseVersion: 8, weights: delta }),
      );
      expect(await full).toMatchObject({ version: 1, kind: 'full' });
      expect(hellos.map((h) => h.modelVersion)).toEqual([null, 1, null]);
    } finally {
      await client.stop();
    }
  });

  it('refuses a frame after a missed ping instead of buffering it ahead of the next hello', async () => {
    const http2 = createServer();
    const io2 = new Server(http2, { transports: ['websocket'], pingInterval: 100, pingTimeout: 100 });
    const received: string[] = [];
    io2.on('connection', (socket) => socket.onAny((event: string) => received.push(`${socket.id}:${event}`)));
    await new Promise<void>((resolve) => http2.listen(0, '127.0.0.1', resolve));
    const transport = new SocketIoTransport({
      url: `http://127.0.0.1:${(http2.address() as AddressInfo).port}`,
      reconnectionDelayMs: 20,
      reconnectionDelayMaxMs: 40,
    });
    try {
      const connected = new Promise<void>((resolve) => transport.onConnect(resolve));
      transport.connect();
      await connected;
      const dropped = new Promise<DisconnectInfo>((resolve) => transport.onDisconnect(resolve));
      const reconnected = new Promise<void>((resolve) => transport.onConnect(resolve));
      const until = Date.now() + 400; // a training step that blocks the event loop past the ping timeout
      while (Date.now() < until) {
        /* busy */
      }
      expect(transport.send('hello', new Uint8Array([0x80]))).toBe(false);
      expect(await dropped).toEqual({ reason: 'ping timeout', willReconnect: true });
      await reconnected;
      expect(transport.send('hello', new Uint8Array([0x80]))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toHaveLength(1);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => void io2.close(() => resolve()));
    }
  });
});
