import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type * as Y from 'yjs';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, openDoc, request, send, synced, type DocClient, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { launchBrowser, joinThroughPage, type Joined } from './harness.ts';
import { axeFindings } from './inspect.ts';

/**
 * The browser client against the real stack: server, host agent and the Python
 * simulator on free loopback ports, driven through Debian's Chromium. A separate
 * y-websocket reader (not the browser) is the ground truth for what the set holds.
 */
describe('browser client on the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let truth: DocClient;
  let peer: Peer;
  const open: Joined[] = [];

  const trackIds = (): string[] => {
    const order = truth.doc.getMap('order');
    return (order.get('tracks') as string[] | undefined) ?? [];
  };
  const track = (id: string): Y.Map<unknown> => truth.doc.getMap<Y.Map<unknown>>('tracks').get(id)!;

  async function person(opts: Parameters<typeof joinThroughPage>[2]): Promise<Joined> {
    const joined = await joinThroughPage(browser, stack, opts);
    open.push(joined);
    return joined;
  }

  async function done(...people: Joined[]): Promise<void> {
    for (const p of people) {
      expect(p.errors, `${p.page.url()} logged errors`).toEqual([]);
      await p.close();
      open.splice(open.indexOf(p), 1);
    }
  }

  const slider = (page: Page, trackId: string) => page.locator(`rt-fader[data-track="${trackId}"] [role="slider"]`);
  const valueOf = async (page: Page, trackId: string) => Number(await slider(page, trackId).getAttribute('aria-valuenow'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    peer = { base: stack.url, ca: stack.ca };
    const { cookie } = await join(peer, { name: 'Truth', code: stack.joinCode, role: 'observer' });
    truth = openDoc(peer, cookie, 'set');
    await synced(truth);
    await until(() => trackIds().length >= 4, 'the simulator set in the truth doc', 15_000);
  }, 120_000);

  afterAll(async () => {
    for (const p of open) await p.close().catch(() => undefined);
    truth?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  it('joins through the page and shows every track of the set by name', async () => {
    const ada = await person({ name: 'Ada' });
    const names = trackIds().map((id) => String(track(id).get('name')));
    await expect.poll(() => ada.page.locator('[data-track-name]').allTextContents(), { timeout: 10_000 }).toEqual(names);
    for (const id of trackIds()) await slider(ada.page, id).waitFor({ timeout: 5_000 });
    await expect.poll(() => ada.page.locator('[data-testid="role"]').textContent()).toBe('member');

    // Every control has a name a screen reader can say, and the sliders are in the tab order.
    const controls = await ada.page.evaluate(() => {
      const out: string[] = [];
      let count = 0;
      const walk = (root: ParentNode): void => {
        for (const el of root.querySelectorAll('button, [role="slider"], [role="spinbutton"], input, select, textarea')) {
          count++;
          const label = el.getAttribute('aria-label') ?? '';
          const text = (el.textContent ?? '').trim();
          const labelled = el.closest('label') !== null || (el.id && (el.getRootNode() as ParentNode).querySelector(`label[for="${el.id}"]`));
          if (!label.trim() && !text && !labelled) out.push(el.outerHTML.slice(0, 120));
          if (el.getAttribute('role') === 'slider' && el.getAttribute('aria-disabled') !== 'true' && el.getAttribute('tabindex') !== '0') out.push(`not focusable: ${label}`);
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return { count, unnamed: out };
    });
    expect(controls.count).toBeGreaterThan(trackIds().length * 8); // strips, cells, knobs…
    expect(controls.unnamed).toEqual([]);
    await done(ada);
  }, 60_000);

  it('a fader moved in one browser moves in another within a second', async () => {
    const [a, b] = await Promise.all([person({ name: 'Mover' }), person({ name: 'Watcher' })]);
    const id = trackIds()[2]!;
    const handle = slider(a.page, id);
    await handle.waitFor();
    await slider(b.page, id).waitFor();
    const before = await valueOf(b.page, id);
    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height * 0.6;
    const dir = before > 0.5 ? 1 : -1; // move away from the nearer end
    await a.page.mouse.move(x, y);
    await a.page.mouse.down();
    for (let i = 1; i <= 8; i++) await a.page.mouse.move(x, y + dir * i * 8);
    await a.page.mouse.up();
    const moved = await valueOf(a.page, id);
    expect(Math.abs(moved - before)).toBeGreaterThan(0.05);
    const releasedAt = Date.now();
    await expect.poll(async () => Math.abs((await valueOf(b.page, id)) - moved), { timeout: 1_000, interval: 20 }).toBeLessThan(0.002);
    expect(Date.now() - releasedAt).toBeLessThan(1_000);
    await until(() => Math.abs(Number(track(id).get('volume')) - moved) < 0.002, 'the volume in the set doc', 2_000);
    await done(a, b);
  }, 60_000);

  it('launching a clip shows it triggered, then playing', async () => {
    const dj = await person({ name: 'Launcher' });
    // With the transport running, a launch waits for the next bar (triggered), then plays.
    const song = truth.doc.getMap('song');
    await dj.page.getByRole('button', { name: 'Play from start' }).click();
    await until(() => song.get('isPlaying') === true, 'the transport playing', 5_000);
    const slots = truth.doc.getMap<Y.Map<unknown>>('clipSlots');
    let slotId = '';
    for (const [id, slot] of slots) {
      if (slot.get('hasClip') && slot.get('state') === 'stopped') { slotId = id; break; }
    }
    expect(slotId).not.toBe('');
    const cell = dj.page.locator(`button[data-slot="${slotId}"]`);
    await cell.waitFor();
    expect(await cell.getAttribute('data-state')).toBe('stopped');
    // Record every state the cell shows, one sample per frame, from before the click.
    const seen = dj.page.evaluate((sid) => new Promise<string[]>((resolve) => {
      const find = (root: ParentNode): Element | null => {
        const hit = root.querySelector(`button[data-slot="${sid}"]`);
        if (hit) return hit;
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) {
            const inner = find(el.shadowRoot);
            if (inner) return inner;
          }
        }
        return null;
      };
      const states: string[] = [];
      const started = performance.now();
      const tick = () => {
        const s = find(document)?.getAttribute('data-state') ?? '';
        if (states[states.length - 1] !== s) states.push(s);
        if (s === 'playing' || performance.now() - started > 10_000) resolve(states);
        else requestAnimationFrame(tick);
      };
      tick();
    }), slotId);
    await cell.click();
    const states = await seen;
    expect(states).toContain('triggered');
    expect(states.indexOf('triggered')).toBeLessThan(states.indexOf('playing'));
    expect(states[states.length - 1]).toBe('playing');
    await dj.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await done(dj);
  }, 60_000);

  it('a fader someone else is moving shows as held, refuses a grab with a sign, and frees when they let go', async () => {
    const viewer = await person({ name: 'Viewer' });
    const id = trackIds()[3]!;
    await slider(viewer.page, id).waitFor();
    const { cookie } = await join(peer, { name: 'Other hand', code: stack.joinCode });
    const socket = connectRoom(peer, cookie);
    const fader = viewer.page.locator(`rt-fader[data-track="${id}"]`);
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    try {
      await connected(socket);
      const gesture = { id: commandId(), phase: 'start' as const };
      const base = Number(track(id).get('volume'));
      const start = await send(socket, { id: commandId(), action: 'track.set_volume', target: id, args: { value: base }, baseRev: String(track(id).get('rev')), gesture });
      expect(start.ok).toBe(true);
      let v = base;
      const move = () => void send(socket, { id: commandId(), action: 'track.set_volume', target: id, args: { value: (v = v > 0.5 ? v - 0.01 : v + 0.01) }, gesture: { id: gesture.id, phase: 'move' } });
      move();
      keepAlive = setInterval(move, 200); // a lease lapses after ~1 s without a move
      await expect.poll(() => fader.getAttribute('held'), { timeout: 3_000 }).not.toBeNull();

      // Grabbing it anyway: refused (HELD, or CONFLICT as the rev moves under us), the
      // cap snaps back to the value that won, flashes, and a toast says why.
      const box = (await slider(viewer.page, id).boundingBox())!;
      await viewer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await viewer.page.mouse.down();
      for (let i = 1; i <= 6; i++) await viewer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + (v > 0.5 ? 10 : -10) * i);
      // The flash lasts 0.9 s and the toast stays longer, so look for the flash first: on a
      // loaded machine the toast can take most of the flash's time to appear.
      await expect.poll(() => fader.getAttribute('snapping'), { timeout: 3_000, interval: 20 }).not.toBeNull();
      const toast = viewer.page.locator('.toast[data-code="HELD"], .toast[data-code="CONFLICT"]');
      await toast.first().waitFor({ timeout: 3_000 });
      await viewer.page.mouse.up();
      await expect.poll(async () => Math.abs((await valueOf(viewer.page, id)) - Number(track(id).get('volume'))), { timeout: 2_000 }).toBeLessThan(0.02);
      clearInterval(keepAlive);
      await send(socket, { id: commandId(), action: 'track.set_volume', target: id, args: { value: v }, gesture: { id: gesture.id, phase: 'end' } });
      await expect.poll(() => fader.getAttribute('held'), { timeout: 3_000 }).toBeNull();
    } finally {
      clearInterval(keepAlive);
      socket.close();
    }
    await done(viewer);
  }, 60_000);

  it('two people typing in the notes at once both keep their words, and see each other’s caret', async () => {
    const [a, b] = await Promise.all([person({ name: 'Ana' }), person({ name: 'Ben' })]);
    for (const p of [a, b]) await p.page.locator('nav button[data-view="notes"]').click();
    const area = (p: Joined) => p.page.getByLabel('Shared notes: set list, lyrics, lesson notes');
    await area(a).click();
    await area(a).pressSequentially('Set list\n1. Intro\n2. Verse\n', { delay: 0 });
    await expect.poll(() => area(b).inputValue()).toContain('2. Verse');
    await area(b).click();
    await b.page.keyboard.press('Control+End');
    await area(a).click();
    await a.page.keyboard.press('Control+End');
    // Both carets at the end, both typing at once: each one's words must stay together
    // (the other's letters arriving at your caret must not land inside your word).
    const mineA = '3. Bridge, half time, watch for the cue';
    const mineB = '(Ben: count in with sticks)';
    await Promise.all([a.page.keyboard.type(mineA), b.page.keyboard.type(mineB)]);
    await expect.poll(async () => {
      const [ta, tb] = await Promise.all([area(a).inputValue(), area(b).inputValue()]);
      return ta === tb && ta.includes(mineA) && ta.includes(mineB);
    }, { timeout: 5_000 }).toBe(true);
    await a.page.locator('rt-notes .caret', { hasText: 'Ben' }).waitFor({ timeout: 5_000 });
    await b.page.locator('rt-notes .caret', { hasText: 'Ana' }).waitFor({ timeout: 5_000 });
    await done(a, b);
  }, 60_000);

  it('H7 a paste too big for the notes is taken back, with the reason on screen, and nobody else gets it', async () => {
    const [a, b] = await Promise.all([person({ name: 'Pia' }), person({ name: 'Quin' })]);
    for (const p of [a, b]) await p.page.locator('nav button[data-view="notes"]').click();
    const area = (p: Joined) => p.page.getByLabel('Shared notes: set list, lyrics, lesson notes');
    await expect.poll(() => area(a).inputValue()).toBe(await area(b).inputValue());
    const before = await area(a).inputValue();
    await area(a).fill(before + 'la '.repeat(100_000)); // 300 KB in one paste
    await a.page.locator('rt-notes [role="alert"]', { hasText: 'too big' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => area(a).inputValue(), { timeout: 10_000 }).toBe(before);
    // Still in step: a line typed after the refusal reaches the other page.
    await area(a).click();
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type(' encore');
    await expect.poll(() => area(b).inputValue(), { timeout: 10_000 }).toBe(before + ' encore');
    await expect.poll(() => a.page.locator('rt-notes [role="alert"]').count()).toBe(0);
    await done(a, b);
  }, 60_000);

  it("an observer's controls are disabled", async () => {
    const obs = await person({ name: 'Olive', role: 'observer' });
    const first = trackIds()[0]!;
    await slider(obs.page, first).waitFor();
    const sliders = obs.page.locator('[role="slider"]');
    await expect.poll(() => sliders.count()).toBeGreaterThan(trackIds().length);
    const disabled = await sliders.evaluateAll((els) => els.map((e) => e.getAttribute('aria-disabled')));
    expect(new Set(disabled)).toEqual(new Set(['true']));
    for (const b of await obs.page.locator('button[data-slot]').all()) expect(await b.isDisabled()).toBe(true);
    expect(await obs.page.getByRole('button', { name: 'Play from start' }).isDisabled()).toBe(true);
    expect(await obs.page.getByRole('button', { name: `Mute ${String(track(first).get('name'))}` }).isDisabled()).toBe(true);
    await obs.page.locator('nav button[data-view="notes"]').click();
    expect(await obs.page.getByLabel('Shared notes: set list, lyrics, lesson notes').getAttribute('readonly')).not.toBeNull();
    await done(obs);
  }, 60_000);

  it('the teacher locks the room and a member sees it', async () => {
    const [teacher, member] = await Promise.all([person({ name: 'Teacher', role: 'host' }), person({ name: 'Student' })]);
    const id = trackIds()[0]!;
    await slider(member.page, id).waitFor();
    expect(await slider(member.page, id).getAttribute('aria-disabled')).toBe('false');
    const lock = teacher.page.locator('[data-testid="lock"]');
    await lock.click();
    await member.page.locator('[data-banner="locked"]').waitFor({ timeout: 5_000 });
    await expect.poll(() => slider(member.page, id).getAttribute('aria-disabled')).toBe('true');
    await expect.poll(() => lock.getAttribute('aria-pressed')).toBe('true');
    await lock.click();
    await member.page.locator('[data-banner="locked"]').waitFor({ state: 'detached', timeout: 5_000 });
    await expect.poll(() => slider(member.page, id).getAttribute('aria-disabled')).toBe('false');
    await done(teacher, member);
  }, 60_000);

  it('the teacher removes a member: the join page says so, the same code is refused until the teacher lets them back in', async () => {
    const [teacher, member] = await Promise.all([person({ name: 'Teacher' + '2', role: 'host', axe: true }), person({ name: 'Kickme', axe: true })]);
    teacher.page.on('dialog', (d) => void d.accept());
    const row = teacher.page.locator('tr[data-session]', { hasText: 'Kickme' });
    await row.waitFor({ timeout: 8_000 });
    await row.getByRole('button', { name: 'Remove Kickme' }).click();
    await member.page.getByText('The host removed you from the room.').waitFor({ timeout: 5_000 });
    // Back on the join page with the code filled in; joining again is refused in plain words.
    expect(await member.page.locator('input[name="code"]').inputValue()).toBe(stack.joinCode);
    await member.page.getByRole('button', { name: 'Join', exact: true }).click();
    await member.page.getByRole('alert').filter({ hasText: 'ask them to let you back in' }).waitFor({ timeout: 5_000 });
    expect(await axeFindings(member.page), 'axe on the refused join page').toEqual([]);
    await row.waitFor({ state: 'detached', timeout: 8_000 });
    // The console offers both ways back: let them in, or a new code.
    const offer = teacher.page.locator('[data-testid="removed-now"]');
    await offer.getByRole('button', { name: 'Make a new join code' }).waitFor();
    expect(await axeFindings(teacher.page), 'axe on the console offering both ways back').toEqual([]);
    await offer.getByRole('button', { name: 'Let Kickme back in' }).click();
    await member.page.getByRole('button', { name: 'Join', exact: true }).click();
    await member.page.locator('[data-testid="conn"][data-status="online"]').waitFor({ timeout: 15_000 });
    // The refused join is the one error the browser logs here, as it should.
    const refused = member.errors.filter((e) => /status of 40[13]/.test(e));
    expect(refused).toHaveLength(1);
    member.errors.splice(0, member.errors.length, ...member.errors.filter((e) => !refused.includes(e)));
    await done(teacher, member);
  }, 60_000);

  it('a person who joins again is one row in the console, the earlier session folded under it', async () => {
    const teacher = await person({ name: 'Teacher5', role: 'host' });
    const first = await person({ name: 'Rejoiner' });
    const rows = teacher.page.locator('tr[data-person="Rejoiner"]');
    await rows.first().waitFor({ timeout: 8_000 });
    await done(first);
    // The same name from the same address, a new browser: the same person, not "Rejoiner 2".
    const again = await person({ name: 'Rejoiner' });
    await teacher.page.getByRole('button', { name: 'Refresh' }).click();
    await rows.locator('summary', { hasText: '1 earlier session' }).waitFor({ timeout: 8_000 });
    expect(await rows.count()).toBe(1);
    expect(await teacher.page.locator('tr[data-person^="Rejoiner"]').count()).toBe(1);
    await expect.poll(() => rows.getAttribute('data-session')).toBe(await again.page.evaluate(() => (window as unknown as { roomtone: { session: { id: string } | null } }).roomtone.session?.id));
    await done(teacher, again);
  }, 60_000);

  it('a student assigned to Bass: master, returns, scenes, play and tempo are off and say why; Bass works; a bandmate watching Bass reads "Sam muted Bass"', async () => {
    const [teacher, sam, ines] = await Promise.all([person({ name: 'Teacher3', role: 'host' }), person({ name: 'Sam', axe: true }), person({ name: 'Ines' })]);
    const bass = trackIds().find((id) => track(id).get('name') === 'Bass')!;
    const row = teacher.page.locator('tr[data-session]', { hasText: 'Sam' });
    await row.waitFor({ timeout: 8_000 });
    await row.locator('summary').click();
    await row.getByRole('checkbox', { name: 'Bass' }).check();
    await sam.page.locator('[data-banner="assigned"]').waitFor({ timeout: 5_000 });
    const master = sam.page.locator('rt-fader[data-track="master"]');
    await expect.poll(() => master.locator('[role="slider"]').getAttribute('aria-disabled')).toBe('true');
    expect(await master.getAttribute('title')).toMatch(/assigned you Bass; the master, returns, scenes, tempo and transport stay with the host/);
    expect(await sam.page.getByRole('button', { name: 'Play from start' }).isDisabled()).toBe(true);
    expect(await sam.page.getByRole('button', { name: 'Play from start' }).getAttribute('title')).toMatch(/assigned you Bass/);
    expect(await sam.page.getByRole('spinbutton', { name: 'Tempo in BPM' }).getAttribute('aria-disabled')).toBe('true');
    expect(await sam.page.locator('button[data-scene]').first().isDisabled()).toBe(true);
    for (const id of trackIds().filter((t) => t !== bass).slice(0, 3)) expect(await slider(sam.page, id).getAttribute('aria-disabled')).toBe('true');
    expect(await slider(sam.page, bass).getAttribute('aria-disabled')).toBe('false');
    expect(await axeFindings(sam.page), 'axe on an assigned student\'s band view').toEqual([]);
    // Ines has Bass in view; Sam mutes it.
    await ines.page.locator('[data-track-head]', { hasText: 'Bass' }).first().click();
    const wasMuted = track(bass).get('mute') === true;
    await sam.page.getByRole('button', { name: 'Mute Bass' }).click();
    await until(() => track(bass).get('mute') === !wasMuted, 'Bass mute toggled by Sam', 5_000);
    await ines.page.locator('[data-activity]', { hasText: `Sam ${wasMuted ? 'unmuted' : 'muted'} Bass` }).waitFor({ timeout: 5_000 });
    // The same message reached Sam's page: it leaves its own person's changes out (welcome.actor).
    expect(await sam.page.locator('[data-activity]', { hasText: 'Sam ' }).count()).toBe(0);
    await sam.page.getByRole('button', { name: 'Mute Bass' }).click();
    await until(() => track(bass).get('mute') === wasMuted, 'Bass back', 5_000);
    // The audit log names people and tracks, not ids.
    const assign = teacher.page.locator('tr[data-kind="host"] [data-audit-what]', { hasText: 'assigned Bass to Sam' });
    await assign.first().waitFor({ timeout: 8_000 });
    expect(await teacher.page.locator('[data-audit-what]').allTextContents()).not.toContainEqual(expect.stringMatching(/\bs_[A-Za-z0-9]{6,}|\bt\d+,t\d+/));
    await row.getByRole('checkbox', { name: 'Bass' }).uncheck();
    await done(teacher, sam, ines);
  }, 60_000);

  it('a page that loses the network shows it is reconnecting, comes back by itself and works again', async () => {
    const roamer = await person({ name: 'Roamer' });
    const conn = roamer.page.locator('[data-testid="conn"]');
    await roamer.context.setOffline(true);
    await roamer.page.locator('[data-banner="socket"], [data-banner="yjs"]').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => conn.getAttribute('data-status')).toBe('reconnecting');
    await roamer.context.setOffline(false);
    await roamer.page.locator('[data-testid="conn"][data-status="online"]').waitFor({ timeout: 15_000 });
    await roamer.page.locator('[data-banner="socket"], [data-banner="yjs"]').first().waitFor({ state: 'detached', timeout: 15_000 });
    const song = truth.doc.getMap('song');
    const before = song.get('metronome') === true;
    await roamer.page.getByRole('button', { name: 'Metronome' }).click();
    await until(() => song.get('metronome') === !before, 'the metronome toggled after the reconnect', 5_000);
    await expect.poll(() => roamer.page.getByRole('button', { name: 'Metronome' }).getAttribute('aria-pressed')).toBe(String(!before));
    await roamer.page.getByRole('button', { name: 'Metronome' }).click();
    await until(() => song.get('metronome') === before, 'the metronome back', 5_000);
    // A reconnect attempt made while the network was off is logged by Chromium itself (how many depends on how long it was off).
    roamer.errors.splice(0, roamer.errors.length, ...roamer.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)));
    await done(roamer);
  }, 60_000);

  it('a phone picks its layout: one channel at a time, the master with its crossfader, every send of a track', async () => {
    const phone = await person({ name: 'Phone', viewport: { width: 390, height: 844 }, touch: true });
    const page = phone.page;
    await page.locator('rt-phone').waitFor();
    const channel = page.getByRole('combobox', { name: 'Channel' });
    await channel.selectOption({ label: 'Master' });
    for (const what of [page.locator('rt-fader[data-track="master"] [role="slider"]'), page.locator('rt-fader[data-crossfader] [role="slider"]')]) {
      await what.waitFor();
      const box = (await what.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.height).toBeGreaterThanOrEqual(28);
    }
    await channel.selectOption({ label: 'Bass' });
    const returns = (truth.doc.getMap('order').get('returns') as string[]).length;
    await expect.poll(() => page.getByRole('slider', { name: /^Bass send [A-L] to / }).count()).toBe(returns);
    await page.getByRole('button', { name: 'Next channel' }).click();
    await expect.poll(() => channel.inputValue()).not.toBe(trackIds().find((id) => track(id).get('name') === 'Bass'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await done(phone);
  }, 60_000);

  it('the tablet surface at 1024×768 fits without horizontal scroll and takes two faders at once', async () => {
    const tab = await person({ name: 'Tablet', layout: 'surface', viewport: { width: 1024, height: 768 }, touch: true });
    const page = tab.page;
    await page.locator('rt-surface').waitFor();
    const [idA, idB] = [trackIds()[1]!, trackIds()[2]!];
    await slider(page, idA).waitFor();
    await slider(page, idB).waitFor();
    const overflow = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      body: document.body.scrollWidth - document.body.clientWidth,
      surface: (() => { const s = document.querySelector('rt-app')?.shadowRoot?.querySelector('rt-shell')?.shadowRoot?.querySelector('rt-surface'); return s ? s.scrollWidth - s.clientWidth : -1; })(),
    }));
    expect(overflow).toEqual({ doc: 0, body: 0, surface: 0 });
    await page.getByRole('radio', { name: /^Vol: Volume/ }).click();

    const startA = Number(track(idA).get('volume'));
    const startB = Number(track(idB).get('volume'));
    const boxA = (await slider(page, idA).boundingBox())!;
    const boxB = (await slider(page, idB).boundingBox())!;
    const point = (box: { x: number; y: number; width: number; height: number }, id: number, dy: number) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 + dy, id });
    // A goes up, B goes down: two fingers, one gesture each, at the same time.
    const cdp = await tab.context.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point(boxA, 1, 0), point(boxB, 2, 0)] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point(boxA, 1, -i * 6), point(boxB, 2, i * 6)] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await until(() => Number(track(idA).get('volume')) > startA + 0.05 || (startA > 0.95 && Number(track(idA).get('volume')) >= startA), 'track A volume up in the set', 3_000);
    await until(() => Number(track(idB).get('volume')) < startB - 0.05, 'track B volume down in the set', 3_000);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // The master, every send and the crossfader are in reach on the tablet too.
    await page.locator('[data-testid="load-line"]').waitFor();
    await page.locator('rt-fader[data-track="master"]').waitFor();
    await page.getByRole('radio', { name: /^A: Send A/ }).click();
    const sendBefore = (track(idA).get('sends') as number[])[0]!;
    const sendFader = slider(page, idA);
    await expect.poll(() => page.locator(`rt-fader[data-track="${idA}"]`).getAttribute('data-mode')).toBe('send-0');
    const sb = (await sendFader.boundingBox())!;
    const up = sendBefore < 0.5 ? -1 : 1;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point(sb, 3, 0)] });
    for (let i = 1; i <= 8; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point(sb, 3, up * i * 6)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await until(() => Math.abs((track(idA).get('sends') as number[])[0]! - sendBefore) > 0.03, 'send A moved from the tablet', 3_000);
    const xf = page.locator('rt-fader[data-crossfader] [role="slider"]');
    const xb = (await xf.boundingBox())!;
    const song = truth.doc.getMap('song');
    const xBefore = Number(song.get('crossfader') ?? 0);
    const pt = (dx: number) => ({ x: xb.x + xb.width / 2 + dx, y: xb.y + xb.height / 2, id: 4 });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pt(0)] });
    for (let i = 1; i <= 8; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [pt((xBefore > 0 ? -1 : 1) * i * 5)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await until(() => Math.abs(Number(song.get('crossfader')) - xBefore) > 0.05, 'the crossfader moved from the tablet', 3_000);

    // Installable: a manifest with icons, and a service worker controlling the shell.
    const pwa = await page.evaluate(async () => {
      const manifest = await (await fetch('/manifest.webmanifest')).json() as { display: string; icons: Array<{ src: string; sizes: string }> };
      const icons = await Promise.all(manifest.icons.map(async (i) => (await fetch(i.src)).status));
      const reg = await Promise.race([navigator.serviceWorker.ready, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
      return { display: manifest.display, sizes: manifest.icons.map((i) => i.sizes), icons, worker: reg?.active?.scriptURL ?? null };
    });
    expect(pwa.display).toBe('fullscreen');
    expect(pwa.sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(new Set(pwa.icons)).toEqual(new Set([200]));
    expect(pwa.worker).toMatch(/\/sw\.js$/);
    expect(await page.getByRole('button', { name: 'Full screen' }).isVisible()).toBe(true);
    await done(tab);
  }, 60_000);

  it('H3 the teacher’s console says that someone is guessing the admin PIN', async () => {
    const teacher = await person({ name: 'Teacher', role: 'host' });
    await teacher.page.locator('nav button[data-view="console"]').click();
    // Ten wrong PINs from ten machines of the network (127.0.0.1 is the studio computer itself).
    await Promise.all(Array.from({ length: 10 }, (_, i) => request({ ...peer, localAddress: `127.0.0.${20 + i}` }, 'POST', '/api/join', { body: { name: 'Guess', code: stack.joinCode, role: 'host', pin: String(10_000_000 + i) } })));
    const warning = teacher.page.locator('[data-testid="pin-guessing"]');
    await warning.waitFor({ timeout: 10_000 });
    expect(await warning.getAttribute('role')).toBe('alert');
    // It shows from the first wrong PIN and counts up as the load messages come.
    await expect.poll(() => warning.textContent(), { timeout: 10_000 }).toMatch(/Someone is guessing the admin PIN: 10 wrong admin PINs from 10 addresses.*paused/);
    await done(teacher);
  }, 60_000);
});
