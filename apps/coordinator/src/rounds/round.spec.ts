import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock.js';
import { Round } from './round.js';

const rules = { minResults: 2, deadlineMs: 1000 };
const open = (selected = ['a', 'b', 'c']) => new Round(3, 7, new Set(selected), 0, rules);

describe('Round', () => {
  it('admits a selected client once, against the right version', () => {
    const r = open();
    expect(r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 })).toEqual({ ok: true });
    expect(r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 })).toMatchObject({
      ok: false,
      code: 'DUPLICATE',
    });
    expect(r.admit({ clientId: 'b', roundId: 3, baseVersion: 6 })).toMatchObject({
      ok: false,
      code: 'WRONG_VERSION',
    });
    expect(r.admit({ clientId: 'z', roundId: 3, baseVersion: 7 })).toMatchObject({
      ok: false,
      code: 'NOT_SELECTED',
    });
    expect(r.admit({ clientId: 'b', roundId: 2, baseVersion: 7 })).toMatchObject({ ok: false, code: 'LATE' });
    expect(r.admit({ clientId: 'b', roundId: 4, baseVersion: 7 })).toMatchObject({
      ok: false,
      code: 'WRONG_ROUND',
    });
  });

  it('rejects everything once closed, as late', () => {
    const r = open();
    r.close(5);
    expect(r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 })).toMatchObject({ ok: false, code: 'LATE' });
  });

  it('waits for the deadline while some selected clients are still out', () => {
    const r = open();
    r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 });
    r.settle('a', true);
    r.admit({ clientId: 'b', roundId: 3, baseVersion: 7 });
    r.settle('b', true);
    expect(r.closeReason(999)).toBeNull();
    expect(r.closeReason(1000)).toBe('deadline');
  });

  it('closes early when everyone reported or dropped', () => {
    const r = open();
    for (const id of ['a', 'b']) {
      r.admit({ clientId: id, roundId: 3, baseVersion: 7 });
      r.settle(id, true);
    }
    r.drop('c');
    expect(r.closeReason(10)).toBe('all-reported');
    expect(r.droppedIds).toEqual(['c']);
  });

  it('fails for too few results at the deadline or when all dropped, counting only accepted updates', () => {
    const r = open();
    r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 });
    r.settle('a', false); // decoded and rejected: reported, not accepted
    expect(r.closeReason(1000)).toBe('too-few-results');
    const s = open(['a']);
    s.drop('a');
    expect(s.closeReason(0)).toBe('too-few-results');
  });

  it('ignores drops of clients that already reported or were never selected', () => {
    const r = open(['a', 'b']);
    r.admit({ clientId: 'a', roundId: 3, baseVersion: 7 });
    r.settle('a', true);
    r.drop('a');
    r.drop('z');
    expect(r.droppedIds).toEqual([]);
    expect(r.complete).toBe(false);
  });
});

describe('FakeClock', () => {
  it('fires due timers in order and not cancelled ones', () => {
    const c = new FakeClock();
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b'), 20);
    c.setTimeout(() => fired.push('a'), 10);
    const h = c.setTimeout(() => fired.push('x'), 15);
    c.clearTimeout(h);
    c.advance(15);
    expect(fired).toEqual(['a']);
    c.advance(10);
    expect(fired).toEqual(['a', 'b']);
    expect(c.now()).toBe(25);
  });
});
