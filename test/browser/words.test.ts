import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type * as Y from 'yjs';
import { dbToVolume } from '../../protocol/index.ts';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { join, openDoc, synced, type DocClient, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The command line in Chromium on the real stack: typed words become a preview in plain
 * words, Enter runs them through the ordinary command path, and the mixer moves. A
 * separate y-websocket reader is the ground truth for the set.
 */
describe('words in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let truth: DocClient;
  const open: Joined[] = [];
  /** A stand-in for an OpenAI-compatible model on the LAN: it proposes the Vocals fader at +3 dB. */
  let model: http.Server;
  const modelRequests: string[] = [];

  const trackNamed = (name: string): Y.Map<unknown> => [...truth.doc.getMap<Y.Map<unknown>>('tracks').values()].find((t) => t.get('name') === name)!;
  const line = (page: Page) => page.getByRole('textbox', { name: 'Say it' });
  const preview = (page: Page) => page.locator('rt-command-line #words-preview');
  const fader = (page: Page, id: string) => page.locator(`rt-fader[data-track="${id}"] [role="slider"]`);

  async function person(opts: Parameters<typeof joinThroughPage>[2]): Promise<Joined> {
    const joined = await joinThroughPage(browser, stack, opts);
    open.push(joined);
    return joined;
  }

  beforeAll(async () => {
    model = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        modelRequests.push(body);
        const vocals = /(t\d+(?:-\w+)?): Vocals/.exec(body)?.[1] ?? 'none';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'track__set_volume', arguments: JSON.stringify({ target: vocals, args: { value: 0.925 } }) } }] } }] }));
      });
    });
    await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
    stack = await startStack({ args: ['--model-url', `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`, '--model-name', 'stand-in'] });
    browser = await launchBrowser();
    const peer: Peer = { base: stack.url, ca: stack.ca };
    const { cookie } = await join(peer, { name: 'Truth', code: stack.joinCode, role: 'observer' });
    truth = openDoc(peer, cookie, 'set');
    await synced(truth);
    await until(() => trackNamed('Bass') !== undefined && trackNamed('Vocals') !== undefined, 'the demo set in the truth doc', 15_000);
  }, 120_000);

  afterAll(async () => {
    for (const p of open) await p.close().catch(() => undefined);
    truth?.destroy();
    await browser?.close();
    await stack?.stop();
    await new Promise<void>((resolve) => (model ? model.close(() => resolve()) : resolve()));
  });

  it('type, preview, run: "bass down 3 dB" moves the Bass fader, by keyboard alone', async () => {
    const ada = await person({ name: 'Ada' });
    const bass = trackNamed('Bass');
    const id = String(bass.get('id'));
    await fader(ada.page, id).waitFor({ timeout: 10_000 });
    const before = Number(bass.get('volume'));
    await ada.page.keyboard.press('Control+k');
    await expect.poll(() => line(ada.page).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await ada.page.keyboard.type('bass down 3 dB');
    await ada.page.keyboard.press('Enter');
    await expect.poll(() => preview(ada.page).textContent(), { timeout: 10_000 }).toMatch(/Bass down 3 dB \(-2 dB to -5 dB\)/);
    expect(await preview(ada.page).getAttribute('role')).toBe('status');
    // The preview changed nothing.
    expect(Number(bass.get('volume'))).toBe(before);
    await ada.page.keyboard.press('Enter');
    const target = dbToVolume(-5);
    await until(() => Math.abs(Number(bass.get('volume')) - target) < 1e-4, 'the bass at -5 dB in the set', 10_000);
    await expect.poll(() => fader(ada.page, id).getAttribute('aria-valuetext'), { timeout: 5_000 }).toBe('-5.0 dB');
    await expect.poll(() => preview(ada.page).textContent()).toMatch(/Done/);
    // The line is empty again; ↑ brings back what was said.
    expect(await line(ada.page).inputValue()).toBe('');
    await ada.page.keyboard.press('ArrowUp');
    expect(await line(ada.page).inputValue()).toBe('bass down 3 dB');
    expect(ada.errors).toEqual([]);
  });

  it('Esc cancels a preview without running it; a refusal offers things to say instead', async () => {
    const lin = await person({ name: 'Lin' });
    const keys = trackNamed('Keys');
    await lin.page.locator('[data-testid="open-words"]').click();
    await line(lin.page).fill('mute the keys');
    await line(lin.page).press('Enter');
    await expect.poll(() => preview(lin.page).textContent(), { timeout: 10_000 }).toMatch(/Mute Keys/);
    await line(lin.page).press('Escape');
    await expect.poll(() => preview(lin.page).textContent()).toBe('');
    await line(lin.page).press('Enter');
    await expect.poll(() => preview(lin.page).textContent()).toMatch(/Mute Keys/);
    await line(lin.page).press('Escape');
    await line(lin.page).press('Escape');
    await expect.poll(() => lin.page.locator('rt-command-line').getAttribute('open')).toBeNull();
    expect(keys.get('mute')).toBe(false);

    await lin.page.keyboard.press('/');
    await line(lin.page).fill('mute the trumpet');
    await line(lin.page).press('Enter');
    await expect.poll(() => preview(lin.page).textContent(), { timeout: 10_000 }).toMatch(/No track called "trumpet"/);
    await line(lin.page).fill('play the hook');
    await line(lin.page).press('Enter');
    await expect.poll(() => preview(lin.page).textContent(), { timeout: 10_000 }).toMatch(/could be Hook \(Lead, Chorus\)/);
    const suggestions = lin.page.getByRole('group', { name: 'Things to say instead' }).getByRole('button');
    expect(await suggestions.allTextContents()).toEqual(['play Lead in Chorus', 'play Lead in Chorus 2']);
    // A suggestion is a sentence to say: choosing it previews it.
    await suggestions.first().click();
    await expect.poll(() => preview(lin.page).textContent(), { timeout: 10_000 }).toMatch(/Launch Hook on Lead \(scene Chorus\)/);
    expect(await line(lin.page).inputValue()).toBe('play Lead in Chorus');
    expect(lin.errors).toEqual([]);
  });

  it('passes an axe audit with the command line open and a preview shown', async () => {
    const grace = await person({ name: 'Grace' });
    await grace.page.keyboard.press('Control+k');
    await line(grace.page).fill('solo drums and bass');
    await line(grace.page).press('Enter');
    await expect.poll(() => preview(grace.page).textContent(), { timeout: 10_000 }).toMatch(/Solo Drums and Bass/);
    // Evaluated through the debugging protocol, which the page's CSP (script-src 'self') does not govern.
    await grace.page.evaluate(AXE);
    const violations = await grace.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
      const result = await axe.run({ include: [['rt-app', 'rt-shell', 'rt-command-line'], ['rt-app', 'rt-shell', 'header']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    expect(violations).toEqual([]);
    expect(grace.errors).toEqual([]);
  });

  it('words the parser gives up on can go to the room\'s model, only when asked; its proposal is previewed and runs only on Enter', async () => {
    const kim = await person({ name: 'Kim' });
    const vocals = trackNamed('Vocals');
    await kim.page.keyboard.press('Control+k');
    await line(kim.page).fill('make the chorus bigger');
    await line(kim.page).press('Enter');
    await expect.poll(() => preview(kim.page).textContent(), { timeout: 10_000 }).toMatch(/does not know what "bigger" means/);
    expect(modelRequests).toHaveLength(0);
    await kim.page.getByRole('button', { name: 'Ask the room\u2019s model' }).click();
    await expect.poll(() => preview(kim.page).textContent(), { timeout: 10_000 }).toMatch(/Suggested by the room\u2019s model.*Vocals to \+3 dB/);
    expect(modelRequests).toHaveLength(1);
    // Only the words and the set went out: not who asked.
    expect(modelRequests[0]).toContain('make the chorus bigger');
    expect(modelRequests[0]).not.toContain('Kim');
    expect(Number(vocals.get('volume'))).not.toBe(0.925);
    await line(kim.page).press('Enter');
    await until(() => vocals.get('volume') === 0.925, 'the model\'s proposal landed after Enter', 10_000);
    expect(kim.errors).toEqual([]);
  });

  it('an observer may ask questions; nothing runs, and the line says why', async () => {
    const obs = await person({ name: 'Watcher', role: 'observer' });
    await obs.page.keyboard.press('Control+k');
    await line(obs.page).fill("what's the tempo?");
    await line(obs.page).press('Enter');
    await expect.poll(() => preview(obs.page).textContent(), { timeout: 10_000 }).toMatch(/The tempo is \d+ BPM/);
    await line(obs.page).fill('mute the pad');
    await line(obs.page).press('Enter');
    await expect.poll(() => preview(obs.page).textContent(), { timeout: 10_000 }).toMatch(/Nothing will run: Observers watch/);
    await line(obs.page).press('Enter');
    expect(trackNamed('Pad').get('mute')).toBe(false);
    expect(obs.errors).toEqual([]);
  });
});
