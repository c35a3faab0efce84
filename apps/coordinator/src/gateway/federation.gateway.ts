import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  DEFAULT_LIMITS,
  type ErrorCode,
  type EventName,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
} from '@fedzip/protocol';
import type { Socket } from 'socket.io';
import { ExperimentHost } from '../experiments/experiment-host.js';
import type { ExperimentRuntime } from '../experiments/experiment-runtime.js';

/** A socket that has not said `hello` within this time is disconnected. */
const JOIN_TIMEOUT_MS = 15_000;

/**
 * The clients' Socket.IO endpoint: `hello` joins the experiment its token admits to (version and
 * token checked, then `welcome` and the model), `update` goes to that experiment's round runner.
 * Every inbound frame is decoded and validated by `@fedzip/protocol` before it touches state; a
 * bad frame is answered with `error` and the connection and the round go on.
 */
@WebSocketGateway()
export class FederationGateway implements OnGatewayConnection, OnGatewayDisconnect {
  /** The experiment each joined socket belongs to. */
  private readonly joined = new Map<string, ExperimentRuntime>();
  private readonly architectures = new WeakMap<ExperimentRuntime, string>();

  constructor(private readonly host: ExperimentHost) {}

  handleConnection(socket: Socket): void {
    let timer: ReturnType<typeof setTimeout>;
    const arm = () =>
      (timer = setTimeout(() => {
        if (this.joined.has(socket.id)) return;
        // While the coordinator restores its experiments, a waiting hello is not the client's fault.
        if (this.host.holding) return void arm();
        this.fail(socket, 'NOT_JOINED', `no hello within ${JOIN_TIMEOUT_MS} ms`, null, true);
      }, JOIN_TIMEOUT_MS));
    arm();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  handleDisconnect(socket: Socket): void {
    const x = this.joined.get(socket.id);
    if (!x) return;
    this.joined.delete(socket.id);
    const s = x.registry.leave(socket.id);
    if (!s) return;
    x.runner.onLeft(s.clientId);
    x.events.emit('client-left', { clientId: s.clientId, connected: x.registry.size });
  }

  @SubscribeMessage('hello')
  async onHello(@ConnectedSocket() socket: Socket, @MessageBody() frame: unknown): Promise<void> {
    if (this.host.holding) {
      await this.host.whenReady();
      if (socket.disconnected) return;
    }
    this.hello(socket, frame);
  }

  private hello(socket: Socket, frame: unknown): void {
    // A hello is a control frame: the default limits bound it before any experiment is known.
    const decoded = decodeMessage('hello', frame, DEFAULT_LIMITS);
    if (!decoded.ok)
      return this.fail(socket, decoded.code, decoded.reason, 'hello', decoded.code === 'BAD_VERSION');
    const hello = decoded.msg;
    if (this.joined.has(socket.id))
      return this.fail(socket, 'ALREADY_JOINED', 'this connection has joined', 'hello', false);
    const admission = this.host.admit(hello.token, hello.clientId);
    if (!admission.ok) return this.fail(socket, 'UNAUTHENTICATED', admission.reason, 'hello', true);
    const x = admission.runtime;
    if (x.runner.finished)
      return this.fail(socket, 'NOT_ACCEPTING', 'the experiment has finished', 'hello', true);
    const session = {
      clientId: hello.clientId,
      socket,
      runtime: hello.capabilities.runtime,
      heldVersion: hello.modelVersion,
      joinedAt: Date.now(),
      bytesIn: 0,
      bytesOut: 0,
    };
    const old = x.registry.join(session);
    this.joined.set(socket.id, x);
    if (old && old.socket.id !== socket.id) {
      this.joined.delete(old.socket.id);
      old.socket.disconnect(true);
    }
    x.messenger.send(session, 'welcome', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: hello.clientId,
      experimentId: x.id,
      architecture: this.architectureOf(x),
      limits: x.limits,
    });
    x.events.emit('client-joined', {
      clientId: hello.clientId,
      connected: x.registry.size,
      runtime: hello.capabilities.runtime,
      heldVersion: hello.modelVersion,
    });
    x.runner.onJoined(session);
  }

  @SubscribeMessage('update')
  onUpdate(@ConnectedSocket() socket: Socket, @MessageBody() frame: unknown): void {
    const x = this.joined.get(socket.id);
    const session = x?.registry.forSocket(socket.id);
    if (!x || !session) return this.fail(socket, 'NOT_JOINED', 'send hello first', 'update', false);
    x.runner.onUpdate(session, frame);
  }

  @SubscribeMessage('eval-result')
  onEvalResult(@ConnectedSocket() socket: Socket): void {
    this.fail(socket, 'UNKNOWN_REQUEST', 'no evaluation was requested', 'eval-result', false);
  }

  private architectureOf(x: ExperimentRuntime): string {
    let a = this.architectures.get(x);
    if (a === undefined) this.architectures.set(x, (a = JSON.stringify(x.setup.architecture)));
    return a;
  }

  private fail(
    socket: Socket,
    code: ErrorCode,
    message: string,
    event: EventName | null,
    fatal: boolean,
  ): void {
    socket.emit('error', encodeMessage('error', { code, message, event, fatal }));
    if (fatal) socket.disconnect(true);
  }
}
