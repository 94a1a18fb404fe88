"""The set mirror: stable ids, revs, listeners and changes.

Every Live object Roomtone shows gets an entity: a stable id (keyed by `_live_ptr`,
because real Live hands out a fresh Python wrapper on every access), the props last
sent, a rev, and the listeners registered for it. Listener callbacks only mark things
dirty (cheap, and Live forbids changing the set inside a notification); the main
thread's tick then
  * reconciles the lists that changed (tracks, scenes, clip slots, devices, ...):
    creating entities for new objects, removing the listeners and entities of gone
    ones,
  * re-reads only the props that were marked, and bumps the rev of an entity whose
    props really changed,
and hands back the changes of that tick as one batch.

Nothing here runs per tick over the whole set: work is proportional to what changed.
Structural changes (a track inserted) re-check the siblings' group membership, which
is proportional to the number of tracks.

Everything here runs on Live's main thread.
"""
from __future__ import absolute_import

# Live's enum values by name, with the int order Live uses as a fallback.
QUANTIZATION_BY_NAME = {
    'q_no_q': 'None', 'q_8_bars': '8 Bars', 'q_4_bars': '4 Bars', 'q_2_bars': '2 Bars',
    'q_bar': '1 Bar', 'q_half': '1/2', 'q_half_triplet': '1/2T', 'q_quarter': '1/4',
    'q_quarter_triplet': '1/4T', 'q_eight': '1/8', 'q_eight_triplet': '1/8T',
    'q_sixtenth': '1/16', 'q_sixtenth_triplet': '1/16T', 'q_thirtytwoth': '1/32',
}
QUANTIZATION_ORDER = ('q_no_q', 'q_8_bars', 'q_4_bars', 'q_2_bars', 'q_bar', 'q_half',
                      'q_half_triplet', 'q_quarter', 'q_quarter_triplet', 'q_eight',
                      'q_eight_triplet', 'q_sixtenth', 'q_sixtenth_triplet', 'q_thirtytwoth')
SLOT_PLAYING_ORDER = ('stopped', 'started', 'recording')
DEVICE_TYPES = {0: 'undefined', 1: 'instrument', 2: 'audio_effect', 4: 'midi_effect'}
MONITORING_NAMES = ('in', 'auto', 'off')          # Track.monitoring_states IN, AUTO, OFF
CROSSFADE_NAMES = ('A', 'none', 'B')              # MixerDevice.crossfade_assignments A, NONE, B

_CLEAN = object()   # "not marked dirty" (None already means "all props dirty")

KIND_ORDER = ('song', 'master', 'order', 'track', 'return', 'scene', 'clip_slot', 'clip',
              'device', 'parameter', 'cue_point')

ID_PREFIX = {'track': 't', 'scene': 's', 'clip_slot': 'cs', 'clip': 'c', 'device': 'd',
             'parameter': 'p', 'cue_point': 'cue'}


def enum_name(value, order=None):
    """A Live enum value as its name: real Live enums are ints whose str() is the name."""
    name = getattr(value, 'name', None)
    if isinstance(name, str) and name:
        return name
    text = str(value)
    if text and not text.lstrip('-').isdigit():
        return text.rsplit('.', 1)[-1]
    if order is not None:
        try:
            i = int(value)
        except (TypeError, ValueError):
            return None
        if 0 <= i < len(order):
            return order[i]
    return None


def quantization_label(value):
    name = enum_name(value, QUANTIZATION_ORDER)
    return QUANTIZATION_BY_NAME.get(name, name)


def live_ptr(obj):
    ptr = getattr(obj, '_live_ptr', None)
    return ptr if ptr is not None else id(obj)


def _f(x):
    return float(x)


def _alive(obj):
    """False when Live has deleted the object behind this wrapper (reads then raise)."""
    try:
        obj.canonical_parent
    except Exception:
        return False
    return True


class Entity(object):
    __slots__ = ('kind', 'id', 'obj', 'ptr', 'cat', 'props', 'rev', 'names', 'listeners',
                 'parent', 'children', 'extra')

    def __init__(self, kind, eid, obj, cat, parent):
        self.kind = kind
        self.id = eid
        self.obj = obj
        self.ptr = live_ptr(obj) if obj is not None else None
        self.cat = cat
        self.props = {}
        self.rev = None
        self.names = ()
        self.listeners = []
        self.parent = parent
        self.children = {}
        self.extra = {}


# ---- prop getters: (mirror, entity) -> JSON value ------------------------------------

