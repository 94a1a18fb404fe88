"""How long the script's ticks take on Live's main thread.

Every tick records its own wall time (perf_counter at its start and end) and its CPU
time (this thread's), under the phase it was in: `building` while the mirror of a new
set is being read, `busy` when it ran commands, sent changes or background work (a
device's parameters, a snapshot, the browser index), `idle` otherwise. Python's
garbage collector pauses land in whatever Python code runs when a threshold is crossed;
they are timed apart (gc.callbacks) so the figures say which part was the collector.
Wall time counts whatever else the machine did meanwhile; CPU time does not.

Fixed histograms (10 microsecond bins up to 50 ms, anything longer in the last bin)
give medians and p99 without keeping samples.
"""
from __future__ import absolute_import

import time

_perf = getattr(time, 'perf_counter', time.time)
_cpu = getattr(time, 'thread_time', None)   # this thread's CPU time (3.7+)

BIN_MS = 0.01
BINS = 5000
PHASES = ('building', 'busy', 'idle')


class Histogram(object):
    __slots__ = ('bins', 'n', 'total', 'top')

    def __init__(self):
        self.bins = [0] * (BINS + 1)
        self.n = 0
        self.total = 0.0
        self.top = 0.0

    def add(self, ms):
        i = int(ms / BIN_MS)
        self.bins[i if i < BINS else BINS] += 1
        self.n += 1
        self.total += ms
        if ms > self.top:
            self.top = ms

    def quantile(self, q):
        if not self.n:
            return 0.0
        want = q * self.n
        seen = 0
        for i, c in enumerate(self.bins):
            seen += c
            if seen >= want:
                return round(min((i + 1) * BIN_MS, self.top), 3)
        return round(self.top, 3)


class TickStats(object):
    def __init__(self):
        self.reset()

    def reset(self):
        self._wall = dict((p, Histogram()) for p in PHASES)
        self._wall_nogc = dict((p, Histogram()) for p in PHASES)
        self._cpu = dict((p, Histogram()) for p in PHASES)
        self._cpu_nogc = dict((p, Histogram()) for p in PHASES)
        self._gc = dict((p, 0.0) for p in PHASES)
        self._gc_ticks = dict((p, 0) for p in PHASES)
        self.over_budget = 0
        self.over_budget_nogc = 0
        self.over_budget_cpu = 0

    def record(self, phase, ms, budget_ms=None, gc_ms=0.0, cpu_ms=None):
        self._wall[phase].add(ms)
        self._wall_nogc[phase].add(max(0.0, ms - gc_ms))
        if cpu_ms is not None:
            self._cpu[phase].add(cpu_ms)
            self._cpu_nogc[phase].add(max(0.0, cpu_ms - gc_ms))
        if gc_ms:
            self._gc[phase] += gc_ms
            self._gc_ticks[phase] += 1
        if budget_ms is not None and ms > budget_ms:
            self.over_budget += 1
            if ms - gc_ms > budget_ms:
                self.over_budget_nogc += 1
            if cpu_ms is not None and cpu_ms - gc_ms > budget_ms:
                self.over_budget_cpu += 1

    def summary(self):
        out = {}
        for p in PHASES:
            w, wn, c, cn = self._wall[p], self._wall_nogc[p], self._cpu[p], self._cpu_nogc[p]
            out[p] = {'ticks': w.n, 'maxMs': round(w.top, 3), 'p50Ms': w.quantile(0.5), 'p99Ms': w.quantile(0.99),
                      'meanMs': round(w.total / w.n, 4) if w.n else 0.0,
                      'gcMs': round(self._gc[p], 1), 'ticksWithGc': self._gc_ticks[p],
                      'maxMsWithoutGc': round(wn.top, 3), 'p99MsWithoutGc': wn.quantile(0.99),
                      'cpuMs': round(c.total, 1), 'maxCpuMs': round(c.top, 3), 'p50CpuMs': c.quantile(0.5),
                      'p99CpuMs': c.quantile(0.99), 'maxCpuMsWithoutGc': round(cn.top, 3),
                      'p99CpuMsWithoutGc': cn.quantile(0.99)}
        return out


class GcClock(object):
    """Milliseconds Python's garbage collector has spent since this was made (a
    gc.callbacks hook; removed by stop())."""

    def __init__(self):
        import gc
        self.total = 0.0
        self._start = None
        self._gc = gc
        gc.callbacks.append(self._hook)

    def _hook(self, phase, info):
        if phase == 'start':
            self._start = _perf()
        elif self._start is not None:
            self.total += (_perf() - self._start) * 1000.0
            self._start = None

    def stop(self):
        try:
            self._gc.callbacks.remove(self._hook)
        except ValueError:
            pass
