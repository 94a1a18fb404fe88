import type { ClauseView } from '../clauses/clause-view.ts';
import { orList } from '../clauses/clause-view.ts';
import { phraseOf, wordsOf, type Named } from '../names/name-index.ts';
import { wordFit } from '../names/similarity.ts';
import { CONFIDENT, MATCH_FLOOR, TIE_MARGIN } from '../names/match-names.ts';
import type { ParamInfo } from '../set-values.ts';
import { refuse, type ClauseOutcome } from '../outcome.ts';
import { STEPS, clamp, formatNumber } from './amounts.ts';
import type { Words } from './scope.ts';
import { changeOf } from './direction.ts';

export interface ParamRef {
  param: ParamInfo;
  device: Named;
}


/**
 * Finds a device parameter in words: "threshold on the bass compressor", "bass drive",
 * "macro 2 on the drums", "reverb decay". `devices` already named (scopeOf) win; else the
 * first words of `rest` may name a device on `tracks` (every track when none). Returns
 * null when the words name no parameter at all.
 */
export function findParameter(view: ClauseView, found: { tracks: Named[]; devices: Named[]; rest: Words[]; extraWords: string[] }): ParamRef | null {
  const { index } = view.ctx;
  const scope = found.tracks;
  const inScope = (d: Named): boolean => scope.length === 0 || scope.some((t) => t.id === d.trackId);
  const macro = view.indexes('macro')[0];
  const words = found.rest.flatMap((r) => r.words);
  // Readings to try, most specific first: the first words name a device, the rest its
  // control; then every device in scope with all the words as the control's name.
  const readings: Array<{ devices: Named[]; paramWords: string[]; named: boolean }> = [];
  if (found.devices.length > 0) readings.push({ devices: found.devices, paramWords: words, named: true });
  else {
    for (let cut = words.length - 1; cut >= 1; cut--) {
      const named = view.ctx.matcher.match(words.slice(0, cut), new Set(['device'])).filter((c) => inScope(c.named));
      if (named.length > 0) readings.push({ devices: named.filter((c) => c.score >= named[0]!.score - TIE_MARGIN).map((c) => c.named), paramWords: words.slice(cut), named: true });
    }
    readings.push({ devices: index.devices.filter(inScope), paramWords: words, named: false });
  }
  const reading = readings.find((r) => r.paramWords.length === 0 || r.devices.some((d) => index.params(d.id).some((p) => fitName(r.paramWords, p.words) >= MATCH_FLOOR))) ?? readings[readings.length - 1]!;
  const devices = reading.devices;
  const paramWords = reading.paramWords;
  if (macro) {
    const racks = devices.map((d) => ({ d, params: view.ctx.values.params(d.id) })).filter((x) => x.params.some((p) => p.macro === macro.n - 1));
    if (racks.length === 0) refuse('NO_MATCH', `No rack with a macro ${macro.n} ${scope.length > 0 ? `on ${scope.map((s) => s.label).join(' or ')}` : 'in the set'}.`);
    if (racks.length > 1) refuse('AMBIGUOUS', `Macro ${macro.n} of which rack: ${orList(racks.map((r) => r.d.label))}?`, racks.map((r) => `macro ${macro.n} on ${phraseOf(index, r.d)}`));
    return { device: racks[0]!.d, param: racks[0]!.params.find((p) => p.macro === macro.n - 1)! };
  }
  const said = paramWords.length > 0 ? paramWords : found.extraWords;
  // "dry up the vocals" is not the Dry/Wet knob: "dry" alone means the opposite of the knob's name.
  if (said.length === 1 && said[0] === 'dry') return null;
  if (said.length === 0) {
    if (devices.length === 1 && reading.named) refuse('NOT_UNDERSTOOD', `Which control of ${devices[0]!.label}? ${sampleParams(view, devices[0]!)}`);
    return null;
  }
  const scored: Array<{ device: Named; id: string; score: number }> = [];
  // With no track and no device named, only a parameter's whole name will do ("decay time", not "time").
  const floor = scope.length === 0 && !reading.named && devices.length > 1 ? CONFIDENT : MATCH_FLOOR;
  for (const device of devices) {
    for (const param of index.params(device.id)) {
      if (param.name === 'Device On') continue;
      const score = fitName(said, param.words);
      if (score >= floor) scored.push({ device, id: param.id, score });
    }
  }
  scored.sort((a, b) => b.score - a.score);
  const refOf = (s: { device: Named; id: string }): ParamRef => ({ device: s.device, param: view.ctx.values.params(s.device.id).find((p) => p.id === s.id)! });
  if (scored.length === 0) {
    if (devices.length !== 1 || paramWords.length === 0) return null;
    refuse('NO_MATCH', `${devices[0]!.label} has no control called "${said.join(' ')}". ${sampleParams(view, devices[0]!)}`);
  }
  const tier = scored.filter((s) => s.score >= scored[0]!.score - TIE_MARGIN).map(refOf);
  if (tier.length > 1) {
    refuse('AMBIGUOUS', `"${said.join(' ')}" could be ${orList(tier.slice(0, 5).map((t) => `${t.param.name} of ${t.device.label}`))}.`, tier.slice(0, 5).map((t) => `${t.param.name} of ${phraseOf(index, t.device)}`));
  }
  return tier[0]!;
}

