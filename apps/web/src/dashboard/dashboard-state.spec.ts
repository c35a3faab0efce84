import { describe, expect, it } from '@jest/globals';
import { type AdminSnapshot, type RoundRecord, totalsOf } from '@fedzip/protocol';
import {
  applyAdminEvent,
  configLines,
  displayedRound,
  latestAccuracy,
  tokenFromHash,
} from './dashboard-state.js';

function record(round: number, over: Partial<RoundRecord> = {}): RoundRecord {
  return {
    round,
    version: round,
    status: 'completed',
    attempts: 1,
    selected: 3,
    reported: 3,
    accepted: 3,
    dropped: 0,
    rejected: {},
    uplinkBytes: 100,
    denseUplinkBytes: 800,
    downlinkBytes: 200,
    denseDownlinkBytes: 800,
    aggregateMs: 1,
    roundMs: 5,
    accuracy: 0.5 + round / 100,
    loss: 1,
    meanTrainLoss: null,
    ...over,
  };
}

const snapshot: AdminSnapshot = {
  experiment: { id: 'e-1', name: 'e', rounds: 5, config: { rounds: 5 } },
  status: 'waiting',
  current: null,
  clients: { connected: 2, selected: 0, reported: 0, dropped: 0 },
  records: [],
  totals: totalsOf([]),
  serverTime: 0,
};

describe('applyAdminEvent', () => {
  it('ignores events before the snapshot, and a snapshot replaces the state', () => {
    expect(applyAdminEvent(null, { type: 'clients', data: snapshot.clients })).toBeNull();
    expect(applyAdminEvent(null, { type: 'snapshot', data: snapshot })).toBe(snapshot);
  });

  it('follows a round from open to close to the end', () => {
    let s = applyAdminEvent(snapshot, {
      type: 'round-opened',
      data: { round: 1, attempt: 1, version: 0, deadline: 1000, selected: 3 },
    })!;
    expect(s.status).toBe('running');
    expect(s.current).toEqual({ round: 1, attempt: 1, version: 0, deadline: 1000 });
    expect(s.clients).toEqual({ connected: 2, selected: 3, reported: 0, dropped: 0 });
    expect(displayedRound(s)).toBe(1);

    s = applyAdminEvent(s, {
      type: 'progress',
      data: { round: 1, clients: { connected: 2, selected: 3, reported: 2, dropped: 1 } },
    })!;
    expect(s.clients.reported).toBe(2);

    const r1 = record(1);
    s = applyAdminEvent(s, { type: 'round-closed', data: { record: r1, totals: totalsOf([r1]) } })!;
    expect(s.current).toBeNull();
    expect(s.records).toEqual([r1]);
    expect(s.totals.uplinkBytes).toBe(100);
    expect(displayedRound(s)).toBe(1);

    s = applyAdminEvent(s, { type: 'finished', data: { status: 'failed', rounds: 1, reason: 'stopped' } })!;
    expect(s).toMatchObject({ status: 'failed', reason: 'stopped', current: null });
    s = applyAdminEvent(s, { type: 'finished', data: { status: 'completed', rounds: 1 } })!;
    expect(s.reason).toBeUndefined();
  });

  it('does not mutate the previous state', () => {
    const before = JSON.stringify(snapshot);
    applyAdminEvent(snapshot, { type: 'round-closed', data: { record: record(1), totals: totalsOf([]) } });
    expect(JSON.stringify(snapshot)).toBe(before);
  });
});

describe('displayedRound and latestAccuracy', () => {
  it('skip failed attempts', () => {
    const records = [record(1), record(2, { status: 'failed', accuracy: null })];
    expect(displayedRound({ ...snapshot, records })).toBe(1);
    expect(latestAccuracy(records)).toBe(0.51);
    expect(latestAccuracy([])).toBeNull();
    expect(latestAccuracy([record(1, { accuracy: null })])).toBeNull();
  });
});

describe('tokenFromHash', () => {
  it('reads #token=…, decoding it', () => {
    expect(tokenFromHash('#token=abc')).toBe('abc');
    expect(tokenFromHash('#x=1&token=a%20b%26c')).toBe('a b&c');
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});

describe('configLines', () => {
  it('renders nested config as YAML-like lines', () => {
    expect(
      configLines({
        name: 'mnist',
        rounds: 3,
        model: { student: { kind: 'mlp', hidden: [64, 32] } },
        empty: {},
        path: 'a b',
        list: [{ a: 1 }, { b: 2 }],
        none: null,
      }),
    ).toEqual([
      'name: mnist',
      'rounds: 3',
      'model:',
      '  student:',
      '    kind: mlp',
      '    hidden: [64, 32]',
      'empty: {}',
      'path: "a b"',
      'list:',
      '  - a: 1',
      '  - b: 2',
      'none: null',
    ]);
  });
});
