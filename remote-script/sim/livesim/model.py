"""Behaviour of the fake Live objects.

These classes are never instantiated directly: api.build_class copies their members into
the generated `Live.*` classes (public ones only where the emulated version lists them).
Because the generated classes do not inherit from these, call helpers of another
behaviour class as `Base._helper(self, ...)`, never through super().

The simple properties come from small factories (stored, held, _routing, _clip_edge, ...):
they make plain properties, which build_class treats like hand-written ones (a setter only
where the factory gives one; the listing still decides what is settable).
"""
import math
import os

from . import api
from . import audio_files
from . import params as P

CATEGORY_OF = {'instrument': 1, 'audio_effect': 2, 'midi_effect': 4, 'undefined': 0}

# Track kinds
MIDI, AUDIO, GROUP, RETURN, MASTER = 'midi', 'audio', 'group', 'return', 'master'

# Properties whose changes Live does not put on the undo history
NO_UNDO = frozenset(['current_song_time', 'is_playing', 'selected_track', 'selected_scene', 'detail_clip',
                     'highlighted_clip_slot', 'selected_chain', 'follow_song', 'draw_mode', 'nudge_up',
                     'nudge_down', 'is_collapsed', 'appointed_device', 'back_to_arranger',
                     'is_showing_chains', 'fold_state', 'filter_type', 'hotswap_target'])


def stored(key, coerce=None, enum=None):
    """A property over self._p[key], read as that Live enum (e.g. 'Song.Quantization') when
    `enum` is given. Without `coerce` it is read-only; with it the user may set it:
    coerce(value) (which may refuse with RuntimeError, as Live's checks do; see checked),
    then _user_set (undo recorded, listeners fire only on a real change)."""
    if enum is None:
        def fget(self):
            return self._p[key]
    else:
        def fget(self):
            return self._w._enum(enum, self._p[key])
    if coerce is None:
        return property(fget)

    def fset(self, v):
        self._user_set(key, coerce(v))
    return property(fget, fset)


def checked(convert, allowed, error):
    """A coerce for stored(): convert(value), refused with RuntimeError(error) unless it is
    in `allowed`."""
    def coerce(v):
        v = convert(v)
        if v not in allowed:
            raise RuntimeError(error)
        return v
    return coerce


def checked_index(index, items, what):
    """int(index), refused with IndexError('<what> index out of range') unless it indexes items."""
    index = int(index)
    if not 0 <= index < len(items):
        raise IndexError('%s index out of range' % what)
    return index


def held(attr, convert=None):
    """A read-only property returning self.<attr>, through convert (e.g. tuple) when given."""
    if convert is None:
        def fget(self):
            return getattr(self, attr)
    else:
        def fget(self):
            return convert(getattr(self, attr))
    return property(fget)


class Lom(object):
    """Common base: storage, listeners, undo-recorded setters, stable _live_ptr."""

    def __init__(self, world, parent=None):
        object.__setattr__(self, '_w', world)
        object.__setattr__(self, '_parent', parent)
        object.__setattr__(self, '_p', {})
        object.__setattr__(self, '_ls', {})
        object.__setattr__(self, '_ptr', world._next_ptr())
        object.__setattr__(self, '_canon', self)   # shells made in fresh-wrapper mode share this dict

    def __eq__(self, other):
        return self is other or (type(other) is type(self) and other._ptr == self._ptr)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._ptr)

    def __setattr__(self, name, value):
        if not name.startswith('_') and not hasattr(type(self), name):
            raise AttributeError("'%s' object has no attribute '%s' (not in Live %s's API)"
                                 % (type(self).__name__, name, self._w.version))
        object.__setattr__(self, name, value)

    def __repr__(self):
        n = self._p.get('name')
        return '<Live.%s%s ptr=%d>' % (self._key, (' %r' % n) if n is not None else '', self._ptr)

    _live_ptr = held('_ptr')
    canonical_parent = held('_parent')

    def _set(self, name, value):
        """Change a value as Live itself would: listeners fire only on a real change."""
        p = self._p
        if name in p and p[name] == value and type(p[name]) is type(value):
            return False
        p[name] = value
        ls = self._ls.get(name)
        if ls:
            api.call_listeners(ls, '%s.%s' % (self._key, name))
        return True

    def _notify(self, name):
        ls = self._ls.get(name)
        if ls:
            api.call_listeners(ls, '%s.%s' % (self._key, name))

    def _user_set(self, name, value):
        api.guard()
        old = self._p.get(name)
        if self._set(name, value) and name not in NO_UNDO:
            self._w._record_undo(self, name, old, value)

    def _listener_count(self):
        return sum(len(v) for v in self._ls.values())


class Coloured(Lom):
    """color / color_index kept in step (the colour snaps to Live's palette); what else a
    user's colour change touches goes in _color_set_by_user."""

    @property
    def color(self):
        return self._p['color']

    @color.setter
    def color(self, v):
        v = int(v)
        if not 0 <= v <= 0xFFFFFF:
            raise RuntimeError('Invalid color')
        v = P.snap_color(v)
        self._user_set('color', v)
        self._set('color_index', P.color_index(v))
        self._color_set_by_user()

    @property
    def color_index(self):
        return self._p['color_index']

    @color_index.setter
    def color_index(self, i):
        i = int(i)
        if not 0 <= i < len(P.PALETTE):
            raise RuntimeError('Invalid color index')
        self._user_set('color_index', i)
        self._set('color', P.PALETTE[i])
        self._color_set_by_user()

    def _color_set_by_user(self):
        pass


def _as_bool(v):
    return bool(v)


# ======================================================================================
# Parameters and mixers

class DeviceParameter(Lom):
    def __init__(self, world, parent, spec):
        Lom.__init__(self, world, parent)
        self._spec = spec
        p = self._p
        p['name'] = spec.name
        p['original_name'] = spec.name
        p['value'] = float(spec.value)
        p['automation_state'] = 0
        p['state'] = 0 if spec.enabled else 2
        self._hook = None  # internal: called after the value changed

    name = stored('name')
    original_name = stored('original_name')

    @property
    def min(self):
        return float(self._spec.min)

    @property
    def max(self):
        return float(self._spec.max)

    @property
    def default_value(self):
        return float(self._spec.default)

    @property
    def is_quantized(self):
        return bool(self._spec.quantized)

    @property
    def is_enabled(self):
        return self._p['state'] != 2

    @property
    def value_items(self):
        if not self._spec.quantized:
            raise RuntimeError('Parameter is not quantized')
        return tuple(self._spec.items)

    @property
    def short_value_items(self):
        if not self._spec.quantized:
            raise RuntimeError('Parameter is not quantized')
        return tuple(self._spec.short_items or self._spec.items)

    @property
    def value(self):
        return self._p['value']

    @value.setter
    def value(self, v):
        v = float(v)
        if math.isnan(v) or v < self._spec.min - 1e-9 or v > self._spec.max + 1e-9:
            raise RuntimeError('Invalid value')
        self._set_value(v, True)

    def _set_value(self, v, user):
        v = min(max(float(v), self._spec.min), self._spec.max)
        if self._spec.quantized:
            v = float(int(round(v)))
        old = self._p['value']
        if user:
            api.guard()
        if self._set('value', v):
            self._notify('display_value')
            if user:
                self._w._record_undo(self, 'value', old, v)
            if self._hook is not None:
                self._hook(v)
            return True
        return False

    @property
    def display_value(self):
        return self._spec.display_number(self._p['value'])

    @display_value.setter
    def display_value(self, d):
        self.value = self._spec.from_display_number(float(d))

    def str_for_value(self, v):
        return self._spec.fmt(float(v))

    def __str__(self):
        return self._spec.fmt(self._p['value'])

    def begin_gesture(self):
        api.guard()

    def end_gesture(self):
        api.guard()

    def re_enable_automation(self):
        api.guard()


