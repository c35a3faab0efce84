/**
 * Shared by the fault tests (test/faults/*.e2e.ts): real `fedzip serve` and `fedzip client`
 * processes on loopback, their JSON log lines, bounded waits that dump the processes' stderr tails
 * when they time out, and the invariants every fault run must keep (checked on the store).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { openStore } from '@fedzip/store';

const CLI = 'dist/apps/cli/src/main.js';
export const ADMIN = 'faults-test-admin-token-0123456789';
export const TOKEN = 'faults-test-join-token';

/** A port free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every process started, so a test can dump them on failure and kill them at the end. */
export const procs: Proc[] = [];

function start(name: string, args: string[]): Proc {
  const child = spawn('node', [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const p: Proc = {
    name,
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (d: Buffer) => (p.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.stderr += d.toString()));
  procs.push(p);
  return p;
}

/** Kills every process still running (afterAll). */
export function killAll(): void {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

/** The last lines of every process's stderr, for a failure message. */
export function tails(lines = 8): string {
  return procs
    .map(
      (p) =>
        `--- ${p.name} (pid ${p.child.pid}):\n${p.stderr.trimEnd().split('\n').slice(-lines).join('\n')}`,
    )
    .join('\n');
}

/** Waits for `cond`, polling every 10 ms; fails after `ms` with the processes' stderr tails. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${tails()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with `promise`, or fails after `ms` with the processes' stderr tails. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}\n${tails()}`)), ms).unref(),
    ),
  ]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The JSON log lines of an event (all events without `event`). */
export function events(p: Proc, event?: string): Record<string, unknown>[] {
  return p.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => event === undefined || e['event'] === event);
}

/** A coordinator serving `config` with a fresh store, and what a client needs to join it. */
export interface Served {
  readonly proc: Proc;
  readonly store: string;
  readonly url: string;
  readonly id: string;
  readonly config: string;
}

export async function serve(config: string, tag: string): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), `fedzip-faults-${tag}-`));
  const store = join(dir, 'fedzip.db');
  const port = await freePort();
  const proc = start('coordinator', [
    'serve',
    '--config',
    config,
    '--store',
    store,
    '--port',
    String(port),
    '--token',
    TOKEN,
    '--admin-token',
    ADMIN,
    '--no-report',
    '--json',
  ]);
  await until(() => /join token: /.test(proc.stdout), 60_000, 'the coordinator to serve');
  const id = /experiment: (\S+)/.exec(proc.stdout)![1]!;
  return { proc, store, url: `http://127.0.0.1:${port}`, id, config };
}

/** A `fedzip client` process holding partition `index` of the served config, through `url`. */
export function client(s: Served, index: number, url = s.url): Proc {
  return start(`client-${index}`, [
    'client',
    '--url',
    url,
    '--token',
    TOKEN,
    '--data',
    `${s.config}:${index}`,
  ]);
}

/** Whether client `p` printed the assignment of round id `roundId`. */
export const assigned = (p: Proc, roundId: number) => p.stderr.includes(`assigned round id ${roundId}:`);

