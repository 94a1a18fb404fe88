import { SONG_ID } from './set-doc.ts';

/**
 * Which physical control a command writes, as one function: the server's pipeline keys
 * leases and coalescing on it, its early version check compares `baseRev` with the
 * control's entity, and the page uses the same key to show a control as held and the
 * same entity's rev as a gesture's `baseRev`. The Remote Script resolves a macro the
 * same way (docs/protocol.md, G-rules and the client checklist).
 */

/** What the resolver needs to know of an entity in the `set` doc. */
export interface EntityRef {
  rev: string | null;
  get(prop: string): unknown;
}
export type EntityLookup = (id: string) => EntityRef | undefined;

export interface ControlCommand {
  action: string;
  target?: string | null;
  args?: Readonly<Record<string, unknown>>;
}

export interface Control {
  /** `action|target|index`: one per control; a macro is its parameter's `parameter.set|<id>|`. */
  key: string;
  /** The entity whose rev versions this control: `baseRev` is compared with its rev. */
  entity: string;
  /** The element of a list prop the control writes (a send level). */
  index?: number;
  /** True when the control is a parameter reached through its device (a rack macro). */
  parameter: boolean;
}

/**
 * Actions that write a parameter named by a list on their target: `device.set_macro`
 * on macro i writes the parameter `macros[i]`, the same control as `parameter.set` on it.
 */
export const PARAMETER_LISTS: Readonly<Record<string, string>> = { 'device.set_macro': 'macros' };

const PARAMETER_SET = 'parameter.set';

function keyOf(action: string, target: string, index: number | undefined): string {
  return `${action}|${target}|${index === undefined ? '' : String(index)}`;
}

export function controlOf(command: ControlCommand, lookup: EntityLookup): Control {
  const target = command.target ?? SONG_ID;
  const rawIndex = command.args?.index;
  const index = typeof rawIndex === 'number' ? rawIndex : undefined;
  const list = Object.hasOwn(PARAMETER_LISTS, command.action) ? PARAMETER_LISTS[command.action] : undefined;
  if (list !== undefined && index !== undefined) {
    const ids = lookup(target)?.get(list);
    const parameter: unknown = Array.isArray(ids) ? ids[index] : undefined;
    if (typeof parameter === 'string') return { key: keyOf(PARAMETER_SET, parameter, undefined), entity: parameter, parameter: true };
  }
  return { key: keyOf(command.action, target, index), entity: target, ...(index !== undefined ? { index } : {}), parameter: false };
}

/**
 * The value a control has now: a macro's parameter value, else the action's prop (the
 * catalogue's `prop`) on the entity, or its `index` element when the prop is a list.
 */
export function controlValue(control: Control, prop: string | undefined, lookup: EntityLookup): unknown {
  const entity = lookup(control.entity);
  if (!entity) return null;
  if (control.parameter) return entity.get('value') ?? null;
  if (prop === undefined) return null;
  const value = entity.get(prop);
  if (Array.isArray(value) && control.index !== undefined) {
    const element: unknown = value[control.index];
    return element ?? null;
  }
  return value ?? null;
}
