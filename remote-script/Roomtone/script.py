"""The Roomtone control surface: the object Live gets from create_instance().

Threads: `server.LineServer` runs one socket thread (accept/recv/send only). Every Live
API call happens here, on Live's main thread, in `tick()`. Live's main thread also draws
Live's UI and runs MIDI, so a tick's own work has a wall-clock budget, measured with
perf_counter inside the tick (never with Live's or the simulator's clock):

  1. lists Live changed since the last tick become jobs; members without a listener
     are polled (undo state, a group's fold);
  2. the inbound queue is drained, command by command and in order, while the tick has
     spent less than COMMANDS_S (at least MIN_COMMANDS_PER_TICK; the rest of a long
     line waits at the head of the queue; a command past its deadline is answered
     TIMEOUT and not run);
  3. background jobs run while the tick has spent less than BACKGROUND_S: building the
     mirror of a new set, a device's parameters that someone opened, a snapshot for
     the agent, the index of Live's browser; each step is one small unit of work, so a
     tick that would run over yields and the job resumes in the next tick (LATER jobs,
     which nobody waits for, stop at LATER_BUSY_S while the room is at work: a command
     in the last ACTIVE_S);
  4. the changes go out as ONE events line, before the results line: first those of the
     entities this tick's commands touched (so the agent's mirror holds the revs the
     results name), then the others, oldest first, while the tick has spent less than
     CHANGES_S (reading marked props from Live and encoding count; at least one chunk).
     The rest waits in the mirror, merged per entity (one entity's changes keep their
     order and its latest value wins) and goes out in the next ticks; props that
     automation moves are re-read at a bounded rate;
  5. the results of the tick as ONE results line;
  6. meters: a fifth of the tracks is read per tick, a meters line goes out at most
     every 50 ms and only when something changed.

The tick comes from a `Live.Base.Timer` at 10 ms; `update_display()` (about 100 ms)
is the fallback and the watchdog that restarts the timer should it stop (an exception
escaping a Timer callback stops it in Live: tick() never raises).

Wire choices within docs/protocol.md ("Remote Script lines"):
  * The script's hello is always the first line. The agent's hello is checked (another
    protocol: PROTOCOL_MISMATCH, then close) but not required before other lines.
  * events: a new entity carries all its props, an update only the props that changed,
    a gone one {kind, id, removed: true}. Several changes to one entity before it is sent
    (in one tick, or while a fan-out bigger than a tick waits) merge into one change with
    its last rev. A list prop may name an entity whose creation follows in the next line
    (as while the set is being read); browsers skip ids they do not hold yet.
  * snapshot: assembled over several ticks on a big set. From the request until it is
    sent, events and results are held back and follow it in order, so nothing the
    snapshot missed is lost and nothing older overwrites it. It carries `seq` (the seq of
    the last events line before it) and `building` (the mirror is still reading the set;
    what is missing follows as events). One that would pass the line limit is split:
    snapshot line, then events lines.
  * observe: the devices browsers look at; their parameters are mirrored (mirror.py).
  * results: `rev` is the target's rev after the command (null when it is gone); `value`
    is what the command wrote as Live reports it afterwards, the data of a read, or the new
    entity's id for a create. CONFLICT's current.value is the action's catalogue prop. A
    target id of another set (opened earlier) is answered SET_CHANGED, never applied.
  * A write whose id was seen in the last 2048 writes is answered with its first result
    and not run again (TIMEOUT and INTERNAL answers are not kept, so a retry may run;
    reads are not kept and simply run again).
  * Lines still queued from a connection that has closed are dropped unanswered.
  * pong is answered from the tick, so it measures the way to Live's main thread.
  * unconditional writes to one continuous control queued for the same tick run once: the
    last one runs, the earlier ones get its result (tick_coalescing; supersededInTick).
  * a well-formed `system.ping` command is answered by the socket thread as it arrives,
    in a results line of its own: a no-op needs nothing from Live (pingsOnArrival counts them).
  * meters: only the levels that changed since the last meters line; `position` only when
    it moved; `clips`, the playing position of each playing clip that moved (clip_positions).
    stats add the tick histogram (`tickMs` by phase), the mirror's build time and the
    documented counters.
"""
from __future__ import absolute_import

import collections
import os
import sys
import time

from . import protocol
from .protocol import (CommandError, INVALID, NOT_FOUND, CONFLICT, TIMEOUT, LIVE_ERROR, INTERNAL, SET_CHANGED)
from .mirror import Mirror
from . import actions
from .actions import live_module
from .tick_coalescing import TickCoalescer
from .jobs import Jobs, URGENT, LATER
from .logbook import Logbook
from .tick_stats import TickStats, GcClock
from .collector import Collector
from .browser_index import BrowserIndex
from . import settings
from .clip_positions import clip_positions

TIMER_INTERVAL_MS = 10
TICK_BUDGET_S = 0.008      # no tick's own work should pass this
COMMANDS_S = 0.006         # commands run while the tick has spent less than this
BACKGROUND_S = 0.0045      # background jobs run while the tick has spent less than this
LATER_BUSY_S = 0.002       # ... or this, for LATER jobs while people are at work (ACTIVE_S)
ACTIVE_S = 1.0             # the room is at work for this long after a command
CHANGES_S = 0.0065         # changes are read and encoded while the tick has spent less than this
CHANGE_CHUNK = 32          # changes encoded at once between looks at the clock
SNAPSHOT_CHUNK = 150       # entities encoded per snapshot step
# A tick runs at least this many commands, whatever its clock says: a small line (a
# gesture's moves, a few edits) is never spread over ticks by a slow moment, and 16
# commands cost Live a few milliseconds at most.
MIN_COMMANDS_PER_TICK = 16
METER_INTERVAL_S = 0.05
METER_SLICES = 5           # a fifth of the tracks' meters is read per tick
METER_QUIET_EVERY = 10     # stopped and silent: a tenth of the rate (each meter twice a second)
SONG_CHECK_TICKS = 10      # how often to check that Live's song is still the one we mirror
REPLAY_KEEP = 2048
TRACK_TARGET_KINDS = ('track', 'return', 'master')
UNDO_PROPS = ('canUndo', 'canRedo')
_perf = getattr(time, 'perf_counter', time.time)
_cpu = getattr(time, 'thread_time', None)   # Live's main thread's CPU time in the tick (3.7+)


