import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type ErrorCode,
  type EventName,
  PROTOCOL_VERSION,
  type ProtocolLimits,
  decodeMessage,
  encodeMessage,
} from '@fedzip/protocol';
import type { Socket } from 'socket.io';
import { ClientRegistry } from '../clients/client-registry.js';
import { Messenger } from '../clients/messenger.js';
import { ExperimentEvents } from '../events/experiment-events.js';
import { RoundRunner } from '../rounds/round-runner.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import { EXPERIMENT_SETUP, PROTOCOL_LIMITS } from '../setup/tokens.js';

/** A socket that has not said `hello` within this time is disconnected. */
const JOIN_TIMEOUT_MS = 15_000;

/**
 * The clients' Socket.IO endpoint: `hello` joins (version and token checked, then `welcome` and
 * the model), `update` goes to the round runner. Every inbound frame is decoded and validated by
 * `@fedzip/protocol` before it touches state; a bad frame is answered with `error` and the
 * connection and the round go on.
 */
@WebSocketGateway()
export class FederationGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly architecture: string;

  constructor(
    @Inject(EXPERIMENT_SETUP) private readonly setup: ExperimentSetup,
    @Inject(PROTOCOL_LIMITS) private readonly limits: ProtocolLimits,
    private readonly registry: ClientRegistry,
    private readonly messenger: Messenger,
    private readonly runner: RoundRunner,
    private readonly events: ExperimentEvents,
  ) {
    this.architecture = JSON.stringify(setup.architecture);
  }

  handleConnection(socket: Socket): void {
    const timer = setTimeout(() => {
      if (!this.registry.forSocket(socket.id)) {
        this.fail(socket, 'NOT_JOINED', `no hello within ${JOIN_TIMEOUT_MS} ms`, null, true);
      }
    }, JOIN_TIMEOUT_MS);
    socket.once('disconnect', () => clearTimeout(timer));
  }

  handleDisconnect(socket: Socket): void {
    const s = this.registry.leave(socket.id);
    if (!s) return;
    this.runner.onLeft(s.clientId);
    this.events.emit('client-left', { clientId: s.clientId, connected: this.registry.size });
  }

  @SubscribeMessage('hello')
  onHello(@ConnectedSocket() socket: Socket, @MessageBody() frame: unknown): void {
    const decoded = decodeMessage('hello', frame, this.limits);
    if (!decoded.ok)
      return this.fail(socket, decoded.code, decoded.reason, 'hello', decoded.code === 'BAD_VERSION');
    const hello = decoded.msg;
    if (this.runner.finished)
      return this.fail(socket, 'NOT_ACCEPTING', 'the experiment has finished', 'hello', true);
    if (this.setup.joinToken !== '' && hello.token !== this.setup.joinToken) {
      return this.fail(
        socket,
        'UNAUTHENTICATED',
        'the join token is not valid for this experiment',
        'hello',
        true,
      );
    }
    if (this.registry.forSocket(socket.id))
      return this.fail(socket, 'ALREADY_JOINED', 'this connection has joined', 'hello', false);
    const session = {
      clientId: hello.clientId,
      socket,
      runtime: hello.capabilities.runtime,
      heldVersion: hello.modelVersion,
      joinedAt: Date.now(),
      bytesIn: 0,
      bytesOut: 0,
    };
    const old = this.registry.join(session);
    if (old && old.socket.id !== socket.id) old.socket.disconnect(true);
    this.messenger.send(session, 'welcome', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: hello.clientId,
      experimentId: this.setup.id,
      architecture: this.architecture,
      limits: this.limits,
    });
    this.events.emit('client-joined', {
      clientId: hello.clientId,
      connected: this.registry.size,
      runtime: hello.capabilities.runtime,
      heldVersion: hello.modelVersion,
    });
    this.runner.onJoined(session);
  }

  @SubscribeMessage('update')
  onUpdate(@ConnectedSocket() socket: Socket, @MessageBody() frame: unknown): void {
    const session = this.registry.forSocket(socket.id);
    if (!session) return this.fail(socket, 'NOT_JOINED', 'send hello first', 'update', false);
    this.runner.onUpdate(session, frame);
  }

  @SubscribeMessage('eval-result')
  onEvalResult(@ConnectedSocket() socket: Socket): void {
    this.fail(socket, 'UNKNOWN_REQUEST', 'no evaluation was requested', 'eval-result', false);
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
