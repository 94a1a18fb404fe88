import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type * as Y from 'yjs';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { join, openDoc, synced, type DocClient } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { wavBytes } from '../../testkit/audio.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';

/**
 * A person drags an audio file from their desktop onto an empty slot in the grid: the
 * slot shows the upload's progress, then the clip once Live has it. The upload is slowed
 * (Chromium's network throttling) so the progress bar is really seen, not assumed.
 */
describe('files in the browser on the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let truth: DocClient;
  const open: Joined[] = [];

  const slotsOf = (trackName: string): string[] => {
    const tracks = truth.doc.getMap<Y.Map<unknown>>('tracks');
    for (const [, t] of tracks) if (t.get('name') === trackName) return (t.get('clipSlots') as string[]) ?? [];
    return [];
  };
  const slot = (id: string): Y.Map<unknown> | undefined => truth.doc.getMap<Y.Map<unknown>>('clipSlots').get(id);

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const { cookie } = await join({ base: stack.url, ca: stack.ca }, { name: 'Truth', code: stack.joinCode, role: 'observer' });
    truth = openDoc({ base: stack.url, ca: stack.ca }, cookie, 'set');
    await synced(truth);
    await until(() => slotsOf('Guitar').length > 0, 'the simulator set in the truth doc', 15_000);
  }, 120_000);

  afterAll(async () => {
    for (const p of open) await p.close().catch(() => undefined);
    truth?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  it('UI-F1 dragging a file onto an empty audio slot shows its progress, then the clip', { timeout: 120_000 }, async () => {
    const ada = await joinThroughPage(browser, stack, { name: 'Ada' });
    open.push(ada);
    const page = ada.page;
    const target = slotsOf('Guitar').find((id) => slot(id)?.get('hasClip') === false)!;
    const cell = page.locator(`button[data-slot="${target}"]`);
    await cell.waitFor();
    expect(await cell.getAttribute('data-drop')).toBe('audio');

    // ~1.4 MB at ~400 KB/s: a few seconds in which the progress bar must show.
    const cdp = await ada.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
    const wav = wavBytes(8, { seed: 31 }).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'Phone riff.wav', { type: 'audio/wav' }));
      return dt;
    }, wav);
    const host = page.locator(`rt-clip-cell:has(button[data-slot="${target}"])`);
    await host.dispatchEvent('dragenter', { dataTransfer: transfer });
    await host.dispatchEvent('dragover', { dataTransfer: transfer });
    await host.dispatchEvent('drop', { dataTransfer: transfer });

    const bar = page.locator(`button[data-slot="${target}"] [data-upload-progress]`);
    await bar.waitFor({ timeout: 15_000 });
    const seen = new Set<number>();
    await until(async () => {
      const value = await bar.getAttribute('data-upload-progress').catch(() => null);
      if (value !== null) seen.add(Number(value));
      return seen.size >= 2 && [...seen].some((v) => v > 0 && v < 100);
    }, 'the progress bar moving', 30_000, 50);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    const clip = page.locator(`button[data-slot="${target}"][data-clip]`);
    await clip.waitFor({ timeout: 30_000 });
    expect(await clip.getAttribute('aria-label')).toContain('Phone riff');
    await until(() => slot(target)?.get('hasClip') === true, 'the clip in the set doc');

    // The Files view lists it as this person's, with a download link.
    await page.locator('nav button[data-view="files"]').click();
    const row = page.locator('rt-files li[data-file]', { hasText: 'Phone riff.wav' });
    await row.waitFor();
    expect(await row.textContent()).toContain('yours');
    expect(await row.locator('a[download]').getAttribute('href')).toMatch(/^\/api\/files\/[0-9a-f]{64}\/download$/);
    expect(ada.errors).toEqual([]);
  });
});
