import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseTable } from './gesture-leases.ts';
import { controlOf, type Command, type LeasesMessage } from '../../protocol/index.ts';

const keyOf = (command: Command): string => controlOf(command, () => undefined).key;

const move = (phase: 'start' | 'move' | 'end', extra: Partial<Command> = {}): Command => ({
  id: 'cmd-00001', action: 'track.set_volume', target: 't1', args: { value: 0.5 }, gesture: { id: 'g1', phase }, ...extra,
});

describe('LeaseTable', () => {
  let changes: LeasesMessage[];
  let table: LeaseTable;
  beforeEach(() => {
    vi.useFakeTimers();
    changes = [];
    table = new LeaseTable({ idleMs: 1000, onChange: (m) => changes.push(m) });
  });
  afterEach(() => {
    table.close();
    vi.useRealTimers();
  });

  it('the first move takes the lease; others get HELD, the holder does not', () => {
    expect(table.check('A', keyOf(move('move')))).toBeNull();
    table.apply(move('move'), 'A', keyOf(move('move')));
    expect(table.holds('A', keyOf(move('move')))).toBe(true);
    expect(table.check('A', keyOf(move('move')))).toBeNull();
    expect(table.check('B', keyOf(move('move')))).toMatchObject({ code: 'HELD' });
    // A command without a gesture on the same control is held off too.
    expect(table.check('B', keyOf({ id: 'cmd-00002', action: 'track.set_volume', target: 't1', args: { value: 1 } }))?.code).toBe('HELD');
    // Another control (other index, other target) is free.
    expect(table.check('B', keyOf({ id: 'x-0000001', action: 'track.set_send', target: 't1', args: { index: 1, value: 1 } }))).toBeNull();
    expect(changes).toEqual([{ held: [{ key: 'track.set_volume|t1|', action: 'track.set_volume', target: 't1' }] }]);
  });

  it('ends on end, on the holder leaving, and after idleMs without a move', () => {
    table.apply(move('start'), 'A', keyOf(move('start')));
    table.apply(move('end'), 'A', keyOf(move('end')));
    expect(table.size).toBe(0);

    table.apply(move('move'), 'A', keyOf(move('move')));
    table.releaseSession('A');
    expect(table.check('B', keyOf(move('move')))).toBeNull();

    table.apply(move('move'), 'A', keyOf(move('move')));
    vi.advanceTimersByTime(900);
    table.apply(move('move'), 'A', keyOf(move('move'))); // a move refreshes the lease
    vi.advanceTimersByTime(900);
    expect(table.check('B', keyOf(move('move')))?.code).toBe('HELD');
    vi.advanceTimersByTime(101);
    expect(table.check('B', keyOf(move('move')))).toBeNull();
    expect(changes.at(-1)).toEqual({ held: [] });
  });

  it('keeps the index of a send in the anonymized view and never names the holder', () => {
    const send: Command = { id: 'cmd-00003', action: 'track.set_send', target: 't2', args: { index: 2, value: 0.1 }, gesture: { id: 'g', phase: 'move' } };
    table.apply(send, 'secret-session', keyOf(send));
    expect(JSON.stringify(table.snapshot())).not.toContain('secret-session');
    expect(table.snapshot().held[0]).toEqual({ key: 'track.set_send|t2|2', action: 'track.set_send', target: 't2', index: 2 });
  });
});
