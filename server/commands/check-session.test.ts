import { describe, expect, it } from 'vitest';
import { checkSession, type SessionLookup } from './check-session.ts';
import type { Session } from '../sessions/session.ts';

const session: Session = { id: 's1', tokenHash: 'x', name: 'Ada', role: 'member', layout: 'band', room: 'studio', ip: '127.0.0.1', createdAt: 0, lastActiveAt: 0, canControl: true, assignedTracks: [] };
const lookup: SessionLookup = {
  get: (id) => (id === 's1' ? session : undefined),
  expiresAt: () => 1000,
  sameAddress: (s, ip) => s.ip === ip,
};

describe('checkSession (per command)', () => {
  it('finds a live session used from its own address', () => {
    expect(checkSession(lookup, { sessionId: 's1', ip: '127.0.0.1' }, 10)).toBe(session);
  });
  it('refuses an ended, an expired and a moved session with UNAUTHENTICATED', () => {
    expect(checkSession(lookup, { sessionId: 's9', ip: '127.0.0.1' }, 10)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(checkSession(lookup, { sessionId: 's1', ip: '127.0.0.1' }, 1000)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(checkSession(lookup, { sessionId: 's1', ip: '127.0.0.2' }, 10)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('another address') });
  });
});
