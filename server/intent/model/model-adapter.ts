import { z } from 'zod';
import { INTENT_COMMANDS_MAX, findAction, namedEntities, wireError, type IntentAnswer, type IntentCommand, type EntityKind } from '../../../protocol/index.ts';
import type { IntentSet } from '../intent-parser.ts';
import { describeCommand } from '../describe-command.ts';
import { SYSTEM_PROMPT, setContext } from './model-context.ts';
import { actionOfTool, catalogueTools, offeredActions } from './model-tools.ts';

export interface ModelConfig {
  /** Base URL of an OpenAI-compatible API on the LAN, e.g. http://127.0.0.1:11434/v1 (Ollama). */
  url: string;
  model: string;
  /** Sent as a bearer token when set (llama.cpp's --api-key); from the environment only. */
  apiKey?: string;
  timeoutMs: number;
}

/** Largest answer read from the model server: a runaway body is cut, never buffered whole. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const ToolCallSchema = z.object({
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().max(80), arguments: z.union([z.string().max(64 * 1024), z.record(z.string(), z.unknown())]) }),
});
const CompletionSchema = z.object({
  choices: z.array(z.object({
    message: z.object({
      content: z.string().nullable().optional(),
      tool_calls: z.array(ToolCallSchema).max(64).nullable().optional(),
    }),
  })).min(1),
});
const CallArgumentsSchema = z.object({ target: z.string().min(1).max(64).optional(), args: z.record(z.string(), z.unknown()).optional() }).strict();

const OFFERED = new Set(offeredActions().map((a) => a.name));

/** Which root of the `set` doc each target kind lives in, to check a proposed id exists. */
const KIND_OF_TARGET: Record<string, EntityKind[]> = {
  track: ['track', 'return', 'master'], clip_slot: ['clip_slot'], clip: ['clip'], scene: ['scene'],
  device: ['device'], parameter: ['parameter'], cue_point: ['cue_point'],
};

/**
 * The optional language model on the LAN, spoken to as an OpenAI-compatible chat API
 * with the catalogue as tools. It is asked only when the parser gave up and the person
 * asked for it; it is sent the words and the set's names, nothing about the room; its
 * proposal is parsed with the catalogue's own schemas and ids, and only previewed.
 */
export class ModelAdapter {
  constructor(readonly config: ModelConfig, private readonly fetchImpl: typeof fetch = fetch) {}

  async propose(text: string, set: IntentSet): Promise<IntentAnswer> {
    let body: unknown;
    try {
      body = await this.call(text, set);
    } catch (err) {
      return unavailable(`The room's model did not answer: ${(err as Error).message}.`);
    }
    const parsed = CompletionSchema.safeParse(body);
    if (!parsed.success) return unavailable('The room\'s model answered in a shape Roomtone does not read.');
    const message = parsed.data.choices[0]!.message;
    const calls = message.tool_calls ?? [];
    const note = (message.content ?? '').replace(/\p{Cc}/gu, ' ').trim().slice(0, 300);
    if (calls.length === 0) return unavailable(note ? `The room's model has no command for that. It said: "${note}"` : 'The room\'s model has no command for that.');
    if (calls.length > INTENT_COMMANDS_MAX) return unavailable(`The room's model proposed ${calls.length} commands; at most ${INTENT_COMMANDS_MAX} are previewed.`);
    const commands: IntentCommand[] = [];
    for (const call of calls) {
      const command = readCall(call, set);
      if (typeof command === 'string') return unavailable(`The room's model proposed something Roomtone cannot run (${command}), so nothing is offered.`);
      commands.push(command);
    }
    const say = `The room's model suggests: ${commands.map((c) => c.say).join('; ')}.`;
    return { ok: true, commands, say, source: 'model' };
  }

  private async call(text: string, set: IntentSet): Promise<unknown> {
    const url = `${this.config.url.replace(/\/+$/, '')}/chat/completions`;
    const res = await this.fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.config.model,
        temperature: 0,
        messages: [
          { role: 'system', content: `${SYSTEM_PROMPT}\n\nThe set:\n${setContext(set)}` },
          { role: 'user', content: text },
        ],
        tools: catalogueTools(),
        tool_choice: 'auto',
      }),
      signal: AbortSignal.timeout(this.config.timeoutMs),
      redirect: 'error',
    });
    const raw = await readCapped(res);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return JSON.parse(raw) as unknown;
  }
}

/**
 * One tool call, checked as a browser's command would be: a known action, arguments that
 * pass the schema, and every entity it names — its target and each id argument the
 * catalogue declares (H6's entityArgs) — an id of the right kind in this set.
 */
function readCall(call: z.infer<typeof ToolCallSchema>, set: IntentSet): IntentCommand | string {
  const action = actionOfTool(call.function.name);
  const spec = findAction(action);
  if (!spec || !OFFERED.has(action)) return `unknown tool ${call.function.name.slice(0, 40)}`;
  let input: unknown = call.function.arguments;
  if (typeof input === 'string') {
    try { input = JSON.parse(input); } catch { return `arguments of ${action} are not JSON`; }
  }
  const shaped = CallArgumentsSchema.safeParse(input);
  if (!shaped.success) return `arguments of ${action} are not { target, args }`;
  const args = spec.args.safeParse(shaped.data.args ?? {});
  if (!args.success) return `bad arguments for ${action}: ${args.error.issues[0]?.message ?? 'invalid'}`;
  let target: string | null = null;
  if (spec.target !== 'song') {
    target = shaped.data.target ?? null;
    if (!target) return `${action} needs a target`;
  }
  const data = args.data;
  for (const named of namedEntities(spec, target, data)) {
    const kinds = KIND_OF_TARGET[named.kind] ?? [];
    if (!kinds.some((k) => set.values.entity(k, named.id) !== undefined)) return `no ${named.kind.replace('_', ' ')} ${named.id.slice(0, 40)} in the set${named.arg ? ` (its argument ${named.arg})` : ''}`;
  }
  return { action, target, args: data, say: describeCommand(set, action, target, data) };
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function unavailable(message: string): IntentAnswer {
  return { ok: false, error: wireError('MODEL_UNAVAILABLE', message) };
}
