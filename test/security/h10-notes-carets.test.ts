import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDoc, synced, type DocClient } from '../../testkit/clients.ts';
import { joinAs, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { until } from '../../testkit/poll.ts';

/** A y-websocket awareness frame with hand-made entries, as a hostile client sends it. */
function awarenessFrame(entries: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(update, e.clientId);
    encoding.writeVarUint(update, e.clock);
    encoding.writeVarString(update, JSON.stringify(e.state));
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1); // awareness
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

const userOf = (client: DocClient, id: number): Record<string, unknown> | undefined => client.provider.awareness.getStates().get(id)?.user as Record<string, unknown> | undefined;
const COLOURS = ['#ffa92e', '#3cd3e6', '#7ce06a', '#ff6fa8', '#b48cff', '#ffd84d', '#5aa9ff', '#ff7a4d'];

/**
 * H10 (docs/security.md): observers saw names and roles that only hosts may see, and a
 * member could rename its caret "Teacher" and overwrite or delete other carets. The
 * server now sets a caret's name and colour from the session, ties each awareness entry
 * to the connection that made it, and shows each viewer what its role may see.
 */
describe('H10 notes carets leak and can be forged', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H10 a forged name, role and colour are replaced from the session, other carets cannot be overwritten or removed, and observers see no names', async () => {
    const [teacher, ben, olly, mallory] = await Promise.all([joinAs(rs, 'Teacher', 'host'), joinAs(rs, 'Ben'), joinAs(rs, 'Olly', 'observer'), joinAs(rs, 'Mallory')]);
    const host = openDoc(rs.peer, teacher.cookie, 'notes');
    const member = openDoc(rs.peer, ben.cookie, 'notes');
    const observer = openDoc(rs.peer, olly.cookie, 'notes');
    const raw = await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie: mallory.cookie });
    try {
      await Promise.all([synced(host), synced(member), synced(observer)]);
      const benId = member.doc.clientID;
      member.provider.awareness.setLocalStateField('user', { name: 'Ben', color: '#123456', role: 'member' });
      member.provider.awareness.setLocalStateField('cursor', null);
      await until(() => userOf(host, benId)?.name === 'Ben', 'Ben’s caret at the host');

      expect(raw.opened).toBe(true);
      if (!raw.opened) return;
      const malloryId = 4242;
      raw.socket.send(awarenessFrame([
        { clientId: malloryId, clock: 1, state: { user: { name: 'Teacher', role: 'host', color: '#ff0000' }, cursor: null, extra: 'x'.repeat(10) } },
        { clientId: benId, clock: 999, state: { user: { name: 'Ben (hacked)', color: '#000000' } } },
      ]));
      raw.socket.send(awarenessFrame([{ clientId: benId, clock: 1000, state: null }]));
      // A last frame of Mallory's own: once everyone has it, the frames before it were handled.
      const cursor = { anchor: { type: null, tname: 'text', item: null, assoc: 0 }, head: { type: null, tname: 'text', item: null, assoc: 0 } };
      raw.socket.send(awarenessFrame([{ clientId: malloryId, clock: 2, state: { cursor } }]));
      const seen = (c: DocClient): boolean => c.provider.awareness.getStates().get(malloryId)?.cursor !== undefined && c.provider.awareness.getStates().get(malloryId)?.cursor !== null;
      await until(() => seen(host) && seen(observer) && seen(member), 'Mallory’s caret everywhere');

      // Name and colour come from the session; each viewer sees what its role may.
      const colour = userOf(host, malloryId)!.color;
      expect(COLOURS).toContain(colour);
      expect(userOf(host, malloryId)).toEqual({ name: 'Mallory', color: colour, role: 'member' });
      expect(userOf(member, malloryId)).toEqual({ name: 'Mallory', color: colour });
      expect(userOf(observer, malloryId)).toEqual({ color: colour });
      expect(observer.provider.awareness.getStates().get(malloryId)).not.toHaveProperty('extra');
      expect(userOf(observer, benId)).not.toHaveProperty('name');

      // Ben's caret is Ben's: neither renamed nor removed.
      expect(userOf(host, benId)).toMatchObject({ name: 'Ben', role: 'member' });
      expect(rs.server.parts.room.notes.awareness.getStates().get(benId)).toMatchObject({ user: { name: 'Ben' } });
    } finally {
      if (raw.opened) raw.socket.terminate();
      for (const c of [host, member, observer]) c.destroy();
    }
  });
});
