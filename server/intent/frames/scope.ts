import type { ClauseView, Mention, Pick } from '../clauses/clause-view.ts';
import { orList } from '../clauses/clause-view.ts';
import { phraseOf, type Named } from '../names/name-index.ts';
import { topTier } from '../names/match-names.ts';
import { refuse } from '../outcome.ts';
import { dedupe } from './targets.ts';

export const MIXER_KINDS = ['track', 'return', 'master'] as const;

export interface Words { words: string[]; from: number; to: number }

/** Tracks, devices, and the words that named neither, for frames that reach into a track. */
export interface Scope {
  picks: Pick[];
  tracks: Named[];
  devices: Named[];
  rest: Words[];
  /** Mentions after "to": a value said in words ("to one shot"), not a name. */
  valueWords: string[];
}

/**
 * Reads names in two steps: tracks first ("bass"), then devices on those tracks
 * ("compressor" is the Compressor on Bass, not the one on Vocals). Words that name
 * neither are left in `rest` for the caller (a parameter name, or a refusal).
 */
export function scopeOf(view: ClauseView, options: { valueAfterTo?: boolean } = {}): Scope {
  const picks: Pick[] = [];
  const rest: Words[] = [];
  let valueWords: string[] = [];
  const lastTo = [...view.items].reverse().find((i) => i.t === 'key' && i.key === 'to');
  const guessed: Array<{ mention: Mention; picks: Pick[]; rest: Words[] }> = [];
  for (const mention of view.mentions()) {
    if (options.valueAfterTo && lastTo && mention.from > lastTo.from) {
      valueWords = tailAfterTo(view);
      continue;
    }
    const letter = returnLetter(view, mention);
    if (letter) { picks.push({ named: letter, from: mention.from, to: mention.to, confident: true }); continue; }
    const loose = view.resolveLoose(mention, MIXER_KINDS);
    if (loose.picks.some((p) => !p.confident)) guessed.push({ mention, picks: loose.picks, rest: loose.rest });
    else {
      picks.push(...loose.picks);
      rest.push(...loose.rest);
    }
  }
  // A guess (a typo or a prefix) in words that name a device's control exactly is the
  // control: "reverb decay" and "decay time" are Reverb's Decay Time, not the return "Delay".
  const sure = picks.map((p) => p.named);
  for (const g of guessed) {
    const words = view.slice(g.mention.from, g.mention.to).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const keep = g.picks.filter((p) => p.confident);
    const unsure = g.picks.filter((p) => !p.confident);
    const unsureWords = unsure.flatMap((p) => view.slice(p.from, p.to).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
    const within = [...sure, ...keep.map((p) => p.named)];
    if (within.length === 0 && namesAControl(view, words, within)) {
      rest.push({ words, from: g.mention.from, to: g.mention.to });
    } else if (within.length > 0 && namesAControl(view, unsureWords, within)) {
      picks.push(...keep);
      rest.push(...g.rest, ...unsure.map((p) => ({ words: view.slice(p.from, p.to).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean), from: p.from, to: p.to })));
    } else {
      picks.push(...g.picks);
      rest.push(...g.rest);
    }
  }
  const tracks = dedupe([...picks.map((p) => p.named), ...view.indexes().filter((i) => i.of === 'track' || i.of === 'return').map((i) => view.byIndex(i)), ...(view.has('master_ref') && view.ctx.index.master ? [view.ctx.index.master] : [])]);
  const devices: Named[] = [];
  const unresolved: Words[] = [];
  for (const words of rest) {
    const found = devicesNamed(view, words, tracks);
    if (found.length === 0) { unresolved.push(words); continue; }
    const tier = topTier(found);
    if (tier.length > 1) {
      refuse('AMBIGUOUS', `"${view.slice(words.from, words.to)}" could be ${orList(tier.slice(0, 5).map((c) => c.named.label))}. Which one?`, tier.slice(0, 5).map((c) => view.substitute(words.from, words.to, phraseOf(view.ctx.index, c.named))));
    }
    devices.push(tier[0]!.named);
  }
  return { picks, tracks, devices: dedupe(devices), rest: unresolved, valueWords };
}

/** Devices the words name, on the given tracks (every track when none). */
export function devicesNamed(view: ClauseView, words: Words, tracks: Named[]) {
  return view.ctx.matcher.match(words.words, new Set(['device'])).filter((c) => tracks.length === 0 || tracks.some((t) => t.id === c.named.trackId));
}

/** "to B", "send A": a single letter naming a return (a lower-case "a" is an article, so only "A"). */
function returnLetter(view: ClauseView, mention: Mention): Named | undefined {
  if (mention.to - mention.from !== 1 || mention.parts.length !== 1) return undefined;
  const t = view.ctx.tokens[mention.from]!;
  if (!/^[a-l]$/.test(t.w) || (t.w === 'a' && t.raw !== 'A')) return undefined;
  if (!view.has('send') && mention.prep !== 'to' && mention.prep !== 'into') return undefined;
  return view.ctx.index.returns[t.w.charCodeAt(0) - 97];
}

/** The words are all words of one control's name on these tracks (every track when none). */
function namesAControl(view: ClauseView, words: string[], tracks: Named[]): boolean {
  const { index } = view.ctx;
  const scope = tracks.length > 0 ? tracks : [...index.tracks, ...index.returns, ...(index.master ? [index.master] : [])];
  for (const track of scope) {
    for (const deviceId of view.ctx.index.trackDevices.get(track.id) ?? []) {
      for (const param of index.params(deviceId)) {
        if (words.every((w) => param.words.includes(w))) return true;
      }
    }
  }
  return false;
}

/** What follows the last "to", as typed ("one shot": a number word is still a word here). */
function tailAfterTo(view: ClauseView): string[] {
  const to = [...view.items].reverse().find((i) => i.t === 'key' && i.key === 'to');
  const last = view.items[view.items.length - 1];
  if (!to || !last) return [];
  return view.slice(to.to, last.to).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}
