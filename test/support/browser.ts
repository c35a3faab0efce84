/**
 * Headless Debian Chromium for browser tests, driven by playwright-core. The flags keep Chromium
 * from reaching for Google's hosts, which the closed network here refuses; every request a page
 * makes is recorded so that tests can assert the pages fetch nothing from outside the coordinator.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser (`.ci/run` installs it with apt). */
export const CHROMIUM = process.env['FEDZIP_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where tests leave screenshots for people to look at (git-ignored). */
export const ARTIFACTS = join('test', 'artifacts');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** A launched browser and the hosts its pages asked for. */
export interface TestBrowser {
  readonly browser: Browser;
  /** Every URL requested by any page of any context opened through {@link TestBrowser.newContext}. */
  readonly requests: string[];
  /** A fresh context (own storage) whose requests are recorded. */
  newContext(): Promise<BrowserContext>;
  /** A page in a fresh context, with console errors forwarded to `errors`. */
  newPage(): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
  close(): Promise<void>;
}

/** Launches headless Chromium (playwright gives it a throwaway profile). */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const requests: string[] = [];
  const newContext = async () => {
    const context = await browser.newContext();
    context.on('request', (r) => requests.push(r.url()));
    return context;
  };
  return {
    browser,
    requests,
    newContext,
    async newPage() {
      const context = await newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      return { page, context, errors };
    },
    close: () => browser.close(),
  };
}

/** Requests that went anywhere but `origin` (data:, blob: and about: URLs are local). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter(
    (u) => !u.startsWith(origin + '/') && u !== origin && !/^(data|blob|about):/.test(u),
  );
}

/** Saves a screenshot under test/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