SONG_GETTERS = {
    'tempo': lambda m, e: _f(e.obj.tempo),
    'isPlaying': lambda m, e: bool(e.obj.is_playing),
    'signatureNumerator': lambda m, e: int(e.obj.signature_numerator),
    'signatureDenominator': lambda m, e: int(e.obj.signature_denominator),
    'metronome': lambda m, e: bool(e.obj.metronome),
    'loop': lambda m, e: bool(e.obj.loop),
    'loopStart': lambda m, e: _f(e.obj.loop_start),
    'loopLength': lambda m, e: _f(e.obj.loop_length),
    'record': lambda m, e: bool(e.obj.record_mode),
    'overdub': lambda m, e: bool(e.obj.arrangement_overdub),
    'sessionRecord': lambda m, e: bool(e.obj.session_record),
    'crossfader': lambda m, e: _f(e.obj.master_track.mixer_device.crossfader.value),
    'canUndo': lambda m, e: bool(e.obj.can_undo),
    'canRedo': lambda m, e: bool(e.obj.can_redo),
    'quantization': lambda m, e: quantization_label(e.obj.clip_trigger_quantization),
}
SONG_NAMES = tuple(SONG_GETTERS)
# Live property -> props it feeds. can_undo/can_redo have no listener: polled.
SONG_LISTENERS = (
    ('tempo', ('tempo',)), ('is_playing', ('isPlaying',)),
    ('signature_numerator', ('signatureNumerator',)), ('signature_denominator', ('signatureDenominator',)),
    ('metronome', ('metronome',)), ('loop', ('loop',)), ('loop_start', ('loopStart',)),
    ('loop_length', ('loopLength',)), ('record_mode', ('record',)),
    ('arrangement_overdub', ('overdub',)), ('session_record', ('sessionRecord',)),
    ('clip_trigger_quantization', ('quantization',)),
)
SONG_STRUCTURE = (('tracks', 'tracks'), ('return_tracks', 'returns'), ('scenes', 'scenes'),
                  ('cue_points', 'cues'))


def _track_kind(m, e):
    if e.kind in ('master', 'return'):
        return e.kind
    obj = e.obj
    if obj.is_foldable:
        return 'group'
    return 'midi' if obj.has_midi_input else 'audio'


def _group_id(m, e):
    obj = e.obj
    if not obj.is_grouped:
        return None
    group = obj.group_track
    if group is None:
        return None
    return m.id_of('track', group)


def _monitoring(m, e):
    try:
        i = int(e.obj.current_monitoring_state)
    except (TypeError, ValueError):
        return enum_name(e.obj.current_monitoring_state, ('IN', 'AUTO', 'OFF')).lower()
    return MONITORING_NAMES[i] if 0 <= i < 3 else 'auto'


def _crossfade(m, e):
    v = e.obj.mixer_device.crossfade_assign
    try:
        i = int(v)
    except (TypeError, ValueError):
        n = (enum_name(v) or 'NONE').upper()
        return 'none' if n == 'NONE' else n
    return CROSSFADE_NAMES[i] if 0 <= i < 3 else 'none'


TRACK_GETTERS = {
    'kind': _track_kind,
    'name': lambda m, e: str(e.obj.name),
    'color': lambda m, e: int(e.obj.color),
    'volume': lambda m, e: _f(e.obj.mixer_device.volume.value),
    'pan': lambda m, e: _f(e.obj.mixer_device.panning.value),
    'mute': lambda m, e: bool(e.obj.mute),
    'solo': lambda m, e: bool(e.obj.solo),
    'arm': lambda m, e: bool(e.obj.arm),
    'canArm': lambda m, e: bool(e.obj.can_be_armed),
    'monitoring': _monitoring,
    'isFoldable': lambda m, e: bool(e.obj.is_foldable),
    'fold': lambda m, e: bool(e.obj.fold_state),
    'groupId': _group_id,
    'sends': lambda m, e: [_f(p.value) for p in e.obj.mixer_device.sends],
    'crossfadeAssign': _crossfade,
    'playingSlotIndex': lambda m, e: int(e.obj.playing_slot_index),
    'firedSlotIndex': lambda m, e: int(e.obj.fired_slot_index),
    'devices': lambda m, e: list(e.children.get('devices', ())),
    'clipSlots': lambda m, e: list(e.children.get('slots', ())),
}
TRACK_LISTENERS = (
    ('name', ('name',)), ('color', ('color',)), ('mute', ('mute',)), ('solo', ('solo',)),
    ('arm', ('arm',)), ('current_monitoring_state', ('monitoring',)),
    ('playing_slot_index', ('playingSlotIndex',)), ('fired_slot_index', ('firedSlotIndex',)),
)
TRACK_STRUCTURE = (('devices', 'devices'), ('clip_slots', 'slots'))
MIXER_LISTENERS = (('crossfade_assign', ('crossfadeAssign',)),)
MIXER_STRUCTURE = (('sends', 'sends'),)


