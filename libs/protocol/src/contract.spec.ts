/**
 * The contract over real Socket.IO on loopback: one binary argument per event, typed generics on
 * both ends, and a server that answers bad frames with an `error` event and keeps the connection.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { type Socket, io as connect } from 'socket.io-client';
import { MESSAGES } from './__tests__/fixtures.js';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.js';
import { type DecodeResult, decodeClientMessage, decodeServerMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import type { ServerEventName } from './events.js';
import type { ErrorMessage } from './messages.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let io: Server<ClientToServerEvents, ServerToClientEvents>;
let url: string;
const received: { event: string; isBuffer: boolean }[] = [];

beforeAll(async () => {
  const http = createServer();
  io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { maxHttpBufferSize: 1 << 20 });
  io.on('connection', (socket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      received.push({ event, isBuffer: Buffer.isBuffer(args[0]) });
      const refuse = (code: ErrorMessage['code'], message: string, e: ErrorMessage['event']) =>
        socket.emit('error', encodeMessage('error', { code, message, event: e, fatal: false }));
      if (args.length !== 1)
        return refuse('BAD_FRAME', `${args.length} arguments; exactly one frame expected`, null);
      const r = decodeClientMessage(event, args[0]);
      if (!r.ok) return refuse(r.code, r.reason, r.event);
      switch (r.event) {
        case 'hello':
          return socket.emit(
            'welcome',
            encodeMessage('welcome', { ...MESSAGES.welcome, clientId: r.msg.clientId }),
          );
        case 'update':
          return socket.emit('ack', encodeMessage('ack', { roundId: r.msg.roundId }));
        case 'eval-result':
          return undefined;
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await io.close();
});

/** The next frame of `event` on `socket`, decoded as a server message. */
function next<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
): Promise<DecodeResult<ServerEventName>> {
  return new Promise((resolve) => {
    socket.once(event as 'welcome', (frame: unknown) => resolve(decodeServerMessage(event, frame)));
  });
}

async function connected(): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('the Socket.IO contract on loopback', () => {
  it('carries hello → welcome and update → ack as single binary attachments', async () => {
    const socket = await connected();
    try {
      const welcome = next(socket, 'welcome');
      socket.emit('hello', encodeMessage('hello', MESSAGES.hello));
      expect(await welcome).toEqual({ ok: true, event: 'welcome', msg: MESSAGES.welcome });

      const ack = next(socket, 'ack');
      socket.emit('update', encodeMessage('update', MESSAGES.update));
      expect(await ack).toEqual({ ok: true, event: 'ack', msg: { roundId: MESSAGES.update.roundId } });
      // The server got Buffers: binary attachments, not JSON arrays or base64 strings.
      expect(received.filter((r) => r.event === 'update').every((r) => r.isBuffer)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('answers bad frames with an error event and keeps the connection', async () => {
    const socket = await connected();
    // A hostile peer is not bound by the types: emit through an untyped view of the socket.
    const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
    try {
      const cases: [string, unknown[], string][] = [
        ['hello', ['{"protocolVersion":1}'], 'BAD_FRAME'],
        ['hello', [], 'BAD_FRAME'],
        ['update', [new Uint8Array(4), new Uint8Array(4)], 'BAD_FRAME'],
        ['bogus', [new Uint8Array([0x80])], 'BAD_EVENT'],
        ['welcome', [encodeMessage('welcome', MESSAGES.welcome)], 'BAD_EVENT'],
        ['update', [new Uint8Array([0x85, 0xa7])], 'BAD_MSGPACK'],
        ['update', [encodeMessage('ack', { roundId: 1 })], 'BAD_SCHEMA'],
      ];
      for (const [event, args, code] of cases) {
        const error = next(socket, 'error');
        raw.emit(event, ...args);
        expect(await error).toMatchObject({ ok: true, event: 'error', msg: { code, fatal: false } });
      }
      expect(socket.connected).toBe(true);
      const welcome = next(socket, 'welcome');
      socket.emit('hello', encodeMessage('hello', MESSAGES.hello));
      expect((await welcome).ok).toBe(true);
    } finally {
      socket.close();
    }
  });
});
