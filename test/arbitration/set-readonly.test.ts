import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { Harness, eventually as until } from './harness.ts';
import { openDoc, synced } from '../../testkit/clients.ts';

describe('the set doc: the server is its only writer', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start(); });
  afterAll(async () => { await h?.stop(); });

  it('M1 a browser write to set never reaches another client, and the writer is flagged in the audit log', async () => {
    const writer = await h.member('Mallory');
    const reader = await h.member('Ada');
    const wDoc = openDoc(h.peer, writer.cookie, 'set');
    const rDoc = openDoc(h.peer, reader.cookie, 'set');
    try {
      await Promise.all([synced(wDoc), synced(rDoc)]);
      const track = h.trackId(0);
      const rTracks = rDoc.doc.getMap<Y.Map<unknown>>('tracks');
      await until(() => rTracks.get(track), 'the track in the reader’s doc');
      const realName = rTracks.get(track)!.get('name');
      // The writer edits its local copy: y-websocket sends the update to the server.
      wDoc.doc.getMap<Y.Map<unknown>>('tracks').get(track)!.set('name', 'pwned');
      wDoc.doc.getMap('song').set('tempo', 1);
      wDoc.doc.getMap('tracks').delete(h.trackId(1));
      await until(() => h.server.parts.audit.query({ kind: 'yjs_violation', limit: 10 }).length > 0, 'the violation in the audit log');
      const violation = h.server.parts.audit.query({ kind: 'yjs_violation', limit: 10 })[0]!;
      expect(violation.detail).toContain('set');
      expect(violation.sessionId).toBeDefined();

      // A later real change from Live travels the same way; once the reader has it, it
      // would have had the forged one before.
      await h.sim.exec('song.tempo = 133.5');
      await until(() => rDoc.doc.getMap('song').get('tempo') === 133.5, 'the Live change at the reader');
      expect(rTracks.get(track)!.get('name')).toBe(realName);
      expect(rTracks.has(h.trackId(1))).toBe(true);
      expect(h.server.parts.room.mirror.entity(track)!.get('name')).toBe(realName);
      // A newcomer syncing from scratch does not get it either.
      const late = openDoc(h.peer, reader.cookie, 'set');
      try {
        await synced(late);
        expect(late.doc.getMap<Y.Map<unknown>>('tracks').get(track)?.get('name')).toBe(realName);
        expect(late.doc.getMap('song').get('tempo')).toBe(133.5);
      } finally {
        late.destroy();
      }
    } finally {
      wDoc.destroy();
      rDoc.destroy();
    }
  });
});