def _param(world, parent, spec):
    return world._make('DeviceParameter.DeviceParameter', parent, spec)


class MixerDevice(Lom):
    def __init__(self, world, track, n_sends):
        Lom.__init__(self, world, track)
        self._volume = _param(world, self, P.volume_spec())
        self._panning = _param(world, self, P.pan_spec())
        self._sends = [_param(world, self, P.send_spec(i)) for i in range(n_sends)]
        self._activator = _param(world, self, P.activator_spec())
        self._crossfader = _param(world, self, P.crossfader_spec())
        self._cue = _param(world, self, P.cue_spec())
        self._tempo = _param(world, self, P.tempo_spec())
        self._lsplit = _param(world, self, P.split_spec('Left Split Stereo Pan', -1.0))
        self._rsplit = _param(world, self, P.split_spec('Right Split Stereo Pan', 1.0))
        self._p['crossfade_assign'] = 1
        self._p['panning_mode'] = 0
        self._activator._hook = self._on_activator
        if track._kind == MASTER:
            self._tempo._hook = lambda v: track._parent._set_tempo(v, False)

    def _on_activator(self, v):
        t = self._parent
        if t._kind != MASTER:
            t._set('mute', v < 0.5)
            t._w.song._update_solo()

    volume = held('_volume')
    panning = held('_panning')
    sends = held('_sends', tuple)
    track_activator = held('_activator')
    crossfader = held('_crossfader')
    cue_volume = held('_cue')
    song_tempo = held('_tempo')
    left_split_stereo = held('_lsplit')
    right_split_stereo = held('_rsplit')

    @property
    def crossfade_assign(self):
        if self._parent._kind == MASTER:
            raise RuntimeError('Master track has no crossfade assignment')
        return self._p['crossfade_assign']

    @crossfade_assign.setter
    def crossfade_assign(self, v):
        if self._parent._kind == MASTER:
            raise RuntimeError('Master track has no crossfade assignment')
        v = int(v)
        if v not in (0, 1, 2):
            raise RuntimeError('Invalid crossfade assignment')
        self._user_set('crossfade_assign', v)

    def _add_send(self, index):
        self._sends.insert(index, _param(self._w, self, P.send_spec(index)))
        self._renumber_sends()

    def _remove_send(self, index):
        del self._sends[index]
        self._renumber_sends()

    def _renumber_sends(self):
        for i, s in enumerate(self._sends):
            nm = P.send_name(i)
            s._p['original_name'] = nm
            s._set('name', nm)
        self._notify('sends')


class ChainMixerDevice(Lom):
    def __init__(self, world, chain):
        Lom.__init__(self, world, chain)
        self._volume = _param(world, self, P.volume_spec())
        self._panning = _param(world, self, P.pan_spec())
        self._activator = _param(world, self, P.activator_spec('Chain Activator'))
        self._sends = []

    volume = held('_volume')
    panning = held('_panning')
    chain_activator = held('_activator')
    sends = held('_sends', tuple)


# ======================================================================================
# Devices

class DeviceView(Lom):
    pass


class Device(Lom):
    def __init__(self, world, parent, dspec):
        Lom.__init__(self, world, parent)
        self._dspec = dspec
        p = self._p
        p['name'] = dspec.name
        p['latency_in_ms'] = 0.0
        p['latency_in_samples'] = 0
        self._params = [_param(world, self, s) for s in dspec.params]
        self._params[0]._hook = self._on_device_on
        p['is_active'] = self._params[0].value > 0.5
        self._view = world._make('Device.Device.View', self)

    def _on_device_on(self, v):
        self._set('is_active', v > 0.5)

    name = stored('name', str)

    @property
    def class_name(self):
        return self._dspec.class_name

    @property
    def class_display_name(self):
        return self._dspec.display_name

    @property
    def type(self):
        return self._w._enum('Device.DeviceType', CATEGORY_OF.get(self._dspec.type, 0))

    @property
    def can_have_chains(self):
        return self._dspec.rack is not None

    @property
    def can_have_drum_pads(self):
        return self._dspec.class_name == 'DrumGroupDevice'

    is_active = stored('is_active')
    parameters = held('_params', tuple)
    view = held('_view')

    def _copy_to(self, parent):
        d = self._w._make_device(parent, self._dspec)
        d._p['name'] = self._p['name']
        for a, b in zip(self._params, d._params):
            b._p['value'] = a._p['value']
            b._p['name'] = a._p['name']
        d._p['is_active'] = d._params[0].value > 0.5
        for ca, cb in zip(getattr(self, '_chains', []), getattr(d, '_chains', [])):
            cb._devices = [x._copy_to(cb) for x in ca._devices]
        return d


class RackDevice(Device):
    def __init__(self, world, parent, dspec):
        Device.__init__(self, world, parent, dspec)
        rack = dspec.rack
        self._chains = []
        self._p['is_showing_chains'] = False
        self._p['selected_variation_index'] = -1
        self._p['has_drum_pads'] = dspec.class_name == 'DrumGroupDevice'
        for cname, color, devs in rack.chains:
            key = 'DrumChain.DrumChain' if dspec.class_name == 'DrumGroupDevice' else 'Chain.Chain'
            ch = world._make(key, self, cname, color)
            for ds in devs:
                d = world._make_device(ch, P.device_spec(ds, world.major))
                if dspec.class_name == 'DrumGroupDevice':
                    d._p['name'] = '%s %s' % (cname, name_suffix(dspec.name))
                ch._devices.append(d)
            self._chains.append(ch)
        self._view = world._make('RackDevice.RackDevice.View', self)
        self._p['visible_macro_count'] = rack.visible_macros

    chains = held('_chains', tuple)

    @property
    def return_chains(self):
        return ()

    @property
    def can_show_chains(self):
        return True

    visible_macro_count = stored('visible_macro_count')

    @property
    def macros_mapped(self):
        return tuple(True for _ in self._params[1:1 + self._dspec.rack.n_macros])

    @property
    def has_macro_mappings(self):
        return True

    has_drum_pads = stored('has_drum_pads')

    @property
    def variation_count(self):
        return 0

    @property
    def chain_selector(self):
        return self._params[-1]

    def add_macro(self):
        api.guard()
        if self._p['visible_macro_count'] < 16:
            self._set('visible_macro_count', self._p['visible_macro_count'] + 1)

    def remove_macro(self):
        api.guard()
        if self._p['visible_macro_count'] > 1:
            self._set('visible_macro_count', self._p['visible_macro_count'] - 1)

    def randomize_macros(self):
        api.guard()
        rng = self._w.rng
        for prm in self._params[1:1 + self._p['visible_macro_count']]:
            prm._set_value(round(rng.uniform(prm.min, prm.max)), True)


