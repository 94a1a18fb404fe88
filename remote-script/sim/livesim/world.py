"""The simulated Live process: one Application, the current Song, the clock, timers, meters."""
import math
import random
import sys
import traceback

from . import api
from . import model as M
from . import song as S
from . import params as P
from . import quirks as Q
from . import sets
from . import automation

_CURRENT = [None]


def current():
    w = _CURRENT[0]
    if w is None:
        raise RuntimeError('Live is not running (no simulator World was created)')
    return w


# key -> behaviour class
IMPLS = {
    'Application.Application': S.Application,
    'Application.Application.View': S.AppView,
    'Base.Timer': S.Timer,
    'Browser.Browser': S.Browser,
    'Browser.BrowserItem': S.BrowserItem,
    'Song.Song': S.Song,
    'Song.Song.View': S.SongView,
    'Song.CuePoint': M.CuePoint,
    'Track.Track': M.Track,
    'Track.Track.View': M.TrackView,
    'MixerDevice.MixerDevice': M.MixerDevice,
    'ChainMixerDevice.ChainMixerDevice': M.ChainMixerDevice,
    'DeviceParameter.DeviceParameter': M.DeviceParameter,
    'Device.Device': M.Device,
    'Device.Device.View': M.DeviceView,
    'RackDevice.RackDevice': M.RackDevice,
    'RackDevice.RackDevice.View': M.DeviceView,
    'Chain.Chain': M.Chain,
    'DrumChain.DrumChain': M.Chain,
    'ClipSlot.ClipSlot': M.ClipSlot,
    'Clip.Clip': M.Clip,
    'Clip.Clip.View': M.ClipView,
    'Clip.MidiNote': M.MidiNote,
    'Clip.MidiNoteSpecification': M.MidiNoteSpecification,
    'Scene.Scene': M.Scene,
    'Song.BeatTime': M.ValueObject,
    'Track.RoutingType': M.RoutingType,
    'Track.RoutingChannel': M.RoutingChannel,
    'Song.SmptTime': M.ValueObject,
}

# Classes made without a World argument (value objects).
VALUE_CLASSES = frozenset(['Clip.MidiNote', 'Clip.MidiNoteSpecification', 'Browser.BrowserItem', 'Base.Timer',
                           'Song.BeatTime', 'Song.SmptTime', 'Track.RoutingType', 'Track.RoutingChannel'])
_NOT_DEVICES = frozenset(['MixerDevice.MixerDevice', 'ChainMixerDevice.ChainMixerDevice'])


def _impl_for(key, members):
    if key in IMPLS:
        return IMPLS[key]
    parts = key.split('.')
    if len(parts) == 2 and parts[0].endswith('Device') and key not in _NOT_DEVICES and parts[0] == parts[1]:
        return M.Device
    if parts[-1].endswith('Vector') and 'append' in members:
        return M.ObjVector
    return M.Lom


def _base_key(key):
    parts = key.split('.')
    if len(parts) == 2 and parts[0] == parts[1] and parts[0].endswith('Device') and key not in _NOT_DEVICES \
            and key != 'Device.Device':
        return 'Device.Device'
    if key == 'DrumChain.DrumChain':
        return 'Chain.Chain'
    return None


_CLASS_CACHE = {}


def classes_for(version, fresh=False):
    """All fake classes of one Live version: {'Song.Song': class, ...}. `fresh`: accessors hand
    out a new wrapper object on every access, as Live does."""
    fresh = bool(fresh)
    if (version, fresh) in _CLASS_CACHE:
        return _CLASS_CACHE[(version, fresh)]
    listing = api.load_listing(version)['classes']
    out = {}

    def build(key):
        if key in out:
            return out[key]
        members = listing[key]
        if '__enum__' in members:
            out[key] = api.make_enum(key, members['__enum__'].get('values', []))
            return out[key]
        nested = {}
        for name, spec in members.items():
            if spec.get('kind') == 'class':
                sub = key + '.' + name
                nested[name] = build(sub) if sub in listing else type(name, (object,), {})
        base = _base_key(key)
        bases = (build(base),) if base and base in listing else (object,)
        out[key] = api.build_class(key, members, _impl_for(key, members), bases, nested, fresh)
        return out[key]

    for key in sorted(listing):
        build(key)
    _CLASS_CACHE[(version, fresh)] = out
    return out


# Module-level functions of Live's modules that are not classes.
def _get_application():
    w = current()
    return api.wrap(w.app) if w.fresh else w.app


def _noop(*args, **kwargs):
    return True


