import type { EntityChange } from '../protocol/index.ts';

export interface SyntheticTrack {
  name: string;
  kind?: 'midi' | 'audio' | 'group';
  volume?: number;
  pan?: number;
  devices?: Array<{ name: string; className: string; params?: Array<{ name: string; value: number; min: number; max: number; display: string; items?: string[] }> }>;
  /** Clip names by scene row; null for an empty slot. */
  clips?: Array<string | null>;
}

export interface SyntheticSet {
  tracks: SyntheticTrack[];
  returns?: string[];
  scenes: string[];
  cues?: Array<{ name: string; time: number }>;
  tempo?: number;
}

/**
 * A set the parser has never seen, written as the Remote Script would send it (a
 * snapshot's entities, epoch `syn`): for tests that the words work on other names than the demo's.
 */
export function syntheticEntities(spec: SyntheticSet): EntityChange[] {
  const entities: EntityChange[] = [];
  const rev = (n: number): string => `syn.${n}`;
  let n = 0;
  const id = (prefix: string): string => `${prefix}${++n}`;
  const trackIds: string[] = [];
  const returnIds: string[] = [];
  const sceneIds = spec.scenes.map(() => id('s'));
  const addDevices = (trackId: string, devices: SyntheticTrack['devices'] = []): string[] => devices.map((d) => {
    const deviceId = id('d');
    const params = (d.params ?? []).map((p) => {
      const pid = id('p');
      entities.push({ kind: 'parameter', id: pid, rev: rev(n), props: { deviceId, name: p.name, value: p.value, min: p.min, max: p.max, isQuantized: !!p.items, valueItems: p.items ?? [], display: p.display, defaultValue: p.value, isEnabled: true } });
      return pid;
    });
    entities.push({ kind: 'device', id: deviceId, rev: rev(n), props: { trackId, name: d.name, className: d.className, type: 'audio_effect', isActive: true, canHaveChains: false, params, macros: [] } });
    return deviceId;
  });
  for (const t of spec.tracks) {
    const trackId = id('t');
    trackIds.push(trackId);
    const slots = spec.scenes.map((_, row) => {
      const slotId = id('cs');
      const clipName = t.clips?.[row] ?? null;
      let clipId: string | null = null;
      if (clipName !== null) {
        clipId = id('c');
        entities.push({ kind: 'clip', id: clipId, rev: rev(n), props: { slotId, trackId, name: clipName, color: 0, length: 16, looping: true, loopStart: 0, loopEnd: 16, isMidi: t.kind !== 'audio', state: 'stopped' } });
      }
      entities.push({ kind: 'clip_slot', id: slotId, rev: rev(n), props: { trackId, hasClip: clipId !== null, clipId, state: clipId ? 'stopped' : 'empty', hasStopButton: true } });
      return slotId;
    });
    const devices = addDevices(trackId, t.devices);
    entities.push({ kind: 'track', id: trackId, rev: rev(n), props: {
      kind: t.kind ?? 'midi', name: t.name, color: 0, volume: t.volume ?? 0.85, pan: t.pan ?? 0, mute: false, solo: false, arm: false,
      canArm: t.kind !== 'group', monitoring: 'auto', isFoldable: t.kind === 'group', fold: false, groupId: null,
      sends: (spec.returns ?? []).map(() => 0), crossfadeAssign: 'none', playingSlotIndex: -1, firedSlotIndex: -1, devices, clipSlots: slots,
    } });
  }
  for (const name of spec.returns ?? []) {
    const returnId = id('t');
    returnIds.push(returnId);
    entities.push({ kind: 'return', id: returnId, rev: rev(n), props: { kind: 'return', name, color: 0, volume: 0.85, pan: 0, mute: false, solo: false, sends: [], devices: [] } });
  }
  spec.scenes.forEach((name, i) => entities.push({ kind: 'scene', id: sceneIds[i]!, rev: rev(n), props: { name, color: 0, tempo: null, isTriggered: false } }));
  const cueIds = (spec.cues ?? []).map((c) => {
    const cueId = id('cue');
    entities.push({ kind: 'cue_point', id: cueId, rev: rev(n), props: { name: c.name, time: c.time } });
    return cueId;
  });
  entities.push({ kind: 'master', id: 'master', rev: rev(n), props: { kind: 'master', name: 'Master', color: 0, volume: 0.85, pan: 0, devices: [] } });
  entities.push({ kind: 'song', id: 'song', rev: rev(n), props: { tempo: spec.tempo ?? 100, isPlaying: false, signatureNumerator: 4, signatureDenominator: 4, metronome: false, loop: false, loopStart: 0, loopLength: 16, record: false, overdub: false, sessionRecord: false, crossfader: 0, canUndo: false, canRedo: false, quantization: '1 Bar' } });
  entities.push({ kind: 'order', id: 'order', rev: rev(n), props: { tracks: trackIds, returns: returnIds, scenes: sceneIds, cuePoints: cueIds } });
  return entities;
}
