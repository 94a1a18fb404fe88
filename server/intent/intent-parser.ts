import { INTENT_COMMANDS_MAX, findAction, wireError, type IntentAnswer } from '../../protocol/index.ts';
import { tokenize } from './text/tokens.ts';
import { readSentence } from './clauses/read-sentence.ts';
import { ClauseView, type ParseContext } from './clauses/clause-view.ts';
import type { Clause, Item } from './clauses/items.ts';
import { NameMatcher } from './names/match-names.ts';
import type { NameIndex } from './names/name-index.ts';
import type { SetValues } from './set-values.ts';
import { interpretClause } from './interpret-clause.ts';
import { Refusal, refuse, type ClauseOutcome, type Memory, type Planned } from './outcome.ts';
import { withSpellingSuggestion } from './spelling.ts';

/** Words past this are not a command line any more. */
const MAX_TOKENS = 80;
const MAX_CLAUSES = 8;
const DELETES = new Set(['track.delete', 'scene.delete', 'clip_slot.delete_clip', 'device.delete']);

export interface IntentSet {
  index: NameIndex;
  values: SetValues;
}

/**
 * English to catalogue commands, offline. Never runs anything: the commands come back
 * for a preview and go to Live, if the person confirms, through the ordinary `command`
 * event. Anything it does not understand, or that names nothing in the set, is refused
 * with a reason and suggestions; it never guesses between two equal readings.
 */
export function parseIntent(text: string, set: IntentSet): IntentAnswer {
  try {
    return { ok: true, ...parse(text, set), source: 'parser' };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, error: withSpellingSuggestion(text, err.error, set.index, (sentence) => understood(sentence, set)) };
    throw err;
  }
}

/** Whether a sentence parses to something, deleting nothing: what a spelling suggestion must be. */
function understood(text: string, set: IntentSet): boolean {
  try {
    return !parse(text, set).commands.some((c) => DELETES.has(c.action));
  } catch (err) {
    if (err instanceof Refusal) return false;
    throw err;
  }
}

function parse(text: string, set: IntentSet): { commands: Planned[]; say: string } {
  if (!text.trim()) refuse('NOT_UNDERSTOOD', 'Say a command, e.g. "mute the drums" or "tempo 96".', ['mute the drums', 'tempo 96']);
  const { text: normalised, tokens } = tokenize(text);
  if (tokens.length > MAX_TOKENS) refuse('TOO_BROAD', 'That is a lot at once; say it in shorter pieces.');
  const ctx: ParseContext = { text: normalised, tokens, index: set.index, matcher: new NameMatcher(set.index), values: set.values };
  const clauses = readSentence(tokens, set.index);
  if (clauses.length === 0) refuse('NOT_UNDERSTOOD', 'Say a command, e.g. "mute the drums" or "tempo 96".', ['mute the drums', 'tempo 96']);
  if (clauses.length > MAX_CLAUSES) refuse('TOO_BROAD', `That is ${clauses.length} things at once; say at most ${MAX_CLAUSES}.`);
  const commands: Planned[] = [];
  const says: string[] = [];
  let memory: Memory | null = null;
  for (const clause of clauses) {
    const out = interpretWithNames(clause, ctx, memory);
    commands.push(...out.commands);
    says.push(out.say.charAt(0).toUpperCase() + out.say.slice(1));
    memory = out.memory ?? memory;
    if (out.endsSentence) break;
  }
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would be ${commands.length} commands at once; at most ${INTENT_COMMANDS_MAX}.`);
  // A delete is previewed alone, so nobody confirms it in passing among other changes.
  const deletes = commands.filter((c) => DELETES.has(c.action));
  if (deletes.length > 0 && commands.length > 1) refuse('TOO_BROAD', 'Say a delete on its own, so that its preview is only that delete.', deletes.map((d) => d.say.toLowerCase()));
  for (const command of commands) checkAgainstCatalogue(command);
  return { commands, say: says.join(' ') };
}

/**
 * A word the lexicon knows can also be a name in this set (a scene called "Drop"): when
 * the sentence fails with the lexicon's reading, it is read again with that word as a name.
 */
function interpretWithNames(clause: Clause, ctx: ParseContext, memory: Memory | null): ClauseOutcome & { endsSentence?: boolean } {
  const nameable = clause.items.filter((i): i is Extract<Item, { t: 'key' }> => i.t === 'key' && i.key !== 'filler' && !i.word.includes(' ') && ctx.index.vocabulary.get(i.word)?.some((ref) => ref.named.aliases[ref.alias]!.words.length === 1) === true);
  const asName = (item: Extract<Item, { t: 'key' }>): Clause => ({ ...clause, items: clause.items.map((i): Item => (i === item ? { t: 'word', w: item.word, raw: item.word, from: item.from, to: item.to } : i)) });
  // "fire the drop": after an article the word is a noun, so the set's name comes first.
  const noun = nameable.find((i) => ['the', 'a', 'an', 'this', 'that'].includes(ctx.tokens[i.from - 1]?.w ?? ''));
  const readings = noun ? [asName(noun), clause, ...nameable.filter((i) => i !== noun).slice(0, 2).map(asName)] : [clause, ...nameable.slice(0, 3).map(asName)];
  let first: Refusal | null = null;
  for (const reading of readings) {
    try {
      return interpretClause(new ClauseView(reading, ctx, memory));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      first ??= err;
    }
  }
  throw first!;
}

/** Every command the parser makes must pass the catalogue's own schema; anything else is a parser bug. */
function checkAgainstCatalogue(command: Planned): void {
  const spec = findAction(command.action);
  const args = spec?.args.safeParse(command.args);
  // A value past what Live takes ("go to bar 999999") is the words' fault, not the parser's.
  const range = args?.success === false ? args.error.issues.find((i) => i.code === 'too_big' || i.code === 'too_small') : undefined;
  if (range) refuse('NOT_UNDERSTOOD', `${command.say}: that is outside what Live takes (${range.message.replace(/^Too (big|small): /, '')}).`);
  if (!spec || !args?.success) {
    throw new Refusal(wireError('INTERNAL', `the word parser produced an invalid ${command.action}: ${args?.success === false ? args.error.issues[0]?.message : 'unknown action'}`));
  }
  if (spec.target !== 'song' && !command.target) throw new Refusal(wireError('INTERNAL', `the word parser produced ${command.action} without a target`));
}