MODULE_FUNCTIONS = {
    'Application': {'get_application': _get_application,
                    'encrypt_challenge': lambda *a: 0, 'encrypt_challenge2': lambda *a: 0},
    'MidiMap': dict((n, _noop) for n in ('forward_midi_cc', 'forward_midi_note', 'forward_midi_pitchbend',
                                         'map_midi_cc', 'map_midi_cc_with_feedback_map', 'map_midi_note',
                                         'map_midi_pitchbend', 'map_midi_pitchbend_with_feedback_map',
                                         'send_feedback_for_parameter')),
}

_INSTALLED = [None]


def install(version, fresh=False):
    """Make `import Live` (and Live.Song, Live.Track, ...) present `version`'s fake classes."""
    if _INSTALLED[0] == (version, bool(fresh)) and 'Live' in sys.modules:
        return
    import types
    classes = classes_for(version, fresh)
    live = sys.modules.get('Live')
    if live is None:
        live = types.ModuleType('Live')
        live.__path__ = []
        sys.modules['Live'] = live
    mods = {}
    for key, cls in classes.items():
        parts = key.split('.')
        if len(parts) != 2:
            continue
        mods.setdefault(parts[0], {})[parts[1]] = cls
    for name in set(list(mods) + list(MODULE_FUNCTIONS)):
        full = 'Live.' + name
        mod = sys.modules.get(full)
        if mod is None:
            mod = types.ModuleType(full, 'Fake Live.%s (Roomtone simulator)' % name)
            sys.modules[full] = mod
        for k in [k for k in vars(mod) if not k.startswith('__')]:
            delattr(mod, k)
        for k, v in mods.get(name, {}).items():
            setattr(mod, k, v)
        for k, v in MODULE_FUNCTIONS.get(name, {}).items():
            setattr(mod, k, v)
        setattr(live, name, mod)
    for name in [n for n in vars(live) if not n.startswith('_') and n not in mods and n not in MODULE_FUNCTIONS]:
        if isinstance(getattr(live, name), types.ModuleType):
            delattr(live, name)
            sys.modules.pop('Live.' + name, None)
    live._sim_version = version
    _INSTALLED[0] = (version, bool(fresh))


def _freeze_heap():
    """Live's objects are C++ objects Python's garbage collector never walks; here they
    are Python objects. Moving them to the collector's permanent generation after a set
    is built keeps the simulator's own heap out of the collections that run during the
    script's ticks, so those measure what the script itself allocates."""
    import gc
    if hasattr(gc, 'freeze'):
        gc.collect()
        for obj in gc.get_objects():
            # Python 3.11 makes an object's __dict__ when first asked for it (fresh
            # wrappers share it): make them all now, so they are frozen too
            module = getattr(type(obj), '__module__', '') or ''
            if module.startswith('Live.') or module.startswith('livesim.'):
                getattr(obj, '__dict__', None)
        gc.freeze()


