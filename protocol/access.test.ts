import { describe, expect, it } from 'vitest';
import { accessDenial, CONTROL_REQUEST, type AccessSubject, type RoomSwitches } from './access.ts';

const open: RoomSwitches = { locked: false, frozen: false };
const member: AccessSubject = { role: 'member', canControl: true, assignedTracks: [] };
const host: AccessSubject = { role: 'host', canControl: true, assignedTracks: [] };
const on = (track: string | null) => (track === null ? [] : [{ track }]);
const write = (track: string | null = 't1') => ({ ...CONTROL_REQUEST, named: on(track) });
const read = (track: string | null = 't1') => ({ minRole: 'observer' as const, mode: 'read' as const, named: on(track) });

describe('access rule (protocol/access.ts)', () => {
  it('AC1: the action’s least role; an observer may read, not write', () => {
    expect(accessDenial({ ...member, role: 'observer' }, open, write())).toMatchObject({ code: 'FORBIDDEN', rule: 'AC1', needs: 'member' });
    expect(accessDenial({ ...member, role: 'observer' }, open, read())).toBeNull();
    expect(accessDenial(member, open, { minRole: 'host', mode: 'edit', named: [] })).toMatchObject({ rule: 'AC1', needs: 'host' });
  });

  it('AC2: a revoked member may only read; a host is exempt', () => {
    expect(accessDenial({ ...member, canControl: false }, open, write())).toMatchObject({ code: 'FORBIDDEN', rule: 'AC2' });
    expect(accessDenial({ ...member, canControl: false }, open, read())).toBeNull();
    expect(accessDenial({ ...host, canControl: false }, open, write())).toBeNull();
  });

  it('AC3: a frozen room takes no write from anyone, hosts included; reads pass', () => {
    expect(accessDenial(host, { locked: false, frozen: true }, write())).toMatchObject({ code: 'FROZEN', rule: 'AC3' });
    expect(accessDenial(member, { locked: true, frozen: true }, write())).toMatchObject({ rule: 'AC3' });
    expect(accessDenial(member, { locked: false, frozen: true }, read())).toBeNull();
  });

  it('AC4: a locked room takes writes from hosts only', () => {
    expect(accessDenial(member, { locked: true, frozen: false }, write())).toMatchObject({ code: 'ROOM_LOCKED', rule: 'AC4' });
    expect(accessDenial(host, { locked: true, frozen: false }, write())).toBeNull();
    expect(accessDenial(member, { locked: true, frozen: false }, read())).toBeNull();
  });

  it('AC5: assigned tracks limit writes to targets on them, song-level ones included; hosts are exempt', () => {
    const assigned = { ...member, assignedTracks: ['t1'] };
    expect(accessDenial(assigned, open, write('t1'))).toBeNull();
    expect(accessDenial(assigned, open, write('t2'))).toMatchObject({ code: 'FORBIDDEN', rule: 'AC5' });
    expect(accessDenial(assigned, open, write(null))).toMatchObject({ rule: 'AC5' });
    expect(accessDenial(assigned, open, read('t2'))).toBeNull();
    expect(accessDenial({ ...host, assignedTracks: ['t1'] }, open, write('t2'))).toBeNull();
  });

  it('AC5 (H6): an entity an argument names is a write too; one off the assigned tracks refuses, naming the argument', () => {
    const assigned = { ...member, assignedTracks: ['t1'] };
    const copy = (to: string | null) => ({ ...CONTROL_REQUEST, named: [{ track: 't1' }, { track: to, arg: 'to' }] });
    expect(accessDenial(assigned, open, copy('t1'))).toBeNull();
    expect(accessDenial(assigned, open, copy('t2'))).toEqual({ code: 'FORBIDDEN', rule: 'AC5', reason: 'assignment', arg: 'to' });
    expect(accessDenial(assigned, open, copy(null))).toMatchObject({ rule: 'AC5', arg: 'to' });
    expect(accessDenial({ ...host, assignedTracks: ['t1'] }, open, copy('t2'))).toBeNull();
  });

  it('answers the first rule that fails, in the order AC1 → AC5', () => {
    const everything = { role: 'member' as const, canControl: false, assignedTracks: ['t9'] };
    expect(accessDenial(everything, { locked: true, frozen: true }, write())).toMatchObject({ rule: 'AC2' });
    expect(accessDenial({ ...everything, canControl: true }, { locked: true, frozen: true }, write())).toMatchObject({ rule: 'AC3' });
    expect(accessDenial({ ...everything, canControl: true }, { locked: true, frozen: false }, write())).toMatchObject({ rule: 'AC4' });
  });
});