/** Calls the REST API with the admin token. */
export async function api(s: Served, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const res = await fetch(`${s.url}/api/experiments/${s.id}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(res.ok).toBe(true);
  return res.json();
}

/** A round attempt as the coordinator's `round-closed` log line states it. */
export interface ClosedAttempt {
  readonly round: number;
  readonly attempt: number;
  readonly status: string;
  readonly reason?: string;
  readonly selected: number;
  readonly reported: number;
  readonly accepted: number;
  readonly dropped: number;
  readonly rejected: Record<string, number>;
  readonly roundMs: number;
}

export const closed = (s: Served) => events(s.proc, 'round-closed') as unknown as ClosedAttempt[];

/** What every fault run must show once the coordinator has exited; returns the figures. */
export async function checkRun(s: Served, rounds: number) {
  const end = await within(s.proc.exited, 120_000, 'the run to finish');
  expect(end.code).toBe(0);
  const totals = JSON.parse(s.proc.stdout.trim().split('\n').pop()!) as Record<string, number>;
  expect(totals['rounds']).toBe(rounds);
  // Every round attempt that opened was closed: with a result, or failed with a stated reason.
  const opened = events(s.proc, 'round-opened');
  const attempts = closed(s);
  expect(attempts.map((a) => `${a.round}/${a.attempt}`)).toEqual(
    opened.map((o) => `${String(o['round'])}/${String(o['attempt'])}`),
  );
  for (const a of attempts) {
    expect(['completed', 'failed']).toContain(a.status);
    if (a.status === 'failed') expect(a.reason).toMatch(/\S/);
  }
  const db = openStore(s.store);
  try {
    expect(db.experiments.require(s.id).status).toBe('completed');
    const stored = db.rounds.list(s.id);
    // The store holds every attempt the log shows, with the same outcome and counts.
    expect(
      stored.map((r) => {
        const rec = r.record as unknown as ClosedAttempt & { reason?: string };
        return [r.round, r.attempt, rec.status, rec.accepted, rec.dropped];
      }),
    ).toEqual(attempts.map((a) => [a.round, a.attempt, a.status, a.accepted, a.dropped]));
    expect(stored.filter((r) => r.record.status === 'completed').map((r) => r.round)).toEqual(
      Array.from({ length: rounds }, (_, i) => i + 1),
    );
    // No accepted update lost or counted twice: the accepted submissions of each attempt are the
    // record's accepted count, one per client, and match the coordinator's update-accepted lines.
    const subs = db.submissions.list(s.id);
    const accepted = subs.filter((x) => x.accepted);
    const keys = accepted.map((x) => `${x.round}/${x.attempt}/${x.clientId}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of stored) {
      const n = accepted.filter((x) => x.round === r.round && x.attempt === r.attempt).length;
      expect([r.round, r.attempt, n]).toEqual([
        r.round,
        r.attempt,
        (r.record as { accepted: number }).accepted,
      ]);
    }
    const logged = events(s.proc, 'update-accepted');
    expect(accepted.length).toBe(logged.length);
    const sumAccepted = attempts.reduce((t, a) => t + a.accepted, 0);
    expect(accepted.length).toBe(sumAccepted);
    const rejected = subs.filter((x) => !x.accepted);
    expect(rejected.length).toBe(events(s.proc, 'update-rejected').length);
    return {
      rounds,
      attempts: attempts.length,
      failedAttempts: attempts
        .filter((a) => a.status === 'failed')
        .map((a) => `${a.round}/${a.attempt}: ${a.reason}`),
      accepted: accepted.length,
      rejected: Object.fromEntries(
        [...new Set(rejected.map((x) => x.code ?? '?'))].map((c) => [
          c,
          rejected.filter((x) => x.code === c).length,
        ]),
      ),
      dropped: attempts.reduce((t, a) => t + a.dropped, 0),
      lost: sumAccepted - accepted.length,
      wallSeconds: totals['wallSeconds'],
    };
  } finally {
    db.close();
  }
}

/**
 * For a client that was never killed or cut: every update it says it sent reached the coordinator
 * and was judged (accepted or rejected) exactly once.
 */
export function checkDelivered(s: Served, p: Proc, clientId: string): void {
  const sent = p.stderr.split('\n').filter((l) => l.startsWith('round update sent:')).length;
  const judged = [...events(s.proc, 'update-accepted'), ...events(s.proc, 'update-rejected')].filter(
    (e) => e['clientId'] === clientId,
  ).length;
  expect([clientId, judged]).toEqual([clientId, sent]);
}

/** Prints a test's figures as one line (collected into docs/RELIABILITY.md). */
export function report(scenario: string, figures: Record<string, unknown>): void {
  process.stdout.write(`fault-figures ${JSON.stringify({ scenario, ...figures })}\n`);
}
