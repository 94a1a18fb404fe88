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

export type Rev = string;

/** A rev is `<epoch>.<counter>`: one from before a Live restart never equals a new one. */
export function epochOfRev(rev: Rev): string {
  const dot = rev.lastIndexOf('.');
  return dot < 0 ? '' : rev.slice(0, dot);
}
