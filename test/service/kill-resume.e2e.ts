import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openStore } from '@fedzip/store';

const CLI = 'dist/apps/cli/src/main.js';
const CONFIG = 'test/fixtures/synthetic-resume.yaml';
const ADMIN = 'kill-test-admin-token-0123456789';
const TOKEN = 'kill-test-join-token';

/** A port free right now (the restarted coordinator must come back on the same one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Proc {
  const child = spawn('node', [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const p: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (d: Buffer) => (p.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.stderr += d.toString()));
  return p;
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The JSON log lines of an event. */
const events = (p: Proc, event: string) =>
  p.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e['event'] === event);

describe('a coordinator killed with SIGKILL mid-round, started again on the same store', () => {
  const procs: Proc[] = [];
  afterAll(() => {
    for (const p of procs) p.child.kill('SIGKILL');
  });

  it('continues after the last completed round with the same model (SHA-256) and finishes; clients reconnect by themselves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedzip-kill-'));
    const store = join(dir, 'fedzip.db');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serveArgs = [
      'serve',
      '--config',
      CONFIG,
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
    ];
    const first = start(serveArgs);
    procs.push(first);
    await until(() => /join token: /.test(first.stdout), 60_000, 'the first coordinator');
    const id = /experiment: (\S+)/.exec(first.stdout)![1]!;
    const clients = [0, 1, 2, 3].map((i) =>
      start(['client', '--url', url, '--token', TOKEN, '--data', `${CONFIG}:${i}`]),
    );
    procs.push(...clients);

    // Kill it the moment round 3 opens: rounds 1 and 2 are checkpointed, round 3 is lost.
    await until(
      () => events(first, 'round-opened').some((e) => e['round'] === 3),
      120_000,
      'round 3 to open',
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

    // What the store holds after the crash: the last completed round and its model hash.
    const db = openStore(store);
    const saved = db.checkpoints.latestValid(id).checkpoint!;
    expect(saved.round).toBeGreaterThanOrEqual(2);
    expect(db.experiments.require(id).status).toBe('running');
    db.close();

    // Clients keep retrying; the second coordinator resumes from the store on the same port.
    const second = start(serveArgs);
    procs.push(second);
    await until(() => /join token: /.test(second.stdout), 60_000, 'the second coordinator');
    expect(second.stdout).toContain(`experiment: ${id}`);
    const detail = (await (
      await fetch(`${url}/api/experiments/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json()) as { round: number; modelVersion: number; modelSha256: string };
    // Bit-identical: the resumed global model is the checkpointed one.
    expect(detail.modelSha256).toBe(saved.sha256);
    expect(detail.round).toBe(saved.round);

    // The global model as tfjs files, for `tf.loadLayersModel(url)` with the admin token.
    const auth = { headers: { authorization: `Bearer ${ADMIN}` } };
    const modelJson = (await (await fetch(`${url}/api/experiments/${id}/model`, auth)).json()) as {
      format: string;
      weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
    };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['model/weights.bin']);
    const params = modelJson.weightsManifest[0]!.weights.reduce(
      (a, w) => a + w.shape.reduce((x, y) => x * y, 1),
      0,
    );
    const bin = await fetch(`${url}/api/experiments/${id}/model/weights.bin`, auth);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect((await bin.arrayBuffer()).byteLength).toBe(4 * params);
    expect((await fetch(`${url}/api/experiments/${id}/model`)).status).toBe(401);

    const end = await Promise.race([
      second.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          const tails = [second, ...clients].map((p) => p.stderr.split('\n').slice(-6).join('\n'));
          reject(new Error(`the resumed run did not finish:\n${tails.join('\n---\n')}`));
        }, 120_000).unref(),
      ),
    ]);
    expect(end.code).toBe(0);
    const totals = JSON.parse(second.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(totals['rounds']).toBe(5);
    for (const c of clients) expect((await c.exited).code).toBe(0);
    expect(clients.every((c) => /done: /.test(c.stderr))).toBe(true);
    // The clients rejoined with the model they held: no full model was needed after the restart.
    expect(events(second, 'client-joined').every((e) => e['heldVersion'] !== null)).toBe(true);

    const after = openStore(store);
    const rounds = after.rounds.list(id).filter((r) => r.record.status === 'completed');
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
    expect(after.experiments.require(id).status).toBe('completed');
    // No accepted update lost or counted twice: one accepted submission per client and round.
    const accepted = after.submissions.list(id).filter((s) => s.accepted);
    const keys = accepted.map((s) => `${s.round}/${s.clientId}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of rounds) {
      expect(accepted.filter((s) => s.round === r.round).length).toBe(
        (r.record as { accepted: number }).accepted,
      );
    }
    after.close();
  }, 300_000);
});
