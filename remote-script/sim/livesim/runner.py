"""The simulator's host: plays Live's part for a Remote Script package.

`Sim` owns a World, the c_instance handed to `create_instance`, and the script instance. Its
`tick()` is one pass of Live's main loop; `handle_line()` runs one control-channel command.
run.py wraps it in a real-time loop with stdin/stdout; tests may drive it directly.
"""
import importlib
import json
import os
import sys
import traceback

from . import api
from .world import World

DISPLAY_INTERVAL = 0.1   # Live calls update_display about every 100 ms


class CInstance(object):
    """What Live passes to create_instance(): the script's handle on Live."""

    def __init__(self, sim):
        self._sim = sim
        self.rebuild_requested = False
        self.messages = []

    def song(self):
        w = self._sim.world
        return api.wrap(w.song) if w.fresh else w.song

    def application(self):
        w = self._sim.world
        return api.wrap(w.app) if w.fresh else w.app

    def log_message(self, *message):
        sys.stderr.write('[Live Log] %s\n' % ' '.join(str(m) for m in message))
        sys.stderr.flush()

    def show_message(self, message):
        self.messages.append(str(message))
        sys.stderr.write('[Live status bar] %s\n' % message)
        sys.stderr.flush()

    def request_rebuild_midi_map(self):
        self.rebuild_requested = True

    # MIDI and surface plumbing a script may call: accepted and ignored
    def send_midi(self, midi_event_bytes):
        return True

    def set_feedback_channels(self, channels):
        pass

    def set_controlled_track(self, track):
        pass

    def release_controlled_track(self):
        pass

    def set_pad_translation(self, translation):
        pass

    def set_session_highlight(self, track_offset, scene_offset, width, height, include_return_tracks):
        pass

    def update_locks(self):
        pass

    def toggle_lock(self):
        pass

    def instance_identifier(self):
        return 0

    def full_velocity(self):
        return False

    def handle(self):
        return 0


class MidiMapHandle(object):
    pass