def name_suffix(kit_name):
    """'808 Core Kit' -> '808': drum pads named like Live's kit samples ('Kick 808')."""
    return kit_name.split()[0] if kit_name else ''


class Chain(Coloured):
    def __init__(self, world, rack, name, color):
        Lom.__init__(self, world, rack)
        self._p.update({'name': name, 'color': color, 'color_index': P.color_index(color), 'mute': False,
                        'solo': False, 'muted_via_solo': False, 'is_auto_colored': True})
        self._devices = []
        self._mixer = world._make('ChainMixerDevice.ChainMixerDevice', self)
        if self._key == 'DrumChain.DrumChain':
            self._p['in_note'] = self._p['out_note'] = 36
            self._p['choke_group'] = 0

    def _color_set_by_user(self):
        self._set('is_auto_colored', False)

    devices = held('_devices', tuple)
    mixer_device = held('_mixer')

    @property
    def has_midi_input(self):
        return self._parent._dspec.type in ('instrument', 'midi_effect')

    @property
    def has_audio_input(self):
        return self._parent._dspec.type == 'audio_effect'

    @property
    def has_audio_output(self):
        return self._parent._dspec.type != 'midi_effect'

    @property
    def has_midi_output(self):
        return self._parent._dspec.type == 'midi_effect'

    def delete_device(self, index):
        api.guard()
        if not 0 <= index < len(self._devices):
            raise IndexError('device index out of range')
        del self._devices[index]
        self._notify('devices')


# ======================================================================================
# Clips and notes

class MidiNote(object):
    """Live.Clip.MidiNote: a value object (get_notes_extended hands out copies)."""

    def __init__(self, pitch, start_time, duration, velocity=100.0, mute=False, probability=1.0,
                 velocity_deviation=0.0, release_velocity=64.0, note_id=0):
        self._d = {'pitch': int(pitch), 'start_time': float(start_time), 'duration': float(duration),
                   'velocity': float(velocity), 'mute': bool(mute), 'probability': float(probability),
                   'velocity_deviation': float(velocity_deviation), 'release_velocity': float(release_velocity)}
        self._id = int(note_id)

    def _copy(self):
        n = self.__class__.__new__(self.__class__)
        n._d = dict(self._d)
        n._id = self._id
        return n

    def __repr__(self):
        d = self._d
        return '<MidiNote id=%d pitch=%d start=%g dur=%g vel=%g>' % (
            self._id, d['pitch'], d['start_time'], d['duration'], d['velocity'])


def _note_prop(name, conv):
    def fget(self):
        return self._d[name]

    def fset(self, v):
        self._d[name] = conv(v)
    return property(fget, fset)


for _n, _c in (('pitch', int), ('start_time', float), ('duration', float), ('velocity', float), ('mute', bool),
               ('probability', float), ('velocity_deviation', float), ('release_velocity', float)):
    setattr(MidiNote, _n, _note_prop(_n, _c))
MidiNote.note_id = property(lambda self: self._id)


class MidiNoteSpecification(object):
    """Live.Clip.MidiNoteSpecification(pitch, start_time, duration, velocity=100, mute=False, ...)."""

    def __init__(self, pitch, start_time, duration, velocity=100.0, mute=False, probability=1.0,
                 velocity_deviation=0.0, release_velocity=64.0):
        self._note = MidiNote(pitch, start_time, duration, velocity, mute, probability, velocity_deviation,
                              release_velocity)


class ObjVector(object):
    """Base.Vector-like sequence (MidiNoteVector, IntU64Vector): indexable, append/extend."""

    def __init__(self, items=()):
        self._items = list(items)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, i):
        return self._items[i]

    def __iter__(self):
        return iter(self._items)

    def __eq__(self, other):
        return list(self) == list(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self._items)

    def append(self, x):
        self._items.append(x)

    def extend(self, xs):
        self._items.extend(xs)


def _clip_edge(key, error, before=None, after=None, then=None):
    """A clip's loop or marker edge (a float in self._p[key]): the user may only move it to stay
    before the edge `before` or after the edge `after`, else RuntimeError(error); then(self, v),
    when given, follows the change."""
    def fget(self):
        return self._p[key]

    def fset(self, v):
        v = float(v)
        if (before is not None and v >= self._p[before]) or (after is not None and v <= self._p[after]):
            raise RuntimeError(error)
        self._user_set(key, v)
        if then is not None:
            then(self, v)
    return property(fget, fset)


class ClipView(Lom):
    def show_loop(self):
        api.guard()


