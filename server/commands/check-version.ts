import { SONG_ID, controlValue, namedEntities, wireError, type ActionSpec, type Command, type Control, type WireError } from '../../protocol/index.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';

/**
 * The early optimistic check against the server's mirror. The Remote Script repeats
 * it on Live's main thread (the final, atomic one); this one saves the round trip.
 * `control` is controlOf(command): its entity's rev versions the control (a rack macro
 * is versioned by its own parameter, whose moves leave the device's rev alone).
 */
export function checkVersion(parsed: { command: Command; spec: ActionSpec }, control: Control, mirror: SetMirror): WireError | null {
  const { command, spec } = parsed;
  // An entity an argument names must exist and be of its kind (H6); the target's kind is the Remote Script's to check.
  for (const named of namedEntities(spec, null, command.args)) {
    const entity = mirror.entity(named.id);
    if (!entity && mirror.epoch !== null) return wireError('NOT_FOUND', `args.${named.arg ?? ''}: no ${named.kind} with id ${named.id}`);
    if (entity && entity.kind !== named.kind) return wireError('INVALID', `args.${named.arg ?? ''} must name a ${named.kind}, not a ${entity.kind}`);
  }
  const id = command.target ?? SONG_ID;
  const target = mirror.entity(id);
  if (!target) {
    if (command.target && mirror.epoch !== null) return wireError('NOT_FOUND', `no ${spec.target} with id ${command.target}`);
    return null;
  }
  const rev = (mirror.entity(control.entity) ?? target).rev;
  if (command.baseRev === undefined || command.baseRev === rev) return null;
  return wireError('CONFLICT', `${id} changed since rev ${command.baseRev}`, {
    current: { value: controlValue(control, spec.prop, mirror.lookup), rev },
  });
}
