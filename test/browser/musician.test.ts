import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type * as Y from 'yjs';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { join, openDoc, synced, type DocClient } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';
import { axeFindings } from './inspect.ts';

/**
 * What musicians reach for: the keyboard (Space, shortcuts and their overlay, skip links),
 * the wheel, launch quantization, clip rename and colour, recording into an empty slot,
 * the progress bar from Live's own position, and device banks. A y-websocket reader is the
 * ground truth for what Live holds.
 */
describe('musicians at the band view', () => {
  let stack: Stack;
  let browser: Browser;
  let truth: DocClient;
  let me: Joined;
  let page: Page;

  const map = (root: string) => truth.doc.getMap<Y.Map<unknown>>(root);
  const trackId = (name: string): string => {
    for (const [id, t] of map('tracks')) if (t.get('name') === name) return id;
    throw new Error(`no track ${name}`);
  };
  const song = () => truth.doc.getMap('song');

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const { cookie } = await join({ base: stack.url, ca: stack.ca }, { name: 'Truth', code: stack.joinCode, role: 'observer' });
    truth = openDoc({ base: stack.url, ca: stack.ca }, cookie, 'set');
    await synced(truth);
    await until(() => map('tracks').size >= 4, 'the set', 15_000);
    me = await joinThroughPage(browser, stack, { name: 'Keys', axe: true });
    page = me.page;
    await page.locator('[data-track-name]').first().waitFor();
  }, 120_000);

  afterAll(async () => {
    await me?.close();
    truth?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  it('Space plays and stops; shortcuts are listed in an overlay; typing in a field is left alone', async () => {
    // Nothing focused: Space belongs to the transport.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space');
    await until(() => song().get('isPlaying') === true, 'playing after Space', 5_000);
    await expect.poll(() => page.getByRole('button', { name: 'Play from start' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Space');
    await until(() => song().get('isPlaying') === false, 'stopped after Space', 5_000);
    const click = song().get('metronome') === true;
    await page.keyboard.press('c');
    await until(() => song().get('metronome') === !click, 'the metronome toggled by C', 5_000);
    // C toggles what the page shows: press again once the page shows the first toggle, as a person would.
    await expect.poll(() => page.getByRole('button', { name: 'Click (metronome)' }).getAttribute('aria-pressed')).toBe(String(!click));
    await page.keyboard.press('c');
    await until(() => song().get('metronome') === click, 'the metronome back', 5_000);

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Play or stop');
    expect(await axeFindings(page), 'axe with the shortcuts overlay open').toEqual([]);
    await page.keyboard.press('Space'); // belongs to the dialog, not the transport
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(song().get('isPlaying')).toBe(false);

    // Typing a space in the notes writes a space; it does not start the song.
    await page.locator('rt-band').getByRole('button', { name: 'Notes', exact: true }).click();
    const notes = page.getByLabel('Shared notes: set list, lyrics, lesson notes');
    await notes.click();
    await page.keyboard.type('a b');
    await expect.poll(() => notes.inputValue()).toContain('a b');
    expect(song().get('isPlaying')).toBe(false);
    await page.locator('rt-band').getByRole('button', { name: 'Devices', exact: true }).click();
    expect(me.errors).toEqual([]);
  }, 60_000);

  it('two Tabs and two Enters reach the first clip: the skip links', async () => {
    await page.goto(page.url());
    await page.locator('[data-track-name]').first().waitFor();
    await page.keyboard.press('Tab');
    const active = () => page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return `${el?.tagName.toLowerCase()} ${el?.textContent?.trim().slice(0, 40) ?? ''} ${el?.getAttribute('data-slot') ?? ''}`;
    });
    expect(await active()).toMatch(/^button Skip to the main content/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await active()).toMatch(/^button Skip to the clips/);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/^button .* cs\d+-\w+$/);
  }, 60_000);

  it('the wheel moves a fader (one gesture), finely with Shift', async () => {
    const id = trackId('Keys');
    const fader = page.locator(`rt-fader[data-track="${id}"] [role="slider"]`);
    const before = Number(map('tracks').get(id)!.get('volume'));
    const box = (await fader.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const dir = before > 0.5 ? 1 : -1; // wheel down lowers
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, dir * 100);
    await until(() => Math.abs(Number(map('tracks').get(id)!.get('volume')) - (before - dir * 0.1)) < 0.005, 'the volume moved by five notches', 5_000);
    const mid = Number(map('tracks').get(id)!.get('volume'));
    await page.keyboard.down('Shift');
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, dir * 100);
    await page.keyboard.up('Shift');
    await until(() => Math.abs(Number(map('tracks').get(id)!.get('volume')) - (mid - dir * 0.01)) < 0.002, 'five fine notches', 5_000);
  }, 60_000);

  it('dragging the tempo moves 1 BPM per 10 px, a tenth of that with Shift', async () => {
    const tempo = page.getByRole('spinbutton', { name: 'Tempo in BPM' });
    const box = (await tempo.boundingBox())!;
    const drag = async (dy: number, fine: boolean): Promise<void> => {
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      if (fine) await page.keyboard.down('Shift');
      await page.mouse.move(x, y - dy, { steps: 6 });
      await page.mouse.up();
      if (fine) await page.keyboard.up('Shift');
    };
    // Live holds the value and the page shows it, so the next drag starts from there.
    const at = async (bpm: number, what: string): Promise<void> => {
      await until(() => Math.abs(Number(song().get('tempo')) - bpm) < 0.001, what, 5_000);
      await expect.poll(async () => Math.abs(Number(await tempo.getAttribute('aria-valuenow')) - bpm) < 0.001).toBe(true);
    };
    const start = Number(song().get('tempo'));
    await drag(30, false);
    await at(start + 3, '+3 BPM for 30 px');
    await drag(30, true);
    await at(start + 3.3, '+0.3 BPM for 30 px with Shift');
    await drag(-30, false);
    await at(start + 0.3, '-3 BPM for 30 px down');
    await drag(-30, true);
    await at(start, 'back where it was');
  }, 30_000);

  it('launch quantization is set from the transport', async () => {
    await page.locator('[data-testid="quantization"]').selectOption('1/4');
    await until(() => song().get('quantization') === '1/4', 'quantization 1/4 in Live', 5_000);
    await page.locator('[data-testid="quantization"]').selectOption('1 Bar');
    await until(() => song().get('quantization') === '1 Bar', 'quantization back to 1 Bar', 5_000);
  }, 30_000);

  it('a clip is renamed and recoloured from its context menu', async () => {
    const clip = page.locator('button[data-clip]').first();
    const clipId = (await clip.getAttribute('data-clip'))!;
    await clip.click({ button: 'right' });
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Hook take 2');
    expect(await axeFindings(page), 'axe with the clip editor open').toEqual([]);
    await dialog.getByLabel('Colour 15 of 70, #ff3636').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await until(() => map('clips').get(clipId)?.get('name') === 'Hook take 2' && map('clips').get(clipId)?.get('color') === 0xff3636, 'the clip renamed and red in Live', 5_000);
    await expect.poll(() => page.locator(`button[data-clip="${clipId}"]`).textContent()).toContain('Hook take 2');
  }, 30_000);

  it('an armed track records into an empty slot, and a second press ends the take', async () => {
    const id = trackId('Bass');
    await page.getByRole('button', { name: 'Arm Bass for recording' }).click();
    await until(() => map('tracks').get(id)?.get('arm') === true, 'Bass armed', 5_000);
    const record = page.locator('button[data-record]').first();
    await record.waitFor();
    const slotId = (await record.getAttribute('data-slot'))!;
    await record.click();
    await until(() => map('clipSlots').get(slotId)?.get('state') === 'recording', 'recording into the slot', 8_000);
    await page.locator(`button[data-slot="${slotId}"][data-state="recording"]`).click();
    await until(() => map('clipSlots').get(slotId)?.get('state') === 'playing', 'the take playing', 10_000);
    await page.getByRole('button', { name: 'Arm Bass for recording' }).click();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  }, 60_000);

  it('the progress bar follows Live’s own playing position', async () => {
    await page.getByRole('button', { name: 'Play from start' }).click();
    const clip = page.locator('button[data-clip]', { hasText: 'Keys Verse' }).first();
    await clip.click();
    await page.locator('button[data-clip][data-state="playing"]', { hasText: 'Keys Verse' }).waitFor({ timeout: 8_000 });
    const clipId = (await clip.getAttribute('data-clip'))!;
    // The bar's length is Live's position within the loop (as the meters say), not a timer.
    const samples = [];
    for (let i = 0; i < 6; i++) {
      samples.push(await page.evaluate((cid) => {
        const r = (window as unknown as { roomtone: { link: { meters: { clips: Record<string, number> } }; set: { get(k: string, id: string): { loopStart: number; loopEnd: number } } } }).roomtone;
        const find = (root: ParentNode): Element | null => {
          const hit = root.querySelector(`button[data-clip="${cid}"] .progress`);
          if (hit) return hit;
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
          return null;
        };
        const bar = find(document) as HTMLElement | null;
        const c = r.set.get('clip', cid);
        const pos = r.link.meters.clips[cid];
        const scale = Number(/scaleX\(([\d.]+)\)/.exec(bar?.style.transform ?? '')?.[1] ?? NaN);
        return { pos, scale, expected: pos === undefined ? NaN : (pos - c.loopStart) / (c.loopEnd - c.loopStart) };
      }, clipId));
      // The next sample is taken once Live has reported a new position.
      await page.waitForFunction(([cid, last]) => (window as unknown as { roomtone: { link: { meters: { clips: Record<string, number> } } } }).roomtone.link.meters.clips[cid] !== last, [clipId, samples[samples.length - 1]!.pos] as const, { timeout: 5_000 });
    }
    const measured = samples.filter((s) => Number.isFinite(s.scale) && Number.isFinite(s.expected));
    expect(measured.length).toBeGreaterThan(3);
    for (const s of measured) expect(Math.abs(s.scale - s.expected)).toBeLessThan(0.1);
    expect(new Set(measured.map((s) => s.scale.toFixed(3))).size).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  }, 60_000);

  it('device parameters come in Live’s own banks', async () => {
    await page.locator('[data-track-head]', { hasText: 'Bass' }).first().click();
    const device = page.locator('rt-device', { hasText: 'Sub Bass' });
    await device.locator('button[data-bank="0"]', { hasText: 'Oscillators' }).waitFor({ timeout: 5_000 });
    expect(await device.locator('rt-param').count()).toBeLessThanOrEqual(8);
    await device.locator('button[data-bank="1"]').click();
    await device.getByRole('slider', { name: 'Filter Freq' }).waitFor();
    await device.locator('button[data-bank="all"]').click();
    await expect.poll(() => device.locator('rt-param').count()).toBeGreaterThan(8);
    expect(me.errors).toEqual([]);
  }, 30_000);
});
