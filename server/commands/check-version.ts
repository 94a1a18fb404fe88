import { namedEntities, wireError, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';
import type { EntityView, SetMirror } from '../mirror/set-mirror.ts';

/**
 * The early optimistic check against the server's mirror. The Remote Script repeats
 * it on Live's main thread (the final, atomic one); this one saves the round trip.
 */
export function checkVersion(parsed: { command: Command; spec: ActionSpec }, mirror: SetMirror): WireError | null {
  const { command, spec } = parsed;
  // An entity an argument names must exist and be of its kind (H6); the target's kind is the Remote Script's to check.
  for (const named of namedEntities(spec, null, command.args)) {
    const entity = mirror.entity(named.id);
    if (!entity && mirror.epoch !== null) return wireError('NOT_FOUND', `args.${named.arg}: no ${named.kind} with id ${named.id}`);
    if (entity && entity.kind !== named.kind) return wireError('INVALID', `args.${named.arg} must name a ${named.kind}, not a ${entity.kind}`);
  }
  const id = command.target ?? 'song';
  const entity = mirror.entity(id);
  if (!entity) {
    if (command.target && mirror.epoch !== null) return wireError('NOT_FOUND', `no ${spec.target} with id ${command.target}`);
    return null;
  }
  const versioned = versionedEntity(spec, command, entity, mirror);
  if (command.baseRev === undefined || command.baseRev === versioned.rev) return null;
  return wireError('CONFLICT', `${id} changed since rev ${command.baseRev}`, {
    current: { value: currentValue(spec, command, (prop) => entity.get(prop), (ref) => mirror.entity(ref)?.get('value')), rev: versioned.rev },
  });
}

/**
 * The entity whose rev versions the control. A rack macro is its own parameter: its
 * moves do not change the device's rev. The Remote Script resolves it the same way.
 */
function versionedEntity(spec: ActionSpec, command: Command, entity: EntityView, mirror: SetMirror): EntityView {
  const index = command.args.index;
  if (spec.prop !== 'macros' || typeof index !== 'number') return entity;
  const macros = entity.get('macros');
  const param = Array.isArray(macros) && typeof macros[index] === 'string' ? mirror.entity(macros[index]) : undefined;
  return param ?? entity;
}

/**
 * The value the action's control has now: the prop, or its `args.index` element (a send
 * level); where that element is a parameter id (a rack macro), that parameter's value.
 */
export function currentValue(spec: ActionSpec, command: Command, get: (prop: string) => unknown, valueOf: (id: string) => unknown = () => undefined): unknown {
  if (!spec.prop) return null;
  const value = get(spec.prop);
  const index = command.args.index;
  if (Array.isArray(value) && typeof index === 'number') {
    const element = value[index];
    if (spec.prop === 'macros' && typeof element === 'string') return valueOf(element) ?? null;
    return element ?? null;
  }
  return value ?? null;
}
