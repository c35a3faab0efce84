// /metrics and /health over real HTTP on loopback against started coordinators, driven by
// scripted clients; and the event log lines those runs write.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ReceivedOf } from '@fedzip/protocol';
import {
  type Coordinator,
  type CoordinatorOptions,
  type ExperimentSetup,
  type RoundRecord,
  startCoordinator,
} from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

/** A pino destination that keeps the parsed JSON lines. */
function captureLines(): { lines: Record<string, unknown>[]; write(s: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) };
}

/** The value of one sample line of the Prometheus text format (`name{labels} value`). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

async function get(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** A terminus health response. */
interface HealthBody {
  readonly status: string;
  readonly details: Record<string, { status: string } & Record<string, unknown>>;
  readonly error?: Record<string, { status: string } & Record<string, unknown>>;
}

async function getJson(url: string): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

/** A frame that passes the protocol schema but whose tensor lies about its length. */
function sendMalformed(c: ScriptedClient, a: ReceivedOf<'assign'>): void {
  c.send('update', {
    roundId: a.roundId,
    baseVersion: a.modelVersion,
    sampleCount: 10,
    metrics: { loss: 1, accuracy: 0.5, trainMs: 1, encodeMs: 1 },
    update: new Uint8Array([0x46, 0x5a, 1, 0, 9, 9, 9, 9]) as never,
  });
}

