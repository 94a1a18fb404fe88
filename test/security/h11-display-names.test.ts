import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_EVENTS, SessionAnswerSchema } from '../../protocol/index.ts';
import { join, request } from '../../testkit/clients.ts';
import { hostCall, joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

/**
 * H11 (docs/security.md): display names came back unchanged in the console and the
 * audit log: newlines, NUL, ANSI escapes, bidi overrides, zero-width characters; a name
 * with a zero-width space looked exactly like "Teacher". Names are normalised and
 * cleaned, limited in length, and one that looks like another session's gets a suffix.
 */
describe('H11 display names are not cleaned', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H11 the console and the audit log see cleaned names, and lookalikes of another session’s name get a visible suffix', async () => {
    const teacher = await joinAs(rs, 'Teacher', 'host');
    const names: Record<string, string> = {
      'Tea\u200bcher': 'Teacher 2',
      '\u0422e\u0430cher': '\u0422e\u0430cher 3', // Cyrillic Т and а: the suffix is what tells them apart
      'TEACHER': 'TEACHER 4',
      'Sam\n\u0000\u001b[31mred\u001b[0m': 'Sam[31mred[0m',
      '\u202eevil\u202c.exe': 'evil.exe',
      'Zoe\u0308   \t  Lee': 'Zo\u00eb Lee',
      ['A'.repeat(39)]: 'A'.repeat(32),
    };
    for (const [raw, want] of Object.entries(names)) {
      const { result } = await join(rs.peer, { name: raw, code: rs.joinCode });
      expect([raw, SessionAnswerSchema.parse(result.body).session.name]).toEqual([raw, want]);
    }
    const blank = await request(rs.peer, 'POST', '/api/join', { body: { name: '\u200b\u202e \u0007', code: rs.joinCode } });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ error: { code: 'INVALID' } });

    const console = await roomSocket(rs.peer, teacher.cookie);
    try {
      const rows = await hostCall(console, ROOM_EVENTS.hostSessions);
      const shown = rows.ok ? rows.value.map((r) => r.name) : [];
      expect(shown.sort()).toEqual(['Teacher', ...Object.values(names)].sort());
    } finally {
      console.close();
    }
    const audited = rs.server.parts.store.audit.query({ kind: 'join', limit: 100 }).map((e) => e.name ?? '');
    for (const name of audited) expect(name).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it('H11 exactly the same name from the same address is the same person joining again; from another address it gets a suffix', async () => {
    const first = await join(rs.peer, { name: 'Ines', code: rs.joinCode });
    const again = await join(rs.peer, { name: 'Ines', code: rs.joinCode });
    const elsewhere = await join(rs.thief, { name: 'Ines', code: rs.joinCode });
    const hidden = await join(rs.peer, { name: 'In\u200bes', code: rs.joinCode });
    const named = (r: typeof first) => (r.result.body as { session: { name: string } }).session.name;
    expect([named(first), named(again), named(elsewhere), named(hidden)]).toEqual(['Ines', 'Ines', 'Ines 2', 'Ines 3']);
  });
});
