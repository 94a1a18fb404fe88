"""How long the script's ticks take on Live's main thread, measured in wall time.

Every tick records its own duration (perf_counter at its start and end) under the
phase it was in: `building` while background work is pending (the mirror of a new set,
a device's parameters, a snapshot, the browser index), `busy` when it ran commands or
sent changes, `idle` otherwise. A fixed histogram (10 microsecond bins up to 50 ms,
anything longer in the last bin) gives the median and p99 without keeping samples.
"""
from __future__ import absolute_import

import time

_perf = getattr(time, 'perf_counter', time.time)
_cpu = getattr(time, 'thread_time', None)   # this thread's CPU time (3.7+)

BIN_MS = 0.01
BINS = 5000
PHASES = ('building', 'busy', 'idle')


class TickStats(object):
    """Ticks by phase; `gc_ms` is the part of a tick Python's garbage collector took (its
    pauses land in whatever Python code runs when a threshold is crossed; the script
    counts them apart, from gc.callbacks, so the figures say which is which)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self._hist = dict((p, [0] * (BINS + 1)) for p in PHASES)
        self._hist_nogc = dict((p, [0] * (BINS + 1)) for p in PHASES)
        self._max = dict((p, 0.0) for p in PHASES)
        self._max_nogc = dict((p, 0.0) for p in PHASES)
        self._sum = dict((p, 0.0) for p in PHASES)
        self._n = dict((p, 0) for p in PHASES)
        self._gc = dict((p, 0.0) for p in PHASES)
        self._gc_ticks = dict((p, 0) for p in PHASES)
        self.over_budget = 0
        self.over_budget_nogc = 0
        self._cpu = dict((p, 0.0) for p in PHASES)
        self._max_cpu = dict((p, 0.0) for p in PHASES)

    def record(self, phase, ms, budget_ms=None, gc_ms=0.0, cpu_ms=None):
        i = int(ms / BIN_MS)
        self._hist[phase][i if i < BINS else BINS] += 1
        own = max(0.0, ms - gc_ms)
        j = int(own / BIN_MS)
        self._hist_nogc[phase][j if j < BINS else BINS] += 1
        self._n[phase] += 1
        self._sum[phase] += ms
        if gc_ms:
            self._gc[phase] += gc_ms
            self._gc_ticks[phase] += 1
        if cpu_ms is not None:
            self._cpu[phase] += cpu_ms
            if cpu_ms > self._max_cpu[phase]:
                self._max_cpu[phase] = cpu_ms
        if ms > self._max[phase]:
            self._max[phase] = ms
        if own > self._max_nogc[phase]:
            self._max_nogc[phase] = own
        if budget_ms is not None and ms > budget_ms:
            self.over_budget += 1
            if own > budget_ms:
                self.over_budget_nogc += 1

    def _quantile(self, phase, q, hist=None, top=None):
        n = self._n[phase]
        if not n:
            return 0.0
        want = q * n
        seen = 0
        hist = self._hist[phase] if hist is None else hist
        top = self._max[phase] if top is None else top
        for i, c in enumerate(hist):
            seen += c
            if seen >= want:
                return round(min((i + 1) * BIN_MS, top), 3)
        return round(top, 3)

    def summary(self):
        out = {}
        for p in PHASES:
            n = self._n[p]
            hist, top = self._hist_nogc[p], self._max_nogc[p]
            out[p] = {'ticks': n, 'maxMs': round(self._max[p], 3), 'p50Ms': self._quantile(p, 0.5),
                      'p99Ms': self._quantile(p, 0.99), 'meanMs': round(self._sum[p] / n, 4) if n else 0.0,
                      'gcMs': round(self._gc[p], 1), 'ticksWithGc': self._gc_ticks[p],
                      'maxMsWithoutGc': round(top, 3), 'p99MsWithoutGc': self._quantile(p, 0.99, hist, top),
                      'cpuMs': round(self._cpu[p], 1), 'maxCpuMs': round(self._max_cpu[p], 3)}
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
