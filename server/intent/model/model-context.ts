import type { IntentSet } from '../intent-parser.ts';

/** How many lines of names the model is given at most: a heavy set is summarised, not sent whole. */
const MAX_LINES = { clips: 300, devices: 300, params: 400, slots: 120 };

/**
 * The set's names and ids, as the model's context. Only the set: never who is in the
 * room, their names, roles or addresses, and never anything typed before.
 */
export function setContext(set: IntentSet): string {
  const { index, values } = set;
  const song = values.song();
  const lines: string[] = [];
  lines.push(`Tempo ${song?.number('tempo') ?? 120} BPM, time signature ${song?.number('signatureNumerator') ?? 4}/${song?.number('signatureDenominator') ?? 4}.`);
  lines.push('Tracks (id: name, kind):');
  for (const t of index.tracks) {
    const e = values.entity('track', t.id);
    const group = t.groupId ? ` in group ${index.byId.get(t.groupId)?.name ?? t.groupId}` : '';
    const kind = e?.get('kind');
    lines.push(`  ${t.id}: ${t.name} (${typeof kind === 'string' ? kind : 'track'}${group})`);
  }
  lines.push('Return tracks (id: name, send index):');
  index.returns.forEach((r, i) => lines.push(`  ${r.id}: ${r.name} (send index ${i})`));
  if (index.master) lines.push('Master track id: master');
  lines.push('Scenes (id: name, row):');
  for (const s of index.scenes) lines.push(`  ${s.id}: ${s.name || '(unnamed)'} (row ${s.index})`);
  lines.push('Clips (id: name, track, scene row):');
  for (const c of index.clips.slice(0, MAX_LINES.clips)) lines.push(`  ${c.id}: ${c.name || '(unnamed)'} (${index.byId.get(c.trackId ?? '')?.name ?? '?'}, row ${(c.sceneIndex ?? 0) + 1})`);
  lines.push('Clip slots (track id: slot ids by scene row):');
  let slots = 0;
  for (const [trackId, ids] of index.slots) {
    if (slots++ >= MAX_LINES.slots) break;
    lines.push(`  ${trackId}: ${ids.join(' ')}`);
  }
  lines.push('Devices (id: name on track):');
  for (const d of index.devices.slice(0, MAX_LINES.devices)) lines.push(`  ${d.id}: ${d.label}`);
  lines.push('Device parameters (id: name, min..max, now):');
  let params = 0;
  for (const d of index.devices) {
    for (const p of values.params(d.id)) {
      if (params++ >= MAX_LINES.params) break;
      lines.push(`  ${p.id}: ${p.name} of ${d.label}, ${p.min}..${p.max}${p.isQuantized && p.valueItems.length ? ` steps ${p.valueItems.join('|')}` : ''}, now ${p.display || p.value}`);
    }
  }
  lines.push('Locators (id: name, beat):');
  for (const c of index.cues) lines.push(`  ${c.id}: ${c.name} (beat ${values.entity('cue_point', c.id)?.number('time') ?? 0})`);
  return lines.join('\n');
}

export const SYSTEM_PROMPT = [
  'You turn a musician\'s request into calls of the Roomtone tools, which drive one Ableton Live set.',
  'Use only ids from the set below. Track volume is 0..1 on Live\'s fader (0.85 is 0 dB, 1.0 is +6 dB, 0.7 is -6 dB); pan is -1 (left) .. 1 (right); sends are 0..1.',
  'Each call is shown to the musician, who decides whether it runs. If the request is unclear or cannot be done with these tools, call no tool and answer in one short sentence.',
].join('\n');
