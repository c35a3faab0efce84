import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Coordinator, startCoordinator } from '../../apps/coordinator/src/index.js';
import { type TestBrowser, foreignRequests, launchBrowser, screenshot } from '../support/browser.js';
import { ScriptedClient } from '../support/scripted-client.js';
import { vectorSetup } from '../support/vector-setup.js';

const ROUNDS = 8;

describe('dashboard in a real browser', () => {
  let coordinator: Coordinator;
  let browser: TestBrowser;
  let adminToken: string;
  const clients: ScriptedClient[] = [];

  beforeAll(async () => {
    const { setup, target } = vectorSetup(4000, {
      name: 'dashboard-demo',
      rounds: ROUNDS,
      clients: { count: 5, perRound: 4, minResults: 2, deadlineSeconds: 5 },
    });
    adminToken = setup.adminToken;
    // Report accuracy on a 10-class-like scale (chance at 10 %), so the screenshot reads like a
    // real run: the distance to the target, relative to where the model started.
    const d0 = Math.hypot(...target);
    const evaluate = async (w: Float32Array) => {
      let d = 0;
      for (let i = 0; i < w.length; i++) d += (w[i]! - target[i]!) ** 2;
      const rel = Math.sqrt(d) / d0;
      return { accuracy: 0.1 + 0.88 * (1 - rel), loss: 2.3 * rel };
    };
    coordinator = await startCoordinator(
      { ...setup, evaluate },
      { host: '127.0.0.1', port: 0, startWhen: 5, logger: false },
    );
    browser = await launchBrowser();
    // Clients pull the model towards the target at different speeds, so the charts have shape.
    for (let i = 0; i < 5; i++) {
      const c = new ScriptedClient(coordinator.url, `device-${i}`, 'secret-token');
      c.onAssign((a) => c.submitTowards(a, target, 0.25 + 0.05 * i));
      clients.push(c);
    }
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await coordinator?.close();
  });

  it('follows the rounds live: round number, chart points, no foreign requests; screenshot', async () => {
    const { page, errors } = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${coordinator.url}/dashboard/#token=${encodeURIComponent(adminToken)}`);
    await page.waitForSelector('body[data-conn="live"]');
    // The token left the address bar once read.
    expect(page.url()).not.toContain(adminToken);
    await expect(page.textContent('#exp-name')).resolves.toBe('dashboard-demo');

    const summary = await coordinator.run();
    expect(summary.status).toBe('completed');

    await page.waitForFunction(
      (n) => document.getElementById('round')?.dataset['round'] === String(n),
      ROUNDS,
    );
    await page.waitForSelector('#status[data-status="completed"]');
    expect(await page.textContent('#round')).toBe(String(ROUNDS));
    expect(await page.textContent('#round-of')).toBe(`of ${ROUNDS}`);
    expect(await page.locator('#timeline-body tr').count()).toBe(ROUNDS);

    // Every chart drew its points: two series per round, or one per evaluated round.
    const points = await page.$$eval('.fz-chart', (els) =>
      els.map((e) => ({ cls: e.className, points: Number((e as HTMLElement).dataset['points']) })),
    );
    expect(points).toHaveLength(4);
    const by = (c: string) => points.find((p) => p.cls.includes(c))!.points;
    expect(by('fz-chart-accuracy')).toBe(2 * ROUNDS);
    expect(by('fz-chart-bytes')).toBe(2 * ROUNDS);
    expect(by('fz-chart-ratio')).toBe(2 * ROUNDS);
    expect(by('fz-chart-efficiency')).toBe(ROUNDS);
    expect(await page.locator('.fz-chart canvas').count()).toBe(4);

    const shot = await screenshot(page, 'dashboard.png');
    expect(shot).toMatch(/dashboard\.png$/);
    expect(foreignRequests(browser.requests, coordinator.url)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses a wrong admin token and says so', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${coordinator.url}/dashboard/#token=not-the-token`);
    await page.waitForSelector('body[data-conn="refused"]');
    expect(await page.isVisible('#alert')).toBe(true);
    expect(await page.textContent('#alert-text')).toContain('refused');
    expect(await page.isVisible('#auth-form')).toBe(true);
    // Nothing of the experiment reached the page.
    expect(await page.textContent('#exp-name')).toBe('…');
    expect(await page.locator('.fz-chart').count()).toBe(0);
  });

  it('refuses a missing admin token, and connects once the right one is entered', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${coordinator.url}/dashboard/`);
    await page.waitForSelector('body[data-conn="refused"]');
    expect(await page.textContent('#alert-text')).toContain('Admin token required');
    await page.fill('#auth-token', adminToken);
    await page.click('#auth-form button');
    await page.waitForSelector('body[data-conn="live"]');
    expect(await page.isVisible('#alert')).toBe(false);
    await page.waitForFunction(() => document.getElementById('round')?.dataset['round'] === '8');
    expect(foreignRequests(browser.requests, coordinator.url)).toEqual([]);
  });
});
