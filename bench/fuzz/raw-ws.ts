/**
 * A deliberately minimal WebSocket client over `node:net` (RFC 6455, client side): enough to open
 * Engine.IO's WebSocket transport and then send any frame at all, well-formed or not. The fuzzer
 * uses it for raw junk on the Socket.IO transport, which a real client library refuses to send.
 */
import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';

/** Frame options of {@link RawWebSocket.frame}. */
export interface FrameOptions {
  /** Mask the payload, as a client must (default true). */
  readonly mask?: boolean;
  readonly fin?: boolean;
  /** Claim this payload length instead of the real one (a length that lies). */
  readonly claimLength?: number;
}

/** A raw WebSocket connection to a coordinator. */
export class RawWebSocket {
  closed = false;
  /** Bytes received (frames are not parsed: the fuzzer only needs the server to stay up). */
  received = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received += d.length));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  /** Opens `ws://host:port<path>`; rejects when the server does not switch protocols. */
  static open(
    url: string,
    path = '/socket.io/?EIO=4&transport=websocket',
    timeoutMs = 5000,
  ): Promise<RawWebSocket> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let head = '';
      const timer = setTimeout(() => fail(new Error('no upgrade')), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      socket.once('error', fail);
      socket.on('connect', () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        ),
      );
      const onData = (d: Buffer) => {
        head += d.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        clearTimeout(timer);
        socket.off('error', fail);
        if (!head.startsWith('HTTP/1.1 101')) return fail(new Error(head.split('\r\n')[0] ?? 'refused'));
        resolve(new RawWebSocket(socket));
      };
      socket.on('data', onData);
    });
  }

  /** Sends one frame of `opcode` (1 text, 2 binary, 8 close, 9 ping, others invalid). */
  frame(opcode: number, payload: Uint8Array, o: FrameOptions = {}): void {
    if (this.closed) return;
    const mask = o.mask ?? true;
    const len = o.claimLength ?? payload.length;
    const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | (opcode & 0x0f)];
    const m = mask ? 0x80 : 0;
    if (len < 126) head.push(m | len);
    else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
    else {
      head.push(m | 127);
      const big = BigInt(len);
      for (let i = 7; i >= 0; i--) head.push(Number((big >> BigInt(8 * i)) & 0xffn));
    }
    let body = payload;
    if (mask) {
      const key = randomBytes(4);
      head.push(...key);
      body = new Uint8Array(payload.length);
      for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ key[i & 3]!;
    }
    this.socket.write(Buffer.concat([Buffer.from(head), body]));
  }

  text(s: string, o?: FrameOptions): void {
    this.frame(1, Buffer.from(s, 'utf8'), o);
  }

  binary(b: Uint8Array, o?: FrameOptions): void {
    this.frame(2, b, o);
  }

  /** Raw bytes on the TCP stream, outside any frame. */
  junk(b: Uint8Array): void {
    if (!this.closed) this.socket.write(b);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
