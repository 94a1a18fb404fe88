"""The collector policy (collector.py): what the jobs made is frozen out of the
collector's walks, and a closed set is still freed although it was frozen."""
import gc
import unittest
import weakref
from unittest import mock

from .test_script_harness import Harness
from Roomtone import collector as C


class CollectorPolicyTest(unittest.TestCase):
    def test_freezes_after_ticks_that_made_objects_at_a_bounded_rate(self):
        c = C.Collector()
        with mock.patch.object(C.gc, 'freeze') as freeze, mock.patch.object(C.gc, 'collect') as collect:
            c.on = True
            for _ in range(20):
                c.after_tick(True)
            self.assertEqual(freeze.call_count, 4, 'at most one freeze per %d ticks' % C.FREEZE_EVERY_TICKS)
            collect.assert_called_with(0)    # only the youngest generation, before each freeze
            for _ in range(20):
                c.after_tick(False)
            self.assertEqual(freeze.call_count, 5, 'what the last ticks made, once; then nothing made: no freeze')
            c.after_tick(True)
            self.assertEqual(freeze.call_count, 6, 'made objects after a quiet while: frozen at once')

    def test_switched_off_it_never_touches_the_collector(self):
        c = C.Collector(enabled=False)
        with mock.patch.object(C.gc, 'freeze') as freeze, mock.patch.object(C.gc, 'collect') as collect:
            for _ in range(20):
                c.after_tick(True)
            c.freeze()
        self.assertFalse(freeze.called)
        self.assertFalse(collect.called)


class CollectorInTheScriptTest(unittest.TestCase):
    def test_building_the_mirror_tick_by_tick_freezes_it(self):
        h = Harness(built=False)
        try:
            before = gc.get_freeze_count()
            h.settle()
            self.assertGreater(h.inst.collector.freezes, 0)
            self.assertGreater(gc.get_freeze_count(), before)
            self.assertGreater(h.inst.stats()['collector']['frozen'], 0)
        finally:
            h.inst.disconnect()

    def test_ticks_that_only_let_go_of_things_freeze_nothing(self):
        h = Harness()
        self.addCleanup(h.inst.disconnect)
        h.settle()
        for _ in range(C.FREEZE_EVERY_TICKS + 1):
            h.tick()            # what was made so far is frozen
        before = h.inst.collector.freezes
        device = [e for e in h.inst.mirror.entities() if e.kind == 'device'][0]
        h.inst.mirror.observe([device.id])
        for _ in range(3 * C.FREEZE_EVERY_TICKS):
            h.tick()
        self.assertGreater(h.inst.collector.freezes, before, "a device's parameters were made: frozen")
        frozen = h.inst.collector.freezes
        h.inst.mirror.observe([])
        h.inst.mirror.release_due(now=h.inst.mirror.clock() + 3600)
        for _ in range(3 * C.FREEZE_EVERY_TICKS):
            h.tick()
        self.assertFalse(h.inst.mirror.get(device.id).props.get('params'), 'released')
        self.assertEqual(h.inst.collector.freezes, frozen, 'letting go of them froze nothing')

    def test_a_closed_sets_script_and_mirror_are_freed_although_frozen(self):
        h = Harness(built=False)
        h.settle()
        h.inst.collector.freeze()
        script = weakref.ref(h.inst)
        mirror = weakref.ref(h.inst.mirror)
        h.inst.disconnect()
        h.inst = None
        h = None
        gc.collect()     # frozen objects are not collected: only reference counting frees them
        self.assertIsNone(mirror(), 'the mirror of a closed set is freed')
        self.assertIsNone(script(), 'the script instance Live let go of is freed')


if __name__ == '__main__':
    unittest.main()
