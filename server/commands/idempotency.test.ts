import { describe, expect, it } from 'vitest';
import { IdempotencyCache } from './idempotency.ts';
import type { Answer } from '../../protocol/index.ts';

const ok = (value: unknown): Promise<Answer> => Promise.resolve({ ok: true, rev: 'e.1', value });

describe('IdempotencyCache', () => {
  it('replays the first answer for the same session and id, and only for that session', () => {
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 10, now: () => 0 });
    const first = ok(1);
    cache.remember('s1', 'cmd-0001', first);
    expect(cache.find('s1', 'cmd-0001')).toBe(first);
    expect(cache.find('s2', 'cmd-0001')).toBeUndefined();
    expect(cache.find('s1', 'cmd-0002')).toBeUndefined();
  });

  it('hands a retry the same pending promise while the first is still in flight', async () => {
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 10 });
    let resolve!: (a: Answer) => void;
    const pending = new Promise<Answer>((r) => { resolve = r; });
    cache.remember('s1', 'cmd-0001', pending);
    const retry = cache.find('s1', 'cmd-0001')!;
    resolve({ ok: true, rev: 'e.2', value: 7 });
    await expect(retry).resolves.toEqual({ ok: true, rev: 'e.2', value: 7 });
  });

  it('forgets an id after the TTL and keeps at most maxPerSession ids', () => {
    let t = 0;
    const cache = new IdempotencyCache({ ttlMs: 1000, maxPerSession: 3, now: () => t });
    cache.remember('s1', 'a-000001', ok(1));
    t = 500;
    cache.remember('s1', 'b-000001', ok(2));
    t = 1001;
    expect(cache.find('s1', 'a-000001')).toBeUndefined();
    expect(cache.find('s1', 'b-000001')).toBeDefined();
    cache.remember('s1', 'c-000001', ok(3));
    cache.remember('s1', 'd-000001', ok(4));
    cache.remember('s1', 'e-000001', ok(5));
    expect(cache.find('s1', 'b-000001')).toBeUndefined();
    expect(cache.size).toBe(3);
    t = 10_000;
    cache.sweep();
    expect(cache.size).toBe(0);
  });
});
