/**
 * Writes docs/screenshots/*.png from the real stack: server, host agent and the Python
 * simulator on free loopback ports, driven through Debian's Chromium.
 *
 *   npx tsx scripts/screenshots.ts
 *
 * Every view (join, band, surface, notes, files, console, projector) at the five screens people
 * hold: a laptop (1440×900, mouse), a tablet both ways (1024×768 and 768×1024, touch) and a
 * phone both ways (390×844 and 844×390, touch). Files are `<view>-<width>x<height>.png`.
 * A band plays the set meanwhile and someone writes in the notes, so each picture shows the
 * room in use. It also reports any page that scrolls sideways or logs an error.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../testkit/stack.ts';
import { ROOT } from '../testkit/root.ts';
import { launchBrowser, joinThroughPage, type Joined } from '../test/browser/harness.ts';
import { until } from '../testkit/poll.ts';

const OUT = path.join(ROOT, 'docs', 'screenshots');

export const SCREENS = [
  { width: 1440, height: 900, touch: false },
  { width: 1024, height: 768, touch: true },
  { width: 768, height: 1024, touch: true },
  { width: 390, height: 844, touch: true },
  { width: 844, height: 390, touch: true },
] as const;

async function settle(page: Page): Promise<void> {
  // Two animation frames: the last Yjs flush and meter paint are on screen.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth, document.body.scrollWidth - document.body.clientWidth));
}

async function shoot(page: Page, name: string, problems: string[]): Promise<void> {
  await settle(page);
  const over = await sideways(page);
  if (over > 0) problems.push(`${name}: scrolls ${over} px sideways`);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

async function openView(page: Page, view: string): Promise<void> {
  const tab = page.locator(`nav button[data-view="${view}"]`);
  if (await tab.count()) await tab.click();
  else await page.evaluate((v) => { location.hash = v; }, view);
}

async function band(browser: Browser, stack: Stack): Promise<Joined[]> {
  const sam = await joinThroughPage(browser, stack, { name: 'Sam', viewport: { width: 1440, height: 900 } });
  const page = sam.page;
  await page.locator('[data-track-name]').first().waitFor();
  await page.getByRole('button', { name: 'Play from start' }).click();
  for (const name of ['Beat Verse', 'Bass Verse', 'Keys Verse', 'Gtr Verse']) {
    const clip = page.locator('button[data-clip]', { hasText: name }).first();
    if (await clip.count()) await clip.click();
  }
  await page.locator('button[data-state="playing"]').first().waitFor({ timeout: 8_000 });
  // A sound sent to the studio, so the Files view shows one in the room's files.
  await openView(page, 'files');
  await page.locator('rt-files input[type="file"]').setInputFiles(path.join(ROOT, 'test', 'fixtures', 'audio', 'tone.wav'));
  await page.locator('rt-files li[data-file]').first().waitFor({ timeout: 30_000 });
  await openView(page, 'band');
  const ines = await joinThroughPage(browser, stack, { name: 'Ines', viewport: { width: 1280, height: 800 } });
  const theo = await joinThroughPage(browser, stack, { name: 'Theo', role: 'observer', viewport: { width: 1280, height: 800 } });
  await ines.page.locator('nav button[data-view="notes"]').click();
  const area = ines.page.getByLabel('Shared notes: set list, lyrics, lesson notes');
  await area.click();
  await area.pressSequentially('SET LIST — Friday rehearsal\n\n1. Intro (4 bars, keys alone)\n2. Verse → Pre → Chorus\n3. Bridge: half time, watch Ines for the cue\n4. Chorus 2 ×2, then Outro\n\nTODO: bass a touch lower in the chorus\n', { delay: 0 });
  return [sam, ines, theo];
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack();
  const browser = await launchBrowser();
  const people: Joined[] = [];
  const problems: string[] = [];
  try {
    people.push(...await band(browser, stack));
    for (const screen of SCREENS) {
      const size = `${screen.width}x${screen.height}`;
      const viewport = { width: screen.width, height: screen.height };

      // The join page, as the QR link opens it.
      const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport, ...(screen.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 1 } : {}) });
      const joinPage = await ctx.newPage();
      await joinPage.goto(`${stack.url}/?code=${stack.joinCode}`);
      await joinPage.getByLabel('Your name').fill('Sam (bass)');
      await joinPage.locator('text=Simulated set ready').waitFor({ timeout: 10_000 }).catch(() => undefined);
      await shoot(joinPage, `join-${size}`, problems);
      await ctx.close();

      // A member on this screen: band, surface, notes and files.
      const member = await joinThroughPage(browser, stack, { name: `Member ${size}`, viewport, touch: screen.touch });
      people.push(member);
      for (const view of ['band', 'surface', 'notes', 'files']) {
        await openView(member.page, view);
        if (view === 'band' || view === 'surface') await member.page.locator('button[data-state="playing"]').first().waitFor({ timeout: 5_000 }).catch(() => undefined);
        if (view === 'files') {
          await member.page.locator('rt-files').waitFor({ timeout: 5_000 });
          await until(async () => (await member.page.locator('rt-files p.empty', { hasText: 'Loading' }).count()) === 0, 'the files and takes listed', 10_000);
        }
        await shoot(member.page, `${view}-${size}`, problems);
      }

      // The teacher on this screen: console and projector.
      const teacher = await joinThroughPage(browser, stack, { name: 'Ms Rivera', role: 'host', viewport, touch: screen.touch, layout: 'console' });
      people.push(teacher);
      await teacher.page.locator('[data-testid="lock"]').waitFor();
      await until(async () => (await teacher.page.locator('tr[data-session]').count()) >= 3, 'people in the console', 8_000).catch(() => undefined);
      await shoot(teacher.page, `console-${size}`, problems);
      await teacher.page.getByRole('button', { name: 'Project QR code' }).click();
      await teacher.page.locator('[data-testid="projected-code"]').waitFor({ timeout: 5_000 });
      await teacher.page.locator('rt-projector .qr').waitFor({ timeout: 5_000 });
      await shoot(teacher.page, `projector-${size}`, problems);
      for (const p of [teacher, member]) {
        if (p.errors.length) problems.push(`page errors (${size}): ${p.errors.join('; ')}`);
        await p.close();
        people.splice(people.indexOf(p), 1);
      }
    }
    for (const p of people) if (p.errors.length) problems.push(`page errors (${p.page.url()}): ${p.errors.join('; ')}`);
    console.log(`screenshots written to ${path.relative(ROOT, OUT)}/`);
    if (problems.length) {
      console.warn(`problems:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    }
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
