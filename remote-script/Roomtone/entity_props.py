"""What the mirror reads from Live, per entity kind: the getters of every prop, the
listeners that mark them, and the lists each entity holds. mirror.py does the keeping;
this module only describes. Everything here runs on Live's main thread.
"""
from __future__ import absolute_import

from types import MappingProxyType

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
TRACK_ENTITY_KINDS = frozenset(('track', 'return', 'master'))

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


def alive(obj):
    """False when Live has deleted the object behind this wrapper: such a wrapper
    compares equal to None (Ableton's own scripts test `obj != None`) and raises on
    every read."""
    try:
        if obj == None:  # noqa: E711 -- Live's deleted objects compare equal to None
            return False
        obj.canonical_parent
    except Exception:
        return False
    return True


# Shared by every entity that holds no lists (clips, parameters, scenes, ...): a big
# set has tens of thousands of entities, and every object Python's garbage collector
# tracks makes each full collection (which runs on Live's main thread) longer.
NO_CHILDREN = MappingProxyType({})
LIST_OWNERS = frozenset(('song', 'track', 'return', 'master', 'clip_slot', 'device'))


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
        self.children = {} if kind in LIST_OWNERS else NO_CHILDREN
        self.extra = {} if kind in TRACK_ENTITY_KINDS else NO_CHILDREN


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
    'paramCount': lambda m, e: len(e.obj.parameters),
    # the parameters' ids while someone observes the device (empty otherwise)
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

# Props that automation and people dragging controls change many times a second: a
# listener marks them, and they are re-read at most every HOT_INTERVAL_S per entity.
HOT_PROPS = frozenset(('value', 'display', 'volume', 'pan', 'sends', 'crossfader'))

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


