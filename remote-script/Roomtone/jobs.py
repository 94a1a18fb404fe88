"""Work that does not fit in one tick: building the mirror, observing a device's
parameters, assembling a snapshot, indexing Live's browser.

Each job is a generator that does one small unit of work (one entity, one chunk) per
step and yields. `run(deadline)` steps the most urgent job until the tick's wall-clock
budget is spent; whatever is left resumes in the next tick. A generator holds Live
objects in its frame, so `clear()` closes every job (disconnect() must not keep any).
"""
from __future__ import absolute_import

import time

URGENT = 0     # someone is waiting (a device panel just opened, a snapshot for an agent)
NORMAL = 1     # building the mirror of the set
LATER = 2      # indexing the browser, releasing parameters nobody looks at

_perf = getattr(time, 'perf_counter', time.time)


class Jobs(object):
    def __init__(self, on_error=None):
        self._jobs = []          # [priority, seq, key, generator]
        self._seq = 0
        self._on_error = on_error or (lambda key: None)
        self.steps = 0

    def forget_owner(self):
        self._on_error = ignore

    def __len__(self):
        return len(self._jobs)

    def has(self, key):
        for job in self._jobs:
            if job[2] == key:
                return True
        return False

    def head_priority(self):
        """The priority of the job that runs next (None when there is none)."""
        return self._jobs[0][0] if self._jobs else None

    def keys(self):
        return [job[2] for job in self._jobs]

    def add(self, key, gen, priority=NORMAL):
        """Adds a job unless one with the same key is waiting (False then)."""
        if self.has(key):
            return False
        self._seq += 1
        self._jobs.append([priority, self._seq, key, gen])
        self._jobs.sort(key=lambda j: (j[0], j[1]))
        return True

    def cancel(self, key):
        for job in list(self._jobs):
            if job[2] == key:
                self._jobs.remove(job)
                _close(job[3])

    def run(self, deadline, clock=_perf):
        """Steps jobs until `deadline` (clock seconds) passes; at least one step."""
        steps = 0
        while self._jobs:
            job = self._jobs[0]
            try:
                next(job[3])
            except StopIteration:
                self._jobs.pop(0)
            except Exception:
                self._jobs.pop(0)
                self._on_error(job[2])
            steps += 1
            if clock() >= deadline:
                break
        self.steps += steps
        return steps

    def finish(self, key):
        """Runs one job to its end now (an action needs its result in this tick)."""
        for job in list(self._jobs):
            if job[2] == key:
                self._jobs.remove(job)
                for _ in job[3]:
                    pass
                return True
        return False

    def clear(self):
        jobs = self._jobs
        self._jobs = []
        for job in jobs:
            _close(job[3])


def ignore(*args):
    """A callback that does nothing (in place of a closed owner's bound method)."""


def _close(gen):
    try:
        gen.close()
    except Exception:
        pass
