import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../protocol/index.ts';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';

/**
 * V1 in Chromium: a page whose protocol version the server refuses shows a reload
 * prompt instead of a room that half works, and forgets its cached client (service
 * worker and shell cache) so the reload takes the page the server serves. The page's
 * stated version is rewritten in its socket.io CONNECT frame, as a page built before
 * (or after) this server would send it.
 */
describe('a page the server refuses for its protocol version (V1, Chromium)', () => {
  let rs: RoomServer;
  let browser: Browser;
  const open: Joined[] = [];

  beforeAll(async () => {
    rs = await startRoomServer();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const p of open) await p.close().catch(() => undefined);
    await browser?.close();
    await rs?.stop();
  });

  /** Every /room CONNECT this context sends from now on states `stated.version` (while it is set). */
  async function stateVersion(context: BrowserContext, version: number): Promise<{ version: number | null }> {
    const stated: { version: number | null } = { version };
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      const rewrite = (message: string): string => (stated.version === null ? message : message.replace(`"protocol":${PROTOCOL_VERSION}`, `"protocol":${stated.version}`));
      ws.onMessage((message) => server.send(typeof message === 'string' ? rewrite(message) : message));
      server.onMessage((message) => ws.send(message));
    });
    return stated;
  }

  const cachedClient = (page: Page) => page.evaluate(async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).filter((k) => k.startsWith('roomtone-shell-')).length,
  }));

  it('V1: an older page shows the reload prompt, forgets its cached client, and works again after Reload', async () => {
    const person = await joinThroughPage(browser, { url: rs.peer.base, joinCode: rs.joinCode, adminPin: rs.adminPin }, { name: 'Ada' });
    open.push(person);
    const { page, context } = person;
    // The installed client: a service worker and its shell cache.
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistrations()).length > 0 && (await caches.keys()).some((k) => k.startsWith('roomtone-shell-')), undefined, { timeout: 20_000 });

    const stated = await stateVersion(context, PROTOCOL_VERSION - 1);
    await page.reload();
    const prompt = page.getByRole('alertdialog', { name: 'Roomtone was updated' });
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('This page is older than the room server');
    const reload = page.getByRole('button', { name: 'Reload' });
    await page.waitForFunction(() => document.querySelector('rt-app')?.shadowRoot?.activeElement?.textContent === 'Reload');
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistrations()).length === 0 && !(await caches.keys()).some((k) => k.startsWith('roomtone-shell-')), undefined, { timeout: 10_000 });
    expect(await cachedClient(page)).toEqual({ workers: 0, caches: 0 });
    // No room behind the prompt: nothing half works.
    expect(await page.locator('[data-testid="conn"]').count()).toBe(0);

    stated.version = null; // the reload brings the page this server serves
    await reload.click();
    await page.locator('[data-testid="conn"][data-status="online"]').waitFor({ timeout: 15_000 });
    expect(person.errors).toEqual([]);
  });

  it('V1: a page newer than the server is told the server is the older side', async () => {
    const person = await joinThroughPage(browser, { url: rs.peer.base, joinCode: rs.joinCode, adminPin: rs.adminPin }, { name: 'Bo' });
    open.push(person);
    await stateVersion(person.context, PROTOCOL_VERSION + 1);
    await person.page.reload();
    const prompt = person.page.getByRole('alertdialog', { name: 'The room server is older than this page' });
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('ask the host to update Roomtone');
    expect(person.errors).toEqual([]);
  });
});
