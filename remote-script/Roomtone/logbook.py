"""What the script tells Live's log and status bar, without flooding either.

Live's Log.txt is where an engineer looks when something is wrong, and a script that
writes the same line 100 times a second buries everything else (and costs time on
Live's main thread). So:

* `note(msg)`: a line for rare events (listening, disconnected).
* `problem(key, msg, status=False)`: a condition that may repeat (a busy port, a failing
  read). Logged at once the first time, then at most every REPEAT_S with how often it
  happened meanwhile; `status` also shows it in Live's status bar. `resolved(key, msg)`
  ends it, so the next time is logged at once again.
* `traceback(where)`: the current exception's traceback, at most TRACEBACKS per
  TRACEBACK_WINDOW_S; beyond that a one-line summary, and a count of the dropped ones.
"""
from __future__ import absolute_import

import time
import traceback as _tb

REPEAT_S = 30.0
TRACEBACKS = 5
TRACEBACK_WINDOW_S = 60.0
_clock = getattr(time, 'monotonic', time.time)


class Logbook(object):
    def __init__(self, c_instance, clock=None):
        self._c = c_instance
        self.clock = clock or _clock
        self._problems = {}       # key -> [last logged at, repeats since]
        self._tb_times = []
        self._tb_dropped = 0
        self.lines = 0            # lines written (tests and stats read it)

    def detach(self):
        """disconnect(): Live's handle is not kept past the script's life."""
        self._c = None

    def note(self, msg):
        c = self._c
        if c is None:
            return
        self.lines += 1
        try:
            c.log_message(msg)
        except Exception:
            pass

    def status(self, msg):
        c = self._c
        if c is None:
            return
        try:
            c.show_message(msg)
        except Exception:
            pass

    def problem(self, key, msg, status=False):
        now = self.clock()
        entry = self._problems.get(key)
        if entry is None:
            self._problems[key] = [now, 0]
            self.note(msg)
            if status:
                self.status(msg)
            return True
        if now - entry[0] < REPEAT_S:
            entry[1] += 1
            return False
        more = entry[1]
        entry[0] = now
        entry[1] = 0
        self.note('%s (%d more since)' % (msg, more) if more else msg)
        if status:
            self.status(msg)
        return True

    def resolved(self, key, msg=None, status=False):
        if self._problems.pop(key, None) is not None and msg:
            self.note(msg)
            if status:
                self.status(msg)

    def traceback(self, where):
        now = self.clock()
        times = [t for t in self._tb_times if now - t < TRACEBACK_WINDOW_S]
        self._tb_times = times
        if len(times) < TRACEBACKS:
            times.append(now)
            dropped = self._tb_dropped
            self._tb_dropped = 0
            extra = ' (%d tracebacks left out before this one)' % dropped if dropped else ''
            self.note('Roomtone: %s%s: %s' % (where, extra, _tb.format_exc()))
            return True
        self._tb_dropped += 1
        summary = _tb.format_exc().strip().splitlines()[-1:]
        self.problem('traceback:' + where, 'Roomtone: %s: %s (tracebacks rate-limited)' % (
            where, summary[0] if summary else 'error'))
        return False
