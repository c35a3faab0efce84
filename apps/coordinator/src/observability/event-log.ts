/**
 * One structured log line per experiment event that matters: a client joined or left, a round
 * opened or closed, an update was accepted or rejected (with its code and reason), the experiment
 * finished. Field names are stable (see docs/observability.md); the message is for humans.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ExperimentEventMap } from '../events/experiment-events.js';

/** The name of an experiment event. */
export type ExperimentEventName = keyof ExperimentEventMap;

/** What one event becomes in the log. */
export interface EventLogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  /** Structured fields; `event` is always the event's name. */
  readonly fields: { readonly event: ExperimentEventName } & Readonly<Record<string, unknown>>;
}

/** A line before `event` is added to its fields. */
type Described = Omit<EventLogLine, 'fields'> & { fields: Record<string, unknown> };

type Describers = { [E in ExperimentEventName]: (...args: ExperimentEventMap[E]) => Described };

/** Milliseconds to 3 decimals, so lines stay readable. */
const ms = (x: number): number => Math.round(x * 1000) / 1000;

const describers: Describers = {
  'client-joined': (e) => ({
    level: 'info',
    msg: `client ${e.clientId} joined`,
    fields: { clientId: e.clientId, connected: e.connected, runtime: e.runtime, heldVersion: e.heldVersion },
  }),
  'client-left': (e) => ({
    level: 'info',
    msg: `client ${e.clientId} left`,
    fields: { clientId: e.clientId, connected: e.connected },
  }),
  'round-opened': (e) => ({
    level: 'info',
    msg: `round ${e.round} opened${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
    fields: {
      round: e.round,
      roundId: e.roundId,
      attempt: e.attempt,
      selected: e.selected,
      version: e.version,
    },
  }),
  'update-accepted': (e) => ({
    level: 'info',
    msg: `update from ${e.clientId} accepted`,
    fields: {
      round: e.round,
      clientId: e.clientId,
      bytes: e.bytes,
      decodeMs: ms(e.decodeMs),
      accepted: e.accepted,
      selected: e.selected,
    },
  }),
  'update-rejected': (e) => ({
    level: 'warn',
    msg: `update from ${e.clientId} rejected: ${e.code}: ${e.reason}`,
    fields: { round: e.round, clientId: e.clientId, code: e.code, reason: e.reason },
  }),
  'round-closed': (r) => ({
    level: r.status === 'completed' ? 'info' : 'warn',
    msg: `round ${r.round} ${r.status}${r.reason === undefined ? '' : `: ${r.reason}`}`,
    fields: {
      round: r.round,
      attempt: r.attempts,
      status: r.status,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
      version: r.version,
      selected: r.selected,
      reported: r.reported,
      accepted: r.accepted,
      dropped: r.dropped,
      rejected: r.rejected,
      uplinkBytes: r.uplinkBytes,
      downlinkBytes: r.downlinkBytes,
      aggregateMs: ms(r.aggregateMs),
      roundMs: ms(r.roundMs),
      accuracy: r.accuracy,
      loss: r.loss,
    },
  }),
  finished: (e) => ({
    level: e.status === 'completed' ? 'info' : 'warn',
    msg: `experiment ${e.status} after ${e.rounds} rounds${e.reason === undefined ? '' : `: ${e.reason}`}`,
    fields: { rounds: e.rounds, status: e.status, ...(e.reason === undefined ? {} : { reason: e.reason }) },
  }),
};

/** The events the log subscribes to, in no particular order. */
export const LOGGED_EVENTS = Object.keys(describers) as readonly ExperimentEventName[];

/** Maps one experiment event to its log line (pure: for tests and for {@link EventLog}). */
export function eventLogLine<E extends ExperimentEventName>(
  event: E,
  ...args: ExperimentEventMap[E]
): EventLogLine {
  const d = (describers[event] as (...a: ExperimentEventMap[E]) => Described)(...args);
  return { level: d.level, msg: d.msg, fields: { event, ...d.fields } };
}

/**
 * Writes {@link eventLogLine}s for every event of an experiment's bus to a pino logger, each line
 * carrying `experimentId`. {@link close} unsubscribes.
 */
export class EventLog {
  private readonly log: Logger;
  private readonly off: (() => void)[] = [];

  constructor(events: EventEmitter<ExperimentEventMap>, logger: Logger, experimentId: string) {
    this.log = logger.child({ experimentId });
    const bus = events as unknown as EventEmitter;
    for (const event of LOGGED_EVENTS) {
      const handler = (...args: unknown[]): void => this.write(event, args);
      bus.on(event, handler);
      this.off.push(() => bus.off(event, handler));
    }
  }

  /** Stops logging. */
  close(): void {
    for (const off of this.off.splice(0)) off();
  }

  private write(event: ExperimentEventName, args: unknown[]): void {
    const line = eventLogLine(event, ...(args as ExperimentEventMap[typeof event]));
    if (this.log.isLevelEnabled(line.level)) this.log[line.level](line.fields, line.msg);
  }
}
