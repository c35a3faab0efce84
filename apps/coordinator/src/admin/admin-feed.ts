import {
  type AdminClientCounts,
  type AdminOpenRound,
  type AdminServerToClientEvents,
  type AdminSnapshot,
  type ExperimentStatus,
  type RoundRecord,
  totalsOf,
} from '@fedzip/protocol';
import type { ExperimentEventMap, ExperimentEvents } from '../events/experiment-events.js';
import type { ExperimentRuntime } from '../experiments/experiment-runtime.js';
import type { Clock } from '../rounds/clock.js';

/** Client-count pushes are coalesced to at most one per this many milliseconds. */
export const ADMIN_COUNTS_INTERVAL_MS = 100;

/** Where a feed's events go: the Socket.IO room of its experiment. */
export type AdminEmit = <E extends keyof AdminServerToClientEvents>(
  event: E,
  ...args: Parameters<AdminServerToClientEvents[E]>
) => void;

/**
 * What the dashboard shows of one hosted experiment: its records (from the start, resumed ones
 * included), status, open round and client counts, kept up to date from its events and pushed
 * to the admin sockets watching it.
 */
export class AdminFeed {
  private readonly records: RoundRecord[];
  private status: ExperimentStatus = 'waiting';
  private reason: string | undefined;
  private opened: (AdminOpenRound & { selected: number }) | null = null;
  private readonly config: Readonly<Record<string, unknown>>;
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  private countsDirty = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly runtime: ExperimentRuntime,
    private readonly clock: Clock,
    private readonly emit: AdminEmit,
    /** Whether anyone watches (pushes are skipped otherwise). */
    private readonly watched: () => boolean,
  ) {
    this.records = [...runtime.history];
    this.config = publicConfig(runtime.setup.config);
    const events = runtime.events;
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
      const open = this.runtime.runner.current;
      this.opened = {
        round: e.round,
        attempt: e.attempt,
        version: e.version,
        deadline: open ? this.epochOf(open.round.deadline) : Date.now(),
        selected: e.selected,
      };
      this.emit('round-opened', this.opened);
      this.countsChanged();
    });
    on('round-closed', (record) => {
      this.opened = null;
      this.records.push(record);
      this.emit('round-closed', { record, totals: totalsOf(this.records) });
      this.countsChanged();
    });
    on('finished', (end) => {
      this.status = end.status;
      this.reason = end.reason;
      this.opened = null;
      this.emit('finished', end);
      this.flushCounts();
    });
  }

  /** The full state of the experiment as the dashboard shows it. */
  snapshot(): AdminSnapshot {
    const { setup } = this.runtime;
    return {
      experiment: { id: setup.id, name: setup.config.name, rounds: setup.config.rounds, config: this.config },
      status: this.status,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      current: this.opened,
      clients: this.counts(),
      records: [...this.records],
      totals: totalsOf(this.records),
      serverTime: Date.now(),
    };
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.countsTimer = null;
  }

  /**
   * Connected clients, and selected/reported/dropped of the open round (between rounds: of the
   * last closed attempt).
   */
  private counts(): AdminClientCounts {
    const connected = this.runtime.registry.size;
    const open = this.runtime.runner.current;
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
    if (!this.watched()) return;
    const clients = this.counts();
    if (this.opened) this.emit('progress', { round: this.opened.round, clients });
    else this.emit('clients', clients);
  }

  /** Converts a time on the injected clock to epoch milliseconds. */
  private epochOf(clockTime: number): number {
    return Date.now() + (clockTime - this.clock.now());
  }
}

/** The config as JSON, without secrets (`server.adminToken`). */
export function publicConfig(config: unknown): Readonly<Record<string, unknown>> {
  const copy = JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
  const server = copy['server'];
  if (typeof server === 'object' && server !== null) delete (server as Record<string, unknown>)['adminToken'];
  return copy;
}
