/**
 * report.html in real Chromium, opened from disk (file://) as someone would after `fedzip run`:
 * the interactive charts draw their points, the page throws nothing and fetches nothing.
 * Leaves test/artifacts/report.png (the page) and test/artifacts/report-figure.png (the PNG chart).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RoundRecord } from '@fedzip/protocol';
import { record, sampleRun } from '../../apps/coordinator/src/report/__tests__/run-fixture.js';
import { type RunFiles, writeRunReport } from '../../apps/coordinator/src/index.js';
import { ARTIFACTS, type TestBrowser, launchBrowser, screenshot } from '../support/browser.js';

/** Twelve rounds with a plausible learning curve; round 5 fails once (a deadline) and is retried. */
function records(): RoundRecord[] {
  const out: RoundRecord[] = [];
  for (let round = 1; round <= 12; round++) {
    const accuracy = 0.97 - 0.5 * Math.exp(-round / 3);
    const up = 9000 + 400 * Math.sin(round);
    const base = {
      uplinkBytes: Math.round(up),
      denseUplinkBytes: 3 * 16232,
      downlinkBytes: round === 1 ? 21000 : 12000,
      denseDownlinkBytes: 4 * 16232,
      accuracy,
      loss: 1.6 * Math.exp(-round / 3) + 0.1,
      meanTrainLoss: 1.4 * Math.exp(-round / 3) + 0.15,
    };
    if (round === 5)
      out.push(
        record(round, {
          ...base,
          status: 'failed',
          reason: 'deadline with 1 of 2 results',
          accepted: 1,
          dropped: 2,
          accuracy: null,
          loss: null,
          uplinkBytes: 3000,
        }),
      );
    out.push(record(round, { ...base, attempts: round === 5 ? 2 : 1 }));
  }
  return out;
}

let browser: TestBrowser;
let dir: string;
let files: RunFiles;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fedzip-report-browser-'));
  const recs = records();
  files = await writeRunReport(
    join(dir, 'small-a1b2c3'),
    sampleRun({
      records: recs,
      rounds: 12,
      finalAccuracy: recs.at(-1)!.accuracy,
      finalLoss: recs.at(-1)!.loss,
    }),
  );
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report.html in Chromium (file://)', () => {
  it('draws the four charts with their points, without errors or requests', async () => {
    const { page, errors } = await browser.newPage();
    const url = pathToFileURL(files.html).href;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url);
    await page.waitForSelector('body[data-charts="ready"]', { timeout: 10_000 });

    const charts = await page.$$eval('.fz-chart', (els) =>
      els.map((el) => ({
        points: Number((el as HTMLElement).dataset['points']),
        canvases: el.querySelectorAll('canvas').length,
        width: el.querySelector('canvas')?.getBoundingClientRect().width ?? 0,
      })),
    );
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.canvases).toBeGreaterThan(0);
      expect(c.points).toBeGreaterThan(0);
      expect(c.width).toBeGreaterThan(200);
    }
    // accuracy + loss over 12 rounds; accuracy against uplink has one point per evaluated round
    expect(charts[0]!.points).toBe(24);
    expect(charts[3]!.points).toBe(12);
    expect(await page.isHidden('#static-figure')).toBe(true);
    expect(await page.locator('#rounds-table tbody tr').count()).toBe(13);
    expect(errors).toEqual([]);
    // Nothing but the page itself: no scripts, styles, fonts or images from anywhere.
    expect(browser.requests.filter((r) => r !== url && !/^(data|blob|about):/.test(r))).toEqual([]);
    await screenshot(page, 'report.png');
    mkdirSync(ARTIFACTS, { recursive: true });
    copyFileSync(files.png, join(ARTIFACTS, 'report-figure.png'));
  }, 60_000);

  it('shows the static figure when JavaScript is off', async () => {
    const context = await browser.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(files.html).href);
    expect(await page.isVisible('#static-figure svg')).toBe(true);
    expect(await page.locator('.fz-chart').count()).toBe(0);
    await context.close();
  }, 30_000);
});
