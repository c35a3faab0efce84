/**
 * Dropouts: selected clients killed with SIGKILL while a round is open, before they report.
 * 13 `fedzip client` processes, 10 selected per round, quorum (minResults) 7, deadline 60 s.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type Proc,
  assigned,
  checkDelivered,
  checkRun,
  client,
  closed,
  events,
  killAll,
  report,
  serve,
  until,
  within,
} from './support.js';

const CONFIG = 'test/fixtures/faults-dropouts.yaml';

/** The client id of a `client-<i>` process. */
const idOf = (p: Proc) => `client-${p.name.slice('client-'.length).padStart(3, '0')}`;

/** The round id of the attempt `attempt` of round `round`, once it has opened. */
async function opened(
  p: Proc,
  round: number,
  attempt: number,
): Promise<{ roundId: number; selected: number }> {
  const find = () => events(p, 'round-opened').find((e) => e['round'] === round && e['attempt'] === attempt);
  await until(() => find() !== undefined, 120_000, `round ${round} attempt ${attempt} to open`);
  const e = find()!;
  return { roundId: e['roundId'] as number, selected: e['selected'] as number };
}

describe('dropouts: selected clients killed mid-round', () => {
  afterAll(killAll);

  it('closes the round at quorum with them dropped, fails a round below quorum with the reason, and goes on', async () => {
    const t0 = Date.now();
    const s = await serve(CONFIG, 'dropouts');
    const clients = Array.from({ length: 13 }, (_, i) => client(s, i));
    const alive = new Set(clients);
    const kill = (victims: Proc[]) => {
      for (const v of victims) {
        v.child.kill('SIGKILL');
        alive.delete(v);
      }
    };

    // Round 2: 30% of the 10 selected (3) are killed once they have their assignment.
    const r2 = await opened(s.proc, 2, 1);
    expect(r2.selected).toBe(10);
    await until(
      () => clients.filter((c) => assigned(c, r2.roundId)).length >= 3,
      30_000,
      'assignments of round 2',
    );
    const first = clients.filter((c) => assigned(c, r2.roundId)).slice(0, 3);
    kill(first);
    await until(() => closed(s).some((a) => a.round === 2), 60_000, 'round 2 to close');
    const round2 = closed(s).find((a) => a.round === 2)!;
    expect(round2).toMatchObject({ status: 'completed', attempt: 1, selected: 10, accepted: 7, dropped: 3 });
    // At quorum, not at the deadline.
    expect(round2.roundMs).toBeLessThan(30_000);

    // Round 3 selects the 10 left; 4 of them are killed: 6 < 7, the attempt fails with its reason.
    const r3 = await opened(s.proc, 3, 1);
    expect(r3.selected).toBe(10);
    const rest = clients.filter((c) => alive.has(c));
    await until(
      () => rest.filter((c) => assigned(c, r3.roundId)).length >= 4,
      30_000,
      'assignments of round 3',
    );
    const second = rest.filter((c) => assigned(c, r3.roundId)).slice(0, 4);
    kill(second);
    await until(() => closed(s).some((a) => a.round === 3), 60_000, 'round 3 attempt 1 to close');
    expect(closed(s).find((a) => a.round === 3)).toMatchObject({
      status: 'failed',
      attempt: 1,
      reason: 'only 6 of 7 required updates',
      accepted: 6,
      dropped: 4,
    });

    // The retry waits for minAvailable (10): the 4 devices come back (new processes, no model held).
    const back = second.map((p) => client(s, Number(p.name.slice('client-'.length))));
    for (const b of back) alive.add(b);
    const retry = await opened(s.proc, 3, 2);
    expect(retry.selected).toBe(10);

    const figures = await checkRun(s, 4);
    for (const c of alive) expect((await within(c.exited, 10_000, `${c.name} to exit`)).code).toBe(0);
    for (const c of clients.filter((p) => alive.has(p))) {
      checkDelivered(s, c, idOf(c));
    }
    // The restarted devices joined again from scratch: a full model, no version held.
    for (const b of back) {
      const id = idOf(b);
      const joins = events(s.proc, 'client-joined').filter((e) => e['clientId'] === id);
      expect(joins.at(-1)!['heldVersion']).toBeNull();
    }
    expect(figures.failedAttempts).toEqual(['3/1: only 6 of 7 required updates']);
    expect(figures.dropped).toBe(7);
    expect(figures.lost).toBe(0);
    report('dropouts', { killed: 7, restarted: 4, ...figures, testSeconds: (Date.now() - t0) / 1000 });
  }, 300_000);
});
