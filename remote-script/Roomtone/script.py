"""The Roomtone control surface: the object Live gets from create_instance().

Threads: `server.LineServer` runs one socket thread (accept/recv/send only). Every Live
API call happens here, on Live's main thread, in `tick()`:

  1. reconcile lists Live changed since the last tick (listeners only marked them),
  2. drain the inbound queue within a time budget (a whole line's batch always runs
     in the same tick, in order; a command past its deadline is answered TIMEOUT and
     not run),
  3. flush the mirror: every change seen in this tick goes out as ONE events line,
     before the results line, so the agent's mirror holds the new revs when the
     results arrive,
  4. the results of the tick as ONE results line,
  5. meters, sampled at most every 50 ms and sent only when something changed.

The tick comes from a `Live.Base.Timer` at 10 ms; `update_display()` (about 100 ms)
is the fallback and the watchdog that restarts the timer should it stop.

Wire choices within docs/protocol.md ("Remote Script lines"):
  * The script's hello is always the first line. The agent's hello is checked (another
    protocol: PROTOCOL_MISMATCH, then close) but not required before other lines.
  * events: a new entity carries all its props, an update only the props that changed,
    a gone one {kind, id, removed: true}. Several changes to one entity in one tick merge
    into one change with its last rev.
  * snapshot also carries `seq`, the seq of the last events line before it. A snapshot
    that would pass the line limit is split: snapshot line, then events lines.
  * results: `rev` is the target's rev after the command (null when it is gone); `value`
    is what the command wrote as Live reports it afterwards, the data of a read, or the new
    entity's id for a create. CONFLICT's current.value is the action's catalogue prop.
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
    it moved; `clips`, the playing position of each playing clip that moved (clip_positions). stats add resultsSent, eventLines, timeouts, conflicts, meterLines,
    entities, listeners and epoch to the documented fields; eventsSent counts changes.
"""
from __future__ import absolute_import

import collections
import os
import sys
import time
import traceback

from . import protocol
from .protocol import CommandError, INVALID, NOT_FOUND, CONFLICT, TIMEOUT, LIVE_ERROR, INTERNAL
from .mirror import Mirror
from . import actions
from .actions import live_module
from .tick_coalescing import TickCoalescer
from .clip_positions import clip_positions

TIMER_INTERVAL_MS = 10
TICK_BUDGET_S = 0.008
METER_INTERVAL_S = 0.05
BIND_RETRY_S = 1.0
REPLAY_KEEP = 2048
TRACK_TARGET_KINDS = ('track', 'return', 'master')
UNDO_PROPS = ('canUndo', 'canRedo')
_perf = getattr(time, 'perf_counter', time.time)


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
    raw = os.environ.get('ROOMTONE_SCRIPT_PORT')
    if raw is None or raw.strip() == '':
        return protocol.DEFAULT_SCRIPT_PORT
    try:
        port = int(raw)
    except ValueError:
        return protocol.DEFAULT_SCRIPT_PORT
    return port if 0 <= port <= 65535 else protocol.DEFAULT_SCRIPT_PORT


def _env_host():
    host = (os.environ.get('ROOMTONE_SCRIPT_HOST') or protocol.DEFAULT_SCRIPT_HOST).strip()
    # Never listen beyond loopback: anything else falls back to 127.0.0.1.
    if host in ('127.0.0.1', 'localhost'):
        return '127.0.0.1'
    return protocol.DEFAULT_SCRIPT_HOST


class Context(object):
    """What handlers see: the song, the mirror, the epoch, the application."""

    def __init__(self, script):
        self._script = script
        self.song = script.song_obj
        self.mirror = script.mirror
        self.epoch = script.epoch

    def application(self):
        return self._script.application()


