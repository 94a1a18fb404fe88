import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, send, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';

/**
 * M8 in a real browser: the server rebuilds the `set` doc under fader traffic (here after
 * only 24 KB of history), and the page, which drops its grown doc for a fresh one, must
 * never show an empty mixer meanwhile.
 */
describe('browser client across a compaction of the set doc', () => {
  let stack: Stack;
  let browser: Browser;
  let person: Joined | undefined;

  beforeAll(async () => {
    stack = await startStack({ args: ['--compact-after-kb', '24', '--rate-per-second', '1000', '--rate-burst', '1000'] });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await person?.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('M8 the mixer never goes blank while the page swaps in the rebuilt doc, and follows the new doc afterwards', async () => {
    person = await joinThroughPage(browser, stack, { name: 'Drummer' });
    const { page } = person;
    const strips = page.locator('rt-fader[data-track]');
    await until(async () => (await strips.count()) >= 4, 'the mixer in the page', 15_000);
    // The grid renders a few columns per frame the first time: measure once it is whole.
    await page.locator('rt-band[complete]').waitFor({ timeout: 15_000 });
    const tracks = await strips.evaluateAll((els) => els.map((el) => el.getAttribute('data-track')!));

    // Count the strips on every frame from now on, through every shadow root.
    await page.evaluate(() => {
      const count = (root: Document | ShadowRoot): number => {
        let n = root.querySelectorAll('rt-fader[data-track]').length;
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) n += count(el.shadowRoot);
        return n;
      };
      const w = window as unknown as { minStrips: number; frames: number };
      w.minStrips = Infinity;
      w.frames = 0;
      const frame = (): void => {
        w.minStrips = Math.min(w.minStrips, count(document));
        w.frames++;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });

    // Fader traffic from another member until the server logs a rebuild.
    const peer: Peer = { base: stack.url, ca: stack.ca };
    const { cookie } = await join(peer, { name: 'Mixer', code: stack.joinCode });
    const socket = connectRoom(peer, cookie);
    await connected(socket);
    const compacted = (): boolean => stack.output.some((l) => /compacted the set doc/.test(l));
    let n = 0;
    try {
      await until(async () => {
        await Promise.all(tracks.map((id) => send(socket, { id: commandId(), action: 'track.set_volume', target: id, args: { value: ((n++ % 90) + 5) / 100 } })));
        return compacted();
      }, 'the server to rebuild the set doc', 60_000, 10);

      // A value set after the rebuild shows in the page: it follows the new doc.
      const last = 0.42;
      expect((await send(socket, { id: commandId(), action: 'track.set_volume', target: tracks[0]!, args: { value: last } })).ok).toBe(true);
      await until(async () => Number(await page.locator(`rt-fader[data-track="${tracks[0]}"] [role="slider"]`).getAttribute('aria-valuenow')) === last, 'the new value in the page', 15_000);
    } finally {
      socket.close();
    }
    const seen = await page.evaluate(() => {
      const w = window as unknown as { minStrips: number; frames: number };
      return { minStrips: w.minStrips, frames: w.frames };
    });
    expect(seen.frames).toBeGreaterThan(10);
    expect(seen.minStrips).toBe(tracks.length);
    expect(person.errors).toEqual([]);
  }, 120_000);
});
