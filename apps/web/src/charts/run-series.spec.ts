import { describe, expect, it } from '@jest/globals';
import type { RoundRecord } from '@fedzip/protocol';
import { MB, compressionRatio, formatBytes, lastCompletedRound, runSeries } from './run-series.js';

function record(over: Partial<RoundRecord> & { round: number }): RoundRecord {
  return {
    version: over.round,
    status: 'completed',
    attempts: 1,
    selected: 2,
    reported: 2,
    accepted: 2,
    dropped: 0,
    rejected: {},
    uplinkBytes: 1000,
    denseUplinkBytes: 8000,
    downlinkBytes: 2000,
    denseDownlinkBytes: 8000,
    aggregateMs: 1,
    roundMs: 10,
    accuracy: 0.5,
    loss: 1,
    meanTrainLoss: 1,
    ...over,
  };
}

describe('runSeries', () => {
  it('gives empty columns for no records', () => {
    const s = runSeries([]);
    expect(s.perRound.round).toEqual([]);
    expect(s.perRound.accuracy).toEqual([]);
    expect(s.accuracyByUplink.uplinkMB).toEqual([]);
  });

  it('shapes one column per round with ratios dense / encoded', () => {
    const s = runSeries([
      record({ round: 1, accuracy: 0.4, loss: 2 }),
      record({ round: 2, accuracy: 0.6, loss: 1.5, uplinkBytes: 500, downlinkBytes: 4000 }),
    ]);
    expect(s.perRound.round).toEqual([1, 2]);
    expect(s.perRound.accuracy).toEqual([0.4, 0.6]);
    expect(s.perRound.loss).toEqual([2, 1.5]);
    expect(s.perRound.uplinkBytes).toEqual([1000, 500]);
    expect(s.perRound.downlinkBytes).toEqual([2000, 4000]);
    expect(s.perRound.uplinkRatio).toEqual([8, 16]);
    expect(s.perRound.downlinkRatio).toEqual([4, 2]);
  });

  it('merges attempts of a round: bytes add up, accuracy only from the completed attempt', () => {
    const s = runSeries([
      record({ round: 1, status: 'failed', reason: 'x', accuracy: null, loss: null, uplinkBytes: 300 }),
      record({ round: 1, attempts: 2, accuracy: 0.7, loss: 0.9, uplinkBytes: 700 }),
    ]);
    expect(s.perRound.round).toEqual([1]);
    expect(s.perRound.uplinkBytes).toEqual([1000]);
    expect(s.perRound.uplinkRatio).toEqual([16]);
    expect(s.perRound.accuracy).toEqual([0.7]);
  });

  it('never takes accuracy from a failed round, and leaves gaps for unevaluated rounds', () => {
    const s = runSeries([
      record({ round: 1, accuracy: null, loss: null }),
      record({ round: 2, status: 'failed', accuracy: 0.99, loss: 0.01 }),
      record({ round: 3, accuracy: 0.8, loss: Number.NaN }),
    ]);
    expect(s.perRound.accuracy).toEqual([null, null, 0.8]);
    expect(s.perRound.loss).toEqual([null, null, null]);
    expect(s.accuracyByUplink.round).toEqual([3]);
  });

  it('gives null ratios when nothing moved', () => {
    const s = runSeries([record({ round: 1, uplinkBytes: 0, denseUplinkBytes: 0, downlinkBytes: 0 })]);
    expect(s.perRound.uplinkRatio).toEqual([null]);
    expect(s.perRound.downlinkRatio).toEqual([null]);
  });

  it('plots accuracy against cumulative uplink MB, counting unevaluated and failed rounds', () => {
    const s = runSeries([
      record({ round: 3, uplinkBytes: 1_000_000, accuracy: 0.9 }),
      record({ round: 1, uplinkBytes: 2_000_000, accuracy: 0.5 }),
      record({ round: 2, uplinkBytes: 500_000, accuracy: null }),
      record({ round: 2, status: 'failed', uplinkBytes: 500_000, accuracy: null }),
    ]);
    expect(s.perRound.round).toEqual([1, 2, 3]);
    expect(s.accuracyByUplink.round).toEqual([1, 3]);
    expect(s.accuracyByUplink.uplinkMB).toEqual([2, 4]);
    expect(s.accuracyByUplink.accuracy).toEqual([0.5, 0.9]);
    // x is non-decreasing, as uPlot requires.
    const xs = s.accuracyByUplink.uplinkMB;
    expect(xs.every((x, i) => i === 0 || x >= xs[i - 1]!)).toBe(true);
    expect(MB).toBe(1e6);
  });
});

describe('helpers', () => {
  it('compressionRatio', () => {
    expect(compressionRatio(10, 2)).toBe(5);
    expect(compressionRatio(10, 0)).toBeNull();
  });

  it('lastCompletedRound ignores failed attempts', () => {
    expect(lastCompletedRound([])).toBe(0);
    expect(lastCompletedRound([record({ round: 1 }), record({ round: 2, status: 'failed' })])).toBe(1);
  });

  it('formatBytes', () => {
    expect(formatBytes(532)).toBe('532 B');
    expect(formatBytes(12_345)).toBe('12.3 kB');
    expect(formatBytes(4_560_000)).toBe('4.56 MB');
    expect(formatBytes(123_000_000)).toBe('123 MB');
    expect(formatBytes(2e9)).toBe('2.00 GB');
  });
});
