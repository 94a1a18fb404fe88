import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { join, openDoc, synced, type DocClient } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';
import { axeFindings } from './inspect.ts';

/** The simulator `npm start` supervises: the python child of the Roomtone process. */
function simulatorPid(stack: Stack): number {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(stack.process.pid)], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => /python.*run\.py/.test(l));
  if (!line) throw new Error(`no simulator under ${stack.process.pid}:\n${out}`);
  return Number(line.trim().split(/\s+/)[0]);
}

/**
 * The screen tells the truth: when Live (here the simulator) dies the set is shown as it
 * was, greyed, with since when; meters drop; controls say why they are off. When Live
 * comes back in another state a notice says what changed; an ordinary reconnect of the
 * page raises none.
 */
describe('the truth on screen', () => {
  let stack: Stack;
  let browser: Browser;
  let truth: DocClient;
  const open: Joined[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const { cookie } = await join({ base: stack.url, ca: stack.ca }, { name: 'Truth', code: stack.joinCode, role: 'observer' });
    truth = openDoc({ base: stack.url, ca: stack.ca }, cookie, 'set');
    await synced(truth);
  }, 120_000);

  afterAll(async () => {
    for (const p of open) await p.close().catch(() => undefined);
    truth?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  const banner = (page: Page, id: string) => page.locator(`[data-banner="${id}"]`);
  const firstFader = (page: Page) => page.locator('rt-fader[data-track] [role="slider"]').first();

  it('a page that only reconnects shows no notice', async () => {
    const p = await joinThroughPage(browser, stack, { name: 'Roamer' });
    open.push(p);
    await firstFader(p.page).waitFor();
    await p.context.setOffline(true);
    await banner(p.page, 'socket').or(banner(p.page, 'yjs')).first().waitFor({ timeout: 10_000 });
    await p.context.setOffline(false);
    await p.page.locator('[data-testid="conn"][data-status="online"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => p.page.locator('[data-banner]').evaluateAll((els) => els.map((e) => e.getAttribute('data-banner'))), { timeout: 5_000 }).toEqual(['sim']);
    expect(await banner(p.page, 'live-return').count()).toBe(0);
    // A reconnect attempt made while the network was off is logged by Chromium itself (how many depends on how long it was off).
    expect(p.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  }, 60_000);

  it('Live restarted exactly as it was: compared on its return, and no notice', async () => {
    const p = await joinThroughPage(browser, stack, { name: 'Keeper' });
    open.push(p);
    const page = p.page;
    await firstFader(page).waitFor();
    // Nothing has been changed since the simulator started, so the new one comes back the same.
    const lastReturn = () => page.evaluate(() => (window as unknown as { roomtone: { lastReturn: { at: number; changes: string[] } | null } }).roomtone.lastReturn);
    expect(await lastReturn()).toBeNull();
    process.kill(simulatorPid(stack), 'SIGKILL');
    await banner(page, 'live').or(banner(page, 'agent')).first().waitFor({ timeout: 10_000 });
    await expect.poll(lastReturn, { timeout: 30_000 }).not.toBeNull();
    expect((await lastReturn())!.changes).toEqual([]);
    expect(await banner(page, 'live-return').count()).toBe(0);
    expect(await page.locator('rt-band').getAttribute('stale')).toBeNull();
    expect(p.errors).toEqual([]);
    await p.close();
    open.splice(open.indexOf(p), 1);
  }, 60_000);

  it('Live gone: stale within a second, meters drop, controls say why; back with another tempo: a notice says so', async () => {
    const p = await joinThroughPage(browser, stack, { name: 'Drummer', axe: true });
    open.push(p);
    const page = p.page;
    await firstFader(page).waitFor();
    // Play, so meters move, and set a tempo the simulator will not come back with.
    await page.getByRole('button', { name: 'Play from start' }).click();
    await page.locator('button[data-clip]').first().click();
    await page.locator('button[data-state="playing"]').first().waitFor({ timeout: 8_000 });
    await page.getByRole('spinbutton', { name: 'Tempo in BPM' }).dblclick();
    await page.getByRole('textbox', { name: 'Tempo in BPM' }).fill('97');
    await page.keyboard.press('Enter');
    await until(() => truth.doc.getMap('song').get('tempo') === 97, 'the tempo at 97', 5_000);
    await until(() => page.evaluate(() => Object.values((window as unknown as { roomtone: { link: { meters: { levels: Record<string, number[]> } } } }).roomtone.link.meters.levels).some(([l]) => (l ?? 0) > 0)), 'meters moving', 5_000);

    // The page notes when the grid turned stale (its own clock, the same machine's).
    await page.evaluate(() => {
      const band = document.querySelector('rt-app')!.shadowRoot!.querySelector('rt-shell')!.shadowRoot!.querySelector('rt-band')!;
      const w = window as unknown as { staleAt?: number };
      new MutationObserver(() => { if (band.hasAttribute('stale') && !w.staleAt) w.staleAt = Date.now(); }).observe(band, { attributes: true });
    });
    const killedAt = Date.now();
    process.kill(simulatorPid(stack), 'SIGKILL');
    await banner(page, 'live').or(banner(page, 'agent')).first().waitFor({ timeout: 10_000 });
    const staleAt = await page.evaluate(() => (window as unknown as { staleAt?: number }).staleAt ?? 0);
    expect(staleAt - killedAt, 'ms from the kill to a stale grid').toBeLessThan(1_000);
    expect(await banner(page, 'live').or(banner(page, 'agent')).first().textContent()).toMatch(/not connected since \d{1,2}:\d{2}/);
    expect(await page.locator('rt-band').getAttribute('stale')).not.toBeNull();
    const meters = await page.evaluate(() => (window as unknown as { roomtone: { link: { meters: { levels: Record<string, unknown> } } } }).roomtone.link.meters.levels);
    expect(meters).toEqual({});
    expect(await firstFader(page).getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator('rt-fader[data-track]').first().getAttribute('title')).toMatch(/not connected since/);
    expect(await page.getByRole('button', { name: 'Play from start' }).getAttribute('title')).toMatch(/not connected since/);
    // Greyed is still readable: the stale grid and its banner pass axe like the live one.
    expect(await axeFindings(page), 'axe on the stale grid').toEqual([]);

    // The supervisor starts the simulator again: a fresh set, its own tempo.
    await banner(page, 'live-return').waitFor({ timeout: 30_000 });
    const notice = await banner(page, 'live-return').textContent();
    expect(notice).toMatch(/Live is back, but not as it was/);
    expect(notice).toMatch(/tempo 97 \u2192 \d+/);
    expect(await axeFindings(page), 'axe with the notice on screen').toEqual([]);
    expect(await page.locator('rt-band').getAttribute('stale')).toBeNull();
    await expect.poll(() => firstFader(page).getAttribute('aria-disabled')).toBe('false');
    // The position follows the new Live (stopped at its start), not the old count.
    expect(truth.doc.getMap('song').get('isPlaying')).toBe(false);
    await expect.poll(() => page.locator('[data-position]').textContent(), { timeout: 5_000 }).toBe('1.1.1');
    await banner(page, 'live-return').getByRole('button', { name: 'Dismiss' }).click();
    await banner(page, 'live-return').waitFor({ state: 'detached' });
    expect(p.errors).toEqual([]);
  }, 90_000);
});

describe('an expired session', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ env: { ROOMTONE_SESSION_LIFETIME_MS: '8000' } });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('goes to the join page as it ends, with the name and the code filled in, never still saying "Connected"', async () => {
    const p = await joinThroughPage(browser, stack, { name: 'Brief' });
    const expiresAt = await p.page.evaluate(() => (window as unknown as { roomtone: { session: { expiresAt: number } } }).roomtone.session.expiresAt);
    await p.page.getByLabel('Your name').waitFor({ timeout: 15_000 });
    const landedAt = Date.now();
    expect(landedAt - expiresAt, 'ms from the end of the session to the join page').toBeLessThan(3_000);
    await p.page.getByText('Your session ended').waitFor();
    expect(await p.page.getByLabel('Your name').inputValue()).toBe('Brief');
    expect(await p.page.locator('input[name="code"]').inputValue()).toBe(stack.joinCode);
    expect(await p.page.locator('[data-testid="conn"]').count()).toBe(0);
    // The session's refused heartbeat or socket is the browser's only logged error, if any.
    expect(p.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await p.close();
  }, 60_000);

  it('when the server stops, the status says Server stopped, not Connected, beside the banner', async () => {
    const p = await joinThroughPage(browser, stack, { name: 'Late' });
    await stack.stop();
    const conn = p.page.locator('[data-testid="conn"]');
    // The server says it stops (issue 13): the page says so and why, rather than a bare "Reconnecting".
    await expect.poll(() => conn.getAttribute('data-status'), { timeout: 10_000 }).toBe('stopped');
    expect(await conn.textContent()).toContain('Server stopped');
    expect(await conn.textContent()).not.toContain('Connected');
    expect(await p.page.locator('[data-banner="stopped"]').count()).toBe(1);
    expect(await p.page.locator('[data-banner="socket"], [data-banner="yjs"]').count()).toBe(0);
    await p.close();
  }, 60_000);
});
