import type { z } from 'zod';
import { findAction, wireError, type ArgsSchema, type WireError } from '../protocol/index.ts';

type Schema = z.ZodType & { def: { type: string; innerType?: Schema; checks?: Array<{ _zod: { def: { check: string; value: unknown; inclusive?: boolean } } }> }; isInt?: boolean };

/**
 * Defence in depth at the last TypeScript hop before Live: the action must exist, each
 * continuous value is clamped into the catalogue's legal range (a fader at 1.0000001 is
 * a rounding error, not an attack), and the result must still match the catalogue's
 * schema. Integers (an index, a MIDI pitch) are never clamped: a clamped index would
 * write another control, so an out-of-range one is refused INVALID instead.
 */
export function clampArgs(action: string, args: Readonly<Record<string, unknown>>): { args: Record<string, unknown>; clamped: string[] } | WireError {
  const spec = findAction(action);
  if (!spec) return wireError('INVALID', `unknown action ${JSON.stringify(action)}`);
  const input = { ...args };
  // Actions whose arguments the server resolved (a file id into its path) reach Live in their liveArgs form.
  const schema: ArgsSchema = spec.liveArgs ?? spec.args;
  // Reads the catalogue's own schema (zod's internals), not data from the wire.
  const shape = (schema as unknown as { shape?: Record<string, Schema> }).shape ?? {};
  const clamped: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const value = input[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const number = unwrapNumber(field);
    if (!number || number.isInt) continue;
    const [min, max] = bounds(number);
    const next = Math.min(max, Math.max(min, value));
    if (next !== value) {
      input[key] = next;
      clamped.push(key);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) return wireError('INVALID', `arguments for ${action} are out of the catalogue's range: ${parsed.error.issues[0]?.message ?? ''}`);
  return { args: parsed.data, clamped };
}

function unwrapNumber(schema: Schema): Schema | null {
  let s: Schema | undefined = schema;
  while (s && s.def.type !== 'number') {
    if (s.def.type === 'nullable' || s.def.type === 'optional' || s.def.type === 'default') s = s.def.innerType;
    else return null;
  }
  return s ?? null;
}

function bounds(schema: Schema): [number, number] {
  let min = -Infinity;
  let max = Infinity;
  for (const check of schema.def.checks ?? []) {
    const def = check._zod.def;
    if (typeof def.value !== 'number' || def.inclusive === false) continue;
    if (def.check === 'greater_than') min = Math.max(min, def.value);
    if (def.check === 'less_than') max = Math.min(max, def.value);
  }
  return [min, max];
}
