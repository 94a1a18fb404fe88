import { describe, it, expect } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionStore, DEFAULT_POLICY } from './session-store.ts';
import { DataStore } from '../persistence/data-store.ts';

const join = { name: 'Ada', code: 'x', role: 'member' as const };

function store(policy = {}) {
  let now = 1_000_000;
  const s = new SessionStore({ ...DEFAULT_POLICY, ...policy }, () => now);
  return { s, advance: (ms: number) => { now += ms; } };
}

describe('SessionStore', () => {
  it('keeps only the SHA-256 of a 256-bit token', () => {
    const { s } = store();
    const { session, token } = s.create(join, '10.0.0.1', 'studio');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(session)).not.toContain(token);
  });

  it('refuses the token from another address and says why', () => {
    const { s } = store();
    const { session, token } = s.create(join, '10.0.0.1', 'studio');
    expect(s.check(token, '10.0.0.1')).toMatchObject({ ok: true });
    expect(s.check(token, '10.0.0.2')).toMatchObject({ ok: false, reason: 'ip', sessionId: session.id, error: { code: 'UNAUTHENTICATED' } });
  });

  it('accepts the same /24 only when the binding is widened', () => {
    const { s } = store({ ipBinding: 'subnet' });
    const { token } = s.create(join, '10.0.0.1', 'studio');
    expect(s.check(token, '10.0.0.77').ok).toBe(true);
    expect(s.check(token, '10.0.1.1').ok).toBe(false);
  });

  it('ends a session after the idle timeout and after the absolute lifetime', () => {
    const { s, advance } = store({ idleTimeoutMs: 1000, absoluteLifetimeMs: 5000 });
    const { session, token } = s.create(join, '10.0.0.1', 'studio');
    for (let i = 0; i < 4; i++) { advance(900); s.touch(session); }
    expect(s.check(token, '10.0.0.1').ok).toBe(true);
    advance(1500);
    expect(s.check(token, '10.0.0.1')).toMatchObject({ ok: false, reason: 'expired' });
    const again = s.create(join, '10.0.0.1', 'studio');
    for (let i = 0; i < 6; i++) { advance(900); s.touch(again.session); }
    expect(s.check(again.token, '10.0.0.1')).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('answers KICKED for a kicked token, not a generic refusal', () => {
    const { s } = store();
    const { session, token } = s.create(join, '10.0.0.1', 'studio');
    s.kick(session.id);
    expect(s.check(token, '10.0.0.1')).toMatchObject({ ok: false, reason: 'kicked', error: { code: 'KICKED' } });
    expect(s.get(session.id)).toBeUndefined();
  });

  it('demotes at once but promotes only with a new token', () => {
    const { s } = store();
    const a = s.create(join, '10.0.0.1', 'studio');
    s.setRole(a.session.id, 'observer');
    expect(a.session.role).toBe('observer');
    s.setRole(a.session.id, 'host');
    expect(a.session.role).toBe('observer');
    expect(a.session).toMatchObject({ pendingRole: 'host', refreshRequired: true });
    const fresh = s.refresh(a.session);
    expect(a.session.role).toBe('host');
    expect(a.session.refreshRequired).toBeUndefined();
    expect(s.check(a.token, '10.0.0.1')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(s.check(fresh, '10.0.0.1')).toMatchObject({ ok: true });
  });

  it('survives a reopen of the data dir, kicked tombstones included', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roomtone-sessions-'));
    try {
      const first = await DataStore.open({ dir, flushDelayMs: 60_000 });
      const a = new SessionStore();
      a.attach(first.state);
      const kept = a.create(join, '10.0.0.1', 'studio');
      const kicked = a.create({ ...join, name: 'Eve' }, '10.0.0.9', 'studio');
      a.update(kept.session.id, { assignedTracks: ['t1'], canControl: false });
      a.kick(kicked.session.id);
      await first.flush();

      const b = new SessionStore();
      b.attach((await DataStore.open({ dir })).state);
      const back = b.check(kept.token, '10.0.0.1');
      expect(back.ok && back.session).toMatchObject({ name: 'Ada', assignedTracks: ['t1'], canControl: false });
      expect(b.check(kicked.token, '10.0.0.9')).toMatchObject({ ok: false, reason: 'kicked' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
