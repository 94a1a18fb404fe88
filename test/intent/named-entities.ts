import { findAction, namedEntities, type IntentCommand, type TargetKind } from '../../protocol/index.ts';
import type { SetMirror } from '../../server/mirror/set-mirror.ts';

/** The mirror's entity kinds a catalogue target kind accepts (a track action also takes a return or the master). */
const ACCEPTS: Record<TargetKind, readonly string[]> = {
  song: ['song'], track: ['track', 'return', 'master'], clip_slot: ['clip_slot'], clip: ['clip'], scene: ['scene'],
  device: ['device'], parameter: ['parameter'], cue_point: ['cue_point'],
};

/**
 * Every entity a command names — its target and each id argument the catalogue declares
 * (entityArgs, H6) — that is not in the set as that kind. Empty for a command the
 * pipeline's entity checks will let through to the assignment check.
 */
export function missingEntities(mirror: SetMirror, command: IntentCommand): string[] {
  const spec = findAction(command.action);
  if (!spec) return [`unknown action ${command.action}`];
  return namedEntities(spec, command.target, command.args)
    .filter((named) => !ACCEPTS[named.kind].includes(mirror.entity(named.id)?.kind ?? ''))
    .map((named) => `${command.action} ${named.arg ? `args.${named.arg}` : 'target'} ${named.id} is not a ${named.kind} of the set`);
}
