import { wireError, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';

/**
 * The early optimistic check against the server's mirror. The Remote Script repeats
 * it on Live's main thread (the final, atomic one); this one saves the round trip.
 */
export function checkVersion(parsed: { command: Command; spec: ActionSpec }, mirror: SetMirror): WireError | null {
  const { command, spec } = parsed;
  const id = command.target ?? 'song';
  const entity = mirror.entity(id);
  if (!entity) {
    if (command.target && mirror.epoch !== null) return wireError('NOT_FOUND', `no ${spec.target} with id ${command.target}`);
    return null;
  }
  if (command.baseRev === undefined || command.baseRev === entity.rev) return null;
  return wireError('CONFLICT', `${id} changed since rev ${command.baseRev}`, { current: { value: currentValue(spec, command, entity.get), rev: entity.rev } });
}

export function currentValue(spec: ActionSpec, command: Command, get: (prop: string) => unknown): unknown {
  if (!spec.prop) return null;
  const value = get(spec.prop);
  const index = command.args.index;
  if (Array.isArray(value) && typeof index === 'number') return value[index] ?? null;
  return value ?? null;
}
