import { z } from 'zod';
import { ACTIONS, type ActionSpec } from '../../../protocol/index.ts';

/**
 * Actions the model may never propose: anything that deletes or overwrites content (a
 * clip copied onto another slot replaces the clip there).
 * A person typing "delete …" gets the parser's careful rules; a model's guess does not
 * get to destroy anything, confirmed or not.
 */
const WITHHELD = new Set(['track.delete', 'scene.delete', 'clip_slot.delete_clip', 'clip_slot.duplicate_clip_to', 'device.delete', 'clip.remove_notes', 'clip.replace_notes']);

/** The catalogue actions offered to the model: every change that is not destructive. Reads change nothing and are not offered. */
export function offeredActions(): ActionSpec[] {
  return ACTIONS.filter((a) => a.mode !== 'read' && !WITHHELD.has(a.name));
}

/** OpenAI function names allow [a-zA-Z0-9_-]: "track.set_volume" travels as "track__set_volume". */
function toolName(action: string): string {
  return action.replace('.', '__');
}

export function actionOfTool(name: string): string {
  return name.replace('__', '.');
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The catalogue as OpenAI-style tools: the JSON Schema of each action's own argument schema. */
export function catalogueTools(): ToolDefinition[] {
  return offeredActions().map((spec) => {
    const args = z.toJSONSchema(spec.args, { unrepresentable: 'any' }) as Record<string, unknown>;
    delete args.$schema;
    const properties: Record<string, unknown> = { args };
    const required = ['args'];
    if (spec.target !== 'song') {
      properties.target = { type: 'string', description: `The id of the ${spec.target.replace('_', ' ')} (from the set's list).` };
      required.unshift('target');
    }
    return {
      type: 'function',
      function: {
        name: toolName(spec.name),
        description: `${spec.summary}${spec.target === 'song' ? '' : ` Target: a ${spec.target.replace('_', ' ')} id.`}`,
        parameters: { type: 'object', properties, required, additionalProperties: false },
      },
    };
  });
}