def _is_plain_ping(cmd, now_ms):
    """A `system.ping` the socket thread may answer: well formed, on the song, no args,
    deadline not passed. Anything else (a typo, a passed deadline) takes the usual way."""
    if not isinstance(cmd, dict) or cmd.get('action') != 'system.ping':
        return False
    cid = cmd.get('id')
    deadline = cmd.get('deadline')
    args = cmd.get('args')
    return (isinstance(cid, str) and 0 < len(cid) <= 200
            and cmd.get('target') in (None, 'song') and cmd.get('baseRev') is None
            and (args is None or args == {})
            and isinstance(deadline, (int, float)) and not isinstance(deadline, bool)
            and now_ms <= deadline)


def _env_port():
    return settings.port_setting()[0]


def _env_host():
    return settings.host_setting()


class Context(object):
    """What handlers see: the song, the mirror, the epoch, the application."""

    def __init__(self, script):
        self._script = script
        self.song = script.song_obj
        self.mirror = script.mirror
        self.epoch = script.epoch
        self.browser_index = script.browser_index

    def application(self):
        return self._script.application()

    def index_browser(self):
        self._script.start_indexing(priority=URGENT)


class RoomtoneScript(object):
    def __init__(self, c_instance, host=None, port=None):
        self._c = c_instance
        self.logbook = Logbook(c_instance)
        self._closed = False
        self.clock = _perf   # seconds; paces meters and the watchdog (tests may swap it)
        self.epoch = protocol.new_epoch()
        self.song_obj = c_instance.song()
        self._live_info = self._read_live_info()
        self.jobs = Jobs(on_error=self._job_failed)
        self.browser_index = BrowserIndex()
        self.tick_stats = TickStats()
        self._gc_clock = GcClock()
        # ROOMTONE_GC_FREEZE=0 turns freezing off (to measure what it does; collector.py)
        self.collector = Collector(enabled=os.environ.get('ROOMTONE_GC_FREEZE', '1') != '0')
        self.mirror = None
        self._start_mirror()
        self._seq = 0
        self._ticks = 0
        self._last_tick_at = 0.0
        self._in_tick = False
        self._replay = collections.OrderedDict()
        self._coalescer = TickCoalescer()
        self._results = []
        self._writes = {}
        self._meter_at = 0.0
        self._meter_last = {}
        self._meter_changed = {}
        self._meter_cursor = 0           # where the next read starts in the meter list
        self._meter_credit = 0.0         # tracks owed to the next reads (a fraction per tick)
        self._meters_read = 0            # track meters read in all (tests count them)
        self._tick_commands = 0
        self._meter_loud = False         # a meter of this pass was above zero
        self._meter_silent_passes = 0    # whole passes over every meter that were all zero
        self._position_last = None
        self._clips_last = {}
        self._gen_seen = 0
        self._line_gen = None   # the connection whose lines this tick answers
        self._snapshot = None   # the snapshot being assembled: {'gen', 'seq', 'parts'}
        self._held = []         # lines held back until that snapshot is sent
        self._parts = (0.0, 0.0, 0.0, 0.0)   # wall seconds of the last tick's stages
        self._active_until = 0.0             # self.clock() until which the room is at work
        self._reset_stats()
        self._host = host or _env_host()
        if port is None:
            self._want_port, where, problem = settings.port_setting()
            if problem:
                self.logbook.problem('port-setting', 'Roomtone: %s; using port %d' % (problem, self._want_port),
                                     status=True)
        else:
            self._want_port = port
        self.server = None
        self.port = None
        self._bind_backoff = None
        self._bind_at = 0.0
        self._bind()
        self._timer = None
        self._start_timer()

    def _start_mirror(self):
        self._complete_seen = False
        self.mirror = Mirror(self.song_obj, self.epoch, self.log, jobs=self.jobs)
        self._song_ptr = getattr(self.song_obj, '_live_ptr', None)
        self.mirror.build()
        self.ctx = Context(self)

    # ---- Live's control-surface interface --------------------------------------------------

    def disconnect(self):
        """Live is done with this instance (another set opened, Live quits, the surface was
        deselected): stop, close the port, and let go of every Live object."""
        if self._closed:
            return
        self._closed = True
        timer = self._timer
        self._timer = None
        if timer is not None:
            try:
                timer.stop()
            except Exception:
                pass
        self.jobs.clear()
        self._gc_clock.stop()
        try:
            self.mirror.teardown()
        except Exception as exc:
            self.log('Roomtone: teardown failed: %r' % (exc,))
        if self.server is not None:
            self.server.close()
        self._snapshot = None
        self._held = []
        self._results = []
        self.song_obj = None
        self.ctx = None
        self.browser_index.clear()
        self.log('Roomtone: disconnected (epoch %s)' % self.epoch)
        self.logbook.detach()
        self._c = None
        # Bound methods of ours that our parts keep are reference cycles; the collector may
        # have frozen them (collector.py), so they are broken here and the instance Live
        # let go of is freed by reference counting.
        self.jobs.forget_owner()
        self.mirror.forget_owner()
        if self.server is not None:
            self.server.forget_owner()

    def update_display(self):
        """About every 100 ms from Live: the fallback tick and the timer's watchdog."""
        if self._closed:
            return
        timer = self._timer
        if timer is not None and not self._timer_running(timer):
            try:
                timer.start()
                self.logbook.problem('timer', 'Roomtone: the tick timer had stopped; restarted it')
            except Exception:
                self._timer = None
        if self._timer is None or self.clock() - self._last_tick_at > 0.05:
            self.tick()

    def refresh_state(self):
        pass

    def build_midi_map(self, midi_map_handle):
        pass

    def receive_midi(self, midi_bytes):
        pass

    def connect_script_instances(self, instanciated_scripts):
        pass

    def can_lock_to_devices(self):
        return False

    def lock_to_device(self, device):
        pass

    def unlock_from_device(self, device):
        pass

    def toggle_lock(self):
        pass

    def suggest_input_port(self):
        return ''

    def suggest_output_port(self):
        return ''

    def suggest_map_mode(self, cc_no, channel):
        return -1

    def port_settings_changed(self):
        pass

    def song(self):
        return self.song_obj

    # ---- plumbing --------------------------------------------------------------------------------

    def log(self, message):
        self.logbook.note(message)

    def _job_failed(self, key):
        # A list that could not be read is read again when Live changes it next.
        self.logbook.traceback('job %r failed' % (key,))

    def application(self):
        app_mod = getattr(live_module(), 'Application', None)
        get = getattr(app_mod, 'get_application', None)
        if get is None:
            return None
        try:
            return get()
        except Exception:
            return None

    def _read_live_info(self):
        version = 'unknown'
        app = self.application()
        if app is not None:
            try:
                version = '%d.%d.%d' % (app.get_major_version(), app.get_minor_version(),
                                        app.get_bugfix_version())
            except Exception:
                pass
        return {
            'version': version,
            'simulated': os.environ.get('ROOMTONE_SIM') == '1',
            'python': '%d.%d.%d' % tuple(sys.version_info[:3]),
        }

    def _hello(self):
        # Runs on the socket thread: no Live calls, only what was read at start.
        return {'type': 'hello', 'protocol': protocol.PROTOCOL_VERSION, 'epoch': self.epoch,
                'live': dict(self._live_info)}

    def _answer_on_arrival(self, commands):
        # Runs on the socket thread. `system.ping` needs nothing from Live, so it is answered
        # as it arrives: it measures the chain up to the script, not Live's tick (the agent's
        # own ping/pong, answered in the tick, watches Live's main thread). Anything that
        # is not a well-formed ping goes to the tick as usual and gets its error there.
        now = []
        rest = []
        now_ms = time.time() * 1000.0
        for cmd in commands:
            if _is_plain_ping(cmd, now_ms):
                now.append({'id': cmd['id'], 'ok': True, 'rev': None, 'value': {'epoch': self.epoch}})
                self._stats['pingsOnArrival'] += 1
            else:
                rest.append(cmd)
        return now, rest

    def _bind(self):
        from .server import LineServer, Backoff
        try:
            self.server = LineServer(self._host, self._want_port, self._hello, on_arrival=self._answer_on_arrival,
                                     secret=self._agent_secret())
        except Exception as exc:
            self.server = None
            self.port = None
            if self._bind_backoff is None:
                self._bind_backoff = Backoff()
            self._bind_at = self.clock() + self._bind_backoff.next()
            msg = 'Roomtone: cannot listen on %s:%s (%s); retrying' % (self._host, self._want_port, exc)
            self.logbook.problem('bind', msg, status=True)
            return False
        self._bind_backoff = None
        self.port = self.server.port
        self.server.start()
        self.logbook.resolved('bind')
        self.log('Roomtone: listening on %s:%d, epoch %s, Live %s' % (
            self._host, self.port, self.epoch, self._live_info['version']))
        self.logbook.status('Roomtone ready on port %d' % self.port)
        return True

    def _agent_secret(self):
        # The launcher proves itself with the secret next to the script (agent_auth, H9).
        from . import agent_auth
        path = agent_auth.secret_path()
        try:
            return agent_auth.load_or_create(path)
        except Exception as exc:
            self.log('Roomtone: cannot read or make the agent secret %s: %r; no agent can connect' % (path, exc))
            return None

    def _start_timer(self):
        base = getattr(live_module(), 'Base', None)
        timer_cls = getattr(base, 'Timer', None)
        if timer_cls is None:
            self.log('Roomtone: no Live.Base.Timer; ticking from update_display (~100 ms)')
            return
        try:
            self._timer = timer_cls(callback=self._on_timer, interval=TIMER_INTERVAL_MS, repeat=True)
            self._timer.start()
        except Exception as exc:
            self._timer = None
            self.log('Roomtone: Live.Base.Timer failed (%r); ticking from update_display' % (exc,))

    @staticmethod
    def _timer_running(timer):
        try:
            return bool(timer.running)
        except Exception:
            return True

    def _on_timer(self):
        # An exception escaping a Timer callback stops the timer for good: tick() never raises.
        self.tick()

    # ---- the tick ----------------------------------------------------------------------------------

    def tick(self):
        if self._closed or self._in_tick:
            return
        self._in_tick = True
        t0 = _perf()
        c0 = _cpu() if _cpu is not None else None
        gc0 = self._gc_clock.total
        stats0 = self._stats
        before = (stats0['commandsExecuted'], stats0['eventsSent'], self.jobs.steps)
        busy = False
        try:
            busy = self._tick(t0)
        except Exception:
            self.logbook.traceback('tick failed')
        finally:
            self._in_tick = False
            dt = (_perf() - t0) * 1000.0
            self._last_tick_at = self.clock()
            st = self._stats
            st['ticks'] += 1
            st['lastTickMs'] = round(dt, 3)
            if dt > st['maxTickMs']:
                st['maxTickMs'] = round(dt, 3)
            phase = 'building' if self.mirror.building else ('busy' if busy or len(self.jobs) else 'idle')
            cpu = (_cpu() - c0) * 1000.0 if c0 is not None else None
            gc_ms = self._gc_clock.total - gc0
            self.tick_stats.record(phase, dt, TICK_BUDGET_S * 1000.0, gc_ms, cpu)
            if cpu is not None and st is stats0 and cpu - gc_ms > st['slowestTick']['cpuMs']:
                # what the tick that cost Live's main thread most did: counts only, cheap
                st['slowestTick'] = {
                    'cpuMs': round(cpu - gc_ms, 3), 'ms': round(dt, 3), 'gcMs': round(gc_ms, 3), 'phase': phase,
                    'commands': st['commandsExecuted'] - before[0], 'changes': st['eventsSent'] - before[1],
                    'jobSteps': self.jobs.steps - before[2],
                    'partsMs': dict(zip(('commands', 'jobs', 'changes', 'meters'),
                                        (round(x * 1000.0, 3) for x in self._parts)))}

    def _tick(self, t0):
        """One tick; True when it did work for someone (commands, changes, a snapshot)."""
        self._ticks += 1
        self._tick_commands = 0
        size0 = self._long_lived()
        server = self.server
        if server is None:
            if self.clock() >= self._bind_at:
                self._bind()
            server = self.server
        if server is not None:
            while server.logs:
                key, msg = server.logs.popleft()
                self.logbook.problem(key, msg)
            if server.generation != self._gen_seen:
                self._gen_seen = server.generation
                self._coalescer.reset()
                self._meter_last = {}
                self._meter_changed = {}
                self._meter_silent_passes = 0
                self._position_last = None
                self._clips_last = {}
                self._drop_snapshot()
        if self._ticks % SONG_CHECK_TICKS == 0:
            self._check_song()
        mirror = self.mirror
        mirror.reconcile()
        mirror.poll(self._ticks)
        if self._ticks % 50 == 0:
            mirror.release_due()
        busy = False
        touched = ()
        if server is not None:
            mirror.start_watching_changes()
            try:
                busy = self._handle_queued(server, t0)
            finally:
                touched = mirror.stop_watching_changes()
            if self._tick_commands:
                self._active_until = self.clock() + ACTIVE_S
        t1 = _perf()
        if len(self.jobs):
            # Work nobody waits for (releasing parameters, indexing the browser) takes less
            # of a tick while people are at work.
            later = self.jobs.head_priority() == LATER and self.clock() < self._active_until
            self.jobs.run(max(t0 + (LATER_BUSY_S if later else BACKGROUND_S), _perf()), _perf)
        t2 = _perf()
        if not self._complete_seen and mirror.check_complete():
            self._complete_seen = True
            self._stats['builtMs'] = round((mirror.complete_at - mirror.started_at) * 1000.0, 1)
            self.log('Roomtone: the mirror holds the whole set (%d entities) after %.0f ms' % (
                len(mirror), self._stats['builtMs']))
            self.start_indexing()   # then Live's browser, a little per tick
        # The changes of what this tick's commands touched go out now, before their results
        # (the agent's mirror then holds the revs the results name); the rest while the
        # tick's budget lasts, oldest first, and what is left in the next tick.
        busy = self._flush_events(t0 + CHANGES_S, touched) or busy
        t3 = _perf()
        if self._results:
            results = self._results
            self._results = []
            self._out({'type': 'results', 'results': results}, gen=self._line_gen)
            self._stats['resultsSent'] += len(results)
        if self._writes:
            top = max(self._writes.values())
            if top > self._stats['maxWritesPerControlPerTick']:
                self._stats['maxWritesPerControlPerTick'] = top
            self._writes = {}
        if server is not None and server.connected:
            self._read_meters()
            now = self.clock()
            if now - self._meter_at >= METER_INTERVAL_S:
                self._meter_at = now
                self._send_meters()
        # what the jobs made lives as long as the set: out of the collector's walks
        self.collector.after_tick(self._long_lived() > size0)
        self._parts = (t1 - t0, t2 - t1, t3 - t2, _perf() - t3)
        return busy or self.mirror.pending() > 0

    def _long_lived(self):
        """What lives as long as the set: the mirror's entities and the browser index."""
        return len(self.mirror) + len(self.browser_index.items)

    def _handle_queued(self, server, t0):
        """Handles the lines queued now, within the commands' budget; True when any was."""
        busy = False
        inbound = server.inbound
        self._line_gen = server.generation
        # This tick handles the lines queued now and only those, so the coalescing plan
        # covers every write it runs: a line the socket thread adds meanwhile waits for
        # the next tick (handled at once, it put a second write to a control into the
        # tick under load). popleft is atomic against the socket thread's append.
        taken = [inbound.popleft() for _ in range(len(inbound))]
        self._coalescer.plan([msg for gen, msg in taken if gen == server.generation])
        for i, (gen, msg) in enumerate(taken):
            if i > 0 and _perf() - t0 > COMMANDS_S:
                inbound.extendleft(reversed(taken[i:]))   # their turn comes next tick
                break
            if gen != server.generation:
                continue  # from a connection that is gone: nobody to answer
            busy = True
            rest = None
            try:
                rest = self._handle(msg, t0)
            except Exception:
                self.logbook.traceback('line failed')
            if rest is not None:
                # A long line (the agent caught up after a stall) goes on in the next
                # tick, ahead of the lines that came after it.
                inbound.extendleft(reversed([(gen, rest)] + taken[i + 1:]))
                break
        self._stats['queueDepth'] = len(inbound)
        return busy

    def _out(self, line, gen=None):
        """Sends a line, or holds it back while a snapshot is being assembled."""
        if self._snapshot is not None:
            self._held.append(('line', line))
            return
        if self.server is not None:
            self.server.send(line, gen=gen)

    def _flush_events(self, deadline=None, first=()):
        """Reads what Live marked and sends the changes: all of them when `deadline` is
        None, else those of `first`, then the oldest while `deadline` (a _perf time) has
        not passed; the rest stay merged in the mirror for the next tick."""
        mirror = self.mirror
        mirror.read_marked(deadline)
        server = self.server
        if server is None or not server.connected:
            mirror.take_changes()   # nobody to tell: the next snapshot carries the state
            return False
        if self._snapshot is not None or deadline is None:
            changes = mirror.take_changes()
            if not changes:
                return False
            if self._snapshot is not None:
                self._held.append(('events', changes))
            else:
                self._send_events(changes)
            return True
        return self._send_changes_within(deadline, first)

    def _send_changes_within(self, deadline, first):
        """Encodes waiting changes a chunk at a time until `deadline`; one events line
        (more only past the line limit). At least one chunk goes out, so a backlog shrinks
        by CHANGE_CHUNK changes a tick at the least."""
        mirror = self.mirror
        batch = mirror.take_changes(CHANGE_CHUNK, first)
        if not batch:
            return False
        budget = protocol.SCRIPT_LINE_LIMIT - 1024
        parts = []
        count = 0
        size = 0
        while batch:
            part = protocol.encode_line(batch)[1:-2]   # the changes without '[' and ']\n'
            if parts and size + len(part) + 1 > budget:
                self.server.send(self._events_line(parts, count))
                parts, count, size = [], 0, 0
            parts.append(part)
            count += len(batch)
            size += len(part) + 1
            if _perf() >= deadline:
                break
            batch = mirror.take_changes(CHANGE_CHUNK)
        self.server.send(self._events_line(parts, count))
        if mirror.pending() or mirror.marked():
            self._stats['changesDeferred'] += 1
        return True

    def _send_events(self, changes):
        self._seq += 1
        self.server.send({'type': 'events', 'epoch': self.epoch, 'seq': self._seq, 'changes': changes})
        self._stats['eventsSent'] += len(changes)
        self._stats['eventLines'] += 1

    def _reply(self, obj):
        self._out(obj, gen=self._line_gen)

    def _handle(self, msg, t0=None):
        """Handles one line; returns what is left of a commands line the tick's budget cut
        short (a line of its own, to run next tick), else None."""
        kind = msg.get('type')
        if kind == 'commands':
            cmds = msg.get('commands')
            if not isinstance(cmds, list):
                self._reply(protocol.error_line(INVALID, 'commands must be an array'))
                return
            for i, cmd in enumerate(cmds):
                if (i and t0 is not None and self._tick_commands >= MIN_COMMANDS_PER_TICK
                        and _perf() - t0 > COMMANDS_S):
                    return {'type': 'commands', 'commands': cmds[i:]}
                self._tick_commands += 1
                self._run_in_tick(cmd)
        elif kind == 'snapshot_request':
            self.request_snapshot()
        elif kind == 'observe':
            devices = msg.get('devices')
            if not isinstance(devices, list) or len(devices) > protocol.OBSERVE_LIMIT:
                self._reply(protocol.error_line(INVALID, 'observe.devices must be an array of at most %d ids'
                                                % protocol.OBSERVE_LIMIT))
                return
            self.mirror.observe([d for d in devices if isinstance(d, str) and 0 < len(d) <= 64])
        elif kind == 'stats_request':
            self._reply({'type': 'stats', 'stats': self.stats()})
            if msg.get('reset') is True:
                self._reset_stats()
        elif kind == 'ping':
            t = msg.get('t')
            if not isinstance(t, (int, float)) or isinstance(t, bool):
                self._reply(protocol.error_line(INVALID, 'ping.t must be a number'))
                return
            # straight out, past a snapshot being assembled: it measures Live's main thread
            if self.server is not None:
                self.server.send({'type': 'pong', 't': t}, gen=self._line_gen)

    # ---- a new song under the same instance -----------------------------------------------------

    def _check_song(self):
        """Live normally re-creates the script when another set opens; if it did not, the
        objects under the mirror are dead: start over with a new epoch (new ids)."""
        try:
            song = self._c.song()
            ptr = getattr(song, '_live_ptr', None)
            same = ptr == self._song_ptr and self.song_obj != None  # noqa: E711 -- Live's deleted objects == None
        except Exception:
            return
        if same:
            return
        self.log('Roomtone: Live replaced the set under this instance; reading the new one')
        self.jobs.clear()
        try:
            self.mirror.teardown()
        except Exception:
            self.logbook.traceback('teardown of the old set')
        self.epoch = protocol.new_epoch()
        self.song_obj = song
        self._drop_snapshot()
        self._replay.clear()
        self._coalescer.reset()
        self._start_mirror()
        self.browser_index.clear()
        if self.server is not None and self.server.connected:
            self.request_snapshot()   # the agent learns the new epoch and the new set

    # ---- snapshots ----------------------------------------------------------------------------------

    def request_snapshot(self):
        """Starts assembling a snapshot for the current connection (see the module doc)."""
        self._flush_events()
        if self._snapshot is not None:
            self.jobs.cancel('snapshot')
        else:
            self._held = []
        self._snapshot = {'gen': self._line_gen, 'seq': self._seq, 'parts': [], 'at': _perf(), 'ticks': self._ticks}
        self.jobs.add('snapshot', self._assemble(self._snapshot), URGENT)

    def _drop_snapshot(self):
        if self._snapshot is not None:
            self.jobs.cancel('snapshot')
        self._snapshot = None
        self._held = []

    def _assemble(self, snap):
        mirror = self.mirror
        ids = mirror.snapshot_ids()
        parts = snap['parts']
        for i in range(0, len(ids), SNAPSHOT_CHUNK):
            for eid in ids[i:i + SNAPSHOT_CHUNK]:
                d = mirror.snapshot_entity(eid)
                if d is not None:
                    parts.append(protocol.encode_line(d)[:-1])
            yield
        self._send_snapshot(snap)

    def _send_snapshot(self, snap):
        server = self.server
        self._snapshot = None
        held, self._held = self._held, []
        if server is None or snap['gen'] != server.generation:
            return
        size = 0
        for line in self.snapshot_lines(parts=snap['parts'], seq=snap['seq']):
            server.send(line, gen=snap['gen'])
            size += len(line)
        self._stats['lastSnapshot'] = {'entities': len(snap['parts']), 'bytes': size,
                                       'assembleMs': round((_perf() - snap['at']) * 1000.0, 1),
                                       'ticks': self._ticks - snap['ticks'] + 1, 'building': self.mirror.building}
        for kind, item in held:
            if kind == 'events':
                self._send_events(item)
            else:
                server.send(item, gen=snap['gen'])

    def snapshot(self):
        """The whole snapshot as one dict, at once (tests and tools; the agent's goes through
        request_snapshot, over several ticks)."""
        return {'type': 'snapshot', 'epoch': self.epoch, 'seq': self._seq, 'building': self.mirror.building,
                'live': dict(self._live_info), 'entities': self.mirror.snapshot_entities()}

    def snapshot_lines(self, limit=None, parts=None, seq=None):
        """The snapshot as wire lines (bytes). It is one line unless the set is so big that
        the line would pass the 8 MiB line limit; then the snapshot line holds everything
        but the tail (parameters and cue points come last), which follows at once as
        events lines (full props)."""
        limit = limit or protocol.SCRIPT_LINE_LIMIT
        if parts is None:
            self.mirror.flush()
            parts = [protocol.encode_line(d)[:-1] for d in self.mirror.snapshot_entities()]
        head = protocol.encode_line({'type': 'snapshot', 'epoch': self.epoch,
                                     'seq': self._seq if seq is None else seq, 'building': self.mirror.building,
                                     'live': dict(self._live_info), 'entities': []})
        prefix = head[:head.rindex(b'[') + 1]
        suffix = b']}\n'
        total = len(prefix) + len(suffix) + sum(len(p) + 1 for p in parts)
        if total <= limit:
            return [prefix + b','.join(parts) + suffix]
        budget = limit - len(prefix) - len(suffix) - 1024
        used = 0
        n = 0
        while n < len(parts) and used + len(parts[n]) + 1 <= budget:
            used += len(parts[n]) + 1
            n += 1
        lines = [prefix + b','.join(parts[:n]) + suffix]
        chunk = []
        used = 0
        for p in parts[n:]:
            if chunk and used + len(p) + 1 > budget:
                lines.append(self._events_line(chunk))
                chunk = []
                used = 0
            chunk.append(p)
            used += len(p) + 1
        if chunk:
            lines.append(self._events_line(chunk))
        self.log('Roomtone: snapshot of %d entities split into %d lines' % (len(parts), len(lines)))
        return lines

    def _events_line(self, parts, count=None):
        self._seq += 1
        self._stats['eventsSent'] += len(parts) if count is None else count
        self._stats['eventLines'] += 1
        head = protocol.encode_line({'type': 'events', 'epoch': self.epoch, 'seq': self._seq, 'changes': []})
        prefix = head[:head.rindex(b'[') + 1]
        return prefix + b','.join(parts) + b']}\n'

    # ---- commands ------------------------------------------------------------------------------

    def run_command(self, cmd, now_ms=None):
        """One command -> its result dict. Never raises."""
        if not isinstance(cmd, dict):
            return {'id': '', 'ok': False, 'error': protocol.wire_error(INVALID, 'a command must be an object')}
        cid = cmd.get('id')
        if not isinstance(cid, str) or not cid or len(cid) > 200:
            return {'id': cid if isinstance(cid, str) else '', 'ok': False,
                    'error': protocol.wire_error(INVALID, 'command id must be a non-empty string')}
        old = self._replay.get(cid)
        if old is not None:
            return old   # a retry of a command already run: answer, never run twice
        if now_ms is None:
            now_ms = time.time() * 1000.0
        try:
            result = self._execute(cmd, cid, now_ms)
        except CommandError as err:
            result = {'id': cid, 'ok': False, 'error': err.to_wire()}
        except (RuntimeError, ValueError, IndexError, TypeError, AssertionError) as exc:
            self.logbook.traceback('%s on %r failed in Live' % (cmd.get('action'), cmd.get('target')))
            result = {'id': cid, 'ok': False, 'error': protocol.wire_error(LIVE_ERROR, '%s: %s' % (type(exc).__name__, exc))}
        except Exception as exc:
            self.logbook.traceback('%s on %r: internal fault' % (cmd.get('action'), cmd.get('target')))
            result = {'id': cid, 'ok': False, 'error': protocol.wire_error(INTERNAL, '%s: %s' % (type(exc).__name__, exc))}
        code = result.get('error', {}).get('code') if not result['ok'] else None
        spec = actions.SPECS.get(cmd.get('action')) if isinstance(cmd.get('action'), str) else None
        # reads may simply run again (and their values can be big): only writes are kept
        if code not in (TIMEOUT, INTERNAL) and spec is not None and spec.mode != 'read':
            self._remember(cid, result)
        if code == TIMEOUT:
            self._stats['timeouts'] += 1
        elif code == CONFLICT:
            self._stats['conflicts'] += 1
        return result

    def _remember(self, cid, result):
        self._replay[cid] = result
        if len(self._replay) > REPLAY_KEEP:
            self._replay.popitem(last=False)

    def _run_in_tick(self, cmd):
        """Runs one command of a `commands` line, unless a later queued write to the same
        control replaces it (tick_coalescing); answers those it replaced with its result."""
        cid = cmd.get('id') if isinstance(cmd, dict) else None
        if isinstance(cid, str) and cid not in self._replay and self._coalescer.skip(cid):
            return
        result = self.run_command(cmd)
        self._results.append(result)
        if not isinstance(cid, str):
            return
        for other in self._coalescer.followers(cid):
            same = dict(result, id=other)
            self._results.append(same)
            code = same['error'].get('code') if not same['ok'] else None
            if code not in (TIMEOUT, INTERNAL):
                self._remember(other, same)

    def _execute(self, cmd, cid, now_ms):
        deadline = cmd.get('deadline')
        if not isinstance(deadline, (int, float)) or isinstance(deadline, bool):
            raise CommandError(INVALID, 'deadline must be a number (epoch ms)')
        if now_ms > deadline:
            raise CommandError(TIMEOUT, 'deadline passed %.0f ms before Live could run it; not executed' % (now_ms - deadline))
        name = cmd.get('action')
        spec = actions.SPECS.get(name) if isinstance(name, str) else None
        if spec is None:
            raise CommandError(INVALID, 'unknown action %r' % (name,))
        args = cmd.get('args')
        if args is None:
            args = {}
        args = spec.parse(args)
        ent = self._resolve(spec, cmd.get('target'))
        base = cmd.get('baseRev')
        if base is not None:
            if not isinstance(base, str):
                raise CommandError(INVALID, 'baseRev must be a string')
            if base.rsplit('.', 1)[0] != self.epoch:
                raise CommandError(SET_CHANGED, 'baseRev %s is from another set or an earlier start of Live' % base)
            versioned = self._versioned_entity(spec, ent, args)
            self.mirror.refresh_now(versioned)   # the final check: Live cannot change under us here
            if base != versioned.rev:
                raise CommandError(CONFLICT, '%s changed since rev %s' % (versioned.id, base),
                                   current={'value': self._control_value(spec, ent, versioned, args),
                                            'rev': versioned.rev})
        if spec.mode != 'read':
            key = (name, ent.id, args.get('index'))
            self._writes[key] = self._writes.get(key, 0) + 1
        target_ent, value = spec.handler(self.ctx, ent, args)
        if spec.mode != 'read':
            # can_undo/can_redo have no listener: re-read them after every write, at once
            # when the song is the target (its rev in the result then already includes
            # them), else at the end of the tick; a poll would move the rev ~100 ms later.
            if target_ent is self.mirror.song_entity:
                self.mirror.refresh_props(target_ent, UNDO_PROPS)
            else:
                self.mirror.mark('song', UNDO_PROPS)
        self._stats['commandsExecuted'] += 1
        return {'id': cid, 'ok': True, 'rev': target_ent.rev if target_ent is not None else None,
                'value': value}

    def _versioned_entity(self, spec, ent, args):
        """The entity whose rev versions the control: a rack macro is its own parameter,
        whose moves do not change the device's rev; everything else is the target."""
        if spec.prop == 'macros':
            macros = ent.props.get('macros') or []
            i = args.get('index')
            if isinstance(i, int) and 0 <= i < len(macros):
                pe = self.mirror.get(macros[i])
                if pe is not None:
                    return pe
        return ent

    def _control_value(self, spec, ent, versioned, args):
        """The control's value now, as the server's early check reports it: the prop, its
        args.index element (a send level), or the macro parameter's value."""
        if versioned is not ent:
            return versioned.props.get('value')
        value = ent.props.get(spec.prop) if spec.prop else None
        i = args.get('index')
        if isinstance(value, list) and isinstance(i, int):
            return value[i] if 0 <= i < len(value) else None
        return value

    def _resolve(self, spec, target):
        if spec.target == 'song':
            if target is not None and target != 'song':
                raise CommandError(INVALID, '%s takes no target (or "song")' % spec.name)
            return self.mirror.song_entity
        if not isinstance(target, str) or not target:
            raise CommandError(INVALID, '%s needs a %s id as target' % (spec.name, spec.target))
        ent = self.mirror.get(target)
        if ent is None:
            if self.mirror.foreign(target):
                raise CommandError(SET_CHANGED, '%s belongs to a set that is no longer open in Live' % target)
            raise CommandError(NOT_FOUND, 'no %s %r in this set' % (spec.target, target))
        ok = ent.kind in TRACK_TARGET_KINDS if spec.target == 'track' else ent.kind == spec.target
        if not ok:
            raise CommandError(INVALID, '%s is a %s; %s needs a %s' % (target, ent.kind, spec.name, spec.target))
        return ent

    # ---- the browser index ---------------------------------------------------------------------

    def start_indexing(self, priority=LATER):
        if self.jobs.has('browser-index'):
            return
        app = self.application()
        browser = getattr(app, 'browser', None) if app is not None else None
        if browser is None:
            return
        self.jobs.add('browser-index', self.browser_index.walk(browser), priority)

    # ---- meters, stats ------------------------------------------------------------------------------

    def _meter_ids(self):
        se = self.mirror.song_entity
        if se is None:
            return []
        return ['master'] + list(se.children.get('tracks', ())) + list(se.children.get('returns', ()))

    def _read_meters(self):
        """Some of the tracks' meters per tick, so reading 100+ meters never lands in one tick.

        Playing, or any sound: a fifth of the tracks per tick (each meter every 50 ms).
        Stopped, and a whole pass found every meter at zero: a tenth of that rate (each
        meter twice a second), since reading a heavy set's meters is most of an idle tick
        and a silent room needs them only to notice a sound (an armed track's input) within
        half a second. The quiet rate is spread over every tick (a fraction of a track per
        tick, carried over) rather than a fifth of the meters every tenth tick: an idle
        tick's worst case drops with its mean."""
        mirror = self.mirror
        ids = self._meter_ids()
        if not ids:
            return
        quiet = False
        if self._meter_silent_passes:
            se = mirror.song_entity
            quiet = se is not None and not se.props.get('isPlaying')
        self._meter_credit += float(len(ids)) / (METER_SLICES * (METER_QUIET_EVERY if quiet else 1))
        n = int(self._meter_credit)
        if n < 1:
            return
        self._meter_credit -= n
        start = self._meter_cursor if self._meter_cursor < len(ids) else 0
        end = min(start + n, len(ids))
        last = self._meter_last
        changed = self._meter_changed
        loud = self._meter_loud
        self._meters_read += end - start
        for tid in ids[start:end]:
            ent = mirror.get(tid)
            if ent is None or ent.obj is None:
                continue
            obj = ent.obj
            try:
                if obj.has_audio_output:
                    pair = [round(float(obj.output_meter_left), 3), round(float(obj.output_meter_right), 3)]
                else:
                    v = round(float(obj.output_meter_level), 3)
                    pair = [v, v]
            except Exception:
                continue
            if pair[0] or pair[1]:
                loud = True
            if last.get(tid) != pair:
                last[tid] = pair
                changed[tid] = pair
        self._meter_cursor = end
        if end >= len(ids):   # a whole pass
            self._meter_cursor = 0
            self._meter_silent_passes = 0 if loud else self._meter_silent_passes + 1
            loud = False
        if loud:
            self._meter_silent_passes = 0
        self._meter_loud = loud

    def _send_meters(self):
        levels = self._meter_changed
        self._meter_changed = {}
        line = {'type': 'meters', 'levels': levels}
        try:
            pos = round(float(self.song_obj.current_song_time), 3)
        except Exception:
            pos = None
        if pos is not None and pos != self._position_last:
            self._position_last = pos
            line['position'] = pos
        mirror = self.mirror
        se = mirror.song_entity
        tracks = se.children.get('tracks', ()) if se is not None else ()
        clips = clip_positions(mirror, tracks, self._clips_last)
        if clips:
            line['clips'] = clips
        if levels or 'position' in line or clips:
            self.server.send(line)
            self._stats['meterLines'] += 1

    def _reset_stats(self):
        built = getattr(self, '_stats', {}).get('builtMs')
        self._stats = {
            'ticks': 0, 'commandsExecuted': 0, 'eventsSent': 0, 'eventLines': 0,
            'resultsSent': 0, 'maxWritesPerControlPerTick': 0, 'lastTickMs': 0.0,
            'maxTickMs': 0.0, 'queueDepth': 0, 'timeouts': 0, 'conflicts': 0, 'meterLines': 0,
            'pingsOnArrival': 0, 'builtMs': built, 'changesDeferred': 0,
            'slowestTick': {'cpuMs': 0.0},
            'lastSnapshot': getattr(self, '_stats', {}).get('lastSnapshot'),
        }
        if getattr(self, '_coalescer', None) is not None:
            self._coalescer.superseded = 0
        if getattr(self, 'tick_stats', None) is not None:
            self.tick_stats.reset()
        if getattr(self, 'mirror', None) is not None:
            self.mirror.notifications = 0

    def stats(self):
        st = dict(self._stats)
        st['queueDepth'] = len(self.server.inbound) if self.server is not None else 0
        st['entities'] = len(self.mirror)
        st['listeners'] = self.mirror.listener_count
        st['notifications'] = self.mirror.notifications
        st['epoch'] = self.epoch
        st['supersededInTick'] = self._coalescer.superseded
        st['building'] = self.mirror.building
        st['observed'] = len(self.mirror.observed())
        st['changesWaiting'] = self.mirror.pending() + self.mirror.marked()
        st['collector'] = self.collector.stats()
        st['jobs'] = len(self.jobs)
        st['tickMs'] = self.tick_stats.summary()
        st['ticksOverBudget'] = self.tick_stats.over_budget
        st['ticksOverBudgetWithoutGc'] = self.tick_stats.over_budget_nogc
        st['ticksOverBudgetCpu'] = self.tick_stats.over_budget_cpu
        st['browserIndex'] = {'items': len(self.browser_index.items), 'building': self.browser_index.building,
                              'visited': self.browser_index.visited}
        return st
