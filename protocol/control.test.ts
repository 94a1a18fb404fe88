import { describe, expect, it } from 'vitest';
import { controlOf, controlValue, PARAMETER_LISTS, type EntityLookup } from './control.ts';
import { ACTIONS } from './actions/catalogue.ts';

const entities: Record<string, { rev: string; props: Record<string, unknown> }> = {
  song: { rev: 'E.1', props: { tempo: 120 } },
  t1: { rev: 'E.2', props: { volume: 0.4, sends: [0.1, 0.2] } },
  d1: { rev: 'E.3', props: { macros: ['p1', 'p2'] } },
  p2: { rev: 'E.4', props: { value: 64 } },
};
const lookup: EntityLookup = (id) => {
  const e = entities[id];
  return e ? { rev: e.rev, get: (prop) => e.props[prop] } : undefined;
};

describe('control resolver (protocol/control.ts)', () => {
  it('keys a control by action, target and index; song-level actions by the song id', () => {
    expect(controlOf({ action: 'track.set_volume', target: 't1', args: { value: 1 } }, lookup)).toEqual({ key: 'track.set_volume|t1|', entity: 't1', parameter: false });
    expect(controlOf({ action: 'track.set_send', target: 't1', args: { index: 1, value: 1 } }, lookup)).toEqual({ key: 'track.set_send|t1|1', entity: 't1', index: 1, parameter: false });
    // The page sends tempo without a target; the server normalises it to null: one key either way.
    expect(controlOf({ action: 'song.set_tempo', target: null }, lookup).key).toBe('song.set_tempo|song|');
    expect(controlOf({ action: 'song.set_tempo' }, lookup)).toEqual(controlOf({ action: 'song.set_tempo', target: null }, lookup));
  });

  it('resolves a rack macro to its parameter: the same control as parameter.set on it, versioned by it', () => {
    const macro = controlOf({ action: 'device.set_macro', target: 'd1', args: { index: 1, value: 3 } }, lookup);
    expect(macro).toEqual({ key: 'parameter.set|p2|', entity: 'p2', parameter: true });
    expect(macro.key).toBe(controlOf({ action: 'parameter.set', target: 'p2', args: { value: 3 } }, lookup).key);
    // Unknown to the mirror yet: the macro keeps its own key on the device.
    expect(controlOf({ action: 'device.set_macro', target: 'd9', args: { index: 1, value: 3 } }, lookup)).toMatchObject({ key: 'device.set_macro|d9|1', entity: 'd9' });
  });

  it('reads the control’s current value: the prop, a list element, a macro’s parameter value', () => {
    const value = (action: string, target: string, args: Record<string, unknown>, prop: string | undefined) => controlValue(controlOf({ action, target, args }, lookup), prop, lookup);
    expect(value('track.set_volume', 't1', { value: 1 }, 'volume')).toBe(0.4);
    expect(value('track.set_send', 't1', { index: 1, value: 1 }, 'sends')).toBe(0.2);
    expect(value('device.set_macro', 'd1', { index: 1, value: 1 }, 'macros')).toBe(64);
    expect(value('track.set_mute', 't1', { value: true }, undefined)).toBeNull();
  });

  it('names exactly the catalogue’s actions whose prop is a list of parameter ids', () => {
    const viaParameters = ACTIONS.filter((a) => 'prop' in a && a.prop === 'macros').map((a) => a.name);
    expect(Object.keys(PARAMETER_LISTS)).toEqual(viaParameters);
    for (const name of viaParameters) expect(PARAMETER_LISTS[name]).toBe('macros');
  });
});
