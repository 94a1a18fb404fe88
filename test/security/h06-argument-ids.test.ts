import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROOM_EVENTS } from '../../protocol/index.ts';
import { commandId, send } from '../../testkit/clients.ts';
import { hostCall } from '../helpers/room-server.ts';
import { Harness, type Member } from '../arbitration/harness.ts';

/**
 * H6 (docs/security.md): `clip_slot.duplicate_clip_to` was checked only against its
 * target, so a member replaced a clip on another member's track through `args.to`.
 * Every entity a command names, target and arguments alike, is checked against track
 * assignments (the catalogue declares which arguments are entity ids). Against the real
 * agent and the Remote Script in the simulator: the clip on the other track is untouched.
 */
describe('H6 track assignment bypassed through an argument', () => {
  let h: Harness;
  let ada: Member;
  let ben: Member;
  beforeAll(async () => {
    h = await Harness.start();
    const teacher = await h.member('Teacher', 'host');
    ada = await h.member('Ada');
    ben = await h.member('Ben');
    const sessions = await hostCall(teacher.socket, ROOM_EVENTS.hostSessions);
    const idOf = (name: string): string => (sessions.ok ? sessions.value.find((s) => s.name === name)!.id : '');
    expect((await hostCall(teacher.socket, ROOM_EVENTS.hostAssignTracks, { sessionId: idOf('Ada'), trackIds: [h.trackId(1)] })).ok).toBe(true);
    expect((await hostCall(teacher.socket, ROOM_EVENTS.hostAssignTracks, { sessionId: idOf('Ben'), trackIds: [h.trackId(3)] })).ok).toBe(true);
  });
  afterAll(async () => { await h?.stop(); });

  /** Clip slots of a track, with whether each holds a clip, in scene order. */
  function slots(track: string): Array<{ id: string; hasClip: boolean; clipId: string | null }> {
    const mirror = h.server.parts.room.mirror;
    const ids = (mirror.entity(track)?.get('clipSlots') as string[] | undefined) ?? [];
    return ids.map((id) => ({ id, hasClip: mirror.entity(id)?.get('hasClip') === true, clipId: (mirror.entity(id)?.get('clipId') as string | null | undefined) ?? null }));
  }

  it('H6 a member assigned to one track cannot write a clip onto another member’s track through args.to; within its own track it can', async () => {
    const mine = slots(h.trackId(1)); // Drums (track 0 is the Rhythm group)
    const source = mine.find((s) => s.hasClip)!;
    const theirs = slots(h.trackId(3)); // Bass
    const victim = theirs.find((s) => s.hasClip) ?? theirs[0]!;
    expect(source).toBeDefined();
    const before = { hasClip: victim.hasClip, clipId: victim.clipId };
    const clipName = victim.clipId ? h.server.parts.room.mirror.entity(victim.clipId)?.get('name') : null;

    const answer = await send(ada.socket, { id: commandId(), action: 'clip_slot.duplicate_clip_to', target: source.id, args: { to: victim.id } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('args.to') } });
    // The state behind the refusal: Live's slot on Ben's track is as it was.
    const live = await h.sim.eval(`(lambda s: {'has': s.has_clip, 'name': s.clip.name if s.has_clip else None})(song.tracks[3].clip_slots[${theirs.indexOf(victim)}])`, z.object({ has: z.boolean(), name: z.string().nullable() }));
    expect(live).toEqual({ has: before.hasClip, name: clipName ?? null });
    expect(slots(h.trackId(3)).find((s) => s.id === victim.id)).toMatchObject(before);

    // Ben cannot pull Ada's clip onto his track with Ada's slot as the target either.
    expect(await send(ben.socket, { id: commandId(), action: 'clip_slot.duplicate_clip_to', target: source.id, args: { to: victim.id } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const free = mine.find((s) => !s.hasClip && s.id !== source.id);
    if (free) {
      const ok = await send(ada.socket, { id: commandId(), action: 'clip_slot.duplicate_clip_to', target: source.id, args: { to: free.id } });
      expect(ok.ok).toBe(true);
    }
    expect(await send(ada.socket, { id: commandId(), action: 'clip_slot.duplicate_clip_to', target: source.id, args: { to: h.trackId(1) } })).toMatchObject({ ok: false });
  });
});