function sampleParams(view: ClauseView, device: Named): string {
  const names = view.ctx.values.params(device.id).filter((p) => p.name !== 'Device On').slice(0, 6).map((p) => p.name);
  return names.length > 0 ? `It has ${names.join(', ')}${names.length === 6 ? ' …' : ''}.` : '';
}

function fitName(said: readonly string[], name: readonly string[]): number {
  let best = 0;
  for (let offset = 0; offset + said.length <= name.length; offset++) {
    let sum = 0;
    let ok = true;
    for (let i = 0; i < said.length; i++) {
      const fit = wordFit(said[i]!, name[offset + i]!);
      if (fit === 0) { ok = false; break; }
      sum += fit;
    }
    if (!ok) continue;
    const coverage = said.length / name.length;
    best = Math.max(best, 100 * (sum / said.length) * (coverage === 1 ? 1 : 0.82 + 0.1 * coverage));
  }
  return best;
}

/** A display like "-12.0 dB" or "35 %": its number and unit. */
function readDisplay(display: string): { num: number; unit: string } | null {
  const m = /^\s*([-+]?\d+(?:\.\d+)?)\s*([a-zA-Z%]*)\s*$/.exec(display);
  return m ? { num: Number(m[1]), unit: m[2]! } : null;
}

/** Whether the parameter's value is in the units its display shows (Threshold -12 shows "-12.0 dB"). */
function linearUnit(param: ParamInfo): string | null {
  const shown = readDisplay(param.display);
  if (!shown) return null;
  const tolerance = Math.max(0.051, Math.abs(param.max - param.min) * 0.002);
  return Math.abs(shown.num - param.value) <= tolerance ? shown.unit.toLowerCase() : null;
}

/** The unit as Live shows it ("dB", "Hz"), for saying a value back. */
function shownUnit(param: ParamInfo): string {
  return readDisplay(param.display)?.unit ?? '';
}

const UNIT_WORD: Record<string, string> = { db: 'db', percent: '%', hz: 'hz', khz: 'khz', ms: 'ms', seconds: 's', semitones: 'st' };

/**
 * Sets a parameter from the clause's value: a percentage of its range, a number in the
 * units its display shows (only when the value really is in those units), one of its
 * named steps, or a step up or down.
 */
