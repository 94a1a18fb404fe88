import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Stack } from '../../testkit/stack.ts';

/** Debian's Chromium, never a downloaded one (no `npx playwright install`). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches Chromium with a fresh temporary profile (playwright's launch() makes a new
 * user-data-dir each time and deletes it on close). The test CA is not installed in
 * this profile, so certificate errors are ignored browser-wide through CDP: contexts'
 * ignoreHTTPSErrors covers pages, and this also covers the service worker's script fetch
 * (which would otherwise log "SSL certificate error" on every page).
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Security.setIgnoreCertificateErrors', { ignore: true });
  return browser;
}

export interface Joined {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far; tests assert it stays empty. */
  errors: string[];
  close(): Promise<void>;
}

export interface JoinOptions {
  name: string;
  role?: 'member' | 'observer' | 'host';
  /** Open this view after joining (the screen picks the first one). */
  layout?: 'band' | 'surface' | 'notes' | 'console';
  viewport?: { width: number; height: number };
  touch?: boolean;
  /** Lets axe-core be injected (the page's CSP would refuse it). */
  axe?: boolean;
}

/** A new browser context that joins the room through the join page, like a person would. */
export async function joinThroughPage(browser: Browser, stack: Pick<Stack, 'url' | 'joinCode' | 'adminPin'>, opts: JoinOptions): Promise<Joined> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    ...(opts.axe ? { bypassCSP: true } : {}),
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    ...(opts.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 1 } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  await page.goto(`${stack.url}/?code=${encodeURIComponent(stack.joinCode)}`);
  await page.getByLabel('Your name').fill(opts.name);
  const role = opts.role ?? 'member';
  await page.locator(`input[name="role"][value="${role}"]`).check();
  if (role === 'host') await page.getByLabel('Admin PIN').fill(stack.adminPin);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.locator('[data-testid="conn"][data-status="online"]').waitFor({ timeout: 15_000 });
  // The screen picks the layout; a test that wants another view opens it like a person would.
  if (opts.layout) {
    const tab = page.locator(`nav button[data-view="${opts.layout}"]`);
    if ((await tab.count()) && (await tab.getAttribute('aria-current')) !== 'page') await tab.click();
  }
  return { context, page, errors, close: () => context.close() };
}
