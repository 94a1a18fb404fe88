import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually as until } from './harness.ts';
import { commandId, send } from '../../testkit/clients.ts';
import { DEFAULTS } from '../../server/config.ts';

describe('rate limit per session (token bucket from config.rateLimit)', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start(); });
  afterAll(async () => { await h?.stop(); });

  it('R1 a burst of triggers is rate limited with retryAfterMs; a refused command may be retried with its id', async () => {
    const { perSecond, burst } = DEFAULTS.rateLimit;
    const a = await h.member('Drummer');
    const b = await h.member('Bystander');
    const track = h.trackId(0);
    const commands = Array.from({ length: burst + 40 }, () => ({ id: commandId(), action: 'track.select', target: track, args: {} }));
    const answers = await Promise.all(commands.map((c) => send(a.socket, c)));
    const ok = answers.filter((x) => x.ok).length;
    const limited = answers.flatMap((x, i) => (!x.ok && x.error.code === 'RATE_LIMITED' ? [{ answer: x, command: commands[i]! }] : []));
    expect(ok + limited.length).toBe(commands.length);
    expect(ok).toBeGreaterThanOrEqual(burst);
    expect(limited.length).toBeGreaterThan(0);
    for (const { answer } of limited) {
      expect(answer.error.retryAfterMs).toBeGreaterThan(0);
      expect(answer.error.retryAfterMs).toBeLessThanOrEqual(Math.ceil(1000 / perSecond));
    }
    // Another session is not slowed by the drummer.
    expect((await send(b.socket, { id: commandId(), action: 'track.select', target: track, args: {} })).ok).toBe(true);
    // A refused command never ran: the same id goes through once the bucket refills.
    const retry = limited[0]!.command;
    await until(async () => (await send(a.socket, retry)).ok, 'the retried trigger to be accepted', 5_000, limited[0]!.answer.error.retryAfterMs);
    // Newest first: the last attempt was accepted, the first was refused.
    const trail = h.auditFor(retry.id).map((e) => e.code ?? 'ok');
    expect(trail[0]).toBe('ok');
    expect(trail.at(-1)).toBe('RATE_LIMITED');
  });
});