class Sim(object):
    def __init__(self, version=api.DEFAULT_VERSION, seed=1, package='Roomtone', host='127.0.0.1', port=47800,
                 emit=None, fresh_wrappers=None, set_name=None, library=None, quirks=None, as_live=False):
        self.version = version
        self.package = package
        self.host = host
        self.port = port
        self.emit = emit or (lambda line: None)
        # as_live: stand in for a real Live (the script then reports simulated=false)
        if as_live:
            os.environ.pop('ROOMTONE_SIM', None)
        else:
            os.environ['ROOMTONE_SIM'] = '1'
        os.environ['ROOMTONE_SIM_LIVE_VERSION'] = version
        os.environ['ROOMTONE_SCRIPT_HOST'] = host
        os.environ['ROOMTONE_SCRIPT_PORT'] = str(port)
        self.world = World(version, seed, fresh_wrappers=fresh_wrappers, set_name=set_name, library=library,
                           quirks=quirks)
        self.c_instance = CInstance(self)
        self.instance = None
        self.module = None
        self._scope = {}
        self._next_display = None
        self.display_calls = 0
        self.stall_s = 0.0
        self._ready_sent = False
        self._waiting_logged = False

    # -- lifecycle ---------------------------------------------------------------------
    def start(self):
        """Import the script package and create its instance; returns the bound port (None
        while the script has not bound yet: tick() keeps trying and emits the ready line)."""
        if self.module is None:
            self.module = importlib.import_module(self.package)
        self.instance = self.module.create_instance(self.c_instance)
        for name, args in (('connect_script_instances', ((self.instance,),)),
                           ('build_midi_map', (MidiMapHandle(),)),
                           ('refresh_state', ())):
            fn = getattr(self.instance, name, None)
            if callable(fn):
                self._call(fn, name, *args)
        self._ready_sent = False
        return self.poll_ready()

    def poll_ready(self):
        """Emit the ready line once the script has bound its port (it may retry binding from
        its own tick when the port is still taken). Returns the port, or None while waiting."""
        if self.instance is None or self._ready_sent:
            return self.port if self._ready_sent else None
        port = getattr(self.instance, 'port', None)
        if port is None:
            if not self._waiting_logged:
                self._waiting_logged = True
                sys.stderr.write('[live-sim] waiting for the script to listen (port %s busy?)\n'
                                 % os.environ.get('ROOMTONE_SCRIPT_PORT'))
                sys.stderr.flush()
            return None
        self.port = int(port)
        # a new set must rebind the same port, also when we were started with --port 0
        os.environ['ROOMTONE_SCRIPT_PORT'] = str(self.port)
        self._ready_sent = True
        self._waiting_logged = False
        self.emit('roomtone-sim ready port=%d live=%s' % (self.port, self.version))
        return self.port

    def stop(self):
        inst, self.instance = self.instance, None
        if inst is not None and callable(getattr(inst, 'disconnect', None)):
            self._call(inst.disconnect, 'disconnect')

    def new_set(self, set_name=None):
        """What Live does when another set is opened: disconnect, new song, new instance
        (quirks.new_set_recreates_script); switched off, the instance stays and only
        every object of the set is replaced under it."""
        self._scope = {}
        if not self.world.quirks['new_set_recreates_script'] and self.instance is not None:
            self.world.new_song(set_name=set_name)
            self._ready_sent = False
            return self.poll_ready()
        self.stop()
        self.world.new_song(set_name=set_name)
        return self.start()

    def _call(self, fn, name, *args):
        try:
            return fn(*args)
        except Exception:
            sys.stderr.write('[live-sim] exception in script %s():\n%s' % (name, traceback.format_exc()))
            sys.stderr.flush()
            return None

    # -- one pass of Live's main loop ----------------------------------------------------------
    def tick(self, dt, now=None):
        """Advance simulated time by dt seconds, run timers, meters, update_display."""
        w = self.world
        w.advance(dt)
        w.run_timers()
        inst = self.instance
        if inst is None:
            return
        if not self._ready_sent:
            self.poll_ready()
        if self.c_instance.rebuild_requested:
            self.c_instance.rebuild_requested = False
            fn = getattr(inst, 'build_midi_map', None)
            if callable(fn):
                self._call(fn, 'build_midi_map', MidiMapHandle())
        now = w.clock if now is None else now
        if self._next_display is None:
            self._next_display = now
        if now + 1e-9 >= self._next_display:
            self._next_display = max(self._next_display + DISPLAY_INTERVAL, now)
            fn = getattr(inst, 'update_display', None)
            if callable(fn):
                self.display_calls += 1
                self._call(fn, 'update_display')

    # -- control channel ---------------------------------------------------------------------
    def scope(self):
        import Live
        s = self._scope
        s.update({'song': self.world.song, 'Live': Live, 'app': self.world.app, 'world': self.world,
                  'instance': self.instance, 'c_instance': self.c_instance})
        return s

    def handle_line(self, line):
        """Run one control command; returns (reply dict or None, quit?)."""
        try:
            msg = json.loads(line)
            if not isinstance(msg, dict):
                raise ValueError('not an object')
        except ValueError as e:
            return {'op': 'result', 'ok': False, 'error': 'bad JSON line: %s' % e}, False
        op = msg.get('op')
        reply = {'op': 'result'}
        if 'id' in msg:
            reply['id'] = msg['id']
        try:
            if op == 'exec':
                exec(compile(str(msg.get('code', '')), '<control>', 'exec'), self.scope())
                reply['ok'] = True
            elif op == 'eval':
                value = eval(compile(str(msg.get('expr', '')), '<control>', 'eval'), self.scope())
                reply['ok'] = True
                reply['value'] = _jsonable(value)
            elif op == 'stall':
                # like an open menu or a modal dialog in Live: the main thread stops for a while
                ms = float(msg.get('ms', 0))
                if not 0 <= ms <= 60000:
                    raise ValueError('ms must be within 0..60000')
                self.stall_s = ms / 1000.0
                reply['ok'] = True
            elif op == 'new_set':
                name = msg.get('set')
                if name is not None and not isinstance(name, str):
                    raise ValueError('set must be a name')
                self.new_set(name)
                return None, False
            elif op == 'quit':
                self.stop()
                reply['ok'] = True
                return reply, True
            else:
                reply['ok'] = False
                reply['error'] = 'unknown op: %r' % (op,)
        except Exception as e:
            reply['ok'] = False
            reply['error'] = '%s: %s' % (type(e).__name__, e)
        return reply, False


def _jsonable(v):
    try:
        json.dumps(v, allow_nan=False)
        return v
    except (TypeError, ValueError):
        pass
    if isinstance(v, (tuple, list)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return dict((str(k), _jsonable(x)) for k, x in v.items())
    if isinstance(v, float):
        return None  # NaN and infinities have no JSON form
    return repr(v)
