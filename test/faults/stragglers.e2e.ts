/**
 * Stragglers: a selected client frozen with SIGSTOP past the round's deadline, then let go with
 * SIGCONT. 4 `fedzip client` processes, all selected, quorum 3, deadline 10 s. The straggler is
 * frozen the moment its round opens (before or just after its assignment arrives: it cannot have
 * trained yet).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { openStore } from '@fedzip/store';
import {
  type Proc,
  api,
  assigned,
  checkDelivered,
  checkRun,
  client,
  closed,
  events,
  killAll,
  report,
  serve,
  sleep,
  until,
} from './support.js';

const CONFIG = 'test/fixtures/faults-small.yaml';
const DEADLINE_MS = 10_000;
const SLOW = 'client-003';

async function opened(p: Proc, round: number): Promise<{ roundId: number; version: number }> {
  const find = () => events(p, 'round-opened').find((e) => e['round'] === round);
  await until(() => find() !== undefined, 60_000, `round ${round} to open`);
  const e = find()!;
  return { roundId: e['roundId'] as number, version: e['version'] as number };
}

const judged = (p: Proc, event: string, round: number) =>
  events(p, event).filter((e) => e['clientId'] === SLOW && e['round'] === round);

describe('stragglers: a client frozen past the deadline', () => {
  afterAll(killAll);

  it('closes the round at the deadline without it, rejects its late update as LATE, and takes it again next round', async () => {
    const t0 = Date.now();
    const s = await serve(CONFIG, 'stragglers');
    const clients = [0, 1, 2, 3].map((i) => client(s, i));
    const slow = clients[3]!;

    // A: frozen during round 2, thawed once round 3 (which selects it again) is open. Its round 2
    // work is superseded by the round 3 assignment: it reports round 3 in time.
    await opened(s.proc, 2);
    slow.child.kill('SIGSTOP');
    await until(() => closed(s).some((a) => a.round === 2), 30_000, 'round 2 to close');
    const round2 = closed(s).find((a) => a.round === 2)!;
    expect(round2).toMatchObject({ status: 'completed', selected: 4, reported: 3, accepted: 3, dropped: 0 });
    expect(round2.roundMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    await opened(s.proc, 3);
    await sleep(300);
    slow.child.kill('SIGCONT');
    await until(() => closed(s).some((a) => a.round === 3), 30_000, 'round 3 to close');
    expect(judged(s.proc, 'update-accepted', 2)).toEqual([]);
    expect(judged(s.proc, 'update-accepted', 3)).toHaveLength(1);

    // B: frozen during round 4 while the coordinator is paused (it opens no round 5), so the
    // straggler's update arrives after the deadline and before any newer assignment: LATE.
    const r4 = await opened(s.proc, 4);
    slow.child.kill('SIGSTOP');
    await api(s, 'POST', '/pause');
    await until(() => closed(s).some((a) => a.round === 4), 30_000, 'round 4 to close');
    const round4 = closed(s).find((a) => a.round === 4)!;
    expect(round4).toMatchObject({ status: 'completed', reported: 3, accepted: 3, dropped: 0 });
    expect(round4.roundMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    slow.child.kill('SIGCONT');
    await until(
      () => events(s.proc, 'update-rejected').some((e) => e['clientId'] === SLOW),
      30_000,
      'the late update to be rejected',
    );
    const late = events(s.proc, 'update-rejected').find((e) => e['clientId'] === SLOW)!;
    expect(late['code']).toBe('LATE');
    await until(() => /update rejected: LATE: /.test(slow.stderr), 5_000, 'the straggler to hear LATE');
    expect(assigned(slow, r4.roundId)).toBe(true);
    expect(events(s.proc, 'round-opened').some((e) => e['round'] === 5)).toBe(false);
    await api(s, 'POST', '/resume');
    await opened(s.proc, 5);

    const figures = await checkRun(s, 5);
    // It rejoined the next round: its round 5 update was accepted.
    expect(judged(s.proc, 'update-accepted', 5)).toHaveLength(1);
    for (const c of clients) expect((await c.exited).code).toBe(0);
    for (const [i, c] of clients.entries()) checkDelivered(s, c, `client-00${i}`);
    // The store has the LATE rejection, and no accepted update of the straggler for rounds 2 and 4.
    const db = openStore(s.store);
    const mine = db.submissions.list(s.id).filter((x) => x.clientId === SLOW);
    db.close();
    const codes = mine.filter((x) => !x.accepted).map((x) => x.code);
    expect(codes.length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 'LATE')).toBe(true);
    expect(mine.filter((x) => x.accepted).map((x) => x.round)).toEqual([1, 3, 5]);
    expect(figures.lost).toBe(0);
    report('stragglers', {
      frozen: 2,
      deadlineCloses: closed(s).filter((a) => a.roundMs >= DEADLINE_MS - 50).length,
      ...figures,
      testSeconds: (Date.now() - t0) / 1000,
    });
  }, 240_000);
});