def track_prop_names(kind, obj):
    if kind == 'master':
        return ('kind', 'name', 'color', 'volume', 'pan', 'devices')
    if kind == 'return':
        return ('kind', 'name', 'color', 'volume', 'pan', 'mute', 'solo', 'sends',
                'crossfadeAssign', 'devices')
    names = ['kind', 'name', 'color', 'volume', 'pan', 'mute', 'solo']
    foldable = bool(obj.is_foldable)
    can_arm = bool(obj.can_be_armed)
    if can_arm:
        names.append('arm')
    names.append('canArm')
    if not foldable:
        names.append('monitoring')
    names.append('isFoldable')
    if foldable:
        names.append('fold')
    names += ['groupId', 'sends', 'crossfadeAssign', 'playingSlotIndex', 'firedSlotIndex',
              'devices', 'clipSlots']
    return tuple(names)


def _scene_tempo(m, e):
    obj = e.obj
    if hasattr(obj, 'tempo_enabled'):
        return _f(obj.tempo) if obj.tempo_enabled else None
    t = _f(obj.tempo)  # Live 11: -1 when the scene has no tempo
    return t if t > 0 else None


SCENE_GETTERS = {
    'name': lambda m, e: str(e.obj.name),
    'color': lambda m, e: int(e.obj.color),
    'tempo': _scene_tempo,
    'isTriggered': lambda m, e: bool(e.obj.is_triggered),
}
SCENE_LISTENERS = (
    ('name', ('name', 'tempo')),  # Live 11 keeps a scene's tempo in its name
    ('color', ('color',)), ('is_triggered', ('isTriggered',)),
    ('tempo', ('tempo',)), ('tempo_enabled', ('tempo',)),   # 12.0+ only (guarded)
)


def _slot_state(m, e):
    """From the slot's own members: has_clip, is_triggered, playing_status."""
    slot = e.obj
    if slot.is_triggered:
        return 'triggered'   # also an empty slot about to record, or its stop button
    if not slot.has_clip:
        return 'empty'
    status = enum_name(slot.playing_status, SLOT_PLAYING_ORDER)
    if status == 'recording' or slot.is_recording:
        return 'recording'
    if status == 'started' or slot.is_playing:
        return 'playing'
    return 'stopped'


def _clip_state_of(clip, slot=None):
    if clip.is_recording:
        return 'recording'
    if (slot is not None and slot.is_triggered) or clip.is_triggered:
        return 'triggered'
    if clip.is_playing:
        return 'playing'
    return 'stopped'


SLOT_GETTERS = {
    'trackId': lambda m, e: e.parent,
    'hasClip': lambda m, e: bool(e.obj.has_clip),
    'clipId': lambda m, e: (e.children.get('clip') or [None])[0],
    'state': _slot_state,
    'hasStopButton': lambda m, e: bool(e.obj.has_stop_button),
}
SLOT_LISTENERS = (
    ('has_clip', ('hasClip', 'clipId', 'state')), ('playing_status', ('state',)),
    ('is_triggered', ('state',)), ('has_stop_button', ('hasStopButton',)),
)
SLOT_STRUCTURE = (('has_clip', 'clip'),)


def _clip_length(m, e):
    return _f(e.obj.length)


CLIP_GETTERS = {
    'slotId': lambda m, e: e.parent,
    'trackId': lambda m, e: m.parent_of(e.parent),
    'name': lambda m, e: str(e.obj.name),
    'color': lambda m, e: int(e.obj.color),
    'length': _clip_length,
    'looping': lambda m, e: bool(e.obj.looping),
    'loopStart': lambda m, e: _f(e.obj.loop_start),
    'loopEnd': lambda m, e: _f(e.obj.loop_end),
    'isMidi': lambda m, e: bool(e.obj.is_midi_clip),
    'state': lambda m, e: _clip_state_of(e.obj, m.obj_of(e.parent)),
}
# Clip has no length listener (AbletonOSC #49): length follows loop and marker changes.
CLIP_LISTENERS = (
    ('name', ('name',)), ('color', ('color',)), ('looping', ('looping', 'length')),
    ('loop_start', ('loopStart', 'length')), ('loop_end', ('loopEnd', 'length')),
    ('start_marker', ('length',)), ('end_marker', ('length',)),
    ('playing_status', ('state',)), ('is_recording', ('state',)),
)


def _device_type(m, e):
    v = e.obj.type
    name = enum_name(v)
    if name in ('instrument', 'audio_effect', 'midi_effect', 'undefined'):
        return name
    try:
        return DEVICE_TYPES.get(int(v), 'undefined')
    except (TypeError, ValueError):
        return 'undefined'


