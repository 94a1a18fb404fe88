import { z } from 'zod';
import { CommandSchema, findAction, wireError, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';

export interface ParsedCommand {
  command: Command;
  spec: ActionSpec;
}

/** The schema step: shape, known action, arguments, target presence. Nothing else. */
export function parseCommand(raw: unknown): ParsedCommand | WireError {
  const shape = CommandSchema.safeParse(raw);
  if (!shape.success) return wireError('INVALID', `malformed command: ${describe(shape.error)}`);
  const input = shape.data;
  const spec = findAction(input.action);
  if (!spec) return wireError('INVALID', `unknown action ${JSON.stringify(input.action)}`);
  const args = spec.args.safeParse(input.args);
  if (!args.success) return wireError('INVALID', `bad arguments for ${spec.name}: ${describe(args.error)}`);
  const target = typeof input.target === 'object' && input.target !== null ? input.target.id : input.target ?? null;
  if (spec.target !== 'song' && !target) return wireError('INVALID', `${spec.name} needs a target ${spec.target} id`);
  if (input.gesture && spec.mode !== 'continuous') return wireError('INVALID', `${spec.name} is not a continuous control; gestures do not apply`);
  const command: Command = {
    id: input.id,
    action: spec.name,
    target: spec.target === 'song' ? null : target,
    args: args.data,
    ...(input.baseRev !== undefined ? { baseRev: input.baseRev } : {}),
    ...(input.gesture !== undefined ? { gesture: input.gesture } : {}),
  };
  return { command, spec };
}

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
