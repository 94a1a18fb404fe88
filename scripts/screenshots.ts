/**
 * Writes docs/screenshots/*.png from the real stack: server, host agent and the Python
 * simulator on free loopback ports, driven through Debian's Chromium.
 *
 *   npx tsx scripts/screenshots.ts
 *
 * Several people join (a band on laptops, a tablet, an observer, the teacher), play the
 * set a little and write in the notes, so each picture shows the room in use.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startStack } from '../testkit/stack.ts';
import { ROOT } from '../testkit/root.ts';
import { launchBrowser, joinThroughPage, type Joined } from '../test/browser/harness.ts';
import { until } from '../testkit/poll.ts';

const OUT = path.join(ROOT, 'docs', 'screenshots');

async function settle(page: Page): Promise<void> {
  // Two animation frames: the last Yjs flush and meter paint are on screen.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack();
  const browser = await launchBrowser();
  const people: Joined[] = [];
  try {
    // 1. The join page, as the QR link opens it.
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    const joinPage = await ctx.newPage();
    await joinPage.goto(`${stack.url}/?code=${stack.joinCode}`);
    await joinPage.getByLabel('Your name').fill('Sam (bass)');
    await joinPage.locator('text=Simulated set ready').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await joinPage.screenshot({ path: path.join(OUT, 'join.png') });
    await ctx.close();

    // 2. The band: a laptop member plays the set.
    const sam = await joinThroughPage(browser, stack, { name: 'Sam', viewport: { width: 1440, height: 900 } });
    people.push(sam);
    const band = sam.page;
    await band.locator('[data-track-name]').first().waitFor();
    await band.getByRole('button', { name: 'Play from start' }).click();
    for (const name of ['Beat Verse', 'Bass Verse', 'Keys Verse', 'Gtr Verse']) {
      const clip = band.locator('button[data-clip]', { hasText: name }).first();
      if (await clip.count()) await clip.click();
    }
    await band.locator('button[data-state="playing"]').first().waitFor({ timeout: 8_000 });
    const bass = band.locator('[data-track-head]', { hasText: 'Bass' }).first();
    if (await bass.count()) await bass.click();
    const others = await Promise.all([
      joinThroughPage(browser, stack, { name: 'Ines', viewport: { width: 1280, height: 800 } }),
      joinThroughPage(browser, stack, { name: 'Theo', role: 'observer', viewport: { width: 1280, height: 800 } }),
    ]);
    people.push(...others);
    await band.locator('[data-testid="load-line"]').waitFor({ timeout: 5_000 }).catch(() => undefined);
    await settle(band);
    await band.screenshot({ path: path.join(OUT, 'band.png') });

    // 3. The tablet surface, touch-first at 1024×768.
    const tab = await joinThroughPage(browser, stack, { name: 'Tablet', layout: 'surface', viewport: { width: 1024, height: 768 }, touch: true });
    people.push(tab);
    await tab.page.locator('rt-surface').waitFor();
    await tab.page.locator('button[data-state="playing"]').first().waitFor({ timeout: 5_000 });
    await settle(tab.page);
    await tab.page.screenshot({ path: path.join(OUT, 'surface.png') });

    // 4. The notes, with two people writing.
    const notesA = sam.page;
    await notesA.locator('nav button[data-view="notes"]').click();
    const ines = others[0];
    await ines.page.locator('nav button[data-view="notes"]').click();
    const area = (p: Page) => p.getByLabel('Shared notes: set list, lyrics, lesson notes');
    await area(notesA).click();
    await area(notesA).pressSequentially('SET LIST — Friday rehearsal\n\n1. Intro (4 bars, keys alone)\n2. Verse → Pre → Chorus\n3. Bridge: half time, watch Ines for the cue\n4. Chorus 2 ×2, then Outro\n\nTODO: bass a touch lower in the chorus\n', { delay: 0 });
    await area(ines.page).click();
    await ines.page.keyboard.press('Control+End');
    await ines.page.keyboard.type('Ines: tempo 96 for the bridge?');
    await until(async () => (await area(notesA).inputValue()).includes('for the bridge?'), 'Ines’s line in Sam’s notes', 5_000);
    await notesA.locator('rt-notes .caret').first().waitFor({ timeout: 5_000 });
    await settle(notesA);
    await notesA.screenshot({ path: path.join(OUT, 'notes.png') });
    await notesA.locator('nav button[data-view="band"]').click();

    // 5. The teacher's console with the room in use.
    const teacher = await joinThroughPage(browser, stack, { name: 'Ms Rivera', role: 'host', viewport: { width: 1440, height: 900 } });
    people.push(teacher);
    await teacher.page.locator('[data-testid="lock"]').waitFor();
    await teacher.page.locator('tr[data-session]').nth(3).waitFor({ timeout: 8_000 }).catch(() => undefined);
    await settle(teacher.page);
    await teacher.page.screenshot({ path: path.join(OUT, 'console.png') });

    for (const p of people) if (p.errors.length) console.warn(`page errors (${p.page.url()}):\n  ${p.errors.join('\n  ')}`);
    console.log(`screenshots written to ${path.relative(ROOT, OUT)}/`);
  } finally {
    for (const p of people) await p.close().catch(() => undefined);
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
