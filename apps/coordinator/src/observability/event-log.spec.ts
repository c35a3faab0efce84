import { describe, expect, it } from '@jest/globals';
import type { RoundRecord } from '@fedzip/protocol';
import { ExperimentEvents } from '../events/experiment-events.js';
import { EventLog, LOGGED_EVENTS, eventLogLine } from './event-log.js';
import { type LogLevelName, createCoordinatorLogger, envLogLevel, parseLogLevel } from './logger.js';

/** A logger writing into an array of parsed JSON lines, as a pino destination stream. */
function capture(level: LogLevelName) {
  const lines: Record<string, unknown>[] = [];
  const logger = createCoordinatorLogger({
    level,
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  });
  return { lines, logger };
}

const record: RoundRecord = {
  round: 3,
  version: 3,
  status: 'failed',
  reason: 'only 1 of 2 required updates',
  attempts: 2,
  selected: 4,
  reported: 2,
  accepted: 1,
  dropped: 2,
  rejected: { NON_FINITE: 1 },
  uplinkBytes: 1200,
  denseUplinkBytes: 8000,
  downlinkBytes: 900,
  denseDownlinkBytes: 16000,
  aggregateMs: 0,
  roundMs: 30000.123456,
  accuracy: null,
  loss: null,
  meanTrainLoss: 0.7,
};

/** Emits one of every event on `events`. */
function emitAll(events: ExperimentEvents): void {
  events.emit('client-joined', { clientId: 'c1', connected: 1, runtime: 'browser', heldVersion: null });
  events.emit('round-opened', { round: 3, roundId: 7, attempt: 2, selected: 4, version: 2 });
  events.emit('update-accepted', {
    round: 3,
    clientId: 'c1',
    bytes: 600,
    decodeMs: 1.23456,
    encodeMs: 2.5,
    accepted: 1,
    selected: 4,
  });
  events.emit('update-rejected', { round: 3, clientId: 'c2', code: 'NON_FINITE', reason: 'NaN at index 5' });
  events.emit('round-closed', record);
  events.emit('client-left', { clientId: 'c1', connected: 0 });
  events.emit('finished', { rounds: 2, status: 'failed', reason: 'round 3 failed 2 times' });
}

describe('event log', () => {
  it('writes exactly one JSON line per event, with stable fields and the experiment id', () => {
    const { lines, logger } = capture('info');
    const events = new ExperimentEvents();
    const log = new EventLog(events, logger, 'exp-1');
    emitAll(events);
    expect(lines.map((l) => l['event'])).toEqual([
      'client-joined',
      'round-opened',
      'update-accepted',
      'update-rejected',
      'round-closed',
      'client-left',
      'finished',
    ]);
    for (const l of lines) {
      expect(l).toMatchObject({ name: 'fedzip', experimentId: 'exp-1', msg: expect.any(String) });
      expect(typeof l['time']).toBe('string'); // ISO timestamps
    }
    const [joined, opened, accepted, rejected, closed, left, finished] = lines;
    expect(joined).toMatchObject({
      level: 'info',
      clientId: 'c1',
      connected: 1,
      runtime: 'browser',
      heldVersion: null,
    });
    expect(opened).toMatchObject({
      level: 'info',
      round: 3,
      roundId: 7,
      attempt: 2,
      selected: 4,
      version: 2,
    });
    expect(opened!['msg']).toBe('round 3 opened (attempt 2)');
    expect(accepted).toMatchObject({ level: 'info', round: 3, clientId: 'c1', bytes: 600, decodeMs: 1.235 });
    expect(rejected).toMatchObject({
      level: 'warn',
      round: 3,
      clientId: 'c2',
      code: 'NON_FINITE',
      reason: 'NaN at index 5',
      msg: 'update from c2 rejected: NON_FINITE: NaN at index 5',
    });
    expect(closed).toMatchObject({
      level: 'warn',
      round: 3,
      attempt: 2,
      status: 'failed',
      reason: 'only 1 of 2 required updates',
      accepted: 1,
      dropped: 2,
      rejected: { NON_FINITE: 1 },
      uplinkBytes: 1200,
      downlinkBytes: 900,
      roundMs: 30000.123,
      accuracy: null,
    });
    expect(left).toMatchObject({ level: 'info', clientId: 'c1', connected: 0 });
    expect(finished).toMatchObject({
      level: 'warn',
      rounds: 2,
      status: 'failed',
      reason: 'round 3 failed 2 times',
    });
    log.close();
  });

  it('honours the level, and close() unsubscribes', () => {
    const { lines, logger } = capture('warn');
    const events = new ExperimentEvents();
    const log = new EventLog(events, logger, 'exp-2');
    emitAll(events);
    expect(lines.map((l) => l['event'])).toEqual(['update-rejected', 'round-closed', 'finished']);
    log.close();
    for (const e of LOGGED_EVENTS) expect(events.listenerCount(e)).toBe(0);
    emitAll(events);
    expect(lines).toHaveLength(3);
  });

  it('maps a completed round to info, without a reason field', () => {
    const line = eventLogLine('round-closed', {
      ...record,
      status: 'completed',
      reason: undefined,
      accuracy: 0.9,
    } as never);
    expect(line.level).toBe('info');
    expect(line.fields).toMatchObject({ event: 'round-closed', status: 'completed', accuracy: 0.9 });
    expect('reason' in line.fields).toBe(false);
    expect(line.msg).toBe('round 3 completed');
  });

  it('covers every event of the experiment bus', () => {
    expect([...LOGGED_EVENTS].sort()).toEqual(
      [
        'client-joined',
        'client-left',
        'finished',
        'round-closed',
        'round-opened',
        'update-accepted',
        'update-rejected',
      ].sort(),
    );
  });
});

describe('log levels', () => {
  it('parses level names and refuses others with a readable message', () => {
    expect(parseLogLevel('warn')).toBe('warn');
    expect(parseLogLevel(' DEBUG ')).toBe('debug');
    expect(parseLogLevel('silent')).toBe('silent');
    expect(() => parseLogLevel('verbose')).toThrow(
      'LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
    );
  });

  it('reads LOG_LEVEL, treating unset and empty as absent', () => {
    expect(envLogLevel({})).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: '' })).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: 'error' })).toBe('error');
    expect(() => envLogLevel({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
