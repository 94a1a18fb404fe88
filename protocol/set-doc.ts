import type { ProcessReport } from './health.ts';
/**
 * The layout of the room's `set` Y.Doc. The server is its only writer; browsers read.
 * Each entity is a Y.Map inside its root map so a change touches only the keys that
 * changed (no flicker, small updates).
 */
export const ENTITY_KINDS = ['song', 'track', 'return', 'master', 'scene', 'clip_slot', 'clip', 'device', 'parameter', 'cue_point', 'order'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Root map name in the `set` doc for each entity kind. */
export const ROOT_OF: Record<EntityKind, string> = {
  song: 'song',
  master: 'master',
  order: 'order',
  track: 'tracks',
  return: 'returns',
  scene: 'scenes',
  clip_slot: 'clipSlots',
  clip: 'clips',
  device: 'devices',
  parameter: 'params',
  cue_point: 'cuePoints',
};

/** Kinds held as a single entity directly in their root map rather than keyed by id. */
export const SINGLETON_KINDS: ReadonlySet<EntityKind> = new Set(['song', 'master', 'order']);

/** Root map `meta`: written by the server about the link, not by Live. */
export const META_ROOT = 'meta';

/** A process `roomtone start` supervises (the simulator, the host agent), as /healthz also reports it. */
export type ProcessInfo = ProcessReport;

/** The `meta` map's fields; the server writes them, browsers read them. */
export interface MetaProps {
  /** One per server start and per compaction: a browser drops its doc when it changes (M5, M8). */
  instance: string;
  /** The Remote Script's epoch; every rev changes with it (M4). */
  epoch: string | null;
  agentConnected: boolean;
  liveConnected: boolean;
  simulated: boolean | null;
  liveVersion: string | null;
  /** Server time (ms) when the agent, or Live, last connected or went away (0: not yet). */
  agentChangedAt: number;
  liveChangedAt: number;
  processes: ProcessInfo[];
  /** What the last Live that was here was, kept after it went ("Live is closed" vs the simulator's absence). */
  liveKind: 'real' | 'sim';
}

/** Each `meta` field's name, so no part spells one by hand. */
export const META: { readonly [K in keyof MetaProps]: K } = {
  instance: 'instance',
  epoch: 'epoch',
  agentConnected: 'agentConnected',
  liveConnected: 'liveConnected',
  simulated: 'simulated',
  liveVersion: 'liveVersion',
  agentChangedAt: 'agentChangedAt',
  liveChangedAt: 'liveChangedAt',
  processes: 'processes',
  liveKind: 'liveKind',
};

/** The song's entity id (the song is a singleton; song-level actions have no target). */
export const SONG_ID = 'song';

export type Rev = string;

/** A rev is `<epoch>.<counter>`: one from before a Live restart never equals a new one. */
export function epochOfRev(rev: Rev): string {
  const dot = rev.lastIndexOf('.');
  return dot < 0 ? '' : rev.slice(0, dot);
}

/**
 * Every id but song, master and order ends with its set's tag (`t12-k3q`): the last
 * three characters of the epoch of the Remote Script instance that made it. An id of
 * another set (opened before, or before Live restarted) never names anything in this one.
 */
export function setTagOfEpoch(epoch: string): string {
  return epoch.slice(-3);
}

/** The tag an id carries, or null for the singletons and ids without one. */
export function setTagOfId(id: string): string | null {
  const dash = id.lastIndexOf('-');
  return dash < 0 ? null : id.slice(dash + 1);
}

/*
 * Entity props as the Remote Script sends them and the `set` doc holds them. Every
 * entity also carries `id` and `rev`. Ids are opaque strings the Remote Script assigns
 * and keeps for the life of the set (song: "song", master track: "master", order:
 * "order"; others like "t12", "s3", "cs40", "c7", "d5", "p88", "cue2").
 */
export type Monitoring = 'in' | 'auto' | 'off';
export type CrossfadeAssign = 'A' | 'none' | 'B';
export type SlotState = 'empty' | 'stopped' | 'playing' | 'triggered' | 'recording';

/** Live's global launch quantization values, as the `song` entity names them (Song.Quantization). */
export const LAUNCH_QUANTIZATIONS = ['None', '8 Bars', '4 Bars', '2 Bars', '1 Bar', '1/2', '1/2T', '1/4', '1/4T', '1/8', '1/8T', '1/16', '1/16T', '1/32'] as const;

export interface SongProps {
  tempo: number;
  isPlaying: boolean;
  signatureNumerator: number;
  signatureDenominator: number;
  metronome: boolean;
  loop: boolean;
  loopStart: number;
  loopLength: number;
  record: boolean;
  overdub: boolean;
  sessionRecord: boolean;
  crossfader: number;
  canUndo: boolean;
  canRedo: boolean;
  /** Global clip launch quantization as Live names it ("1 Bar", "None", …). */
  quantization: string;
}

/** Regular, return and master tracks share this shape; members Live lacks for a kind are absent. */
export interface TrackProps {
  kind: 'midi' | 'audio' | 'group' | 'return' | 'master';
  name: string;
  color: number;
  volume: number;
  pan: number;
  mute?: boolean;
  solo?: boolean;
  arm?: boolean;
  canArm?: boolean;
  monitoring?: Monitoring;
  isFoldable?: boolean;
  fold?: boolean;
  groupId?: string | null;
  sends?: number[];
  crossfadeAssign?: CrossfadeAssign;
  playingSlotIndex?: number;
  firedSlotIndex?: number;
  devices: string[];
  clipSlots?: string[];
}

export interface SceneProps { name: string; color: number; tempo: number | null; isTriggered: boolean }

export interface ClipSlotProps { trackId: string; hasClip: boolean; clipId: string | null; state: SlotState; hasStopButton: boolean }

export interface ClipProps {
  slotId: string;
  trackId: string;
  name: string;
  color: number;
  length: number;
  looping: boolean;
  loopStart: number;
  loopEnd: number;
  isMidi: boolean;
  state: Exclude<SlotState, 'empty'>;
}

export interface DeviceProps {
  trackId: string;
  name: string;
  className: string;
  type: 'instrument' | 'audio_effect' | 'midi_effect' | 'undefined';
  isActive: boolean;
  canHaveChains: boolean;
  /** How many parameters the device has in Live (observed or not). */
  paramCount: number;
  /**
   * Parameter ids while some browser observes the device (ROOM_EVENTS.observe), in
   * Live's order; empty otherwise. A big device's list grows over a few ticks.
   */
  params: string[];
  /** Rack macro parameter ids while observed (empty for other devices, and unobserved racks). */
  macros: string[];
}

export interface ParameterProps {
  deviceId: string;
  name: string;
  value: number;
  min: number;
  max: number;
  isQuantized: boolean;
  valueItems: string[];
  display: string;
  defaultValue: number;
  isEnabled: boolean;
}

export interface CuePointProps { name: string; time: number }

export interface OrderProps { tracks: string[]; returns: string[]; scenes: string[]; cuePoints: string[] }
