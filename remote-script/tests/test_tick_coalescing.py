"""Continuous writes to one control queued for the same tick run once (tick_coalescing)."""
from __future__ import absolute_import

import unittest

from .test_script_harness import HarnessCase
from Roomtone.tick_coalescing import TickCoalescer, coalescing_key


def bass(h):
    return [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]


class TickCoalescingTest(HarnessCase):
    def test_two_lines_in_one_tick_make_one_write_and_both_get_its_result(self):
        h = self.h
        b = bass(h).id
        h.tick()
        h.inst._reset_stats()
        h.clear()
        first = h.cmd('track.set_volume', b, {'value': 0.2})
        other = h.cmd('track.set_pan', b, {'value': 0.5})
        second = h.cmd('track.set_volume', b, {'value': 0.3})
        h.line({'type': 'commands', 'commands': [first, other]})
        h.line({'type': 'commands', 'commands': [second]})
        h.tick()
        got = dict((r['id'], r) for m in h.sent('results') for r in m['results'])
        self.assertEqual(sorted(got), sorted([first['id'], other['id'], second['id']]))
        self.assertEqual(got[first['id']]['value'], 0.3)
        self.assertEqual(got[first['id']]['rev'], got[second['id']]['rev'])
        self.assertEqual(bass(h).obj.mixer_device.volume.value, 0.3)
        st = h.inst.stats()
        self.assertEqual(st['maxWritesPerControlPerTick'], 1)
        self.assertEqual(st['supersededInTick'], 1)
        self.assertEqual(st['commandsExecuted'], 2)
        # a retry of the replaced write is answered from the replay cache, not run again
        h.clear()
        h.line({'type': 'commands', 'commands': [first]})
        h.tick()
        self.assertEqual(h.sent('results')[-1]['results'][0], got[first['id']])
        self.assertEqual(h.inst.stats()['commandsExecuted'], 2)

    def test_a_line_arriving_during_the_tick_waits_for_the_next_one(self):
        # Under load the socket thread appends while the tick runs; handled in the same
        # tick, that line's write to a control met one the plan had not seen (2 writes).
        h = self.h
        b = bass(h).id
        h.tick()
        h.inst._reset_stats()
        h.clear()
        first = h.cmd('track.set_volume', b, {'value': 0.2})
        late = h.cmd('track.set_volume', b, {'value': 0.7})
        handle = h.inst._handle
        calls = []

        def handle_and_receive(msg):
            handle(msg)
            if not calls:
                calls.append(msg)
                h.line({'type': 'commands', 'commands': [late]})
        h.inst._handle = handle_and_receive
        h.line({'type': 'commands', 'commands': [first]})
        h.tick()
        got = [r['id'] for m in h.sent('results') for r in m['results']]
        self.assertEqual(got, [first['id']])
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 1)
        self.assertEqual(h.inst.stats()['queueDepth'], 1)
        h.tick()
        got = [r['id'] for m in h.sent('results') for r in m['results']]
        self.assertEqual(got, [first['id'], late['id']])
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 1)
        self.assertEqual(bass(h).obj.mixer_device.volume.value, 0.7)

    def test_conditional_writes_and_edits_never_coalesce(self):
        h = self.h
        b = bass(h)
        h.tick()
        rev = b.rev
        h.inst._reset_stats()
        res = h.run_batch([h.cmd('track.set_volume', b.id, {'value': 0.4}, base_rev=rev),
                           h.cmd('track.set_volume', b.id, {'value': 0.5})])
        self.assertTrue(all(r['ok'] for r in res))
        self.assertNotEqual(res[0]['value'], res[1]['value'])
        self.assertEqual(h.inst.stats()['supersededInTick'], 0)

    def test_a_malformed_write_is_not_replaced_and_gets_its_own_error(self):
        h = self.h
        b = bass(h).id
        h.tick()
        bad = h.cmd('track.set_volume', b, {'value': 'loud'})
        good = h.cmd('track.set_volume', b, {'value': 0.6})
        res = dict((r['id'], r) for r in h.run_batch([bad, good]))
        self.assertEqual(res[bad['id']]['error']['code'], 'INVALID')
        self.assertTrue(res[good['id']]['ok'])


class TickCoalescerUnitTest(unittest.TestCase):
    def cmd(self, cid, value, **extra):
        c = {'id': cid, 'action': 'track.set_volume', 'target': 't1', 'args': {'value': value}, 'deadline': 1e15}
        c.update(extra)
        return c

    def test_keys(self):
        self.assertEqual(coalescing_key(self.cmd('a', 0.1)), ('track.set_volume', 't1', None))
        self.assertIsNone(coalescing_key(self.cmd('a', 0.1, baseRev='e.1')))
        self.assertIsNone(coalescing_key({'id': 'm', 'action': 'track.set_mute', 'target': 't1', 'args': {'value': True}, 'deadline': 1e15}))
        self.assertIsNone(coalescing_key(self.cmd('a', 0.1, deadline='soon')))
        self.assertIsNone(coalescing_key('nope'))

    def test_a_write_replaced_again_in_a_later_tick_hands_its_waiters_on(self):
        c = TickCoalescer()
        c.plan([{'type': 'commands', 'commands': [self.cmd('a', 0.1), self.cmd('b', 0.2)]}])
        self.assertTrue(c.skip('a'))
        # the tick's budget ended before b ran; next tick c has arrived too
        c.plan([{'type': 'commands', 'commands': [self.cmd('b', 0.2)]}, {'type': 'commands', 'commands': [self.cmd('c', 0.3)]}])
        self.assertTrue(c.skip('b'))
        self.assertFalse(c.skip('c'))
        self.assertEqual(sorted(c.followers('c')), ['a', 'b'])
        self.assertEqual(list(c.followers('c')), [])
        c.plan([{'type': 'commands', 'commands': [self.cmd('d', 0.1), self.cmd('e', 0.2)]}])
        c.reset()
        self.assertFalse(c.skip('d'))


if __name__ == '__main__':
    unittest.main()
