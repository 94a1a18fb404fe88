"""Python's garbage collector, which runs on Live's main thread in whatever code happens
to cross its threshold.

A full collection walks every object the collector tracks. On a heavy set the mirror
alone is hundreds of thousands of them (entities, props, listener callbacks, the
browser index), and while the mirror is being read it grows so fast that full
collections come every few ticks, each longer than the last (79-168 ms measured on
the heavy set, against an 8 ms budget for the whole tick). Those objects live as long
as the set is open, so walking them finds nothing.

`gc.freeze()` (Python 3.7+) moves every object tracked now into a permanent generation
that collections skip; it costs no walk of its own. After a tick that made long-lived
objects (the mirror or the browser index grew: a set being read, a device's
parameters, Live's browser), the youngest generation is collected (cheap: at most a
few hundred objects) and what survives is frozen. Full collections then walk only what
was made since the last freeze. Ticks that only let go of things (a closed panel's
parameters) or make short-lived ones (a snapshot's parts) freeze nothing.

What this costs: a frozen object is still freed when nothing refers to it (reference
counting does not look at generations), so a closed set's mirror is freed as before
(teardown and disconnect() break its cycles). Only cyclic garbage that is frozen is
never reclaimed: the collection of the youngest generation just before each freeze
removes what became garbage since the last collection, and freezes happen at most
every FREEZE_EVERY_TICKS ticks, only while the mirror grows. (Collecting the middle
generation too cost about a millisecond a freeze under load, for garbage that our
code hardly makes.) `gc.unfreeze()`
is never called: Live's other scripts (and the simulator, for Live's own objects) may
have frozen objects of theirs. Thresholds are left alone, for the same reason: they are
the whole process's. No thread is involved; everything here runs in the tick.
"""
from __future__ import absolute_import

import gc

FREEZE_EVERY_TICKS = 5     # at most one freeze per this many ticks (50 ms at Live's timer)


class Collector(object):
    def __init__(self, enabled=True):
        self.on = bool(enabled)
        self.freezes = 0
        self._since = FREEZE_EVERY_TICKS   # ticks since the last freeze
        self._due = False                  # long-lived objects were made since then

    def after_tick(self, made_objects):
        """Called at the end of every tick; `made_objects`: the mirror or the index grew."""
        if not self.on:
            return
        self._since += 1
        if made_objects:
            self._due = True
        if self._due and self._since >= FREEZE_EVERY_TICKS:
            self.freeze()

    def freeze(self):
        if not self.on:
            return
        gc.collect(0)    # the youngest generation: garbage made since the last collection
        gc.freeze()
        self.freezes += 1
        self._since = 0
        self._due = False

    def stats(self):
        return {'on': self.on, 'freezes': self.freezes, 'frozen': gc.get_freeze_count()}
