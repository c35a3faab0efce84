import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ExperimentConfig } from '@fedzip/config';
import { type Store, openStore } from '@fedzip/store';
import {
  type CoordinatorServer,
  type ExperimentDetail,
  ExperimentService,
  ServiceModule,
  startServer,
} from '../../apps/coordinator/src/index.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

const ADMIN = 'admin-token-for-tests-0123456789';
const N = 300;

/** A store-backed service whose experiments are vector setups (no tfjs): fast and seeded. */
async function startService(path: string): Promise<{ server: CoordinatorServer; store: Store }> {
  const store = openStore(path);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    logger: false,
    adminToken: ADMIN,
    maxModel: { params: 10_000, layoutEntries: 8 },
    apiDocs: true,
    modules: [
      ServiceModule.forRoot(store, async (config: ExperimentConfig, identity) => ({
        ...vectorSetup(N, config).setup,
        ...identity,
        config,
      })),
    ],
  });
  return { server, store };
}

describe('the experiments REST API (store-backed service, real HTTP and sockets on loopback)', () => {
  const open: { server: CoordinatorServer; store: Store }[] = [];
  const clients: ScriptedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const { server, store } of open.splice(0)) {
      await server.close();
      store.close();
    }
  });

  it('creates from YAML or JSON with the CLI messages, lists, controls and refuses without the admin token', async () => {
    const { server, store } = await startService(join(mkdtempSync(join(tmpdir(), 'fedzip-api-')), 'a.db'));
    open.push({ server, store });
    const api = (path: string, init: RequestInit = {}, token: string | null = ADMIN) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
      });

    // Auth: nothing without the right bearer token.
    for (const token of [null, 'wrong', `${ADMIN}x`]) {
      const r = await api('/api/experiments', {}, token);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await api('/api/experiments/x/start', { method: 'POST' }, 'wrong')).status).toBe(401);

    // A bad config: 400 with every problem and its line, as `fedzip run` prints them.
    const bad = await api('/api/experiments', {
      method: 'POST',
      headers: { 'content-type': 'text/yaml' },
      body: 'name: bad\nrounds: 0\nclients: { count: 4, perRound: 9 }\n',
    });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { message: string; issues: { path?: string; line?: number }[] };
    expect(badBody.message).toMatch(/the request body/);
    expect(badBody.issues.some((i) => i.line === 2)).toBe(true);
    expect(
      (
        await api('/api/experiments', {
          method: 'POST',
          headers: { 'content-type': 'text/yaml' },
          body: 'a: [',
        })
      ).status,
    ).toBe(400);

    const yaml = `name: api-yaml\nrounds: 2\nclients: { count: 4, perRound: 3, minResults: 2, deadlineSeconds: 5 }\ncompression: { uplink: 'topk:0.2+q8', errorFeedback: true, downlink: 'topk:0.5+q8', downlinkFull: q8 }\n`;
    const created = await api('/api/experiments', {
      method: 'POST',
      headers: { 'content-type': 'text/yaml' },
      body: yaml,
    });
    expect(created.status).toBe(201);
    const a = (await created.json()) as ExperimentDetail;
    expect(a).toMatchObject({ name: 'api-yaml', status: 'created', round: 0, rounds: 2, modelSha256: null });
    const json = await api('/api/experiments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'api-json', rounds: 1 }),
    });
    expect(json.status).toBe(201);
    const list = (await (await api('/api/experiments')).json()) as { id: string; status: string }[];
    expect(list.map((e) => e.status)).toEqual(['created', 'created']);
    expect((await api('/api/experiments/nope')).status).toBe(404);
    expect((await api('/api/experiments/nope/start', { method: 'POST' })).status).toBe(404);
    expect((await api(`/api/experiments/${a.id}/pause`, { method: 'POST' })).status).toBe(409); // not running

    // Start, then join with a signed token the API issues (bound to the client id).
    const started = await api(`/api/experiments/${a.id}/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    expect(((await started.json()) as ExperimentDetail).status).toBe('running');
    expect((await api(`/api/experiments/${a.id}/start`, { method: 'POST' })).status).toBe(409);
    const badTokenReq = await api(`/api/experiments/${a.id}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ttlSeconds: -5 }),
    });
    expect(badTokenReq.status).toBe(400);
    const { target } = vectorSetup(N);
    for (let i = 0; i < 4; i++) {
      const r = await api(`/api/experiments/${a.id}/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: `dev-${i}`, ttlSeconds: 600 }),
      });
      expect(r.status).toBe(201);
      const { token } = (await r.json()) as { token: string };
      const c = new ScriptedClient(server.url, `dev-${i}`, token);
      c.onAssign((asg) => c.submitTowards(asg, target));
      clients.push(c);
    }
    const service = server.app.get(ExperimentService);
    const summary = await service.finished(a.id);
    expect(summary).toMatchObject({ status: 'completed', rounds: 2 });

    const detail = (await (await api(`/api/experiments/${a.id}`)).json()) as ExperimentDetail;
    expect(detail).toMatchObject({ status: 'completed', round: 2, modelVersion: 2 });
    expect(detail.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.metrics.uplinkRatio).toBeGreaterThan(2);
    expect(detail.metrics.accuracy).toBe(summary.finalAccuracy);
    // The store holds what the API reports: rounds, submissions and the checkpoint of each round.
    expect(store.rounds.list(a.id).map((r) => r.round)).toEqual([1, 2]);
    expect(store.submissions.list(a.id).filter((s) => s.accepted)).toHaveLength(6);
    expect(store.checkpoints.latestValid(a.id).checkpoint?.sha256).toBe(detail.modelSha256);

    // The OpenAPI document describes every route, served with Swagger UI at /api/docs.
    const openapi = (await (await api('/api/docs-json', {}, null)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/experiments',
      '/api/experiments/{id}',
      '/api/experiments/{id}/start',
      '/api/experiments/{id}/tokens',
      '/api/experiments/{id}/model',
    ]) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
    const docs = await api('/api/docs', {}, null);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);

    const report = await api(`/api/experiments/${a.id}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(await report.text()).toContain(a.id);
  }, 60_000);

  it('pauses between rounds, resumes, and stops', async () => {
    const { server, store } = await startService(join(mkdtempSync(join(tmpdir(), 'fedzip-api-')), 'b.db'));
    open.push({ server, store });
    const service = server.app.get(ExperimentService);
    const { config } = vectorSetup(N, { rounds: 50 }).setup;
    const id = service.create(config).id;
    await service.start(id);
    const { target } = vectorSetup(N);
    const runtime = service.runtimeOf(id)!;
    for (let i = 0; i < 4; i++) {
      const c = new ScriptedClient(server.url, `p${i}`, service.issueToken(id).token);
      c.onAssign((asg) => setTimeout(() => c.submitTowards(asg, target), 20));
      clients.push(c);
    }
    await new Promise<void>((r) => runtime.events.once('round-closed', () => r()));
    expect(service.pause(id).status).toBe('paused');
    const closedBefore = store.rounds.list(id).length;
    await new Promise((r) => setTimeout(r, 400));
    // At most the round open at the pause finished; none opened after it.
    expect(store.rounds.list(id).length).toBeLessThanOrEqual(closedBefore + 1);
    const paused = store.rounds.list(id).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(store.rounds.list(id).length).toBe(paused);
    expect(service.resume(id).status).toBe('running');
    await new Promise<void>((r) => runtime.events.once('round-closed', () => r()));
    const stopped = await service.stop(id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.round).toBeLessThan(50);
  }, 60_000);
});
