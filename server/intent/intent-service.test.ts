import { describe, expect, it } from 'vitest';
import { syntheticMirror } from '../../test/helpers/synthetic-set.ts';
import { IntentService } from './intent-service.ts';

function set() {
  return syntheticMirror({ tracks: [{ name: 'Kick' }, { name: 'Snare' }], returns: ['Plate'], scenes: ['Verse', 'Chorus'] });
}

describe('IntentService', () => {
  it('builds the name index once while only values change, and again when a name changes', () => {
    const mirror = set();
    const intents = new IntentService(mirror);
    const kick = [...mirror.doc.getMap('tracks').keys()][0]!;
    expect(intents.parse('kick down 3 dB').ok).toBe(true);
    expect(intents.builds).toBe(1);
    for (let i = 0; i < 50; i++) mirror.applyChanges('syn', [{ kind: 'track', id: kick, rev: `syn.${100 + i}`, props: { volume: 0.5 + i / 200 } }]);
    const answer = intents.parse('kick down 3 dB');
    expect(intents.builds).toBe(1);
    // …but the value is read live: down 3 dB from where the fader is now.
    expect(answer.ok && answer.commands[0]!.args.value).toBeCloseTo(0.745 - 0.075, 3);
    mirror.applyChanges('syn', [{ kind: 'track', id: kick, rev: 'syn.200', props: { name: 'Bass Drum' } }]);
    expect(intents.parse('mute the bass drum').ok).toBe(true);
    expect(intents.parse('mute the kick').ok).toBe(false);
    expect(intents.builds).toBe(2);
    intents.close();
  });

  it('a renamed parameter (a rack macro renamed in Live) is found by its new name', () => {
    const mirror = syntheticMirror({ tracks: [{ name: 'Kick', devices: [{ name: 'Rack', className: 'AudioEffectGroupDevice', params: [{ name: 'Drive', value: 0, min: 0, max: 127, display: '0' }] }] }], scenes: ['A'] });
    const intents = new IntentService(mirror);
    expect(intents.parse('kick rack drive to 50%').ok).toBe(true);
    const param = [...mirror.doc.getMap('params').keys()][0]!;
    mirror.applyChanges('syn', [{ kind: 'parameter', id: param, rev: 'syn.400', props: { name: 'Punch' } }]);
    const answer = intents.parse('kick punch to 50%');
    expect(answer.ok && answer.commands[0]).toMatchObject({ action: 'parameter.set', target: param, args: { value: 63.5 } });
    intents.close();
  });

  it('follows the mirror onto a rebuilt doc (M8) and reads the new one', () => {
    const mirror = set();
    const intents = new IntentService(mirror);
    expect(intents.parse('solo snare').ok).toBe(true);
    mirror.rebuild();
    const snare = [...mirror.doc.getMap('tracks').keys()][1]!;
    mirror.applyChanges('syn', [{ kind: 'track', id: snare, rev: 'syn.300', props: { name: 'Rim' } }]);
    expect(intents.parse('solo rim').ok).toBe(true);
    intents.close();
  });

  it('a relative change carries the rev it was computed from; an absolute one does not', () => {
    const mirror = set();
    const intents = new IntentService(mirror);
    const up = intents.parse('snare up 2 dB');
    const to = intents.parse('snare to -6 dB');
    expect(up.ok && up.commands[0]!.baseRev).toMatch(/^syn\./);
    expect(to.ok && to.commands[0]!.baseRev).toBeUndefined();
    intents.close();
  });
});
