import { describe, expect, it } from 'vitest';
import { entityOf } from './entity-readers.ts';

describe('the page’s entity readers (protocol/entity-readers.ts)', () => {
  it('read an entity the Remote Script sent back exactly', () => {
    const track = {
      id: 't1', rev: 'E.3', kind: 'midi', name: 'Bass', color: 0xff0000, volume: 0.85, pan: 0, mute: false, solo: true, arm: false, canArm: true,
      monitoring: 'auto', isFoldable: false, groupId: null, sends: [0.1, 0], crossfadeAssign: 'none', playingSlotIndex: -1, firedSlotIndex: -2,
      devices: ['d1'], clipSlots: ['cs1', 'cs2'],
    };
    expect(entityOf('track', track, 't1')).toEqual(track);
    const parameter = { id: 'p1', rev: 'E.4', deviceId: 'd1', name: 'Cutoff', value: 64, min: 0, max: 127, isQuantized: false, valueItems: [], display: '64', defaultValue: 0, isEnabled: true };
    expect(entityOf('parameter', parameter, 'p1')).toEqual(parameter);
  });

  it('leave out the members a Live version lacks, and read a missing or null required field as its neutral value', () => {
    const master = entityOf('master', { id: 'master', rev: 'E.1', kind: 'master', name: 'Master', color: 0, volume: 0.85, pan: null, devices: [] }, 'master');
    expect(master).toEqual({ id: 'master', rev: 'E.1', kind: 'master', name: 'Master', color: 0, volume: 0.85, pan: 0, devices: [] });
    expect(master && 'mute' in master).toBe(false);
    expect(entityOf('scene', { name: 'Verse', tempo: null }, 's1')).toEqual({ id: 's1', rev: '', name: 'Verse', color: 0, tempo: null, isTriggered: false });
    expect(entityOf('clip_slot', { state: 'exploded', hasClip: 'yes' }, 'cs1')).toMatchObject({ state: 'empty', hasClip: false, clipId: null });
  });

  it('answer null for what is not an entity', () => {
    expect(entityOf('song', undefined, 'song')).toBeNull();
    expect(entityOf('song', [1, 2], 'song')).toBeNull();
    expect(entityOf('track', 'Bass', 't1')).toBeNull();
  });
});