describe('coordinator observability over loopback HTTP', () => {
  const coordinators: Coordinator[] = [];
  const clients: ScriptedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const c of coordinators.splice(0)) await c.close();
  });

  async function start(setup: ExperimentSetup, options: CoordinatorOptions = {}): Promise<Coordinator> {
    const c = await startCoordinator(setup, {
      host: '127.0.0.1',
      port: 0,
      startWhen: setup.config.clients.count,
      ...options,
    });
    coordinators.push(c);
    return c;
  }

  it('counts rounds, updates (accepted and rejected by reason), bytes and timings; logs one line per event', async () => {
    const { setup, target } = vectorSetup(500, {
      rounds: 2,
      clients: { count: 3, perRound: 3, minResults: 2, deadlineSeconds: 30 },
    });
    const out = captureLines();
    // No `logger`: Nest's own logs go through pino as well.
    const coordinator = await start(setup, { logLevel: 'info', logDestination: out });
    const { url } = coordinator;

    const ready0 = await getJson(`${url}/health/ready`);
    expect(ready0.status).toBe(200);
    expect(ready0.body).toMatchObject({
      status: 'ok',
      details: {
        loop: { status: 'up', experiments: [{ experiment: 'vector', phase: 'idle', round: null }] },
        eventLoop: { status: 'up' },
        store: { status: 'up', configured: false },
      },
    });

    const records: RoundRecord[] = [];
    coordinator.events.on('round-closed', (r) => records.push(r));
    const run = coordinator.run();
    for (let i = 0; i < 3; i++) {
      const c = new ScriptedClient(url, `c${i}`, 'secret-token');
      clients.push(c);
      c.onAssign((a) => (i === 0 ? sendMalformed(c, a) : c.submitTowards(a, target)));
    }
    const summary = await run;
    expect(summary).toMatchObject({ status: 'completed', rounds: 2 });

    const metrics = await get(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = (series: string) => sample(metrics.body, series);
    const l = '{experiment="vector"}';
    expect(m(`fedzip_rounds_completed_total${l}`)).toBe(2);
    expect(m(`fedzip_rounds_failed_total${l}`)).toBe(0);
    expect(m(`fedzip_round${l}`)).toBe(2);
    expect(m(`fedzip_model_version${l}`)).toBe(summary.version);
    expect(m(`fedzip_updates_received_total${l}`)).toBe(6);
    expect(m(`fedzip_updates_accepted_total${l}`)).toBe(4);
    expect(m('fedzip_updates_rejected_total{experiment="vector",reason="BAD_ENCODING"}')).toBe(2);
    expect(m(`fedzip_updates_dropped_total${l}`)).toBe(0);
    const sum = (f: (r: RoundRecord) => number) => records.reduce((a, r) => a + f(r), 0);
    expect(m(`fedzip_bytes_received_total${l}`)).toBe(sum((r) => r.uplinkBytes));
    expect(m('fedzip_bytes_sent_total{experiment="vector",message="model"}')).toBe(
      sum((r) => r.downlinkBytes),
    );
    expect(m('fedzip_bytes_sent_total{experiment="vector",message="reject"}')).toBeGreaterThan(0);
    expect(m(`fedzip_update_decode_seconds_count${l}`)).toBe(4);
    expect(m(`fedzip_update_decode_seconds_sum${l}`)).toBeGreaterThan(0);
    expect(m('fedzip_update_decode_seconds_bucket{le="+Inf",experiment="vector"}')).toBe(4);
    expect(m(`fedzip_aggregate_seconds_count${l}`)).toBe(2);
    expect(m(`fedzip_aggregate_seconds_sum${l}`)).toBeCloseTo(sum((r) => r.aggregateMs) / 1000, 6);
    expect(m(`fedzip_accuracy${l}`)).toBeCloseTo(summary.finalAccuracy!, 9);
    expect(m(`fedzip_loss${l}`)).toBeCloseTo(summary.finalLoss!, 9);
    expect(m(`fedzip_clients_connected${l}`)).toBe(3);
    // Node's default metrics, in the coordinator's own registry.
    expect(metrics.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(metrics.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(metrics.body).toMatch(/^# HELP fedzip_updates_rejected_total /m);

    // The loop finished by its own rules: still ready, and the whole /health is ok.
    const ready = await getJson(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details['loop']).toEqual({
      status: 'up',
      experiments: [{ experiment: 'vector', phase: 'finished', round: null }],
    });
    const all = await getJson(`${url}/health`);
    expect(all.status).toBe(200);
    expect(Object.keys(all.body.details).sort()).toEqual(['eventLoop', 'loop', 'process', 'store']);
    const live = await getJson(`${url}/health/live`);
    expect(live).toMatchObject({
      status: 200,
      body: { status: 'ok', details: { process: { status: 'up' } } },
    });

    // One line per event, with stable fields.
    const events = out.lines.filter((x) => typeof x['event'] === 'string');
    const count = (e: string) => events.filter((x) => x['event'] === e).length;
    expect(count('client-joined')).toBe(3);
    expect(count('round-opened')).toBe(2);
    expect(count('update-accepted')).toBe(4);
    expect(count('update-rejected')).toBe(2);
    expect(count('round-closed')).toBe(2);
    expect(count('finished')).toBe(1);
    for (const x of events) expect(x).toMatchObject({ experimentId: 'vector', name: 'fedzip' });
    expect(events.find((x) => x['event'] === 'update-rejected')).toMatchObject({
      level: 'warn',
      round: 1,
      clientId: 'c0',
      code: 'BAD_ENCODING',
      reason: expect.any(String),
    });
    expect(events.find((x) => x['event'] === 'round-closed')).toMatchObject({
      level: 'info',
      round: 1,
      status: 'completed',
      accepted: 2,
      rejected: { BAD_ENCODING: 1 },
    });
    // Nest's own startup lines went through pino too (structured, with their context).
    expect(out.lines.some((x) => x['context'] === 'NestApplication' && x['level'] === 'info')).toBe(true);
  });

  it('answers 503 on readiness once the experiment loop has crashed; liveness stays 200', async () => {
    const { setup, target } = vectorSetup(100, {
      rounds: 1,
      clients: { count: 1, perRound: 1, minResults: 1, deadlineSeconds: 30 },
    });
    const broken: ExperimentSetup = {
      ...setup,
      evaluate: () => Promise.reject(new Error('the test split is gone')),
    };
    const coordinator = await start(broken, { logger: false });
    const c = new ScriptedClient(coordinator.url, 'c0', 'secret-token');
    clients.push(c);
    c.onAssign((a) => c.submitTowards(a, target));
    await expect(coordinator.run()).rejects.toThrow('the test split is gone');

    const ready = await getJson(`${coordinator.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      error: { loop: { status: 'down', error: expect.stringMatching(/: the test split is gone$/) } },
    });
    expect((await get(`${coordinator.url}/health`)).status).toBe(503);
    expect((await get(`${coordinator.url}/health/live`)).status).toBe(200);
    const metrics = (await get(`${coordinator.url}/metrics`)).body;
    expect(sample(metrics, 'fedzip_updates_accepted_total{experiment="vector"}')).toBe(1);
    expect(sample(metrics, 'fedzip_rounds_completed_total{experiment="vector"}')).toBe(0);
  });

  it('checks the store probe for readiness; coordinators in one process keep their own metrics', async () => {
    const a = vectorSetup(50, { rounds: 1 }).setup;
    const b = { ...vectorSetup(50, { rounds: 1 }).setup, id: 'other' };
    const ok = await start(a, {
      logger: false,
      storeProbe: { check: async () => ({ path: '/tmp/runs' }) },
    });
    const failing = await start(b, {
      logger: false,
      storeProbe: {
        check: async () => {
          throw new Error('EROFS: read-only file system');
        },
      },
    });
    const up = await getJson(`${ok.url}/health/ready`);
    expect(up.status).toBe(200);
    expect(up.body.details['store']).toMatchObject({ status: 'up', configured: true, path: '/tmp/runs' });
    const down = await getJson(`${failing.url}/health/ready`);
    expect(down.status).toBe(503);
    expect(down.body.error!['store']).toMatchObject({ status: 'down' });
    expect(JSON.stringify(down.body.error!['store'])).toMatch(/EROFS/);
    expect(down.body.details['loop']).toMatchObject({ status: 'up' });

    const ma = (await get(`${ok.url}/metrics`)).body;
    const mb = (await get(`${failing.url}/metrics`)).body;
    expect(sample(ma, 'fedzip_rounds_completed_total{experiment="vector"}')).toBe(0);
    expect(ma).not.toMatch(/experiment="other"/);
    expect(sample(mb, 'fedzip_rounds_completed_total{experiment="other"}')).toBe(0);
    expect(mb).not.toMatch(/experiment="vector"/);
  });
});
