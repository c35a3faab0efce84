import { afterEach, describe, expect, it } from '@jest/globals';
import type { ReceivedOf } from '@fedzip/protocol';
import {
  type Coordinator,
  FakeClock,
  type RoundRecord,
  startCoordinator,
} from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

type Behaviour = (c: ScriptedClient, a: ReceivedOf<'assign'>) => void;

/** Answers every new assignment of `c` with `behaviour`. */
function autoRespond(c: ScriptedClient, behaviour: Behaviour): void {
  c.onAssign((a) => behaviour(c, a));
}

describe('coordinator over loopback sockets', () => {
  let coordinator: Coordinator | undefined;
  const clients: ScriptedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await coordinator?.close();
    coordinator = undefined;
  });

  async function start(n: number, overrides: Record<string, unknown> = {}, clock?: FakeClock) {
    const { setup, target } = vectorSetup(n, overrides);
    coordinator = await startCoordinator(setup, {
      host: '127.0.0.1',
      port: 0,
      startWhen: setup.config.clients.count,
      logger: false,
      ...(clock ? { clock } : {}),
    });
    return { setup, target, url: coordinator.url };
  }

  it('runs rounds with compressed updates both ways, and the model improves', async () => {
    const { target, url } = await start(2000);
    const records: RoundRecord[] = [];
    coordinator!.events.on('round-closed', (r) => records.push(r));
    for (let i = 0; i < 4; i++) {
      const c = new ScriptedClient(url, `c${i}`, 'secret-token');
      autoRespond(c, (cl, a) => cl.submitTowards(a, target));
      clients.push(c);
    }
    const summary = await coordinator!.run();
    expect(summary).toMatchObject({ status: 'completed', rounds: 3 });
    const acc = records.map((r) => r.accuracy!);
    expect(acc[2]!).toBeGreaterThan(acc[0]!);
    for (const r of records) {
      expect(r.accepted).toBe(3);
      expect(r.uplinkBytes).toBeGreaterThan(0);
      expect(r.denseUplinkBytes / r.uplinkBytes).toBeGreaterThan(2); // top 20% + 8 bits
      expect(r.downlinkBytes).toBeGreaterThan(0);
    }
    // Every client reconstructs the server's client view exactly after its syncs.
    const view = coordinator!.runner.downlink.view;
    for (const c of clients.filter((cl) => cl.version === summary.version)) expect(c.weights).toEqual(view);
  });

  it('closes a round without a client killed mid-round, and rejects a malformed update while the round completes', async () => {
    const { target, url } = await start(500, {
      rounds: 1,
      clients: { count: 4, perRound: 4, minResults: 2, deadlineSeconds: 30 },
    });
    const closed = new Promise<RoundRecord>((r) => coordinator!.events.once('round-closed', r));
    const rejections: string[] = [];
    coordinator!.events.on('update-rejected', (e) => rejections.push(e.code));
    const run = coordinator!.run();
    for (let i = 0; i < 4; i++) {
      const c = new ScriptedClient(url, `c${i}`, 'secret-token');
      clients.push(c);
      if (i === 0)
        autoRespond(c, (cl) => cl.close()); // killed before reporting
      else if (i === 1) {
        autoRespond(c, (cl, a) =>
          cl.send('update', {
            roundId: a.roundId,
            baseVersion: a.modelVersion,
            sampleCount: 10,
            metrics: { loss: 1, accuracy: 0.5, trainMs: 1, encodeMs: 1 },
            update: new Uint8Array([0x46, 0x5a, 1, 0, 9, 9, 9, 9]) as never, // a lying, truncated tensor
          }),
        );
      } else autoRespond(c, (cl, a) => cl.submitTowards(a, target));
    }
    const record = await closed;
    const summary = await run;
    expect(summary.status).toBe('completed');
    expect(record).toMatchObject({ selected: 4, accepted: 2, dropped: 1, reported: 3 });
    expect(record.rejected).toEqual({ BAD_ENCODING: 1 });
    expect(rejections).toEqual(['BAD_ENCODING']);
    await clients[1]!.until(() => clients[1]!.inbox.reject.length === 1);
    expect(clients[1]!.inbox.reject[0]).toMatchObject({ code: 'BAD_ENCODING' });
    expect(record.roundMs).toBeLessThan(30_000); // did not wait for the deadline
  });

  it('rejects duplicates, wrong base versions and late updates with reasons', async () => {
    const { target, url } = await start(300, {
      rounds: 2,
      clients: { count: 2, perRound: 2, minResults: 1, deadlineSeconds: 30 },
    });
    const run = coordinator!.run();
    const a = new ScriptedClient(url, 'a', 'secret-token');
    const b = new ScriptedClient(url, 'b', 'secret-token');
    clients.push(a, b);
    await a.until(() => a.inbox.assign.length === 1, 10_000, 'assign');
    await b.until(() => b.inbox.assign.length === 1, 10_000, 'assign');
    const first = a.inbox.assign[0]!;
    a.submitTowards({ ...first, modelVersion: first.modelVersion + 5 }, target); // wrong base
    await a.until(() => a.inbox.reject.length === 1);
    expect(a.inbox.reject[0]).toMatchObject({ code: 'WRONG_VERSION' });
    a.submitTowards(first, target);
    a.submitTowards(first, target); // duplicate
    await a.until(() => a.inbox.ack.length === 1 && a.inbox.reject.length === 2);
    expect(a.inbox.reject[1]).toMatchObject({ code: 'DUPLICATE' });
    b.submitTowards(b.inbox.assign[0]!, target);
    await b.until(() => b.inbox.assign.length === 2, 10_000, 'second assign');
    b.submitTowards(b.inbox.assign[0]!, target); // answers round 1, now closed
    await b.until(() => b.inbox.reject.length === 1);
    expect(b.inbox.reject[0]).toMatchObject({ code: 'LATE' });
    for (const c of [a, b]) c.submitTowards(c.inbox.assign[1]!, target);
    expect((await run).status).toBe('completed');
  });

  it('refuses a wrong join token before sending any model byte', async () => {
    const { url } = await start(100, { rounds: 1, clients: { count: 1, perRound: 1, minResults: 1 } });
    const c = new ScriptedClient(url, 'intruder', 'wrong-token');
    clients.push(c);
    await c.until(() => c.inbox.error.length === 1);
    expect(c.inbox.error[0]).toMatchObject({ code: 'UNAUTHENTICATED', fatal: true });
    expect(c.inbox.model).toHaveLength(0);
    expect(c.inbox.welcome).toHaveLength(0);
  });

  it('waits for a silent client until the deadline (fake clock), then closes with the quorum', async () => {
    const clock = new FakeClock();
    const { target, url } = await start(
      200,
      { rounds: 2, clients: { count: 3, perRound: 3, minResults: 2, deadlineSeconds: 60 } },
      clock,
    );
    const records: RoundRecord[] = [];
    coordinator!.events.on('round-closed', (r) => records.push(r));
    const run = coordinator!.run();
    for (let i = 0; i < 3; i++) {
      const c = new ScriptedClient(url, `c${i}`, 'secret-token');
      clients.push(c);
      if (i > 0) autoRespond(c, (cl, a) => cl.submitTowards(a, target)); // c0 stays connected and silent
    }
    const [silent, , c2] = clients as [ScriptedClient, ScriptedClient, ScriptedClient];
    await c2.until(() => clients[1]!.inbox.ack.length === 1 && c2.inbox.ack.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(records).toHaveLength(0); // quorum reached, deadline not passed: still open
    clock.advance(59_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(records).toHaveLength(0);
    clock.advance(1_000);
    await silent.until(() => silent.inbox.assign.length === 2, 10_000, 'round 2');
    expect(records[0]).toMatchObject({ accepted: 2, reported: 2, dropped: 0, roundMs: 60_000 });
    // The silent client's answer to round 1 now arrives late and is refused; its round 2 answer counts.
    silent.submitTowards(silent.inbox.assign[0]!, target);
    await silent.until(() => silent.inbox.reject.length === 1);
    expect(silent.inbox.reject[0]).toMatchObject({ code: 'LATE' });
    silent.submitTowards(silent.inbox.assign[1]!, target);
    expect((await run).status).toBe('completed');
    expect(records[1]).toMatchObject({ accepted: 3, reported: 3 });
    // The end of the experiment is announced, so devices stop instead of reconnecting.
    await silent.until(() => silent.inbox.error.length === 1);
    expect(silent.inbox.error[0]).toMatchObject({ code: 'NOT_ACCEPTING', fatal: true });
  });

  it('retries a round that misses its quorum at the deadline, then fails with a stated reason', async () => {
    const clock = new FakeClock();
    const { url } = await start(
      100,
      { rounds: 1, clients: { count: 2, perRound: 2, minResults: 2, deadlineSeconds: 10, maxRetries: 1 } },
      clock,
    );
    const records: RoundRecord[] = [];
    coordinator!.events.on('round-closed', (r) => records.push(r));
    const run = coordinator!.run();
    for (let i = 0; i < 2; i++) clients.push(new ScriptedClient(url, `s${i}`, 'secret-token'));
    await clients[1]!.until(() => clients.every((c) => c.inbox.assign.length === 1));
    clock.advance(10_000);
    await clients[1]!.until(() => clients.every((c) => c.inbox.assign.length === 2), 10_000, 'the retry');
    clock.advance(10_000);
    const summary = await run;
    expect(summary.status).toBe('failed');
    expect(summary.reason).toMatch(/round 1 failed 2 times: only 0 of 2 required updates/);
    expect(records.map((r) => r.status)).toEqual(['failed', 'failed']);
    // Failed attempts stay in the summary: they moved bytes (the join downloads land in the first).
    expect(summary.records.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(summary.records[0]!.downlinkBytes).toBeGreaterThan(0);
  });

  it('closes at the deadline even when the timer fires a little early', async () => {
    class EarlyClock extends FakeClock {
      override setTimeout(fn: () => void, ms: number): unknown {
        return super.setTimeout(fn, Math.max(0, ms - 1));
      }
    }
    const clock = new EarlyClock();
    const { target, url } = await start(
      100,
      { rounds: 1, clients: { count: 2, perRound: 2, minResults: 1, deadlineSeconds: 60 } },
      clock,
    );
    const run = coordinator!.run();
    const a = new ScriptedClient(url, 'a', 'secret-token');
    const silent = new ScriptedClient(url, 'b', 'secret-token');
    clients.push(a, silent);
    autoRespond(a, (cl, asg) => cl.submitTowards(asg, target));
    await a.until(() => a.inbox.ack.length === 1);
    clock.advance(59_999); // the timer fires now, 1 ms before the deadline
    expect((await run).status).toBe('completed');
  });

  it('stop() ends a run that is still waiting for clients', async () => {
    await start(100, { rounds: 1, clients: { count: 3, perRound: 3, minResults: 1 } });
    const run = coordinator!.run();
    coordinator!.runner.stop();
    expect(await run).toMatchObject({ status: 'failed', reason: 'stopped', rounds: 0 });
  });
});
