import type {
  ClipProps, ClipSlotProps, CrossfadeAssign, CuePointProps, DeviceProps, EntityKind, Monitoring, OrderProps, ParameterProps,
  SceneProps, SlotState, SongProps, TrackProps,
} from './set-doc.ts';

/**
 * The page's parse of the `set` doc's entities, without zod: each reader builds the
 * declared props from the fields that have their declared type. The server is the only
 * writer of the doc, but what it writes comes from the Remote Script of whatever Live
 * runs, so a field may be missing or null (Live's NaN becomes null on the wire): a
 * required field then reads as its neutral value (0, '', false, []) and an optional one
 * stays absent, rather than a view rendering `undefined`. The compiler holds each reader
 * to its interface in set-doc.ts.
 */

export interface EntityPropsOf {
  song: SongProps;
  track: TrackProps;
  return: TrackProps;
  master: TrackProps;
  scene: SceneProps;
  clip_slot: ClipSlotProps;
  clip: ClipProps;
  device: DeviceProps;
  parameter: ParameterProps;
  cue_point: CuePointProps;
  order: OrderProps;
}

/** An entity as the page reads it: its props, its stable id and its rev. */
export type Entity<K extends EntityKind> = EntityPropsOf[K] & { id: string; rev: string };

type Fields = Readonly<Record<string, unknown>>;

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const bool = (v: unknown): boolean => v === true;
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => num(x)) : []);
const oneOf = <T extends string>(options: readonly T[], v: unknown): T | undefined => options.find((o) => o === v);

/** Puts `value` under `key` only when it is there: an optional member Live lacks stays absent. */
function some<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T & Partial<Record<K, V>> {
  return value === undefined ? target : { ...target, [key]: value };
}

const optBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const TRACK_KINDS = ['midi', 'audio', 'group', 'return', 'master'] as const;
const MONITORING: readonly Monitoring[] = ['in', 'auto', 'off'];
const CROSSFADE: readonly CrossfadeAssign[] = ['A', 'none', 'B'];
const SLOT_STATES: readonly SlotState[] = ['empty', 'stopped', 'playing', 'triggered', 'recording'];
const CLIP_STATES: ReadonlyArray<Exclude<SlotState, 'empty'>> = ['stopped', 'playing', 'triggered', 'recording'];
const DEVICE_TYPES = ['instrument', 'audio_effect', 'midi_effect', 'undefined'] as const;

function song(f: Fields): SongProps {
  return {
    tempo: num(f.tempo, 120), isPlaying: bool(f.isPlaying),
    signatureNumerator: num(f.signatureNumerator, 4), signatureDenominator: num(f.signatureDenominator, 4),
    metronome: bool(f.metronome), loop: bool(f.loop), loopStart: num(f.loopStart), loopLength: num(f.loopLength),
    record: bool(f.record), overdub: bool(f.overdub), sessionRecord: bool(f.sessionRecord), crossfader: num(f.crossfader),
    canUndo: bool(f.canUndo), canRedo: bool(f.canRedo), quantization: str(f.quantization),
  };
}

function track(f: Fields): TrackProps {
  let t: TrackProps = {
    kind: oneOf(TRACK_KINDS, f.kind) ?? 'audio', name: str(f.name), color: num(f.color), volume: num(f.volume), pan: num(f.pan),
    devices: strs(f.devices),
  };
  t = some(t, 'mute', optBool(f.mute));
  t = some(t, 'solo', optBool(f.solo));
  t = some(t, 'arm', optBool(f.arm));
  t = some(t, 'canArm', optBool(f.canArm));
  t = some(t, 'monitoring', oneOf(MONITORING, f.monitoring));
  t = some(t, 'isFoldable', optBool(f.isFoldable));
  t = some(t, 'fold', optBool(f.fold));
  t = some(t, 'groupId', typeof f.groupId === 'string' || f.groupId === null ? f.groupId : undefined);
  t = some(t, 'sends', Array.isArray(f.sends) ? nums(f.sends) : undefined);
  t = some(t, 'crossfadeAssign', oneOf(CROSSFADE, f.crossfadeAssign));
  t = some(t, 'playingSlotIndex', optNum(f.playingSlotIndex));
  t = some(t, 'firedSlotIndex', optNum(f.firedSlotIndex));
  t = some(t, 'clipSlots', Array.isArray(f.clipSlots) ? strs(f.clipSlots) : undefined);
  return t;
}

const READERS: { readonly [K in EntityKind]: (f: Fields) => EntityPropsOf[K] } = {
  song,
  track,
  return: track,
  master: track,
  scene: (f) => ({ name: str(f.name), color: num(f.color), tempo: optNum(f.tempo) ?? null, isTriggered: bool(f.isTriggered) }),
  clip_slot: (f) => ({
    trackId: str(f.trackId), hasClip: bool(f.hasClip), clipId: typeof f.clipId === 'string' ? f.clipId : null,
    state: oneOf(SLOT_STATES, f.state) ?? 'empty', hasStopButton: bool(f.hasStopButton),
  }),
  clip: (f) => ({
    slotId: str(f.slotId), trackId: str(f.trackId), name: str(f.name), color: num(f.color), length: num(f.length),
    looping: bool(f.looping), loopStart: num(f.loopStart), loopEnd: num(f.loopEnd), isMidi: bool(f.isMidi),
    state: oneOf(CLIP_STATES, f.state) ?? 'stopped',
  }),
  device: (f) => ({
    trackId: str(f.trackId), name: str(f.name), className: str(f.className), type: oneOf(DEVICE_TYPES, f.type) ?? 'undefined',
    isActive: bool(f.isActive), canHaveChains: bool(f.canHaveChains), params: strs(f.params), macros: strs(f.macros),
    paramCount: num(f.paramCount, strs(f.params).length),
  }),
  parameter: (f) => ({
    deviceId: str(f.deviceId), name: str(f.name), value: num(f.value), min: num(f.min), max: num(f.max, 1),
    isQuantized: bool(f.isQuantized), valueItems: strs(f.valueItems), display: str(f.display), defaultValue: num(f.defaultValue),
    isEnabled: f.isEnabled !== false,
  }),
  cue_point: (f) => ({ name: str(f.name), time: num(f.time) }),
  order: (f) => ({ tracks: strs(f.tracks), returns: strs(f.returns), scenes: strs(f.scenes), cuePoints: strs(f.cuePoints) }),
};

/** An entity of `kind` from its doc content (a plain object), or null when it is not one. */
export function entityOf<K extends EntityKind>(kind: K, value: unknown, id: string): Entity<K> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const fields: Fields = Object.fromEntries(Object.entries(value));
  const read: (f: Fields) => EntityPropsOf[K] = READERS[kind];
  return { ...read(fields), id: str(fields.id, id), rev: str(fields.rev) };
}