def macro_count(device):
    if not device.can_have_chains:
        return 0
    if hasattr(device, 'visible_macro_count'):
        return int(device.visible_macro_count)
    return 8


def _macros(m, e):
    n = macro_count(e.obj)
    params = e.children.get('params', ())
    # parameters[0] is "Device On"; the macros follow it.
    return list(params[1:1 + n])


DEVICE_GETTERS = {
    'trackId': lambda m, e: e.parent,
    'name': lambda m, e: str(e.obj.name),
    'className': lambda m, e: str(e.obj.class_name),
    'type': _device_type,
    'isActive': lambda m, e: bool(e.obj.is_active),
    'canHaveChains': lambda m, e: bool(e.obj.can_have_chains),
    'params': lambda m, e: list(e.children.get('params', ())),
    'macros': _macros,
}
DEVICE_LISTENERS = (
    ('name', ('name',)), ('is_active', ('isActive',)),
    ('visible_macro_count', ('macros',)),  # 12.0+ only (guarded)
)
DEVICE_STRUCTURE = (('parameters', 'params'),)


def _param_display(m, e):
    p = e.obj
    try:
        return str(p.str_for_value(p.value))
    except Exception:
        return str(p)


PARAM_GETTERS = {
    'deviceId': lambda m, e: e.parent,
    'name': lambda m, e: str(e.obj.name),
    'value': lambda m, e: _f(e.obj.value),
    'min': lambda m, e: _f(e.obj.min),
    'max': lambda m, e: _f(e.obj.max),
    'isQuantized': lambda m, e: bool(e.obj.is_quantized),
    'valueItems': lambda m, e: [str(x) for x in e.obj.value_items] if e.obj.is_quantized else [],
    'display': _param_display,
    'defaultValue': lambda m, e: _f(e.obj.default_value),
    'isEnabled': lambda m, e: bool(e.obj.is_enabled),
}
PARAM_LISTENERS = (('value', ('value', 'display')), ('name', ('name',)), ('state', ('isEnabled',)))

CUE_GETTERS = {
    'name': lambda m, e: str(e.obj.name),
    'time': lambda m, e: _f(e.obj.time),
}
CUE_LISTENERS = (('name', ('name',)), ('time', ('time',)))

ORDER_GETTERS = {
    'tracks': lambda m, e: list(m.song_entity.children.get('tracks', ())),
    'returns': lambda m, e: list(m.song_entity.children.get('returns', ())),
    'scenes': lambda m, e: list(m.song_entity.children.get('scenes', ())),
    'cuePoints': lambda m, e: list(m.song_entity.children.get('cues', ())),
}

GETTERS = {
    'song': SONG_GETTERS, 'track': TRACK_GETTERS, 'return': TRACK_GETTERS,
    'master': TRACK_GETTERS, 'scene': SCENE_GETTERS, 'clip_slot': SLOT_GETTERS,
    'clip': CLIP_GETTERS, 'device': DEVICE_GETTERS, 'parameter': PARAM_GETTERS,
    'cue_point': CUE_GETTERS, 'order': ORDER_GETTERS,
}

# Every listener the mirror may register, per Live class, for the member table test.
LISTENED = {
    'Song.Song': [p for p, _ in SONG_LISTENERS] + [p for p, _ in SONG_STRUCTURE],
    'Track.Track': [p for p, _ in TRACK_LISTENERS] + [p for p, _ in TRACK_STRUCTURE],
    'MixerDevice.MixerDevice': [p for p, _ in MIXER_LISTENERS] + [p for p, _ in MIXER_STRUCTURE],
    'DeviceParameter.DeviceParameter': [p for p, _ in PARAM_LISTENERS],
    'Scene.Scene': [p for p, _ in SCENE_LISTENERS],
    'ClipSlot.ClipSlot': [p for p, _ in SLOT_LISTENERS],
    'Clip.Clip': [p for p, _ in CLIP_LISTENERS],
    # registered on every device; RackDevice has all of Device's members plus the macros
    'RackDevice.RackDevice': [p for p, _ in DEVICE_LISTENERS] + [p for p, _ in DEVICE_STRUCTURE],
    'Song.CuePoint': [p for p, _ in CUE_LISTENERS],
}


