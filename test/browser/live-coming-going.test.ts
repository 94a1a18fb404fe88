import { mkdirSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, request, send, type Peer } from '../../testkit/clients.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';

/**
 * Live coming and going, as a studio engineer lives it: Roomtone starts at boot with
 * `--live auto` and no Live, so the room runs on the simulator; then Live opens (here a
 * second simulator started with --as-live stands in for it on the script port: the real
 * Remote Script, reporting simulated=false), closes, and comes back with another set.
 * The browser is real Chromium on the real stack, and never reloads. The stand-in keeps its
 * agent secret where an installed Remote Script would (H9), not where the simulator's is:
 * the agent must take the right one with it when it moves.
 */
const DEMO = ['Rhythm', 'Drums', 'Perc', 'Bass', 'Keys', 'Pad', 'Lead', 'Guitar', 'Vocals', 'FX'];
const REHEARSAL = ['Kick Mic', 'Snare Mic', 'Bass DI', 'Stage Keys', 'Vocal Mic'];

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Live coming and going (--live auto)', { timeout: 240_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let person: Joined;
  let livePort: number;
  let liveSecret: string;
  let live: SimProcess | null = null;
  let peer: Peer;

  const trackNames = (page: Page) => page.locator('[data-track-name]').allTextContents();
  const banner = (page: Page, id: string) => page.locator(`[data-banner="${id}"]`);
  const health = async () => (await request(peer, 'GET', '/healthz')).body as { live: { mode: string; connected: boolean }; processes: Array<{ name: string; running: boolean }> };

  beforeAll(async () => {
    livePort = await freeTcpPort();
    const remoteScripts = mkdtempSync(path.join(os.tmpdir(), 'roomtone-remote-scripts-'));
    mkdirSync(path.join(remoteScripts, 'Roomtone'));
    liveSecret = path.join(remoteScripts, 'Roomtone', 'agent.secret');
    stack = await startStack({ args: ['--live', 'auto', '--script-port', String(livePort)], env: { ROOMTONE_REMOTE_SCRIPTS_DIR: remoteScripts } });
    peer = { base: stack.url, ca: stack.ca };
    browser = await launchBrowser();
    person = await joinThroughPage(browser, stack, { name: 'Engineer' });
  }, 180_000);

  afterAll(async () => {
    await person?.close().catch(() => undefined);
    await browser?.close();
    await live?.stop();
    await stack?.stop();
  });

  it('starts on the simulator while Live is not open, and says so', async () => {
    await expect.poll(() => trackNames(person.page), { timeout: 15_000 }).toEqual(DEMO);
    await banner(person.page, 'sim').waitFor({ timeout: 10_000 });
    expect((await health()).live).toMatchObject({ mode: 'sim', connected: true });
  });

  it('switches to Live within 2 s of its Remote Script answering, without a reload; the simulator stops', async () => {
    await person.page.evaluate(() => { (window as unknown as { __samePage: number }).__samePage = 42; });
    live = await SimProcess.start({ port: livePort, secretFile: liveSecret, args: ['--as-live', '--set', 'rehearsal'] });
    const answered = Date.now();
    await expect.poll(() => trackNames(person.page), { timeout: 2_000, interval: 50 }).toEqual(REHEARSAL);
    const switchedMs = Date.now() - answered;
    await banner(person.page, 'sim').waitFor({ state: 'detached', timeout: 2_000 });
    expect(await person.page.evaluate(() => (window as unknown as { __samePage?: number }).__samePage)).toBe(42);
    console.log(`[measure] the browser showed Live's set ${switchedMs} ms after its Remote Script answered`);
    await until(async () => (await health()).processes.some((p) => p.name === 'sim' && !p.running), 'the supervised simulator stopped', 10_000);
    expect((await health()).live).toMatchObject({ mode: 'real', connected: true });
    // The device panel asks Live for the selected track's parameters, and gets them.
    await person.page.locator('rt-param').first().waitFor({ timeout: 10_000 });
  });

  it('says Live is closed when it goes away, and waits for it (never falls back to the simulator)', async () => {
    const { cookie } = await join(peer, { name: 'Script', code: stack.joinCode });
    const socket = connectRoom(peer, cookie);
    await connected(socket);
    const names = await person.page.locator('[data-track-name]').allTextContents();
    expect(names).toEqual(REHEARSAL);
    const oldTrack = await trackIdOf(person.page, 'Kick Mic');
    expect(oldTrack).toMatch(/^t\d+-\w{3}$/);
    await live!.stop();
    live = null;
    const closed = banner(person.page, 'live');
    await closed.waitFor({ timeout: 10_000 });
    expect(await closed.textContent()).toContain('Live is closed');
    // The launcher noticed and waits: the simulator does not come back by itself.
    await until(() => stack.output.some((l) => l.includes('Live is closed')), 'the launcher saying Live is closed', 10_000);
    const h = await health();
    expect(h.live.connected).toBe(false);
    expect(h.processes.filter((p) => p.name === 'sim' && p.running)).toEqual([]);
    expect(await banner(person.page, 'sim').count()).toBe(0);

    // Live comes back with another set: the browser follows, old ids get SET_CHANGED.
    live = await SimProcess.start({ port: livePort, secretFile: liveSecret, args: ['--as-live', '--set', 'demo'] });
    await expect.poll(() => trackNames(person.page), { timeout: 10_000 }).toEqual(DEMO);
    await closed.waitFor({ state: 'detached', timeout: 5_000 });
    expect(await banner(person.page, 'sim').count()).toBe(0);
    const answer = await send(socket, { id: commandId(), action: 'track.set_volume', target: oldTrack, args: { value: 0.2 } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'SET_CHANGED' } });
    socket.close();
    expect(person.errors).toEqual([]);
  });
});

/** The track id the page shows for a track name (the fader carries it). */
async function trackIdOf(page: Page, name: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const find = (root: ParentNode): string | null => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          const got = find(el.shadowRoot);
          if (got) return got;
        }
        const id = el.getAttribute('track-id');
        if (id && el.shadowRoot?.querySelector('[data-track-name]')?.textContent === wanted) return id;
      }
      return null;
    };
    return find(document);
  }, name);
}
