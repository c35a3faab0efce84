import type { AssignMessage } from '@fedzip/protocol';
import { describe, expect, it } from '@jest/globals';
import { JobQueue } from './job-queue.js';

const assign = (roundId: number, modelVersion = 1): AssignMessage => ({
  roundId,
  modelVersion,
  localEpochs: 1,
  batchSize: 8,
  lr: 0.1,
  optimizer: 'sgd',
  proxMu: 0,
  codec: 'none',
  errorFeedback: false,
  deadline: 0,
  seed: 1,
});
const w = new Float32Array(3);

describe('JobQueue', () => {
  it('refuses stale and duplicate rounds', () => {
    const q = new JobQueue();
    expect(q.offerAssign(assign(5), w).accepted).toBe(true);
    expect(q.offerAssign(assign(5), w)).toEqual({ accepted: false, reason: 'duplicate' });
    expect(q.offerAssign(assign(4), w)).toEqual({ accepted: false, reason: 'stale' });
  });

  it('lets the newest assignment replace a waiting one and abort a running one', () => {
    const q = new JobQueue();
    q.offerAssign(assign(1), w);
    const running = q.start();
    expect(running?.kind).toBe('train');
    const second = q.offerAssign(assign(2), w);
    expect(running).toMatchObject({ abort: 'superseded' });
    const third = q.offerAssign(assign(3), w);
    expect(third).toMatchObject({ accepted: true, replaced: second.accepted ? second.job : null });
    expect(third.accepted && third.replaced?.abort).toBe('superseded');
    q.finish();
    expect(q.start()).toMatchObject({ assign: { roundId: 3 }, abort: null });
  });

  it('parks a job until its model version arrives, and drops it when a later one does', () => {
    const q = new JobQueue();
    q.offerAssign(assign(1, 2), null);
    expect(q.hasRunnable()).toBe(false);
    expect(q.onModel(2, w)).toBeNull();
    expect(q.start()).toMatchObject({ base: w });
    q.finish();

    q.offerAssign(assign(2, 4), null);
    const dropped = q.onModel(5, w);
    expect(dropped).toMatchObject({ assign: { roundId: 2 }, abort: 'no-model' });
    expect(q.hasRunnable()).toBe(false);
  });

  it('runs training before evaluation, and clear() forgets rounds on request', () => {
    const q = new JobQueue();
    q.offerEval({ requestId: 1, modelVersion: 1, batchSize: 8 }, w);
    q.offerAssign(assign(7), w);
    expect(q.start()?.kind).toBe('train');
    q.finish();
    expect(q.start()?.kind).toBe('eval');
    q.finish();
    q.clear('model-changed', true);
    expect(q.offerAssign(assign(1), w).accepted).toBe(true);
  });
});