export function paramFrame(view: ClauseView, ref: ParamRef, valueWords: string[] = []): ClauseOutcome {
  const { param, device } = ref;
  const label = `${param.name} of ${device.label}`;
  const range = param.max - param.min;
  const numbers = view.numbers();
  const unit = linearUnit(param);
  let value: number;
  let relative = false;
  let said: string;
  const items = param.valueItems;
  const itemWords = valueWords.join(' ');
  const itemIndex = param.isQuantized && items.length > 0 && itemWords ? items.findIndex((i) => wordsOf(i).join(' ') === wordsOf(itemWords).join(' ')) : -1;
  if (itemIndex >= 0) {
    value = param.min + itemIndex;
    said = `to ${items[itemIndex]}`;
  } else if (param.isQuantized && items.length > 0 && (view.has('on', 'off', 'bypass', 'unbypass')) && items.length === 2) {
    const on = view.has('on', 'unbypass');
    value = on ? param.max : param.min;
    said = on ? 'on' : 'off';
  } else {
    const num = numbers[0];
    if (num && num.unit !== null && num.unit !== 'percent') {
      const want = UNIT_WORD[num.unit];
      if (!unit || !(unit === want || (unit === 'hz' && want === 'khz'))) refuse('NOT_UNDERSTOOD', `${label} does not take ${num.unit}${param.display ? ` (it shows "${param.display}")` : ''}; say a percentage of its range, e.g. "to 50%".`, [view.substitute(num.from, num.to, '50%')]);
    }
    if (num && num.unit === null && !unit && !(param.isQuantized && items.includes(String(num.value)))) {
      refuse('NOT_UNDERSTOOD', `${label} shows "${param.display}", not plain numbers; say a percentage of its range, e.g. "to 50%".`, [view.substitute(num.from, num.to, '50%')]);
    }
    const change = changeOf(view, numbers, { to: `${param.name} to 50%`, by: `${param.name} up a bit` });
    switch (change.type) {
      case 'absolute': {
        if (param.isQuantized && change.unit === null && items.includes(String(change.value))) { value = param.min + items.indexOf(String(change.value)); said = `to ${change.value}`; break; }
        if (change.unit === 'percent') value = unit === '%' ? change.value : param.min + (change.value / 100) * range;
        else value = change.unit === 'khz' && unit === 'hz' ? change.value * 1000 : change.value;
        if (value < param.min - 1e-9 || value > param.max + 1e-9) refuse('NOT_UNDERSTOOD', `${label} goes from ${formatNumber(param.min)} to ${formatNumber(param.max)}${unit ? ` ${unit}` : ''}.`);
        said = change.unit === 'percent' ? `to ${change.value}%` : `to ${change.value}${unit ? ` ${shownUnit(param)}` : ''}`;
        break;
      }
      case 'relative': {
        relative = true;
        const step = change.unit === 'percent' && unit !== '%' ? (change.delta / 100) * range : change.unit === 'khz' && unit === 'hz' ? change.delta * 1000 : change.delta;
        if (change.unit === null && !unit) refuse('NOT_UNDERSTOOD', `By how much? Say a percentage, e.g. "${param.name} up 10%".`);
        value = param.value + step;
        said = `${change.delta >= 0 ? 'up' : 'down'} ${Math.abs(change.delta)}${change.unit === 'percent' ? '%' : unit ? ` ${shownUnit(param)}` : ''}`;
        break;
      }
      case 'step': {
        relative = true;
        if (param.isQuantized) value = param.value + change.sign;
        else if (unit === 'db') value = param.value + change.sign * STEPS.db[change.amount];
        else value = param.value + change.sign * STEPS.param[change.amount] * range;
        said = `${change.sign > 0 ? 'up' : 'down'}${unit ? ` (${formatNumber(param.value)} to ${formatNumber(clamp(param.isQuantized ? Math.round(value) : value, param.min, param.max))} ${shownUnit(param)})` : ` (${formatNumber(100 * (param.value - param.min) / (range || 1), 0)}% to ${formatNumber(100 * (clamp(value, param.min, param.max) - param.min) / (range || 1), 0)}% of its range)`}`;
        break;
      }
      case 'max': value = param.max; said = 'all the way up'; break;
      case 'min': value = param.min; said = 'all the way down'; break;
      case 'reset':
        if (param.defaultValue === undefined) refuse('NOT_UNDERSTOOD', `${label} has no default value in the set.`);
        value = param.defaultValue; said = 'back to its default'; break;
      case 'half': relative = true; value = param.min + (param.value - param.min) / 2; said = 'to half'; break;
      case 'halfway':
        if (param.isQuantized) refuse('NOT_UNDERSTOOD', `${label} has steps, not a middle; say one of them.`);
        value = param.min + range / 2; said = 'half way (50% of its range)'; break;
      case 'double': relative = true; value = param.min + (param.value - param.min) * 2; said = 'to double'; break;
    }
  }
  value = clamp(value, param.min, param.max);
  if (param.isQuantized) value = Math.round(value);
  else value = Math.round(value * 1e6) / 1e6;
  const say = `${label} ${said}`;
  return {
    commands: [{ action: 'parameter.set', target: param.id, args: { value }, ...(relative && param.rev ? { baseRev: param.rev } : {}), say }],
    say: `${say}.`,
    memory: { family: 'param', targets: [device] },
  };
}
