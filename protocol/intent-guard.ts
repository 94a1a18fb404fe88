import type { IntentAnswer, IntentCommand } from './intent.ts';
import type { ErrorCode } from './errors.ts';

/**
 * The browser's edge of `intent.parse`: the same shape as IntentAnswerSchema, checked
 * without zod so the page does not carry it. Anything else reads as null (and the page
 * says the server's answer was not understood).
 */
export function readIntentAnswer(raw: unknown): IntentAnswer | null {
  if (!isObject(raw) || typeof raw.ok !== 'boolean') return null;
  if (raw.ok) {
    if (typeof raw.say !== 'string' || (raw.source !== 'parser' && raw.source !== 'model') || !Array.isArray(raw.commands)) return null;
    const commands: IntentCommand[] = [];
    for (const c of raw.commands) {
      const command = readCommand(c);
      if (!command) return null;
      commands.push(command);
    }
    return { ok: true, commands, say: raw.say, source: raw.source };
  }
  const error = raw.error;
  if (!isObject(error) || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  const suggestions = Array.isArray(error.suggestions) ? error.suggestions.filter((s): s is string => typeof s === 'string') : undefined;
  return {
    ok: false,
    error: {
      code: error.code as ErrorCode,
      message: error.message,
      ...(suggestions ? { suggestions } : {}),
      ...(typeof error.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
    },
    ...(raw.canAskModel === true ? { canAskModel: true } : {}),
  };
}

function readCommand(raw: unknown): IntentCommand | null {
  if (!isObject(raw) || typeof raw.action !== 'string' || typeof raw.say !== 'string' || !isObject(raw.args)) return null;
  if (raw.target !== null && typeof raw.target !== 'string') return null;
  if (raw.baseRev !== undefined && typeof raw.baseRev !== 'string') return null;
  return { action: raw.action, target: raw.target, args: raw.args, say: raw.say, ...(typeof raw.baseRev === 'string' ? { baseRev: raw.baseRev } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
