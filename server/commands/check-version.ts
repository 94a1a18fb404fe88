import {
  SONG_ID, controlValue, epochOfRev, namedEntities, setTagOfEpoch, setTagOfId, wireError,
  type ActionSpec, type Command, type Control, type WireError,
} from '../../protocol/index.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';

/**
 * The early optimistic check against the server's mirror. The Remote Script repeats
 * it on Live's main thread (the final, atomic one); this one saves the round trip.
 * `control` is controlOf(command): its entity's rev versions the control (a rack macro
 * is versioned by its own parameter, whose moves leave the device's rev alone).
 * An id or baseRev from a set that is no longer open in Live is SET_CHANGED, not
 * NOT_FOUND or CONFLICT: nothing was applied and the view follows the new set.
 */
export function checkVersion(parsed: { command: Command; spec: ActionSpec }, control: Control, mirror: SetMirror): WireError | null {
  const { command, spec } = parsed;
  // An entity an argument names must exist and be of its kind (H6); the target's kind is the Remote Script's to check.
  for (const named of namedEntities(spec, null, command.args)) {
    const entity = mirror.entity(named.id);
    if (!entity && mirror.epoch !== null) {
      return otherSet(named.id, mirror.epoch) ?? wireError('NOT_FOUND', `args.${named.arg ?? ''}: no ${named.kind} with id ${named.id}`);
    }
    if (entity && entity.kind !== named.kind) return wireError('INVALID', `args.${named.arg ?? ''} must name a ${named.kind}, not a ${entity.kind}`);
  }
  const id = command.target ?? SONG_ID;
  const target = mirror.entity(id);
  const epoch = mirror.epoch;
  if (!target) {
    if (command.target && epoch !== null) {
      return otherSet(command.target, epoch) ?? wireError('NOT_FOUND', `no ${spec.target} with id ${command.target}`);
    }
    return null;
  }
  if (command.baseRev !== undefined && epoch !== null && epochOfRev(command.baseRev) !== epoch) {
    return wireError('SET_CHANGED', `baseRev ${command.baseRev} is from a set that is no longer open in Live; nothing was applied`);
  }
  const rev = (mirror.entity(control.entity) ?? target).rev;
  if (command.baseRev === undefined || command.baseRev === rev) return null;
  return wireError('CONFLICT', `${id} changed since rev ${command.baseRev}`, {
    current: { value: controlValue(control, spec.prop, mirror.lookup), rev },
  });
}

/** SET_CHANGED when `id` carries the tag of another set than the one open now. */
function otherSet(id: string, epoch: string): WireError | null {
  const tag = setTagOfId(id);
  if (tag === null || tag === setTagOfEpoch(epoch)) return null;
  return wireError('SET_CHANGED', `${id} belongs to a set that is no longer open in Live; nothing was applied`);
}