class Mirror(object):
    def __init__(self, song, epoch, log=None):
        self.song = song
        self.epoch = epoch
        self._log = log or (lambda msg: None)
        self._counter = 0
        self._entities = {}     # id -> Entity
        self._ids = {}          # (cat, ptr) -> id
        self._next = {}         # prefix -> next number
        self._dirty = {}        # id -> set of prop names, or None for all
        self._struct = set()    # (id, what)
        self._pending = {}      # id -> change dict for this tick
        self._poll_cursor = 0
        self._poll_groups = []
        self.song_entity = None
        self.order_entity = None
        self.master_entity = None
        self.listener_count = 0

    # ---- ids and lookup ----------------------------------------------------------

    def next_rev(self):
        self._counter += 1
        return '%s.%d' % (self.epoch, self._counter)

    def get(self, eid):
        if not isinstance(eid, str):
            return None
        return self._entities.get(eid)

    def id_of(self, cat, obj):
        return self._ids.get((cat, live_ptr(obj)))

    def obj_of(self, eid):
        e = self._entities.get(eid)
        return e.obj if e is not None else None

    def parent_of(self, eid):
        e = self._entities.get(eid)
        return e.parent if e is not None else None

    def entities(self):
        return self._entities.values()

    def __len__(self):
        return len(self._entities)

    def _new_id(self, cat):
        prefix = ID_PREFIX[cat]
        n = self._next.get(prefix, 0) + 1
        self._next[prefix] = n
        return '%s%d' % (prefix, n)

    # ---- building -----------------------------------------------------------------

    def build(self):
        song = self.song
        se = Entity('song', 'song', song, 'song', None)
        self.song_entity = se
        self._entities['song'] = se
        for prop, names in SONG_LISTENERS:
            self._listen(se, song, prop, names)
        for prop, what in SONG_STRUCTURE:
            self._listen_struct(se, song, prop, what)
        master = song.master_track
        me = Entity('master', 'master', master, 'track', None)
        self.master_entity = me
        self._entities['master'] = me
        self._ids[('track', me.ptr)] = 'master'
        self._setup_track(me)
        # the master's crossfader is a song prop
        self._listen(se, master.mixer_device.crossfader, 'value', ('crossfader',))
        se.names = SONG_NAMES
        oe = Entity('order', 'order', None, 'order', None)
        oe.names = tuple(ORDER_GETTERS)
        self.order_entity = oe
        self._entities['order'] = oe
        for what in ('tracks', 'returns', 'scenes', 'cues'):
            se.children[what] = []
            try:
                self._reconcile_song(se, what)
            except Exception as exc:
                self._log('Roomtone: reading the set\'s %s failed: %r' % (what, exc))
        self._refresh(se, None)
        self._refresh(me, None)
        self._refresh(oe, None)
        self._pending = {}   # the snapshot carries the initial state

    # ---- listeners -----------------------------------------------------------------

    def _add_listener(self, ent, obj, prop, cb):
        add = getattr(obj, 'add_%s_listener' % prop, None)
        if add is None:
            return False   # this Live (or this object) lacks the listener
        try:
            add(cb)
        except Exception as exc:
            self._log('Roomtone: cannot listen to %s.%s: %r' % (ent.id, prop, exc))
            return False
        ent.listeners.append((obj, prop, cb))
        self.listener_count += 1
        return True

    def _listen(self, ent, obj, prop, names):
        eid = ent.id
        names = frozenset(names)

        def cb():
            self.mark(eid, names)
        return self._add_listener(ent, obj, prop, cb)

    def _listen_struct(self, ent, obj, prop, what):
        eid = ent.id
        key = (eid, what)

        def cb():
            self._struct.add(key)
        return self._add_listener(ent, obj, prop, cb)

    def _remove_listeners(self, ent, only=None):
        keep = []
        for item in ent.listeners:
            obj, prop, cb = item
            if only is not None and id(cb) not in only:
                keep.append(item)
                continue
            try:
                has = getattr(obj, '%s_has_listener' % prop)
                if has(cb):
                    getattr(obj, 'remove_%s_listener' % prop)(cb)
            except Exception:
                pass  # the object is gone in Live; so are its listeners
            self.listener_count -= 1
        ent.listeners = keep

    def our_listeners(self):
        """(obj, prop, callback) of every listener registered now (tests count them)."""
        out = []
        for e in self._entities.values():
            out.extend(e.listeners)
        return out

    # ---- dirtiness --------------------------------------------------------------------

    def mark(self, eid, names=None):
        d = self._dirty
        if names is None:
            d[eid] = None
        elif eid in d:
            cur = d[eid]
            if cur is not None:
                cur.update(names)
        else:
            d[eid] = set(names)

    def mark_structure(self, eid, what):
        self._struct.add((eid, what))

    def is_dirty(self, eid):
        return eid in self._dirty

    def has_work(self):
        return bool(self._dirty or self._struct or self._pending)

    # ---- entity creation and removal ----------------------------------------------

    def _register(self, kind, cat, obj, parent):
        ptr = live_ptr(obj)
        eid = self._ids.get((cat, ptr))
        if eid is not None and eid in self._entities:
            old = self._entities[eid]
            if _alive(old.obj):
                return old, False
            # Live freed the object we knew and a new one got its address (delete and
            # create within one tick): the old entity and its listeners go, the new one
            # gets a new id.
            self._destroy(eid)
        eid = self._new_id(cat)
        ent = Entity(kind, eid, obj, cat, parent)
        self._entities[eid] = ent
        self._ids[(cat, ptr)] = eid
        return ent, True

    def _created(self, ent):
        self._refresh(ent, None, created=True)

    def _setup_track(self, ent):
        obj = ent.obj
        ent.names = track_prop_names(ent.kind, obj)
        names = ent.names
        for prop, props in TRACK_LISTENERS:
            props = tuple(p for p in props if p in names)
            if props:
                self._listen(ent, obj, prop, props)
        mixer = obj.mixer_device
        self._listen(ent, mixer.volume, 'value', ('volume',))
        self._listen(ent, mixer.panning, 'value', ('pan',))
        if 'crossfadeAssign' in names:
            for prop, props in MIXER_LISTENERS:
                self._listen(ent, mixer, prop, props)
        if 'sends' in names:
            for prop, what in MIXER_STRUCTURE:
                self._listen_struct(ent, mixer, prop, what)
            ent.extra['send_listeners'] = []
            self._relisten_sends(ent)
        for prop, what in TRACK_STRUCTURE:
            if what == 'slots' and 'clipSlots' not in names:
                continue
            self._listen_struct(ent, obj, prop, what)
            ent.children[what] = []
            self._reconcile_track(ent, what)
        if 'fold' in names:
            self._poll_groups.append(ent.id)   # fold_state has no listener

    def _relisten_sends(self, ent):
        old = ent.extra.get('send_listeners') or []
        if old:
            self._remove_listeners(ent, only=set(id(item[2]) for item in old))
        n_before = len(ent.listeners)
        for p in ent.obj.mixer_device.sends:
            self._listen(ent, p, 'value', ('sends',))
        fresh = ent.listeners[n_before:]
        ent.extra['send_listeners'] = list(fresh)

    def _make_track(self, obj, kind, parent='song'):
        ent, new = self._register(kind, 'track', obj, parent)
        if new:
            self._setup_track(ent)
            self._created(ent)
        return ent

    def _make_scene(self, obj):
        ent, new = self._register('scene', 'scene', obj, 'song')
        if new:
            ent.names = tuple(SCENE_GETTERS)
            for prop, names in SCENE_LISTENERS:
                self._listen(ent, obj, prop, names)
            self._created(ent)
        return ent

    def _make_cue(self, obj):
        ent, new = self._register('cue_point', 'cue_point', obj, 'song')
        if new:
            ent.names = tuple(CUE_GETTERS)
            for prop, names in CUE_LISTENERS:
                self._listen(ent, obj, prop, names)
            self._created(ent)
        return ent

    def _make_slot(self, obj, track_id):
        ent, new = self._register('clip_slot', 'clip_slot', obj, track_id)
        if new:
            ent.names = tuple(SLOT_GETTERS)
            eid = ent.id
            for prop, names in SLOT_LISTENERS:
                if prop == 'is_triggered':
                    self._add_listener(ent, obj, prop, self._slot_trigger_cb(eid))
                else:
                    self._listen(ent, obj, prop, names)
            for prop, what in SLOT_STRUCTURE:
                self._listen_struct(ent, obj, prop, what)
            ent.children['clip'] = []
            self._reconcile_slot(ent)
            self._created(ent)
        return ent

    def _slot_trigger_cb(self, slot_id):
        state = frozenset(('state',))

        def cb():
            self.mark(slot_id, state)
            e = self._entities.get(slot_id)
            if e is not None:
                for cid in e.children.get('clip', ()):
                    self.mark(cid, state)
        return cb

    def _make_clip(self, obj, slot_id):
        ent, new = self._register('clip', 'clip', obj, slot_id)
        if new:
            ent.names = tuple(CLIP_GETTERS)
            eid = ent.id
            state = frozenset(('state',))
            for prop, names in CLIP_LISTENERS:
                if prop in ('playing_status', 'is_recording'):
                    def cb(eid=eid, slot_id=slot_id):
                        self.mark(eid, state)
                        self.mark(slot_id, state)
                    self._add_listener(ent, obj, prop, cb)
                else:
                    self._listen(ent, obj, prop, names)
            self._created(ent)
        return ent

    def _make_device(self, obj, track_id):
        ent, new = self._register('device', 'device', obj, track_id)
        if new:
            ent.names = tuple(DEVICE_GETTERS)
            for prop, names in DEVICE_LISTENERS:
                self._listen(ent, obj, prop, names)
            for prop, what in DEVICE_STRUCTURE:
                self._listen_struct(ent, obj, prop, what)
            ent.children['params'] = []
            self._reconcile_device(ent)
            self._created(ent)
        return ent

    def _make_param(self, obj, device_id):
        ent, new = self._register('parameter', 'parameter', obj, device_id)
        if new:
            ent.names = tuple(PARAM_GETTERS)
            for prop, names in PARAM_LISTENERS:
                self._listen(ent, obj, prop, names)
            self._created(ent)
        return ent

    def _destroy(self, eid):
        ent = self._entities.pop(eid, None)
        if ent is None:
            return
        for ids in ent.children.values():
            for cid in list(ids):
                self._destroy(cid)
        self._remove_listeners(ent)
        if self._ids.get((ent.cat, ent.ptr)) == eid:
            del self._ids[(ent.cat, ent.ptr)]
        self._dirty.pop(eid, None)
        self._pending[eid] = {'kind': ent.kind, 'id': eid, 'removed': True}
        if eid in self._poll_groups:
            self._poll_groups.remove(eid)

    # ---- reconciling lists --------------------------------------------------------------

    def _sync_list(self, parent, what, objs, make):
        old = parent.children.get(what, [])
        new = []
        for obj in objs:
            try:
                new.append(make(obj).id)
            except Exception as exc:   # one odd object must not hide the rest of the set
                self._log('Roomtone: cannot mirror %r in %s.%s: %r' % (obj, parent.id, what, exc))
        if new != old:
            parent.children[what] = new
            keep = set(new)
            for eid in old:
                if eid not in keep:
                    self._destroy(eid)
            return True
        return False

    def _reconcile_song(self, se, what):
        song = self.song
        if what == 'tracks':
            changed = self._sync_list(se, 'tracks', song.tracks,
                                      lambda o: self._make_track(o, 'track'))
            if changed:
                # grouping and foldability follow structure; there is no listener for them
                for tid in se.children['tracks']:
                    self.mark(tid, ('groupId', 'kind'))
        elif what == 'returns':
            changed = self._sync_list(se, 'returns', song.return_tracks,
                                      lambda o: self._make_track(o, 'return'))
            if changed:
                for tid in se.children['tracks'] + se.children['returns']:
                    self._struct.add((tid, 'sends'))
        elif what == 'scenes':
            changed = self._sync_list(se, 'scenes', song.scenes, self._make_scene)
            if changed:
                for tid in se.children['tracks']:
                    self._struct.add((tid, 'slots'))
        elif what == 'cues':
            changed = self._sync_list(se, 'cues', song.cue_points, self._make_cue)
        else:
            changed = False
        if changed:
            self.mark('order', None)

    def _reconcile_track(self, te, what):
        obj = te.obj
        if what == 'devices':
            tid = te.id
            if self._sync_list(te, 'devices', obj.devices, lambda o: self._make_device(o, tid)):
                self.mark(tid, ('devices',))
        elif what == 'slots':
            tid = te.id
            if self._sync_list(te, 'slots', obj.clip_slots, lambda o: self._make_slot(o, tid)):
                self.mark(tid, ('clipSlots',))
        elif what == 'sends':
            if 'send_listeners' in te.extra:
                self._relisten_sends(te)
                self.mark(te.id, ('sends',))

    def _reconcile_slot(self, se):
        obj = se.obj
        sid = se.id
        objs = [obj.clip] if obj.has_clip else []
        if self._sync_list(se, 'clip', objs, lambda o: self._make_clip(o, sid)):
            self.mark(sid, ('hasClip', 'clipId', 'state'))

    def _reconcile_device(self, de):
        did = de.id
        if self._sync_list(de, 'params', de.obj.parameters, lambda o: self._make_param(o, did)):
            self.mark(did, ('params', 'macros'))

    def reconcile(self):
        guard = 0
        while self._struct and guard < 10000:
            guard += 1
            eid, what = self._struct.pop()
            ent = self._entities.get(eid)
            if ent is None:
                continue
            try:
                if ent.kind == 'song':
                    self._reconcile_song(ent, what)
                elif ent.kind in ('track', 'return', 'master'):
                    self._reconcile_track(ent, what)
                elif ent.kind == 'clip_slot':
                    self._reconcile_slot(ent)
                elif ent.kind == 'device':
                    self._reconcile_device(ent)
            except Exception as exc:
                self._log('Roomtone: reconcile %s/%s failed: %r' % (eid, what, exc))

    # ---- props and revs ---------------------------------------------------------------

    def _refresh(self, ent, names, created=False):
        getters = GETTERS[ent.kind]
        props = ent.props
        changed = {}
        for name in (ent.names if names is None else names):
            if name not in ent.names:
                continue
            try:
                value = getters[name](self, ent)
            except Exception as exc:
                self._log('Roomtone: reading %s.%s failed: %r' % (ent.id, name, exc))
                continue
            if created or name not in props or props[name] != value or type(props[name]) is not type(value):
                changed[name] = value
        if not changed:
            return False
        props.update(changed)
        ent.rev = self.next_rev()
        pend = self._pending.get(ent.id)
        if created or pend is None or pend.get('removed'):
            self._pending[ent.id] = {'kind': ent.kind, 'id': ent.id, 'rev': ent.rev,
                                     'props': dict(props) if created else changed}
        else:
            pend['rev'] = ent.rev
            pend['props'].update(changed)
        if ent.kind == 'track' and ('playingSlotIndex' in changed or 'firedSlotIndex' in changed):
            self._slot_index_moved(ent)
        return True

    def _slot_index_moved(self, te):
        # Slot playing_status listeners are unreliable (ableton-js #4, #25): the track's
        # playing/fired index also re-reads the slots it names.
        state = ('state',)
        slots = te.children.get('slots', ())
        for key in ('playingSlotIndex', 'firedSlotIndex'):
            for idx in (te.props.get(key), te.extra.get(key)):
                if isinstance(idx, int) and 0 <= idx < len(slots):
                    sid = slots[idx]
                    self.mark(sid, state)
                    for cid in self._entities[sid].children.get('clip', ()):
                        self.mark(cid, state)
            te.extra[key] = te.props.get(key)

    def refresh_now(self, ent):
        """Bring one entity up to date (before a baseRev check or after a command)."""
        if self._struct:
            self.reconcile()
        if ent.id in self._dirty:
            names = self._dirty.pop(ent.id)
            self._refresh(ent, names)
        return ent

    def refresh_props(self, ent, names=None):
        """Re-read `names` (all when None) of one entity now."""
        if self._struct:
            self.reconcile()
        pending = self._dirty.pop(ent.id, _CLEAN)
        if names is not None and pending is not _CLEAN:
            names = None if pending is None else set(names) | pending
        self._refresh(ent, names)
        return ent

    def flush(self):
        """Reconcile, re-read what was marked, and return this tick's changes."""
        rounds = 0
        while (self._struct or self._dirty) and rounds < 50:
            rounds += 1
            if self._struct:
                self.reconcile()
            while self._dirty:
                eid, names = self._dirty.popitem()
                ent = self._entities.get(eid)
                if ent is not None:
                    self._refresh(ent, names)
        if not self._pending:
            return []
        changes = list(self._pending.values())
        self._pending = {}
        return changes

    def poll(self, tick):
        """Members with no listener: undo state (every 10th tick), one group's fold per tick."""
        if tick % 10 == 0:
            self.mark('song', ('canUndo', 'canRedo'))
        if self._poll_groups:
            self._poll_cursor = (self._poll_cursor + 1) % len(self._poll_groups)
            self.mark(self._poll_groups[self._poll_cursor], ('fold',))

    # ---- snapshot and teardown ---------------------------------------------------------

    def snapshot_entities(self):
        by_kind = {}
        for e in self._entities.values():
            by_kind.setdefault(e.kind, []).append(e)
        out = []
        for kind in KIND_ORDER:
            for e in by_kind.get(kind, ()):
                out.append({'kind': e.kind, 'id': e.id, 'rev': e.rev, 'props': dict(e.props)})
        return out

    def entity_dict(self, ent):
        d = dict(ent.props)
        d['id'] = ent.id
        d['rev'] = ent.rev
        return d

    def teardown(self):
        for e in list(self._entities.values()):
            self._remove_listeners(e)
        self._entities = {}
        self._ids = {}
        self._dirty = {}
        self._struct = set()
        self._pending = {}
        self._poll_groups = []

    # ---- helpers for actions -------------------------------------------------------------

    def index_in_parent(self, ent, what):
        """Index of `ent` in its parent's Live list, checked against `_live_ptr`."""
        parent = self._entities.get(ent.parent) if ent.parent else None
        if parent is None:
            return -1
        ids = parent.children.get(what, ())
        try:
            return ids.index(ent.id)
        except ValueError:
            return -1

    def sync_now(self, eid, what):
        """Reconcile one list at once (after a command changed it)."""
        self._struct.add((eid, what))
        self.reconcile()
