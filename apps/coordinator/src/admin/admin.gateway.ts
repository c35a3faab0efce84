import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  ADMIN_NAMESPACE,
  type AdminClientCounts,
  type AdminClientToServerEvents,
  AdminConnectError,
  type AdminOpenRound,
  type AdminServerToClientEvents,
  type AdminSnapshot,
  type ExperimentStatus,
  type RoundRecord,
  totalsOf,
} from '@fedzip/protocol';
import type { Namespace, Socket } from 'socket.io';
import { ClientRegistry } from '../clients/client-registry.js';
import { ExperimentEvents, type ExperimentEventMap } from '../events/experiment-events.js';
import type { Clock } from '../rounds/clock.js';
import { RoundRunner } from '../rounds/round-runner.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import { CLOCK, EXPERIMENT_SETUP } from '../setup/tokens.js';
import { adminTokenMatches } from './admin-token.js';

/** Admin sockets open at once; more are refused with {@link AdminConnectError.TooMany}. */
export const MAX_ADMIN_SOCKETS = 16;
/** Client-count pushes are coalesced to at most one per this many milliseconds. */
export const ADMIN_COUNTS_INTERVAL_MS = 100;

type AdminNs = Namespace<AdminClientToServerEvents, AdminServerToClientEvents>;
type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents>;

/**
 * The read-only admin channel on Socket.IO namespace `/admin` (docs/dashboard.md). A handshake
 * must carry `auth: { token }` equal to the experiment's admin token (compared in constant time)
 * before anything is sent; then the socket gets a `snapshot` and every later change as events.
 * Nothing the admin side sends is read. At most {@link MAX_ADMIN_SOCKETS} sockets at once.
 */
@WebSocketGateway({ namespace: ADMIN_NAMESPACE })
export class AdminGateway
  implements OnGatewayInit<AdminNs>, OnGatewayConnection<AdminSocket>, OnModuleDestroy
{
  private readonly log = new Logger('AdminGateway');
  private ns: AdminNs | null = null;
  private readonly records: RoundRecord[] = [];
  private status: ExperimentStatus = 'waiting';
  private reason: string | undefined;
  private opened: (AdminOpenRound & { selected: number }) | null = null;
  private readonly config: Readonly<Record<string, unknown>>;
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  private countsDirty = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    @Inject(EXPERIMENT_SETUP) private readonly setup: ExperimentSetup,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: ClientRegistry,
    private readonly runner: RoundRunner,
    events: ExperimentEvents,
  ) {
    this.config = publicConfig(setup.config);
    const on = <K extends keyof ExperimentEventMap>(
      name: K,
      fn: (...args: ExperimentEventMap[K]) => void,
    ) => {
      const listener = fn as Parameters<ExperimentEvents['on']>[1];
      events.on(name, listener);
      this.unsubscribe.push(() => events.off(name, listener));
    };
    on('client-joined', () => this.countsChanged());
    on('client-left', () => this.countsChanged());
    on('update-accepted', () => this.countsChanged());
    on('update-rejected', () => this.countsChanged());
    on('round-opened', (e) => {
      this.status = 'running';
      const open = this.runner.current;
      this.opened = {
        round: e.round,
        attempt: e.attempt,
        version: e.version,
        deadline: open ? this.epochOf(open.round.deadline) : Date.now(),
        selected: e.selected,
      };
      this.ns?.emit('round-opened', this.opened);
      this.countsChanged();
    });
    on('round-closed', (record) => {
      this.opened = null;
      this.records.push(record);
      this.ns?.emit('round-closed', { record, totals: totalsOf(this.records) });
      this.countsChanged();
    });
    on('finished', (end) => {
      this.status = end.status;
      this.reason = end.reason;
      this.opened = null;
      this.ns?.emit('finished', end);
      this.flushCounts();
    });
  }

  /** Installs the handshake check: token first, then the socket bound. */
  afterInit(ns: AdminNs): void {
    this.ns = ns;
    ns.use((socket, next) => {
      const auth: unknown = socket.handshake.auth;
      const token =
        typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
      if (!adminTokenMatches(this.setup.adminToken, token)) {
        this.log.warn(`admin handshake refused from ${socket.handshake.address}: bad token`);
        return next(new Error(AdminConnectError.Unauthorized));
      }
      if (ns.sockets.size >= MAX_ADMIN_SOCKETS) return next(new Error(AdminConnectError.TooMany));
      next();
    });
  }

  /** A socket passed the handshake: it gets the full state. */
  handleConnection(socket: AdminSocket): void {
    socket.emit('snapshot', this.snapshot());
  }

  /** The full state of the experiment as the dashboard shows it. */
  snapshot(): AdminSnapshot {
    return {
      experiment: {
        id: this.setup.id,
        name: this.setup.config.name,
        rounds: this.setup.config.rounds,
        config: this.config,
      },
      status: this.status,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      current: this.opened,
      clients: this.counts(),
      records: [...this.records],
      totals: totalsOf(this.records),
      serverTime: Date.now(),
    };
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.countsTimer = null;
  }

  /**
   * Connected clients, and selected/reported/dropped of the open round (between rounds: of the
   * last closed attempt).
   */
  private counts(): AdminClientCounts {
    const connected = this.registry.size;
    const open = this.runner.current;
    if (open) {
      return {
        connected,
        selected: open.round.selected.size,
        reported: open.reported,
        dropped: open.round.droppedIds.length,
      };
    }
    const last = this.records.at(-1);
    return {
      connected,
      selected: last?.selected ?? 0,
      reported: last?.reported ?? 0,
      dropped: last?.dropped ?? 0,
    };
  }

  /** Coalesces count pushes (a round with many clients would otherwise push one per update). */
  private countsChanged(): void {
    this.countsDirty = true;
    if (this.countsTimer) return;
    this.flushCounts();
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null;
      if (this.countsDirty) this.flushCounts();
    }, ADMIN_COUNTS_INTERVAL_MS);
    this.countsTimer.unref?.();
  }

  private flushCounts(): void {
    this.countsDirty = false;
    if (!this.ns || this.ns.sockets.size === 0) return;
    const clients = this.counts();
    if (this.opened) this.ns.emit('progress', { round: this.opened.round, clients });
    else this.ns.emit('clients', clients);
  }

  /** Converts a time on the injected clock to epoch milliseconds. */
  private epochOf(clockTime: number): number {
    return Date.now() + (clockTime - this.clock.now());
  }
}

/** The config as JSON, without secrets (`server.adminToken`). */
function publicConfig(config: unknown): Readonly<Record<string, unknown>> {
  const copy = JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
  const server = copy['server'];
  if (typeof server === 'object' && server !== null) delete (server as Record<string, unknown>)['adminToken'];
  return copy;
}
