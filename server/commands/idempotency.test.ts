import { describe, expect, it } from 'vitest';
import { IdempotencyCache, type Remembered } from './idempotency.ts';
import type { Answer } from '../../protocol/index.ts';

const ok = (value: unknown): Answer => ({ ok: true, rev: 'e.1', value });
const answerOf = (entry: Remembered): Promise<Answer> => new Promise((resolve) => entry.whenAnswered(resolve));

describe('IdempotencyCache', () => {
  it('replays the first answer for the same session and id, and only for that session', async () => {
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 10, now: () => 0 });
    const first = cache.remember('s1', 'cmd-0001');
    first.settle(ok(1));
    expect(cache.find('s1', 'cmd-0001')).toBe(first);
    await expect(answerOf(cache.find('s1', 'cmd-0001')!)).resolves.toEqual(ok(1));
    expect(cache.find('s2', 'cmd-0001')).toBeUndefined();
    expect(cache.find('s1', 'cmd-0002')).toBeUndefined();
  });

  it('hands a retry the same answer while the first is still in flight, and settles once', async () => {
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 10 });
    const entry = cache.remember('s1', 'cmd-0001');
    const retry = answerOf(cache.find('s1', 'cmd-0001')!);
    entry.settle({ ok: true, rev: 'e.2', value: 7 });
    entry.settle({ ok: true, rev: 'e.3', value: 8 });
    await expect(retry).resolves.toEqual({ ok: true, rev: 'e.2', value: 7 });
    await expect(answerOf(entry)).resolves.toEqual({ ok: true, rev: 'e.2', value: 7 });
  });

  it('forgets an id after the TTL and keeps at most maxPerSession ids', () => {
    let t = 0;
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 3, now: () => t });
    cache.remember('s1', 'a-000001').settle(ok(1));
    t = 500;
    cache.remember('s1', 'b-000001').settle(ok(2));
    t = 1001;
    expect(cache.find('s1', 'a-000001')).toBeUndefined();
    expect(cache.find('s1', 'b-000001')).toBeDefined();
    cache.remember('s1', 'c-000001');
    cache.remember('s1', 'd-000001');
    cache.remember('s1', 'e-000001');
    expect(cache.find('s1', 'b-000001')).toBeUndefined();
    expect(cache.size).toBe(3);
    t = 10_000;
    cache.sweep();
    expect(cache.size).toBe(0);
  });
});
