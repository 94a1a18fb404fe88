import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Harness, eventually as until } from './harness.ts';
import { commandId, send } from '../../testkit/clients.ts';
import type { Answer } from '../../protocol/index.ts';

/** More than the queue's waiting room (256) plus its in-flight window (256) holds. */
const EDITS = 700;

describe('the room queue when Live stalls', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start({ rateLimit: { perSecond: 100_000, burst: 100_000 } }); });
  afterAll(async () => { await h?.stop(); });

  it('Q4 a full queue answers BUSY with retryAfterMs; Q5 nothing runs after its deadline', async () => {
    const a = await h.member('Ada');
    const scenesBefore = await h.sim.eval('len(song.scenes)', z.number());
    // Live's main thread stalls for 3 s (a modal dialog, a heavy plug-in): longer than the 2 s deadline.
    const stall = h.sim.exec('import time; time.sleep(3)');
    const commands = Array.from({ length: EDITS }, () => ({ id: commandId(), action: 'scene.create', args: {} }));
    const answers: Answer[] = await Promise.all(commands.map((c) => send(a.socket, c, 20_000)));
    await stall;
    const codes = new Map<string, number>();
    for (const x of answers) codes.set(x.ok ? 'ok' : x.error.code, (codes.get(x.ok ? 'ok' : x.error.code) ?? 0) + 1);
    console.log(`[measure] ${EDITS} edits during a 3 s stall of Live: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.get('BUSY')).toBeGreaterThan(0);
    for (const x of answers) if (!x.ok && x.error.code === 'BUSY') expect(x.error.retryAfterMs).toBeGreaterThan(0);
    expect(codes.get('TIMEOUT')).toBeGreaterThan(0);
    expect([...codes.keys()].every((c) => ['ok', 'BUSY', 'TIMEOUT'].includes(c))).toBe(true);
    for (const c of commands) expect(h.auditFor(c.id)).toHaveLength(1);
    // Only the commands answered ok ran: a TIMEOUT one never created a scene, not even late.
    await until(async () => (await h.sim.eval('len(song.scenes)', z.number())) >= scenesBefore + (codes.get('ok') ?? 0), 'the scenes of the ok answers');
    const settled = await h.sim.eval('len(song.scenes)', z.number());
    expect(settled - scenesBefore).toBe(codes.get('ok') ?? 0);
    // And the room works again right after.
    expect((await send(a.socket, { id: commandId(), action: 'system.ping' })).ok).toBe(true);
    expect(await h.sim.eval('len(song.scenes)', z.number())).toBe(settled);
  });
});
