import type { z } from 'zod';
import type { Role } from '../roles.ts';

/** What an action's `target` id must name; `song` actions take no target. */
export type TargetKind = 'song' | 'track' | 'clip_slot' | 'clip' | 'scene' | 'device' | 'parameter' | 'cue_point';

/**
 * - `continuous`: a control that moves (fader, knob, tempo). Gestures and coalescing apply.
 * - `trigger`: a one-shot that must happen in order and never merge (launch, play, undo).
 * - `edit`: a change to the set's structure or a property; ordered, never merged.
 * - `read`: asks Live for data not mirrored in the `set` doc (MIDI notes, browser).
 */
export type ActionMode = 'continuous' | 'trigger' | 'edit' | 'read';

/** An action's arguments: always an object (`{}` for none). */
export type ArgsSchema = z.ZodType<Record<string, unknown>>;

export interface ActionSpec<A extends ArgsSchema = ArgsSchema> {
  name: string;
  target: TargetKind;
  args: A;
  minRole: Role;
  mode: ActionMode;
  /** The entity property this action writes, where there is one: the server reads it
   *  for the early version check's `current` and for coalescing keys. */
  prop?: string;
  /**
   * Arguments that name entities, and the kind each must be. The server checks every
   * entity a command names, target and arguments alike, against track assignments: an
   * id in an argument is as much a write as the target (H6).
   */
  entityArgs?: Readonly<Record<string, TargetKind>>;
  /**
   * The arguments as the Remote Script receives them, where the server resolves a
   * reference the browser sends (a stored file's id) into what Live needs (its path).
   * The browser never sends these; the host agent checks them.
   */
  liveArgs?: ArgsSchema;
  summary: string;
}

export function defineAction<A extends ArgsSchema>(spec: ActionSpec<A>): ActionSpec<A> {
  return spec;
}

/** Every entity a command names: its target, then each entity argument the catalogue declares. */
export function namedEntities(spec: Pick<ActionSpec, 'target' | 'entityArgs'>, target: string | null, args: Record<string, unknown>): Array<{ id: string; kind: TargetKind; arg?: string }> {
  const out: Array<{ id: string; kind: TargetKind; arg?: string }> = [];
  if (target !== null) out.push({ id: target, kind: spec.target });
  for (const [arg, kind] of Object.entries(spec.entityArgs ?? {})) {
    const id = args[arg];
    if (typeof id === 'string') out.push({ id, kind, arg });
  }
  return out;
}