class Clip(Coloured):
    def __init__(self, world, slot, name, length, color, is_midi=True, file_path=''):
        Lom.__init__(self, world, slot)
        p = self._p
        length = float(length)
        p.update({'name': name, 'color': color, 'color_index': P.color_index(color), 'looping': True,
                  'loop_start': 0.0, 'loop_end': length, 'start_marker': 0.0, 'end_marker': length,
                  'is_playing': False, 'is_triggered': False, 'is_recording': False, 'playing_position': 0.0,
                  'muted': False, 'launch_mode': 0, 'launch_quantization': 0, 'legato': False,
                  'signature_numerator': 4, 'signature_denominator': 4, 'warping': not is_midi,
                  'warp_mode': 0, 'gain': 0.4, 'pitch_coarse': 0, 'pitch_fine': 0.0, 'velocity_amount': 0.0,
                  'ram_mode': False, 'position': 0.0, 'file_path': file_path, 'has_envelopes': False,
                  'is_overdubbing': False})
        self._midi = bool(is_midi)
        self._notes = []
        self._next_note_id = 1
        self._start_beat = 0.0
        self._arrangement = False
        self._view = world._make('Clip.Clip.View', self)

    # -- simple properties with Live's checks --------------------------------------
    name = stored('name', str)

    def _color_set_by_user(self):
        # the slot shows its clip's colour
        if self._parent is not None and not self._arrangement:
            self._parent._notify('color')
            self._parent._notify('color_index')

    is_midi_clip = held('_midi')

    @property
    def is_audio_clip(self):
        return not self._midi

    @property
    def is_session_clip(self):
        return not self._arrangement

    is_arrangement_clip = held('_arrangement')

    @property
    def is_take_lane_clip(self):
        return False

    @property
    def length(self):
        p = self._p
        if p['looping']:
            return p['loop_end'] - p['loop_start']
        return p['end_marker'] - p['start_marker']

    @property
    def start_time(self):
        return self._p['position'] if self._arrangement else 0.0

    @property
    def end_time(self):
        return self.start_time + self.length

    @property
    def looping(self):
        return self._p['looping']

    @looping.setter
    def looping(self, v):
        if not self._midi and not self._p['warping'] and v:
            raise RuntimeError('Unwarped audio clips cannot loop')
        self._user_set('looping', bool(v))

    def _loop_end_moved(self, v):
        # a looping clip's end marker follows its loop end out
        if self._p['end_marker'] < v and self._p['looping']:
            self._set('end_marker', v)

    loop_start = _clip_edge('loop_start', 'LoopStart behind LoopEnd', before='loop_end')
    loop_end = _clip_edge('loop_end', 'LoopEnd before LoopStart', after='loop_start', then=_loop_end_moved)
    start_marker = _clip_edge('start_marker', 'StartMarker behind EndMarker', before='end_marker')
    end_marker = _clip_edge('end_marker', 'EndMarker before StartMarker', after='start_marker')

    @property
    def is_playing(self):
        return self._p['is_playing']

    @is_playing.setter
    def is_playing(self, v):
        api.guard()
        if v:
            self._fire()
        else:
            self._stop_request()

    is_triggered = stored('is_triggered')
    playing_position = stored('playing_position')
    view = held('_view')

    @property
    def sample_length(self):
        if self._midi:
            raise RuntimeError('MIDI clips have no sample')
        if self._p.get('sample_frames') is not None:   # placed from a real file or recorded
            return int(self._p['sample_frames'])
        return int(self.length * 60.0 / 120.0 * 44100)

    @property
    def sample_rate(self):
        if self._midi:
            raise RuntimeError('MIDI clips have no sample')
        return float(self._p.get('sample_rate_hz') or 44100.0)

    @property
    def will_record_on_start(self):
        return False

    @property
    def available_warp_modes(self):
        return () if self._midi else (0, 1, 2, 3, 4, 6)

    # -- launching -----------------------------------------------------------------
    def fire(self):
        api.guard()
        self._fire()

    def stop(self):
        api.guard()
        self._stop_request()

    def set_fire_button_state(self, state):
        api.guard()
        if state:
            self._fire()

    def _fire(self):
        if self._arrangement:
            raise RuntimeError('Arrangement clips cannot be fired')
        slot = self._parent
        self._w.song._launch(slot._track, slot._index())

    def _stop_request(self):
        if self._arrangement:
            return
        slot = self._parent
        t = slot._track
        if self._p['is_playing'] or self._p['is_triggered']:
            self._w.song._stop_track(t, True)

    def _set_state(self, playing, triggered):
        a = self._set('is_playing', playing)
        b = self._set('is_triggered', triggered)
        if a or b:
            self._notify('playing_status')

    # -- notes: all versions --------------------------------------------------------
    def _need_midi(self):
        if not self._midi:
            raise RuntimeError('Not a MIDI clip')

    def _select(self, from_pitch, pitch_span, from_time, time_span):
        hi_p = from_pitch + pitch_span
        hi_t = from_time + time_span
        return [n for n in self._notes
                if from_pitch <= n._d['pitch'] < hi_p and from_time <= n._d['start_time'] < hi_t]

    def _add_note(self, note):
        d = note._d
        if not 0 <= d['pitch'] <= 127:
            raise RuntimeError('Invalid pitch %d' % d['pitch'])
        if d['duration'] <= 0:
            raise RuntimeError('Invalid note duration')
        n = note._copy()
        n._id = self._next_note_id
        self._next_note_id += 1
        n._d['velocity'] = min(max(n._d['velocity'], 0.0), 127.0)
        self._notes.append(n)
        return n._id

    def _notes_changed(self):
        self._notes.sort(key=lambda n: (n._d['start_time'], n._d['pitch']))
        self._notify('notes')

    def get_notes(self, from_time, from_pitch, time_span, pitch_span):
        self._need_midi()
        return tuple((n._d['pitch'], n._d['start_time'], n._d['duration'], n._d['velocity'], n._d['mute'])
                     for n in self._select(int(from_pitch), int(pitch_span), float(from_time), float(time_span)))

    def set_notes(self, notes):
        api.guard()
        self._need_midi()
        for t in notes:
            pitch, start, dur, vel, mute = t
            self._add_note(MidiNote(pitch, start, dur, vel, mute))
        self._notes_changed()

    def remove_notes(self, from_time, from_pitch, time_span, pitch_span):
        api.guard()
        self._need_midi()
        gone = set(id(n) for n in self._select(int(from_pitch), int(pitch_span), float(from_time),
                                               float(time_span)))
        if gone:
            self._notes = [n for n in self._notes if id(n) not in gone]
            self._notes_changed()

    def select_all_notes(self):
        self._need_midi()

    def deselect_all_notes(self):
        self._need_midi()

    # -- notes: extended API (Live 11+) ------------------------------------------------
    def _vector(self, notes):
        return self._w._make('Clip.MidiNoteVector', [n._copy() for n in notes])

    def get_notes_extended(self, from_pitch, pitch_span, from_time, time_span):
        self._need_midi()
        return self._vector(self._select(int(from_pitch), int(pitch_span), float(from_time), float(time_span)))

    def get_all_notes_extended(self):
        self._need_midi()
        return self._vector(self._notes)

    def get_notes_by_id(self, note_ids):
        self._need_midi()
        want = set(int(i) for i in note_ids)
        return self._vector([n for n in self._notes if n._id in want])

    def add_new_notes(self, specs):
        api.guard()
        self._need_midi()
        ids = []
        for s in specs:
            if not hasattr(s, '_note'):
                raise TypeError('add_new_notes expects Live.Clip.MidiNoteSpecification objects, got %s'
                                % type(s).__name__)
            note = s._note
            ids.append(self._add_note(note))
        self._notes_changed()
        if self._w.major >= 12:
            return self._w._make('Base.IntU64Vector', ids)
        return None

    def remove_notes_extended(self, from_pitch, pitch_span, from_time, time_span):
        api.guard()
        self._need_midi()
        gone = set(id(n) for n in self._select(int(from_pitch), int(pitch_span), float(from_time),
                                               float(time_span)))
        if gone:
            self._notes = [n for n in self._notes if id(n) not in gone]
            self._notes_changed()

    def remove_notes_by_id(self, note_ids):
        api.guard()
        self._need_midi()
        want = set(int(i) for i in note_ids)
        before = len(self._notes)
        self._notes = [n for n in self._notes if n._id not in want]
        if len(self._notes) != before:
            self._notes_changed()

    def apply_note_modifications(self, notes):
        api.guard()
        self._need_midi()
        by_id = dict((n._id, n) for n in self._notes)
        changed = False
        for m in notes:
            n = by_id.get(m._id)
            if n is not None and n._d != m._d:
                n._d = dict(m._d)
                changed = True
        if changed:
            self._notes_changed()

    def duplicate_notes_by_id(self, note_ids, destination_time=None, transposition_amount=0):
        api.guard()
        self._need_midi()
        want = [n for n in self._notes if n._id in set(int(i) for i in note_ids)]
        if not want:
            return
        first = min(n._d['start_time'] for n in want)
        for n in want:
            c = n._copy()
            if destination_time is not None:
                c._d['start_time'] = float(destination_time) + (n._d['start_time'] - first)
            c._d['pitch'] = n._d['pitch'] + int(transposition_amount)
            self._add_note(c)
        self._notes_changed()

    def duplicate_loop(self):
        api.guard()
        p = self._p
        ls, le = p['loop_start'], p['loop_end']
        span = le - ls
        if self._midi:
            for n in [n for n in self._notes if ls <= n._d['start_time'] < le]:
                c = n._copy()
                c._d['start_time'] += span
                self._add_note(c)
        self._record_and_set_loop_end(le + span)
        if p['end_marker'] < le + span:
            self._set('end_marker', le + span)
        if self._midi:
            self._notes_changed()

    def _record_and_set_loop_end(self, v):
        old = self._p['loop_end']
        if self._set('loop_end', v):
            self._w._record_undo(self, 'loop_end', old, v)

    def crop(self):
        api.guard()
        p = self._p
        if p['looping']:
            ls, le = p['loop_start'], p['loop_end']
        else:
            ls, le = p['start_marker'], p['end_marker']
        if self._midi:
            kept = [n for n in self._notes if ls <= n._d['start_time'] < le]
            for n in kept:
                n._d['start_time'] -= ls
            self._notes = kept
        for k, v in (('loop_start', 0.0), ('start_marker', 0.0)):
            self._set(k, v)
        self._set('loop_end', le - ls)
        self._set('end_marker', le - ls)
        if self._midi:
            self._notes_changed()

    def move_playing_pos(self, beats):
        api.guard()
        if self._p['is_playing']:
            self._start_beat -= float(beats)

    def _copy_to(self, slot):
        c = self._w._make('Clip.Clip', slot, self._p['name'], self.length, self._p['color'], self._midi,
                          self._p['file_path'])
        for k in ('looping', 'loop_start', 'loop_end', 'start_marker', 'end_marker', 'muted', 'launch_mode',
                  'launch_quantization', 'warping', 'gain', 'pitch_coarse'):
            c._p[k] = self._p[k]
        for n in self._notes:
            c._add_note(n)
        c._notes.sort(key=lambda n: (n._d['start_time'], n._d['pitch']))
        return c


