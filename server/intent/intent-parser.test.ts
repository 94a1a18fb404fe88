import { describe, expect, it } from 'vitest';
import type { IntentAnswer } from '../../protocol/index.ts';
import { syntheticMirror } from '../../test/helpers/synthetic-set.ts';
import { IntentService } from './intent-service.ts';

/**
 * A set with other names than the demo's: two basses, numbered synths, unnamed scenes,
 * a plug-in, returns named by what they are. The parser knows nothing of these names.
 */
const mirror = syntheticMirror({
  tracks: [
    { name: 'Kick', clips: ['Kick A', null, 'Kick B', null] },
    { name: 'Snare', clips: ['Snare A', null, null, null] },
    { name: 'OH', kind: 'audio' },
    { name: 'Bass DI', kind: 'audio', volume: 0.7 },
    { name: 'Bass Amp', kind: 'audio', volume: 0.7 },
    { name: 'Lead Vox', kind: 'audio', devices: [{ name: 'Pro-Q 3', className: 'PluginDevice', params: [{ name: 'Band 1 Gain', value: 0, min: -30, max: 30, display: '0.0 dB' }] }, { name: 'Compressor', className: 'Compressor2', params: [{ name: 'Threshold', value: -10, min: -70, max: 6, display: '-10.0 dB' }] }] },
    { name: 'BVs', kind: 'audio' },
    { name: 'Synth 1', clips: [null, 'Arp', null, null] },
    { name: 'Synth 2' },
    { name: '1-MIDI' },
  ],
  returns: ['Plate', 'Slap'],
  scenes: ['', '', 'Drop', ''],
  cues: [{ name: 'Top', time: 0 }, { name: 'Solo', time: 64 }],
});
const intents = new IntentService(mirror);
const ids = (root: string): Record<string, string> => Object.fromEntries([...mirror.doc.getMap<import('yjs').Map<unknown>>(root).entries()].map(([id, m]) => [String(m.get('name')), id]));
const track = ids('tracks');
const ret = ids('returns');
const scene = [...(mirror.doc.getMap('order').get('scenes') as string[])];

function commands(text: string): Array<{ action: string; target: string | null; args: Record<string, unknown> }> {
  const answer = intents.parse(text);
  if (!answer.ok) throw new Error(`"${text}" refused: ${answer.error.code} ${answer.error.message}`);
  return answer.commands.map(({ action, target, args }) => ({ action, target, args }));
}

function refused(text: string): Extract<IntentAnswer, { ok: false }>['error'] {
  const answer = intents.parse(text);
  if (answer.ok) throw new Error(`"${text}" became ${answer.commands.map((c) => c.action).join(', ')}`);
  return answer.error;
}

describe('intent parser on a set it has never seen', () => {
  it('asks when two tracks share a word ("bass"), and takes the one said in full', () => {
    const error = refused('mute the bass');
    expect(error.code).toBe('AMBIGUOUS');
    expect(error.suggestions).toEqual(expect.arrayContaining(['mute Bass DI', 'mute Bass Amp']));
    expect(commands('mute the bass amp')).toEqual([{ action: 'track.set_mute', target: track['Bass Amp'], args: { value: true } }]);
    expect(refused('solo the synth').code).toBe('AMBIGUOUS');
    expect(commands('solo synth 2')).toEqual([{ action: 'track.set_solo', target: track['Synth 2'], args: { value: true } }]);
  });

  it('reads short names, plurals and studio words against these names', () => {
    expect(commands('mute kick and snare')).toEqual([
      { action: 'track.set_mute', target: track.Kick, args: { value: true } },
      { action: 'track.set_mute', target: track.Snare, args: { value: true } },
    ]);
    expect(refused('overheads down 2 dB').code).toBe('NO_MATCH');
    expect(commands('OH down 2 dB')).toEqual([{ action: 'track.set_volume', target: track.OH, args: { value: 0.8 } }]);
    expect(commands('more lead vocal')).toEqual([{ action: 'track.set_volume', target: track['Lead Vox'], args: { value: 0.925 } }]);
    expect(commands('mute the bvs')).toEqual([{ action: 'track.set_mute', target: track.BVs, args: { value: true } }]);
  });

  it('sends to returns by their names and letters', () => {
    expect(commands('send 30% of the lead vox to the plate')).toEqual([{ action: 'track.set_send', target: track['Lead Vox'], args: { index: 0, value: 0.3 } }]);
    expect(commands('send the snare to B at 10%')).toEqual([{ action: 'track.set_send', target: track.Snare, args: { index: 1, value: 0.1 } }]);
    expect(commands('more slap on the bvs')).toEqual([{ action: 'track.set_send', target: track.BVs, args: { index: 1, value: 0.1 } }]);
  });

  it('launches unnamed scenes by number and named ones by name; a locator named like a word still works', () => {
    expect(commands('launch scene 2')).toEqual([{ action: 'scene.fire', target: scene[1], args: {} }]);
    expect(commands('fire the drop')).toEqual([{ action: 'scene.fire', target: scene[2], args: {} }]);
    expect(commands('go to the solo marker')[0]!.action).toBe('cue_point.jump');
    expect(commands('play the kick in scene 3')[0]).toMatchObject({ action: 'clip_slot.fire' });
    expect(commands('play arp')[0]).toMatchObject({ action: 'clip.fire' });
  });

  it('reaches into a plug-in by its own name and a stock device by its kind', () => {
    expect(commands('lead vox compressor threshold to -20 dB')[0]).toMatchObject({ action: 'parameter.set', args: { value: -20 } });
    expect(commands('bypass the pro q on the lead vox')[0]).toMatchObject({ action: 'device.set_active', args: { value: false } });
  });

  it('never deletes on a guess, nor more than one thing', () => {
    expect(refused('delete the bass').code).toBe('AMBIGUOUS');
    expect(refused('delete the snar').code).toBe('NOT_UNDERSTOOD');
    expect(refused('delete everything').code).toBe('TOO_BROAD');
    expect(refused('delete kick and snare').code).toBe('TOO_BROAD');
    expect(commands('delete the snare')).toEqual([{ action: 'track.delete', target: track.Snare, args: {} }]);
  });

  it('offers a misspelt command word corrected, never acts on it, and never offers a delete', () => {
    const slip = refused('sollo the snare');
    expect(slip.code).toBe('NOT_UNDERSTOOD');
    expect(slip.suggestions?.[0]).toBe('solo the snare');
    expect(commands(slip.suggestions![0]!)).toEqual([{ action: 'track.set_solo', target: track.Snare, args: { value: true } }]);
    // "delte" is one slip from "delete": the corrected sentence would delete, so it is not offered.
    const del = refused('delte the snare');
    expect(del.suggestions ?? []).not.toContain('delete the snare');
    expect((del.suggestions ?? []).some((s) => /delete|remove/.test(s))).toBe(false);
    // A corrected word that still makes no sense is not offered either.
    expect(refused('mtue the trumpet').suggestions ?? []).not.toContain('mute the trumpet');
  });

  it('keeps "and" inside a name said whole, and a new name as typed', () => {
    expect(commands('rename track 10 to Pads and Strings')).toEqual([{ action: 'track.rename', target: track['1-MIDI'], args: { name: 'Pads and Strings' } }]);
    expect(ret.Plate).toBeTruthy();
  });
});
