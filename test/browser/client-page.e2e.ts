/**
 * The `/client` page in Debian's Chromium (headless, playwright-core) against an in-process
 * coordinator running a real, small MNIST experiment (test/fixtures/mnist-browser.yaml): two
 * browser clients and two Node clients train together, one page is reloaded between rounds, and
 * no page asks anything of another host.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { loadExperiment } from '@fedzip/config';
import { type FederatedClient, createNodeClient, decodeDatasetBytes } from '@fedzip/client-sdk/node';
import { clientDataset } from '../../apps/cli/src/experiment/client-data.js';
import { type PreparedExperiment, prepareExperiment } from '../../apps/cli/src/experiment/prepare.js';
import { type Coordinator, type RoundRecord, startCoordinator } from '../../apps/coordinator/src/index.js';
import type { ClientPageState } from '../../apps/web/src/client/main.js';
import { type TestBrowser, foreignRequests, launchBrowser, screenshot } from '../support/browser.js';

const CONFIG = 'test/fixtures/mnist-browser.yaml';
const TOKEN = 'browser-e2e-token-0123';

/** Polls `f` until it returns a value that is not undefined/false (or throws after `ms`). */
async function until<T>(
  what: string,
  f: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 60_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pageState = (page: Page): Promise<ClientPageState> =>
  page.evaluate(() => ({ ...window.fedzipClientState, log: [] as string[] }));

describe('the /client page in a real browser', () => {
  const config = loadExperiment(CONFIG);
  let prepared: PreparedExperiment;
  let coordinator: Coordinator;
  let browser: TestBrowser;
  const nodeClients: FederatedClient[] = [];

  beforeAll(async () => {
    prepared = await prepareExperiment(config, { joinToken: TOKEN });
    coordinator = await startCoordinator(prepared.setup, { host: '127.0.0.1', port: 0, logger: false });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodeClients.map((c) => c.stop()));
    await browser?.close();
    await coordinator?.close();
  });

  it('serves /client/info, and the demo partitions only with the join token', async () => {
    const url = coordinator.url;
    const info = (await (await fetch(`${url}/client/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      experimentId: prepared.setup.id,
      name: 'mnist-browser',
      inputShape: [28, 28, 1],
      numClasses: 10,
      partitions: 4,
      tokenRequired: true,
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${url}/client/data/1`)).status).toBe(401);
    expect((await fetch(`${url}/client/data/1`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect((await fetch(`${url}/client/data/x`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/client/data/4`, { headers: auth })).status).toBe(404);
    const r = await fetch(`${url}/client/data/1`, { headers: auth });
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const got = decodeDatasetBytes(bytes);
    const want = await clientDataset(config, 1, prepared.data);
    expect(got.n).toBe(want.n);
    expect(got.x).toEqual(want.x);
    expect(Array.from(got.y)).toEqual(Array.from(want.y));
    expect(bytes.byteLength).toBeLessThan(want.x.length * 1.1); // one byte per pixel
  });

  it('2 browser + 2 Node clients train MNIST together; a reloaded page keeps its residual and model version and rejoins; nothing is fetched from elsewhere', async () => {
    const started = Date.now();
    const { url, events } = coordinator;
    const records: RoundRecord[] = [];
    const accepted: { clientId: string; round: number; at: number }[] = [];
    events.on('round-closed', (r) => records.push(r));
    events.on('update-accepted', (e) =>
      accepted.push({ clientId: e.clientId, round: e.round, at: Date.now() }),
    );
    const initial = await prepared.setup.evaluate!(prepared.setup.initialWeights);
    const run = coordinator.run();

    const pages: Page[] = [];
    const pageErrors: string[][] = [];
    for (const i of [0, 1]) {
      const { page, errors } = await browser.newPage();
      pages.push(page);
      pageErrors.push(errors);
      await page.goto(`${url}/client/?clientId=web-${i}&partition=${i}&join=1#token=${TOKEN}`);
    }
    // web-0 "closes its tab" as soon as its first update is acknowledged (before the Node clients
    // even exist, so before any round): the run cannot finish without it (a round needs all 4
    // connected), and the reload comes at a point the test controls.
    const page = pages[0]!;
    await until('the page to create its client', () => page.evaluate(() => window.fedzipClient !== null));
    await page.evaluate(() => {
      const c = window.fedzipClient!;
      c.once('ack', () => {
        (window as unknown as { snapshot: Promise<unknown> }).snapshot = c.stop().then(() => ({
          version: c.modelVersion,
          residual: Array.from(c.residual() ?? []),
          acks: c.roundsDone,
        }));
      });
    });
    for (const i of [2, 3]) {
      const client = await createNodeClient({
        url,
        token: TOKEN,
        clientId: `node-${i}`,
        data: await clientDataset(config, i, prepared.data),
      });
      nodeClients.push(client);
      void client.start();
    }

    await until('web-0 to stop after its first update', () => page.evaluate(() => 'snapshot' in window));
    const before = await page.evaluate(
      () =>
        (
          window as unknown as {
            snapshot: Promise<{ version: number | null; residual: number[]; acks: number }>;
          }
        ).snapshot,
    );
    expect(before.version).toBe(0);
    expect(before.acks).toBe(1);
    expect(before.residual.some((v) => v !== 0)).toBe(true);
    const reloadedAt = Date.now();
    await page.reload();
    const after = await until('the reloaded page to rejoin', async () => {
      const s = await pageState(page);
      return s.joins >= 1 ? s : undefined; // it may be done and closed by the next look
    }).catch(async (e: unknown) => {
      const s = await page.evaluate(() => window.fedzipClientState);
      throw new Error(`${String(e)}; page state: ${JSON.stringify(s, null, 1)}`);
    });
    expect(after.restoredVersion).toBe(before.version);
    expect(after.joinedVersion).toBe(before.version); // what its hello stated
    expect(after.modelsFull).toBe(0); // a delta from the held version, or nothing
    // The residual came back from IndexedDB: the keeper logs its norm when it restores it, and
    // until the page sends an update it is exactly what it was.
    const norm = Math.hypot(...before.residual);
    const logged = await until('the residual to be restored', async () => {
      const lines = await page.evaluate(() => window.fedzipClientState.log);
      return lines
        .map((l) => /restored the error-feedback residual .*‖e‖ = ([\d.e+-]+)/.exec(l))
        .find(Boolean);
    });
    expect(Number(logged![1])).toBeCloseTo(norm, 3);
    const now = await page.evaluate(async () => {
      const c = window.fedzipClient!;
      await c.whenIdle();
      return { residual: Array.from(c.residual() ?? []), updatesSent: window.fedzipClientState.updatesSent };
    });
    if (now.updatesSent === 0) expect(now.residual).toEqual(before.residual);

    const summary = await run;
    const seconds = (Date.now() - started) / 1000;
    expect(summary).toMatchObject({ status: 'completed', rounds: 3 });

    // Every client's compressed updates were decoded into the aggregate, the browsers' included.
    const by = (id: string) => accepted.filter((a) => a.clientId === id).length;
    for (const id of ['web-0', 'web-1', 'node-2', 'node-3']) expect(by(id)).toBeGreaterThanOrEqual(1);
    expect(accepted.some((a) => a.clientId === 'web-0' && a.at > reloadedAt)).toBe(true);
    for (const r of records) expect(r.denseUplinkBytes / r.uplinkBytes).toBeGreaterThan(4);

    // Accuracy rises from the random start.
    const acc = records.map((r) => r.accuracy!);
    expect(acc[acc.length - 1]!).toBeGreaterThan(initial.accuracy + 0.3);
    expect(acc[acc.length - 1]!).toBeGreaterThan(acc[0]!);

    const states = await Promise.all(pages.map(pageState));
    for (const s of states) {
      expect(s.backend).toMatch(/^wasm/);
      expect(s.ratio!).toBeGreaterThan(4);
      expect(s.bytesSent).toBeGreaterThan(0);
      expect(s.bytesReceived).toBeGreaterThan(0);
      expect(s.errors).toEqual([]);
    }
    expect(await pages[1]!.locator('#ratio').textContent()).toMatch(/^×\d+\.\d vs float32$/);
    await screenshot(pages[1]!, 'client-page.png');

    // Offline: every request went to the coordinator.
    expect(browser.requests.length).toBeGreaterThan(0);
    expect(browser.requests.some((u) => u.includes('/wasm/') && u.endsWith('.wasm'))).toBe(true);
    expect(foreignRequests(browser.requests, url)).toEqual([]);
    expect(pageErrors.flat()).toEqual([]);

    console.log(
      `mixed browser/Node run: ${seconds.toFixed(1)} s; accuracy ${initial.accuracy.toFixed(3)} → ` +
        acc.map((a) => a.toFixed(3)).join(' → ') +
        `; uplink ×${(records.reduce((s, r) => s + r.denseUplinkBytes, 0) / records.reduce((s, r) => s + r.uplinkBytes, 0)).toFixed(1)}`,
    );
  }, 240_000);
});