# ======================================================================================
# Clip slots, tracks, scenes

class ClipSlot(Lom):
    def __init__(self, world, track):
        Lom.__init__(self, world, track)
        self._track = track
        self._clip = None
        self._p.update({'has_stop_button': True, 'is_triggered': False, 'playing_status': 0,
                        'color': None, 'color_index': None, 'has_clip': False})

    def _index(self):
        return self._track._slots.index(self)

    clip = held('_clip')

    @property
    def has_clip(self):
        return self._clip is not None

    @property
    def is_group_slot(self):
        return self._track._kind == GROUP

    @property
    def controls_other_clips(self):
        if self._track._kind != GROUP:
            return False
        i = self._index()
        return any(t._slots[i]._clip is not None for t in self._track._children())

    @property
    def is_playing(self):
        if self._track._kind == GROUP:
            i = self._index()
            return any(t._slots[i].is_playing for t in self._track._children())
        return self._clip is not None and self._clip._p['is_playing']

    @property
    def is_recording(self):
        return self._clip is not None and self._clip._p['is_recording']

    @property
    def will_record_on_start(self):
        return self._clip is None and self._track.can_be_armed and self._track._p['arm']

    is_triggered = stored('is_triggered')

    playing_status = stored('playing_status', enum='ClipSlot.ClipSlotPlayingState')

    has_stop_button = stored('has_stop_button', bool)

    @property
    def color(self):
        return self._clip._p['color'] if self._clip is not None else None

    @property
    def color_index(self):
        return self._clip._p['color_index'] if self._clip is not None else None

    def _refresh(self):
        c = self._clip
        trig = c is not None and c._p['is_triggered']
        if c is None and self._track._fired == self._index() and self._track._kind != GROUP:
            trig = True
        self._set('is_triggered', bool(trig))
        status = 0
        if c is not None and c._p['is_playing']:
            status = 2 if c._p['is_recording'] else 1
        self._set('playing_status', status)
        self._set('has_clip', c is not None)

    def fire(self, record_length=None, launch_quantization=None, force_legato=False):
        api.guard()
        t = self._track
        if t._kind in (RETURN, MASTER):
            raise RuntimeError('Cannot fire a slot of this track')
        if t._kind == GROUP:
            i = self._index()
            for child in t._children():
                child._slots[i]._fire_plain()
            return
        self._fire_plain()

    def _fire_plain(self):
        t = self._track
        if self._clip is not None:
            self._w.song._launch(t, self._index())
        elif t.can_be_armed and t._p['arm']:
            self._w.song._launch_record(t, self._index())
        elif self._p['has_stop_button']:
            self._w.song._stop_track(t, True)

    def set_fire_button_state(self, state):
        if state:
            self.fire()

    def stop(self):
        api.guard()
        t = self._track
        if t._kind == GROUP:
            for child in t._children():
                self._w.song._stop_track(child, True)
            return
        if self._clip is not None and (self._clip._p['is_playing'] or self._clip._p['is_triggered']):
            self._w.song._stop_track(t, True)

    def create_clip(self, length):
        api.guard()
        length = float(length)
        if self._track._kind != MIDI:
            raise RuntimeError('Clip slot has to be on a MIDI track')
        if self._clip is not None:
            raise RuntimeError('Clip slot already has a clip')
        if length <= 0:
            raise RuntimeError('Clip length must be greater than 0')
        c = self._w._make('Clip.Clip', self, '', length, self._track._p['color'], True)
        self._put_clip(c)
        self._w._record_structure('create_clip')
        return c if self._w.major >= 12 else None

    def create_audio_clip(self, path):
        api.guard()
        if self._track._kind != AUDIO:
            raise RuntimeError('Clip slot has to be on an audio track')
        if self._clip is not None:
            raise RuntimeError('Clip slot already has a clip')
        path = str(path)
        if not os.path.isfile(path):
            raise RuntimeError('File not found: %s' % path)
        info = audio_files.read_info(path)
        if info is None:
            raise RuntimeError('Unsupported or damaged audio file: %s' % path)
        name = os.path.splitext(os.path.basename(path))[0]
        c = self._w._make('Clip.Clip', self, name, 8.0, self._track._p['color'], False, path)
        audio_files.place(c, info, self._w.song.tempo)
        self._put_clip(c)
        self._w._record_structure('create_audio_clip')
        return c

    def delete_clip(self):
        api.guard()
        if self._clip is None:
            raise RuntimeError('No clip in slot')
        self._remove_clip()
        self._w._record_structure('delete_clip')

    def _remove_clip(self):
        c = self._clip
        t = self._track
        if c is not None and (c._p['is_playing'] or c._p['is_triggered']):
            i = self._index()
            if t._playing == i:
                t._playing = -1
                t._set('playing_slot_index', -1)
            if t._fired == i:
                t._fired = -1
                t._pending = None
                t._set('fired_slot_index', -1)
        self._clip = None
        self._refresh()
        self._notify('color')
        self._notify('color_index')
        t._parent_group_refresh(self._index())

    def _put_clip(self, c):
        if self._clip is not None:
            self._remove_clip()
        self._clip = c
        self._refresh()
        self._notify('color')
        self._notify('color_index')
        self._track._parent_group_refresh(self._index())

    def duplicate_clip_to(self, target):
        api.guard()
        if self._clip is None:
            raise RuntimeError('No clip in slot')
        if getattr(target, '_key', None) != 'ClipSlot.ClipSlot':
            raise TypeError('duplicate_clip_to expects a ClipSlot')
        if target is self:
            return
        if target._track._kind != self._track._kind or target._track._kind not in (MIDI, AUDIO):
            raise RuntimeError('Target slot is on a track of another type')
        target._put_clip(self._clip._copy_to(target))
        self._w._record_structure('duplicate_clip_to')