class World(object):
    """One simulated Live: call advance(dt) and run_timers() from the main loop."""

    METER_HZ = 30.0

    def __init__(self, version=api.DEFAULT_VERSION, seed=1, build=None, fresh_wrappers=None, quirks=None,
                 set_name=None, library=None):
        import os
        if fresh_wrappers is None:
            fresh_wrappers = os.environ.get('ROOMTONE_SIM_FRESH_WRAPPERS') == '1'
        self.fresh = bool(fresh_wrappers)
        self.quirks = Q.resolve(quirks)
        self.set_name = set_name or os.environ.get('ROOMTONE_SIM_SET') or 'demo'
        if build is None and self.set_name not in sets.SETS:
            raise ValueError('unknown set %r (have: %s)' % (self.set_name, ', '.join(sorted(sets.SETS))))
        # the browser's library: the heavy set comes with a studio's library (20,000+ items)
        self.library = library or os.environ.get('ROOMTONE_SIM_LIBRARY') or (
            'large' if self.set_name == 'heavy' else 'small')
        self._free_ptrs = []
        self._automated = []
        self._automation_count = 0
        self.version = version
        self.version_tuple = tuple(int(x) for x in version.split('.'))
        self.major = self.version_tuple[0]
        self.classes = classes_for(version, self.fresh)
        self.rng = random.Random(seed)
        self.clock = 0.0
        self._ptr = 0x7f3a00001000
        self._timers = []
        self._meter_acc = 0.0
        self.control_surfaces = []
        _CURRENT[0] = self
        api.STATE.owner = api._get_ident()
        api.STATE.notification_guard = self.quirks['notification_guard']
        install(version, self.fresh)
        self.app = self._make('Application.Application')
        self.song = None
        self.new_song(build)

    @property
    def clock_ms(self):
        return self.clock * 1000.0

    def _next_ptr(self):
        if self._free_ptrs:
            return self._free_ptrs.pop()   # Live's allocator hands a freed address out again
        self._ptr += 0x60
        return self._ptr

    def _free_ptr(self, ptr):
        if self.quirks['ptr_reuse']:
            self._free_ptrs.append(ptr)

    def _make(self, key, *args, **kwargs):
        cls = self.classes[key]
        if kwargs:
            return cls(*args, **kwargs)
        if key in VALUE_CLASSES or issubclass(cls, M.ObjVector) or key.endswith('Vector'):
            return cls(*args)
        return cls(self, *args)

    def _make_device(self, parent, spec):
        key = 'RackDevice.RackDevice' if spec.rack is not None else spec.live_class
        if key not in self.classes:
            key = 'Device.Device'
        return self._make(key, parent, spec)

    def _enum(self, key, value):
        cls = self.classes.get(key)
        if cls is None:
            return value
        return cls.values.get(int(value), value)

    def make_current(self):
        _CURRENT[0] = self
        api.STATE.owner = api._get_ident()
        api.STATE.notification_guard = self.quirks['notification_guard']
        install(self.version, self.fresh)

    # -- undo ------------------------------------------------------------------------------
    def _record_undo(self, obj, name, old, new):
        song = self.song
        if song is None or song._applying_undo or name in M.NO_UNDO:
            return
        entry = (obj, name, old, new)
        if song._undo_group is not None:
            song._undo_group.append(entry)
        else:
            song._undo.append([entry])
            del song._undo[:-200]
        song._redo = []

    def _record_structure(self, what):
        """Structural edits are not on the simulator's undo history."""

    def _apply_value(self, obj, name, value):
        key = obj._key
        if key == 'DeviceParameter.DeviceParameter' and name == 'value':
            obj._set_value(value, False)
        elif key == 'Song.Song' and name == 'tempo':
            obj._set_tempo(value, False)
        else:
            obj._set(name, value)
            if name == 'color' and 'color_index' in obj._p:
                obj._set('color_index', P.color_index(value))
            if key == 'Track.Track' and name == 'mute':
                obj._mixer._activator._set_value(0.0 if value else 1.0, False)
            if key == 'Track.Track' and name in ('mute', 'solo'):
                self.song._update_solo()
            if key == 'Scene.Scene' and name == 'tempo':
                obj._set('tempo_enabled', value >= 20)

    # -- songs -----------------------------------------------------------------------------
    def new_song(self, build=None, set_name=None):
        """Replace the song with a fresh one (every object new), as opening a set does.
        Every object of the old song is deleted (quirks.dead_objects, ptr_reuse)."""
        old = self.song
        self._automated = []
        if old is not None:
            old._kill()
        if set_name is not None:
            if set_name not in sets.SETS:
                raise ValueError('unknown set %r (have: %s)' % (set_name, ', '.join(sorted(sets.SETS))))
            self.set_name = set_name
        song = self._make('Song.Song')
        self.song = song
        if build is None:
            build = sets.SETS[self.set_name]
        build(self, song)
        if self._automation_count:
            self.automate(self._automation_count)
        _freeze_heap()
        return song

    # -- automation ------------------------------------------------------------------------
    def automate(self, count):
        """Keep `count` parameters automated while the song plays: mixer volumes, pans and
        sends and device parameters across the set, each on its own slow curve."""
        self._automation_count = max(0, int(count))
        self._automated = automation.pick(self, self._automation_count)
        return len(self._automated)

    def _run_automation(self):
        if self._automated and self.song._p['is_playing']:
            automation.step(self._automated, self.song._beat)

    # -- time --------------------------------------------------------------------------------
    def advance(self, dt):
        """Let `dt` seconds of simulated time pass: transport, launches, meters."""
        if dt <= 0:
            return
        self.clock += dt
        self.song._advance(dt)
        self._run_automation()
        self._meter_acc += dt
        if self._meter_acc >= 1.0 / self.METER_HZ:
            self._update_meters(self._meter_acc)
            self._meter_acc = 0.0

    def run_timers(self):
        now = self.clock_ms
        for t in list(self._timers):
            if t._running and t._due <= now + 1e-6:
                try:
                    t._fire(now)
                except Exception:
                    # like Live: an exception escaping a Timer callback stops that timer
                    if self.quirks['timer_stops_on_exception']:
                        t.stop()
                    sys.stderr.write('[live-sim] exception in Timer callback%s:\n%s'
                                     % (' (timer stopped)' if not t._running else '', traceback.format_exc()))

    def next_timer_due_ms(self):
        due = [t._due for t in self._timers if t._running]
        return min(due) if due else None

    def _meter_to(self, t, l, r, decay):
        cur = t._meter
        nl = l if l >= cur[0] else cur[0] * decay
        nr = r if r >= cur[1] else cur[1] * decay
        if nl < 0.002:
            nl = 0.0
        if nr < 0.002:
            nr = 0.0
        t._meter = [nl, nr]
        t._set('output_meter_left', nl)
        t._set('output_meter_right', nr)
        t._set('output_meter_level', max(nl, nr))

    @staticmethod
    def _clip_muted(t):
        c = t._slots[t._playing]._clip if 0 <= t._playing < len(t._slots) else None
        return c is None or c._p['muted']

    def _update_meters(self, dt):
        song = self.song
        rng = self.rng
        playing = song._p['is_playing']
        decay = math.exp(-dt * 6.0)
        levels = {}
        for t in song._tracks:
            if t._kind == M.GROUP:
                continue
            l = r = 0.0
            if playing and t._playing >= 0 and not t._p['mute'] and not t._p['muted_via_solo'] \
                    and not t._in_group_with('mute') and not self._clip_muted(t):
                g = min(1.0, t._mixer._volume._p['value'] / 0.85) ** 2
                pan = t._mixer._panning._p['value']
                base = g * (0.5 + 0.4 * rng.random())
                l = base * (0.92 + 0.08 * rng.random()) * min(1.0, 1.0 - pan)
                r = base * (0.92 + 0.08 * rng.random()) * min(1.0, 1.0 + pan)
            levels[t] = (l, r)
            self._meter_to(t, l, r, decay)
        for t in song._tracks:
            if t._kind == M.GROUP:
                kids = [levels.get(k, (0.0, 0.0)) for k in song._tracks if song._inside(k, t)]
                l = max([k[0] for k in kids] or [0.0])
                r = max([k[1] for k in kids] or [0.0])
                levels[t] = (l, r)
                self._meter_to(t, l, r, decay)
        for i, ret in enumerate(song._returns):
            l = r = 0.0
            if playing and not ret._p['mute']:
                for t in song._tracks:
                    if t._kind == M.GROUP or i >= len(t._mixer._sends):
                        continue
                    s = t._mixer._sends[i]._p['value']
                    tl, tr = levels.get(t, (0.0, 0.0))
                    l = max(l, s * tl * 0.8)
                    r = max(r, s * tr * 0.8)
            levels[ret] = (l, r)
            self._meter_to(ret, l, r, decay)
        m = song._master
        if m is not None:
            top = [levels[t] for t in song._tracks + song._returns if t in levels and t._group is None]
            g = min(1.0, m._mixer._volume._p['value'] / 0.85) ** 2
            l = min(1.0, max([x[0] for x in top] or [0.0]) * 1.05 * g)
            r = min(1.0, max([x[1] for x in top] or [0.0]) * 1.05 * g)
            self._meter_to(m, l, r, decay)

    # -- browser ----------------------------------------------------------------------------
    def _load_browser_item(self, item):
        song = self.song
        spec = item._spec
        if callable(spec):
            spec = spec(self.major)
        track = song._view._p['selected_track'] or song._tracks[0]
        if spec.type == 'instrument' and track._kind != M.MIDI:
            idx = song._tracks.index(track) + 1 if track in song._tracks else len(song._tracks)
            track = song._new_track(M.MIDI, idx)
            song._tracks_changed()
            song._view._set('selected_track', track)
        dev = self._make_device(track, spec)
        devs = track._devices
        replaced = None
        if spec.type == 'instrument':
            old = [i for i, d in enumerate(devs) if d._dspec.type == 'instrument']
            if old:
                replaced = devs[old[0]]
                devs[old[0]] = dev
            else:
                pos = len([d for d in devs if d._dspec.type == 'midi_effect'])
                devs.insert(pos, dev)
        elif spec.type == 'midi_effect':
            pos = len([d for d in devs if d._dspec.type == 'midi_effect'])
            devs.insert(pos, dev)
        else:
            devs.append(dev)
        track._notify('devices')
        track._view._set('selected_device', dev)
        song._set('appointed_device', dev)
        if replaced is not None:
            replaced._kill()
        return dev
