import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  AdminConnectError,
  type AdminServerToClientEvents,
} from '@fedzip/protocol';
import type { Namespace, Socket } from 'socket.io';
import { ExperimentHost } from '../experiments/experiment-host.js';
import type { Clock } from '../rounds/clock.js';
import { CLOCK, COORDINATOR_OPTIONS, type CoordinatorServerOptions } from '../setup/tokens.js';
import { AdminFeed } from './admin-feed.js';
import { adminTokenMatches } from './admin-token.js';

/** Admin sockets open at once; more are refused with {@link AdminConnectError.TooMany}. */
export const MAX_ADMIN_SOCKETS = 16;

type AdminNs = Namespace<AdminClientToServerEvents, AdminServerToClientEvents>;
type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents>;

const room = (experimentId: string) => `experiment:${experimentId}`;

/**
 * The read-only admin channel on Socket.IO namespace `/admin` (docs/dashboard.md). A handshake
 * must carry `auth: { token }` equal to the coordinator's admin token (compared in constant time)
 * before anything is sent, and may name the experiment to watch (`auth.experimentId`; default:
 * the one hosted last). The socket then gets a `snapshot` and every later change as events.
 * Nothing the admin side sends is read. At most {@link MAX_ADMIN_SOCKETS} sockets at once.
 */
@WebSocketGateway({ namespace: ADMIN_NAMESPACE })
export class AdminGateway
  implements OnGatewayInit<AdminNs>, OnGatewayConnection<AdminSocket>, OnModuleDestroy
{
  private readonly log = new Logger('AdminGateway');
  private ns: AdminNs | null = null;
  private readonly feeds = new Map<string, AdminFeed>();
  private readonly off: () => void;

  constructor(
    @Inject(COORDINATOR_OPTIONS) private readonly options: CoordinatorServerOptions,
    @Inject(CLOCK) clock: Clock,
    private readonly host: ExperimentHost,
  ) {
    this.off = host.onAdded((runtime) => {
      const id = runtime.id;
      const feed = new AdminFeed(
        runtime,
        clock,
        (event, ...args) => this.ns?.to(room(id)).emit(event, ...args),
        () => (this.ns?.adapter.rooms.get(room(id))?.size ?? 0) > 0,
      );
      this.feeds.set(id, feed);
    });
  }

  /** Installs the handshake check: token first, then the socket bound, then the experiment. */
  afterInit(ns: AdminNs): void {
    this.ns = ns;
    ns.use((socket, next) => {
      const raw: unknown = socket.handshake.auth;
      const auth = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      if (!adminTokenMatches(this.options.adminToken, auth['token'])) {
        this.log.warn(`admin handshake refused from ${socket.handshake.address}: bad token`);
        return next(new Error(AdminConnectError.Unauthorized));
      }
      if (ns.sockets.size >= MAX_ADMIN_SOCKETS) return next(new Error(AdminConnectError.TooMany));
      const wanted = typeof auth['experimentId'] === 'string' ? auth['experimentId'] : undefined;
      const id = wanted ?? this.host.list().at(-1)?.id;
      if (id === undefined || !this.feeds.has(id))
        return next(new Error(AdminConnectError.UnknownExperiment));
      (socket.data as { experimentId?: string }).experimentId = id;
      next();
    });
  }

  /** A socket passed the handshake: it joins its experiment's room and gets the full state. */
  handleConnection(socket: AdminSocket): void {
    const id = (socket.data as { experimentId?: string }).experimentId;
    const feed = id === undefined ? undefined : this.feeds.get(id);
    if (!feed || id === undefined) return void socket.disconnect(true);
    void socket.join(room(id));
    socket.emit('snapshot', feed.snapshot());
  }

  /** The dashboard's view of a hosted experiment (tests and the REST API use it too). */
  snapshot(experimentId: string) {
    return this.feeds.get(experimentId)?.snapshot();
  }

  onModuleDestroy(): void {
    this.off();
    for (const feed of this.feeds.values()) feed.close();
  }
}