class RoomtoneScript(object):
    def __init__(self, c_instance, host=None, port=None):
        self._c = c_instance
        self._closed = False
        self.clock = _perf   # seconds; paces meters and the watchdog (tests may swap it)
        self.epoch = protocol.new_epoch()
        self.song_obj = c_instance.song()
        self._live_info = self._read_live_info()
        self.mirror = Mirror(self.song_obj, self.epoch, self.log)
        self.mirror.build()
        self.ctx = Context(self)
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
        self._position_last = None
        self._clips_last = {}
        self._gen_seen = 0
        self._line_gen = None   # the connection whose lines this tick answers
        self._reset_stats()
        self._host = host or _env_host()
        self._want_port = _env_port() if port is None else port
        self.server = None
        self.port = None
        self._bind_at = 0.0
        self._bind()
        self._timer = None
        self._start_timer()

    # ---- Live's control-surface interface --------------------------------------------------

    def disconnect(self):
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
        try:
            self.mirror.teardown()
        except Exception as exc:
            self.log('Roomtone: teardown failed: %r' % (exc,))
        if self.server is not None:
            self.server.close()
        self.log('Roomtone: disconnected (epoch %s)' % self.epoch)

    def update_display(self):
        """About every 100 ms from Live: the fallback tick and the timer's watchdog."""
        if self._closed:
            return
        timer = self._timer
        if timer is not None and not self._timer_running(timer):
            try:
                timer.start()
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
        try:
            self._c.log_message(message)
        except Exception:
            pass

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
        try:
            from .server import LineServer
            self.server = LineServer(self._host, self._want_port, self._hello, on_arrival=self._answer_on_arrival,
                                     secret=self._agent_secret())
        except Exception as exc:
            self.server = None
            self.port = None
            self._bind_at = self.clock()
            self.log('Roomtone: cannot listen on %s:%s: %r (retrying)' % (self._host, self._want_port, exc))
            return False
        self.port = self.server.port
        self.server.start()
        self.log('Roomtone: listening on %s:%d, epoch %s, Live %s' % (
            self._host, self.port, self.epoch, self._live_info['version']))
        try:
            self._c.show_message('Roomtone ready on port %d' % self.port)
        except Exception:
            pass
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
        try:
            self._tick(t0)
        except Exception:
            self.log('Roomtone: tick failed: %s' % traceback.format_exc())
        finally:
            self._in_tick = False
            dt = (_perf() - t0) * 1000.0
            self._last_tick_at = self.clock()
            st = self._stats
            st['ticks'] += 1
            st['lastTickMs'] = round(dt, 3)
            if dt > st['maxTickMs']:
                st['maxTickMs'] = round(dt, 3)

    def _tick(self, t0):
        self._ticks += 1
        server = self.server
        if server is None:
            if self.clock() - self._bind_at >= BIND_RETRY_S:
                self._bind()
            server = self.server
        if server is not None:
            while server.logs:
                self.log(server.logs.popleft())
            if server.generation != self._gen_seen:
                self._gen_seen = server.generation
                self._coalescer.reset()
                self._meter_last = {}
                self._position_last = None
                self._clips_last = {}
        mirror = self.mirror
        mirror.reconcile()
        mirror.poll(self._ticks)
        if server is not None:
            inbound = server.inbound
            self._line_gen = server.generation
            # This tick handles the lines queued now and only those, so the coalescing plan
            # covers every write it runs: a line the socket thread adds meanwhile waits for
            # the next tick (handled at once, it put a second write to a control into the
            # tick under load). popleft is atomic against the socket thread's append.
            taken = [inbound.popleft() for _ in range(len(inbound))]
            self._coalescer.plan([msg for gen, msg in taken if gen == server.generation])
            for i, (gen, msg) in enumerate(taken):
                if i > 0 and _perf() - t0 > TICK_BUDGET_S:
                    inbound.extendleft(reversed(taken[i:]))   # their turn comes next tick
                    break
                if gen != server.generation:
                    continue  # from a connection that is gone: nobody to answer
                try:
                    self._handle(msg)
                except Exception:
                    self.log('Roomtone: line failed: %s' % traceback.format_exc())
            self._stats['queueDepth'] = len(inbound)
        self._flush_events()
        if self._results:
            results = self._results
            self._results = []
            if server is not None:
                server.send({'type': 'results', 'results': results}, gen=self._line_gen)
            self._stats['resultsSent'] += len(results)
        if self._writes:
            top = max(self._writes.values())
            if top > self._stats['maxWritesPerControlPerTick']:
                self._stats['maxWritesPerControlPerTick'] = top
            self._writes = {}
        now = self.clock()
        if server is not None and server.connected and now - self._meter_at >= METER_INTERVAL_S:
            self._meter_at = now
            self._send_meters()

    def _flush_events(self):
        changes = self.mirror.flush()
        if not changes:
            return
        server = self.server
        if server is not None and server.connected:
            self._seq += 1
            server.send({'type': 'events', 'epoch': self.epoch, 'seq': self._seq, 'changes': changes})
            self._stats['eventsSent'] += len(changes)
            self._stats['eventLines'] += 1

    def _reply(self, obj):
        self.server.send(obj, gen=self._line_gen)

    def _handle(self, msg):
        kind = msg.get('type')
        if kind == 'commands':
            cmds = msg.get('commands')
            if not isinstance(cmds, list):
                self._reply(protocol.error_line(INVALID, 'commands must be an array'))
                return
            for cmd in cmds:
                self._run_in_tick(cmd)
        elif kind == 'snapshot_request':
            self._flush_events()
            for line in self.snapshot_lines():
                self._reply(line)
        elif kind == 'stats_request':
            self._reply({'type': 'stats', 'stats': self.stats()})
            if msg.get('reset') is True:
                self._reset_stats()
        elif kind == 'ping':
            t = msg.get('t')
            if not isinstance(t, (int, float)) or isinstance(t, bool):
                self._reply(protocol.error_line(INVALID, 'ping.t must be a number'))
                return
            self._reply({'type': 'pong', 't': t})

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
            self.log('Roomtone: %s on %r failed in Live: %s' % (cmd.get('action'), cmd.get('target'), traceback.format_exc()))
            result = {'id': cid, 'ok': False, 'error': protocol.wire_error(LIVE_ERROR, '%s: %s' % (type(exc).__name__, exc))}
        except Exception as exc:
            self.log('Roomtone: %s on %r: internal fault: %s' % (cmd.get('action'), cmd.get('target'), traceback.format_exc()))
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
            # a list may have changed since the last tick's reconcile
            self.mirror.reconcile()
            ent = self.mirror.get(target)
        if ent is None:
            raise CommandError(NOT_FOUND, 'no %s %r in this set' % (spec.target, target))
        ok = ent.kind in TRACK_TARGET_KINDS if spec.target == 'track' else ent.kind == spec.target
        if not ok:
            raise CommandError(INVALID, '%s is a %s; %s needs a %s' % (target, ent.kind, spec.name, spec.target))
        return ent

    # ---- snapshot, meters, stats ------------------------------------------------------------------

    def snapshot(self):
        self.mirror.flush()   # callers send pending changes first; this only settles state
        return {'type': 'snapshot', 'epoch': self.epoch, 'seq': self._seq,
                'live': dict(self._live_info), 'entities': self.mirror.snapshot_entities()}

    def snapshot_lines(self, limit=None):
        """The snapshot as wire lines (bytes). It is one line unless the set is so big that
        the line would pass the 8 MiB line limit; then the snapshot line holds everything
        but the tail of the parameters, which follow at once as events lines (full props)."""
        limit = limit or protocol.SCRIPT_LINE_LIMIT
        snap = self.snapshot()
        data = protocol.encode_line(snap)
        if len(data) <= limit:
            return [data]
        head = []
        rest = []
        budget = limit - len(protocol.encode_line(dict(snap, entities=[]))) - 1024
        used = 0
        for e in snap['entities']:
            size = len(protocol.encode_line(e))
            if not rest and used + size <= budget:
                head.append(e)
                used += size
            else:
                rest.append(e)
        lines = [protocol.encode_line(dict(snap, entities=head))]
        chunk = []
        used = 0
        for e in rest:
            size = len(protocol.encode_line(e))
            if chunk and used + size > budget:
                lines.append(self._events_line(chunk))
                chunk = []
                used = 0
            chunk.append(e)
            used += size
        if chunk:
            lines.append(self._events_line(chunk))
        self.log('Roomtone: snapshot of %d entities split into %d lines' % (len(snap['entities']), len(lines)))
        return lines

    def _events_line(self, changes):
        self._seq += 1
        self._stats['eventsSent'] += len(changes)
        self._stats['eventLines'] += 1
        return protocol.encode_line({'type': 'events', 'epoch': self.epoch, 'seq': self._seq, 'changes': changes})

    def _send_meters(self):
        mirror = self.mirror
        se = mirror.song_entity
        levels = {}
        last = self._meter_last
        ids = ['master'] + list(se.children.get('tracks', ())) + list(se.children.get('returns', ()))
        for tid in ids:
            ent = mirror.get(tid)
            if ent is None:
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
            if last.get(tid) != pair:
                last[tid] = pair
                levels[tid] = pair
        line = {'type': 'meters', 'levels': levels}
        try:
            pos = round(float(self.song_obj.current_song_time), 3)
        except Exception:
            pos = None
        if pos is not None and pos != self._position_last:
            self._position_last = pos
            line['position'] = pos
        clips = clip_positions(mirror, se.children.get('tracks', ()), self._clips_last)
        if clips:
            line['clips'] = clips
        if levels or 'position' in line or clips:
            self.server.send(line)
            self._stats['meterLines'] += 1

    def _reset_stats(self):
        self._stats = {
            'ticks': 0, 'commandsExecuted': 0, 'eventsSent': 0, 'eventLines': 0,
            'resultsSent': 0, 'maxWritesPerControlPerTick': 0, 'lastTickMs': 0.0,
            'maxTickMs': 0.0, 'queueDepth': 0, 'timeouts': 0, 'conflicts': 0, 'meterLines': 0,
            'pingsOnArrival': 0,
        }
        if getattr(self, '_coalescer', None) is not None:
            self._coalescer.superseded = 0

    def stats(self):
        st = dict(self._stats)
        st['queueDepth'] = len(self.server.inbound) if self.server is not None else 0
        st['entities'] = len(self.mirror)
        st['listeners'] = self.mirror.listener_count
        st['epoch'] = self.epoch
        st['supersededInTick'] = self._coalescer.superseded
        return st
