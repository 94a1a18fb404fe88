import { describe, expect, it } from 'vitest';
import { checkVersion } from './check-version.ts';
import { SetMirror } from '../mirror/set-mirror.ts';
import { controlOf, findAction, type Command } from '../../protocol/index.ts';

function mirror(): SetMirror {
  const m = new SetMirror('t');
  m.applySnapshot('E', [
    { kind: 'track', id: 't1', rev: 'E.5', props: { volume: 0.4, sends: [0.1, 0.2] } },
    { kind: 'device', id: 'd1', rev: 'E.6', props: { trackId: 't1', macros: ['p1', 'p2'] } },
    { kind: 'parameter', id: 'p2', rev: 'E.7', props: { deviceId: 'd1', value: 64 } },
  ]);
  return m;
}
const check = (m: SetMirror, command: Command) => checkVersion({ command, spec: findAction(command.action)! }, controlOf(command, m.lookup), m);

describe('checkVersion (the early check)', () => {
  it('passes a current or absent baseRev', () => {
    const m = mirror();
    expect(check(m, { id: 'c-0000001', action: 'track.set_volume', target: 't1', args: { value: 1 }, baseRev: 'E.5' })).toBeNull();
    expect(check(m, { id: 'c-0000002', action: 'track.set_volume', target: 't1', args: { value: 1 } })).toBeNull();
  });

  it('answers CONFLICT with the control’s own current value: the prop, a send by index, a macro’s parameter value', () => {
    const m = mirror();
    expect(check(m, { id: 'c-0000003', action: 'track.set_volume', target: 't1', args: { value: 1 }, baseRev: 'E.1' })).toMatchObject({ code: 'CONFLICT', current: { value: 0.4, rev: 'E.5' } });
    expect(check(m, { id: 'c-0000004', action: 'track.set_send', target: 't1', args: { index: 1, value: 1 }, baseRev: 'E.1' })).toMatchObject({ current: { value: 0.2 } });
    expect(check(m, { id: 'c-0000005', action: 'device.set_macro', target: 'd1', args: { index: 1, value: 1 }, baseRev: 'E.1' })).toMatchObject({ current: { value: 64, rev: 'E.7' } });
  });

  it('versions a rack macro by its own parameter, whose moves leave the device rev alone', () => {
    const m = mirror();
    expect(check(m, { id: 'c-0000007', action: 'device.set_macro', target: 'd1', args: { index: 1, value: 1 }, baseRev: 'E.7' })).toBeNull();
    expect(check(m, { id: 'c-0000008', action: 'device.set_macro', target: 'd1', args: { index: 1, value: 1 }, baseRev: 'E.6' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('answers SET_CHANGED for a target or an entity argument of another set (A3), NOT_FOUND for one of this set', () => {
    const m = new SetMirror('t');
    m.applySnapshot('epochnew', [
      { kind: 'clip_slot', id: 'cs1-new', rev: 'epochnew.2', props: {} },
      { kind: 'clip_slot', id: 'cs2-new', rev: 'epochnew.3', props: {} },
    ]);
    expect(check(m, { id: 'c-0000010', action: 'clip_slot.duplicate_clip_to', target: 'cs1-old', args: { to: 'cs2-new' } })).toMatchObject({ code: 'SET_CHANGED' });
    expect(check(m, { id: 'c-0000011', action: 'clip_slot.duplicate_clip_to', target: 'cs1-new', args: { to: 'cs2-old' } })).toMatchObject({ code: 'SET_CHANGED' });
    expect(check(m, { id: 'c-0000012', action: 'clip_slot.duplicate_clip_to', target: 'cs1-new', args: { to: 'cs9-new' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(check(m, { id: 'c-0000013', action: 'clip_slot.duplicate_clip_to', target: 'cs1-new', args: { to: 'cs2-new' }, baseRev: 'epochold.2' })).toMatchObject({ code: 'SET_CHANGED' });
    expect(check(m, { id: 'c-0000014', action: 'clip_slot.duplicate_clip_to', target: 'cs1-new', args: { to: 'cs2-new' } })).toBeNull();
  });

  it('answers NOT_FOUND for a target the set does not have', () => {
    expect(check(mirror(), { id: 'c-0000006', action: 'track.set_volume', target: 't9', args: { value: 1 } })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