class TrackView(Lom):
    def __init__(self, world, track):
        Lom.__init__(self, world, track)
        self._p.update({'is_collapsed': False, 'device_insert_mode': 0})

    @property
    def selected_device(self):
        t = self._parent
        d = self._p.get('selected_device')
        if d is not None and d in t._devices:
            return d
        return t._devices[0] if t._devices else None

    def select_instrument(self):
        t = self._parent
        for d in t._devices:
            if d._dspec.type == 'instrument':
                self._set('selected_device', d)
                return True
        return False


def _routings(what, direction, names=False):
    """Track's available routing types or channels (what: 'type' / 'channel') in one
    direction ('in' / 'out'): the objects, or with names Live's older list of their names."""
    def fget(self):
        found = self._routing_types(direction) if what == 'type' else self._routing_channels(direction)
        return tuple(r._name for r in found) if names else tuple(found)
    return property(fget)


def _routing(what, direction, legacy=False):
    """Track's current routing type or channel in one direction: the RoutingType /
    RoutingChannel, or with legacy Live's older string form (its name), set by name."""
    def fget(self):
        if what == 'channel':
            r = self._routing_channel(direction)
        else:
            r = self._routing_type(direction)
        if r is None:
            # only a track that takes no input has no input routing type
            if legacy:
                return ''
            return self._w._make('Track.RoutingType', 'No Input',
                                 self._w._enum('Track.RoutingTypeCategory', RT_NONE), None)
        return r._name if legacy else r

    def fset(self, value):
        if legacy:
            value = str(value)
        if what == 'channel':
            self._set_routing_channel(direction, value)
        else:
            self._set_routing_type(direction, value)
    return property(fget, fset)


