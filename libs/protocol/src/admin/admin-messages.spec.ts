import { describe, expect, it } from '@jest/globals';
import { ADMIN_NAMESPACE } from '../events.js';
import { AdminConnectError, type RoundRecord, totalsOf } from './admin-messages.js';

const base: RoundRecord = {
  round: 1,
  version: 1,
  status: 'completed',
  attempts: 1,
  selected: 2,
  reported: 2,
  accepted: 2,
  dropped: 0,
  rejected: {},
  uplinkBytes: 10,
  denseUplinkBytes: 80,
  downlinkBytes: 20,
  denseDownlinkBytes: 40,
  aggregateMs: 0,
  roundMs: 0,
  accuracy: 0.5,
  loss: 1,
  meanTrainLoss: null,
};

describe('admin messages', () => {
  it('totalsOf sums every attempt, failed ones included', () => {
    expect(totalsOf([])).toEqual({
      completedRounds: 0,
      failedAttempts: 0,
      uplinkBytes: 0,
      denseUplinkBytes: 0,
      downlinkBytes: 0,
      denseDownlinkBytes: 0,
    });
    expect(
      totalsOf([
        { ...base, status: 'failed', reason: 'x' },
        { ...base, attempts: 2 },
      ]),
    ).toEqual({
      completedRounds: 1,
      failedAttempts: 1,
      uplinkBytes: 20,
      denseUplinkBytes: 160,
      downlinkBytes: 40,
      denseDownlinkBytes: 80,
    });
  });

  it('pins the namespace and connect-error messages the dashboard relies on', () => {
    expect(ADMIN_NAMESPACE).toBe('/admin');
    expect(AdminConnectError).toEqual({
      Unauthorized: 'unauthorized',
      TooMany: 'too many admin connections',
      UnknownExperiment: 'unknown experiment',
    });
  });
});
