import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { openDoc, request, synced, type DocClient } from '../../testkit/clients.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { until } from '../../testkit/poll.ts';

const LIFETIME_MS = 2_500;

/**
 * H5 (docs/security.md): when a request noticed an expired session first, the session
 * was removed without closing its sockets and doc connections, and its notes edits were
 * still saved. Every way a session ends now reaches its connections through one path.
 */
describe('H5 an expired session keeps its open connections', () => {
  let rs: RoomServer;
  // The sweep runs every 30 s at the default idle timeout: the request below comes first.
  beforeAll(async () => { rs = await startRoomServer({ config: { session: { absoluteLifetimeMs: LIFETIME_MS, idleTimeoutMs: 30 * 60_000, graceMs: 60_000 } } }); });
  afterAll(async () => { await rs?.stop(); });

  it('H5 the request that finds the session expired closes its /room socket and notes connection, and later edits are not saved', async () => {
    const ada = await joinAs(rs, 'Ada');
    const joinedAt = Date.now();
    const socket: Socket = await roomSocket(rs.peer, ada.cookie);
    const notes: DocClient = openDoc(rs.peer, ada.cookie, 'notes');
    try {
      await synced(notes);
      notes.doc.getText('text').insert(0, 'before ');
      await until(() => rs.server.parts.room.notes.doc.getText('text').toString() === 'before ', 'the first edit on the server');
      const notesClosed = new Promise<void>((resolve) => notes.provider.on('status', (e: { status: string }) => { if (e.status === 'disconnected') resolve(); }));
      notes.provider.shouldConnect = false; // stay closed once the server closes it: we look at what the server kept

      await until(() => Date.now() >= joinedAt + LIFETIME_MS + 100, 'the session lifetime to pass');
      const res = await request(rs.peer, 'GET', '/api/session', { cookie: ada.cookie });
      expect(res.status).toBe(401);

      await until(() => !socket.connected, 'the /room socket closed', 3_000);
      await notesClosed;
      notes.doc.getText('text').insert(0, 'after ');
      await rs.server.parts.store.flush();
      expect(rs.server.parts.room.notes.doc.getText('text').toString()).toBe('before ');
      expect(rs.server.parts.sessions.get(ada.id)).toBeUndefined();
      expect(rs.server.parts.store.audit.query({ kind: 'session_expired', sessionId: ada.id })).toHaveLength(1);
    } finally {
      socket.close();
      notes.destroy();
    }
  });
});