class Track(Coloured):
    def __init__(self, world, song, kind, name, color, n_scenes, n_returns):
        Lom.__init__(self, world, song)
        self._kind = kind
        self._devices = []
        self._slots = []
        self._group = None
        self._playing = -1
        self._fired = -1
        self._pending = None   # (at_beat, slot index or -2 for stop)
        self._pending_rec = None   # 'start' / 'end' when the pending launch starts or ends a recording
        self._meter = [0.0, 0.0]
        self._data = {}
        self._arr_clips = []
        p = self._p
        p.update({'name': name, 'color': color, 'color_index': P.color_index(color), 'mute': False,
                  'solo': False, 'arm': False, 'current_monitoring_state': 1, 'fold_state': False,
                  'playing_slot_index': -1, 'fired_slot_index': -1, 'muted_via_solo': False,
                  'output_meter_left': 0.0, 'output_meter_right': 0.0, 'output_meter_level': 0.0,
                  'input_meter_left': 0.0, 'input_meter_right': 0.0, 'input_meter_level': 0.0,
                  'implicit_arm': False, 'is_showing_chains': False, 'back_to_arranger': False,
                  'performance_impact': 0.0})
        if kind in (MIDI, AUDIO, GROUP):
            for _ in range(n_scenes):
                self._slots.append(world._make('ClipSlot.ClipSlot', self))
        self._mixer = world._make('MixerDevice.MixerDevice', self, 0 if kind == MASTER else n_returns)
        self._view = world._make('Track.Track.View', self)

    def _children(self):
        song = self._w.song
        return [t for t in song._tracks if t._group is self]

    def _parent_group_refresh(self, index):
        g = self._group
        while g is not None:
            g._slots[index]._refresh_group()
            g = g._group

    # -- identity (color, color_index: Coloured) -------------------------------------
    name = stored('name', str)

    # -- mixer-ish state ---------------------------------------------------------------
    def _no_master(self, what):
        if self._kind == MASTER:
            raise RuntimeError("Master track has no '%s' state" % what)

    @property
    def mute(self):
        self._no_master('Mute')
        return self._p['mute']

    @mute.setter
    def mute(self, v):
        self._no_master('Mute')
        v = bool(v)
        self._user_set('mute', v)
        self._mixer._activator._set_value(0.0 if v else 1.0, False)
        self._w.song._update_solo()

    @property
    def solo(self):
        self._no_master('Solo')
        return self._p['solo']

    @solo.setter
    def solo(self, v):
        self._no_master('Solo')
        self._user_set('solo', bool(v))
        self._w.song._update_solo()

    muted_via_solo = stored('muted_via_solo')

    @property
    def can_be_armed(self):
        return self._kind in (MIDI, AUDIO)

    @property
    def arm(self):
        if not self.can_be_armed:
            raise RuntimeError('Track cannot be armed')
        return self._p['arm']

    @arm.setter
    def arm(self, v):
        if not self.can_be_armed:
            raise RuntimeError('Track cannot be armed')
        self._user_set('arm', bool(v))

    @property
    def current_monitoring_state(self):
        if not self.can_be_armed:
            raise RuntimeError('Track has no monitoring state')
        return self._p['current_monitoring_state']

    @current_monitoring_state.setter
    def current_monitoring_state(self, v):
        if not self.can_be_armed:
            raise RuntimeError('Track has no monitoring state')
        v = int(v)
        if v not in (0, 1, 2):
            raise RuntimeError('Invalid monitoring state')
        self._user_set('current_monitoring_state', v)

    @property
    def is_foldable(self):
        return self._kind == GROUP

    @property
    def fold_state(self):
        if self._kind != GROUP:
            raise RuntimeError('Track is not foldable')
        return self._p['fold_state']

    @fold_state.setter
    def fold_state(self, v):
        if self._kind != GROUP:
            raise RuntimeError('Track is not foldable')
        if self._set('fold_state', bool(v)):
            self._w.song._visible_changed()

    @property
    def is_grouped(self):
        return self._group is not None

    group_track = held('_group')

    def _in_group_with(self, key):
        """Whether a group track holding this one, at any depth, has _p[key] set."""
        g = self._group
        while g is not None:
            if g._p[key]:
                return True
            g = g._group
        return False

    @property
    def is_visible(self):
        return not self._in_group_with('fold_state')

    @property
    def is_part_of_selection(self):
        return self._w.song._view._p.get('selected_track') is self

    @property
    def has_midi_input(self):
        return self._kind == MIDI

    @property
    def has_audio_input(self):
        return self._kind == AUDIO

    @property
    def has_midi_output(self):
        return self._kind == MIDI and not any(d._dspec.type == 'instrument' for d in self._devices)

    @property
    def has_audio_output(self):
        return not self.has_midi_output

    @property
    def can_be_frozen(self):
        return self._kind in (MIDI, AUDIO)

    @property
    def is_frozen(self):
        return False

    @property
    def can_show_chains(self):
        return any(d._dspec.rack is not None for d in self._devices)

    mixer_device = held('_mixer')
    devices = held('_devices', tuple)
    clip_slots = held('_slots', tuple)

    @property
    def arrangement_clips(self):
        if self._kind not in (MIDI, AUDIO):
            raise RuntimeError('Track has no arrangement clips')
        return tuple(self._arr_clips)

    @property
    def take_lanes(self):
        return ()

    view = held('_view')
    playing_slot_index = stored('playing_slot_index')
    fired_slot_index = stored('fired_slot_index')
    output_meter_left = stored('output_meter_left')
    output_meter_right = stored('output_meter_right')
    output_meter_level = stored('output_meter_level')
    # -- routing (RoutingType / RoutingChannel objects, and the legacy strings) -----------
    def _routing_types(self, direction):
        w = self._w
        mk = lambda name, cat, obj=None: w._make('Track.RoutingType', name, w._enum('Track.RoutingTypeCategory', cat), obj)
        song = w.song
        if direction == 'in':
            if not self.can_be_armed:
                return []
            if self._kind == MIDI:
                out = [mk('All Ins', RT_EXTERNAL), mk('Computer Keyboard', RT_EXTERNAL)]
                out += [mk(t._p['name'], RT_TRACK, t) for t in song._tracks if t is not self and t._kind == MIDI]
            else:
                out = [mk('Ext. In', RT_EXTERNAL), mk('Resampling', RT_RESAMPLING)]
                out += [mk(t._p['name'], RT_TRACK, t) for t in song._tracks
                        if t is not self and (t._kind != MIDI or t.has_audio_output)]
            return out + [mk('No Input', RT_NONE)]
        if self._kind == MASTER:
            return [mk('Ext. Out', RT_EXTERNAL)]
        out = [mk('Master', RT_MASTER)]
        if self._group is not None:
            out.insert(0, mk(self._group._p['name'], RT_PARENT_GROUP, self._group))
        if self._kind in (MIDI, AUDIO, GROUP):
            out += [mk(r._p['name'], RT_TRACK, r) for r in song._returns]
        if self._kind == RETURN:
            out += [mk(r._p['name'], RT_TRACK, r) for r in song._returns if r is not self]
        return out + [mk('Sends Only', RT_NONE)]

    def _routing_channels(self, direction):
        w = self._w
        rtype = self._routing_type(direction)
        if rtype is None or rtype._cat_num == RT_NONE:
            return []
        if direction == 'in' and self._kind == MIDI and rtype._cat_num == RT_EXTERNAL:
            names = ['All Channels'] + ['Ch. %d' % i for i in range(1, 17)]
            layout = 0
        elif direction == 'in' and rtype._cat_num == RT_EXTERNAL:
            names, layout = ['1', '2', '1/2'], 2
        elif rtype._cat_num == RT_TRACK and direction == 'in':
            names, layout = (['Post FX', 'Pre FX', 'Post Mixer'], 2)
        else:
            names, layout = (['1/2'] if self._kind == MASTER else ['Track In'], 2)
        return [w._make('Track.RoutingChannel', n, w._enum('Track.RoutingChannelLayout', layout)) for n in names]

    def _routing_type(self, direction):
        key = 'input_routing_type' if direction == 'in' else 'output_routing_type'
        types = self._routing_types(direction)
        if not types:
            return None
        want = self._p.get(key)
        for r in types:
            if r._name == want:
                return r
        return types[0]

    def _routing_channel(self, direction):
        key = 'input_routing_channel' if direction == 'in' else 'output_routing_channel'
        chans = self._routing_channels(direction)
        if not chans:
            return self._w._make('Track.RoutingChannel', '', self._w._enum('Track.RoutingChannelLayout', 2))
        want = self._p.get(key)
        for c in chans:
            if c._name == want:
                return c
        return chans[-1] if chans[-1]._name == '1/2' else chans[0]

    def _set_routing_type(self, direction, value):
        name = value if isinstance(value, str) else getattr(value, '_name', None)
        types = self._routing_types(direction)
        if name is None or not any(r._name == name for r in types):
            raise RuntimeError('Invalid routing type')
        key = 'input_routing_type' if direction == 'in' else 'output_routing_type'
        self._user_set(key, name)
        self._notify('input_routings' if direction == 'in' else 'output_routings')
        self._notify(key.replace('type', 'channel'))

    def _set_routing_channel(self, direction, value):
        name = value if isinstance(value, str) else getattr(value, '_name', None)
        if name is None or not any(c._name == name for c in self._routing_channels(direction)):
            raise RuntimeError('Invalid routing channel')
        self._user_set('input_routing_channel' if direction == 'in' else 'output_routing_channel', name)

    available_input_routing_types = _routings('type', 'in')
    available_output_routing_types = _routings('type', 'out')
    available_input_routing_channels = _routings('channel', 'in')
    available_output_routing_channels = _routings('channel', 'out')
    input_routings = _routings('type', 'in', names=True)
    output_routings = _routings('type', 'out', names=True)
    input_sub_routings = _routings('channel', 'in', names=True)
    output_sub_routings = _routings('channel', 'out', names=True)

    input_routing_type = _routing('type', 'in')
    output_routing_type = _routing('type', 'out')
    input_routing_channel = _routing('channel', 'in')
    output_routing_channel = _routing('channel', 'out')
    current_input_routing = _routing('type', 'in', legacy=True)
    current_output_routing = _routing('type', 'out', legacy=True)
    current_input_sub_routing = _routing('channel', 'in', legacy=True)
    current_output_sub_routing = _routing('channel', 'out', legacy=True)

    # -- actions ---------------------------------------------------------------------
    def stop_all_clips(self, quantized=True):
        api.guard()
        targets = self._children() if self._kind == GROUP else [self]
        for t in targets:
            self._w.song._stop_track(t, bool(quantized))

    def delete_device(self, index):
        api.guard()
        index = checked_index(index, self._devices, 'device')
        del self._devices[index]
        self._notify('devices')
        self._w._record_structure('delete_device')

    def delete_clip(self, clip):
        api.guard()
        if clip in self._arr_clips:
            self._arr_clips.remove(clip)
            self._notify('arrangement_clips')
            return
        for s in self._slots:
            if s._clip is clip:
                s.delete_clip()
                return
        raise RuntimeError('Clip is not on this track')

    def duplicate_clip_slot(self, index):
        api.guard()
        index = int(index)
        if not 0 <= index < len(self._slots) or self._slots[index]._clip is None:
            raise RuntimeError('No clip to duplicate')
        song = self._w.song
        for j in range(index + 1, len(self._slots)):
            if self._slots[j]._clip is None:
                self._slots[index].duplicate_clip_to(self._slots[j])
                return j
        song._insert_scene(index + 1)
        self._slots[index].duplicate_clip_to(self._slots[index + 1])
        return index + 1

    def create_midi_clip(self, start_time, length):
        api.guard()
        if self._kind != MIDI:
            raise RuntimeError('Track is not a MIDI track')
        if float(length) <= 0:
            raise RuntimeError('Clip length must be greater than 0')
        c = self._w._make('Clip.Clip', self, '', float(length), self._p['color'], True)
        c._arrangement = True
        c._p['position'] = float(start_time)
        self._arr_clips.append(c)
        self._notify('arrangement_clips')
        return c

    def create_audio_clip(self, path, position):
        api.guard()
        if self._kind != AUDIO:
            raise RuntimeError('Track is not an audio track')
        if not os.path.isfile(str(path)):
            raise RuntimeError('File not found: %s' % path)
        name = os.path.splitext(os.path.basename(str(path)))[0]
        c = self._w._make('Clip.Clip', self, name, 8.0, self._p['color'], False, str(path))
        c._arrangement = True
        c._p['position'] = float(position)
        self._arr_clips.append(c)
        self._notify('arrangement_clips')
        return c if self._w.version != '12.0.5' else None

    def jump_in_running_session_clip(self, beats):
        api.guard()
        if 0 <= self._playing < len(self._slots):
            c = self._slots[self._playing]._clip
            if c is not None:
                c._start_beat -= float(beats)

    def get_data(self, key, default_value):
        return self._data.get(key, default_value)

    def set_data(self, key, value):
        self._data[key] = value
        self._notify('data')

    def insert_device(self, device_name, device_index=-1):
        api.guard()
        spec = P.find_device(device_name, self._w.major)
        if spec is None:
            raise RuntimeError('Unknown device: %s' % device_name)
        idx = len(self._devices) if device_index is None or device_index < 0 else int(device_index)
        d = self._w._make_device(self, spec)
        self._devices.insert(min(idx, len(self._devices)), d)
        self._notify('devices')
        return d

    def duplicate_device(self, index):
        api.guard()
        index = checked_index(index, self._devices, 'device')
        self._devices.insert(index + 1, self._devices[index]._copy_to(self))
        self._notify('devices')

    def _copy(self, song):
        n_ret = len(song._returns)
        t = self._w._make('Track.Track', song, self._kind, self._p['name'], self._p['color'], len(self._slots),
                          n_ret)
        for k in ('mute', 'solo', 'current_monitoring_state', 'fold_state'):
            t._p[k] = self._p[k]
        t._mixer._volume._p['value'] = self._mixer._volume._p['value']
        t._mixer._panning._p['value'] = self._mixer._panning._p['value']
        for a, b in zip(self._mixer._sends, t._mixer._sends):
            b._p['value'] = a._p['value']
        t._devices = [d._copy_to(t) for d in self._devices]
        for a, b in zip(self._slots, t._slots):
            if a._clip is not None:
                b._clip = a._clip._copy_to(b)
                b._refresh()
        t._group = self._group
        return t


