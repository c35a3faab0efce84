import { loadExperiment } from '@fedzip/config';
import type { RoundRecord } from '@fedzip/protocol';
import type { RunReport } from '../run-metrics.js';

/** A round record with plausible figures; `over` replaces fields. */
export function record(round: number, over: Partial<RoundRecord> = {}): RoundRecord {
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
    uplinkBytes: 1000 + 10 * round,
    denseUplinkBytes: 4656,
    downlinkBytes: 2000,
    denseDownlinkBytes: 4656,
    aggregateMs: 2,
    roundMs: 150 + round,
    accuracy: 0.5 + 0.1 * round,
    loss: 1 / round,
    meanTrainLoss: 0.9 / round,
    ...over,
  };
}

/**
 * A three-round run of test/fixtures/synthetic-small.yaml whose round 2 failed once (with a
 * reason holding CSV and HTML specials) before it completed.
 */
export function sampleRun(over: Partial<RunReport> = {}): RunReport {
  const records = [
    record(1),
    record(2, {
      status: 'failed',
      reason: 'too few results: 1 < 2, "deadline" </script><!--',
      accepted: 1,
      dropped: 2,
      rejected: { STALE: 1, BAD_SHAPE: 2 },
      accuracy: null,
      loss: null,
      meanTrainLoss: null,
      version: 1,
    }),
    record(2, { attempts: 2 }),
    record(3),
  ];
  return {
    experimentId: 'small-a1b2c3',
    config: loadExperiment('test/fixtures/synthetic-small.yaml'),
    status: 'completed',
    rounds: 3,
    finalAccuracy: 0.8,
    finalLoss: 1 / 3,
    records,
    startedAt: new Date('2025-01-02T03:04:05.000Z'),
    finishedAt: new Date('2025-01-02T03:04:17.500Z'),
    environment: { backend: 'wasm simd, 1 thread', fedzip: '0.1.0' },
    ...over,
  };
}
