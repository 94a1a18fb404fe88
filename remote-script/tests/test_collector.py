"""The collector policy (collector.py): what the jobs made is frozen out of the
collector's walks, and a closed set is still freed although it was frozen."""
import gc
import unittest
import weakref
from unittest import mock

from .test_script_harness import Harness
from Roomtone import collector as C

HAS_FREEZE = hasattr(gc, 'freeze')


class CollectorPolicyTest(unittest.TestCase):
    def test_freezes_after_ticks_that_made_objects_at_a_bounded_rate(self):
        c = C.Collector()
        with mock.patch.object(C.gc, 'freeze') as freeze, mock.patch.object(C.gc, 'collect') as collect:
            c.on = True
            for _ in range(20):
                c.after_tick(True)
            self.assertEqual(freeze.call_count, 4, 'at most one freeze per %d ticks' % C.FREEZE_EVERY_TICKS)
            collect.assert_called_with(1)    # only the young generations, before each freeze
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


@unittest.skipUnless(HAS_FREEZE, 'gc.freeze needs Python 3.7+')
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