def _refresh_group(self):
    """Group slot: triggered/playing mirrors its children's slots in that row."""
    t = self._track
    i = self._index()
    kids = t._children()
    self._set('is_triggered', any(k._slots[i]._p['is_triggered'] for k in kids))
    self._set('playing_status', 1 if any(k._slots[i]._p['playing_status'] >= 1 for k in kids) else 0)
    self._notify('controls_other_clips')


ClipSlot._refresh_group = _refresh_group


RT_EXTERNAL, RT_INVALID, RT_MASTER, RT_NONE, RT_PARENT_GROUP, RT_RESAMPLING, RT_REWIRE, RT_TRACK = range(8)


class RoutingType(object):
    """Live.Track.RoutingType: a value; equal when it names the same routing."""

    def __init__(self, name, category, attached=None):
        self._name = name
        self._cat = category
        self._cat_num = int(category)
        self._obj = attached

    display_name = held('_name')
    category = held('_cat')
    attached_object = held('_obj')

    def __eq__(self, other):
        return type(other) is type(self) and (self._name, self._cat_num, self._obj) == (
            other._name, other._cat_num, other._obj)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._name, self._cat_num))

    def __repr__(self):
        return '<RoutingType %r>' % self._name


class RoutingChannel(object):
    def __init__(self, name, layout):
        self._name = name
        self._layout = layout

    display_name = held('_name')
    layout = held('_layout')

    def __eq__(self, other):
        return type(other) is type(self) and self._name == other._name

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return '<RoutingChannel %r>' % self._name


class Scene(Coloured):
    def __init__(self, world, song, name, color, tempo=None):
        Lom.__init__(self, world, song)
        p = self._p
        p.update({'name': name, 'color': color, 'color_index': P.color_index(color), 'is_triggered': False,
                  'tempo': float(tempo) if tempo else -1.0, 'tempo_enabled': bool(tempo),
                  'time_signature_numerator': -1, 'time_signature_denominator': -1,
                  'time_signature_enabled': False})
        self._pending_at = None

    def _index(self):
        return self._w.song._scenes.index(self)

    name = stored('name', str)

    @property
    def tempo(self):
        return self._p['tempo']

    @tempo.setter
    def tempo(self, v):
        v = float(v)
        if self._w.major < 12:
            # Live 11 has no tempo_enabled: a tempo below 20 switches the scene tempo off
            if v < 20:
                self._user_set('tempo', -1.0)
                self._set('tempo_enabled', False)
                return
        if v < 20 or v > 999:
            raise RuntimeError('Invalid tempo')
        self._user_set('tempo', v)
        self._set('tempo_enabled', True)

    @property
    def tempo_enabled(self):
        return self._p['tempo_enabled']

    @tempo_enabled.setter
    def tempo_enabled(self, v):
        v = bool(v)
        if v and self._p['tempo'] < 20:
            self._set('tempo', self._w.song._p['tempo'])
        self._user_set('tempo_enabled', v)

    is_triggered = stored('is_triggered')

    @property
    def clip_slots(self):
        i = self._index()
        return tuple(t._slots[i] for t in self._w.song._tracks)

    @property
    def is_empty(self):
        i = self._index()
        return not any(t._slots[i]._clip is not None for t in self._w.song._tracks)

    def fire(self, force_legato=False, can_select_scene_on_launch=True):
        api.guard()
        self._w.song._fire_scene(self, can_select_scene_on_launch)

    def fire_as_selected(self, force_legato=False):
        api.guard()
        self._w.song._fire_scene(self, True)

    def set_fire_button_state(self, state):
        if state:
            self.fire()


class CuePoint(Lom):
    def __init__(self, world, song, name, time):
        Lom.__init__(self, world, song)
        self._p.update({'name': name, 'time': float(time)})

    name = stored('name', str)
    time = stored('time')

    def jump(self):
        api.guard()
        self._w.song._jump_to(self._p['time'])


class ValueObject(object):
    """Plain value objects of Live's API (Song.BeatTime, Song.SmptTime): storage only."""

    def __init__(self, **values):
        self._p = dict(values)
        self._ls = {}

    def _user_set(self, name, value):
        self._p[name] = value

    def __repr__(self):
        return '<%s %s>' % (type(self).__name__, ' '.join('%s=%r' % kv for kv in sorted(self._p.items())))
