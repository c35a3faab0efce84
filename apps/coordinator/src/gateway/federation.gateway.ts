import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { Inject } from '@nestjs/common';
import {
  DEFAULT_LIMITS,
  type ErrorCode,
  type EventName,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  frameBytes,
  isClientEvent,
} from '@fedzip/protocol';
import type { Socket } from 'socket.io';
import { ExperimentHost } from '../experiments/experiment-host.js';
import type { ExperimentRuntime } from '../experiments/experiment-runtime.js';
import { COORDINATOR_OPTIONS, type CoordinatorServerOptions } from '../setup/tokens.js';
import { ConnectionLimiter, type RateLimitOptions, resolveRateLimit } from './rate-limit.js';

/** A socket that has not said `hello` within this time is disconnected. */
const JOIN_TIMEOUT_MS = 15_000;

/** What the gateway keeps per connection: its rate limits and the codes it was refused with. */
interface Guard {
  readonly limiter: ConnectionLimiter;
  readonly refused: Set<ErrorCode>;
}

/** An event name as a client sent it, made safe for a log line (any type, capped length). */
function showEvent(event: unknown): string {
  const s = typeof event === 'string' ? event : `<${event === null ? 'null' : typeof event}>`;
  // eslint-disable-next-line no-control-regex
  return (s.length > 40 ? `${s.slice(0, 40)}…` : s).replace(/[\u0000-\u001f\u007f]/g, '?');
}

/**
 * The clients' Socket.IO endpoint: `hello` joins the experiment its token admits to (version and
 * token checked, then `welcome` and the model), `update` goes to that experiment's round runner.
 *
 * Every inbound packet first passes the connection's guard (a Socket.IO middleware): the
 * connection's rate limits (see {@link ConnectionLimiter}: over them, the packet is dropped and
 * answered `error` `RATE_LIMITED`, at most once a second; a connection that keeps sending is closed
 * with a fatal `RATE_LIMITED`), then the event name (a client event, else `BAD_EVENT`) and the
 * argument count (exactly one, else `BAD_FRAME`). Then every frame is decoded and validated by
 * `@fedzip/protocol` before it touches state; a bad frame is answered with `error` and the
 * connection and the round go on. Every refusal is emitted on `ExperimentHost.sessions`, where
 * the metrics count it and the event log writes it.
 */
@WebSocketGateway()
export class FederationGateway implements OnGatewayConnection, OnGatewayDisconnect {
  /** The experiment each joined socket belongs to. */
  private readonly joined = new Map<string, ExperimentRuntime>();
  private readonly guards = new Map<string, Guard>();
  private readonly architectures = new WeakMap<ExperimentRuntime, string>();
  private readonly rateLimit: RateLimitOptions;

  constructor(
    private readonly host: ExperimentHost,
    @Inject(COORDINATOR_OPTIONS) options: CoordinatorServerOptions,
  ) {
    this.rateLimit = resolveRateLimit(
      options.rateLimit,
      options.maxFrameBytes ?? DEFAULT_LIMITS.maxUpdateBytes,
    );
  }

  handleConnection(socket: Socket): void {
    const guard: Guard = { limiter: new ConnectionLimiter(this.rateLimit, Date.now()), refused: new Set() };
    this.guards.set(socket.id, guard);
    socket.once('disconnect', () => this.guards.delete(socket.id));
    socket.use((packet, next) => {
      // Packets already buffered when the connection was closed: nothing to answer.
      if (socket.disconnected) return;
      const [event, ...args] = packet as unknown[];
      const bytes = args.reduce<number>(
        (n, a) => n + (frameBytes(a)?.length ?? (typeof a === 'string' ? a.length : 64)),
        0,
      );
      const rate = guard.limiter.admit(bytes, Date.now());
      if (rate.kind === 'disconnect') return this.fail(socket, 'RATE_LIMITED', rate.why, null, true);
      if (rate.kind === 'drop') return this.fail(socket, 'RATE_LIMITED', rate.why, null, false, rate.answer);
      if (!isClientEvent(event))
        return this.fail(
          socket,
          'BAD_EVENT',
          `unknown event ${JSON.stringify(showEvent(event))}`,
          null,
          false,
        );
      if (args.length !== 1)
        return this.fail(
          socket,
          'BAD_FRAME',
          `expected one binary argument, got ${args.length}`,
          event,
          false,
        );
      next();
    });
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
    // A hello of another version or shape is fatal (protocol.md): the client cannot join as it is.
    if (!decoded.ok) {
      const fatal = decoded.code === 'BAD_VERSION' || decoded.code === 'BAD_SCHEMA';
      return this.fail(socket, decoded.code, decoded.reason, 'hello', fatal);
    }
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

  /**
   * Answers `error` (unless `answer` is false), closes the connection if `fatal`, and reports the
   * refusal on `ExperimentHost.sessions`.
   */
  private fail(
    socket: Socket,
    code: ErrorCode,
    message: string,
    event: EventName | null,
    fatal: boolean,
    answer = true,
  ): void {
    // Read before disconnecting: the disconnect handlers forget the connection.
    const refused = this.guards.get(socket.id)?.refused;
    const first = !refused?.has(code);
    refused?.add(code);
    const x = this.joined.get(socket.id);
    const clientId = x?.registry.forSocket(socket.id)?.clientId ?? null;
    if (answer || fatal) socket.emit('error', encodeMessage('error', { code, message, event, fatal }));
    if (fatal) socket.disconnect(true);
    this.host.sessions.emit('frame-refused', {
      code,
      event,
      reason: message,
      fatal,
      answered: answer || fatal,
      socketId: socket.id,
      clientId,
      experiment: x?.id ?? null,
      first,
    });
  }
}
