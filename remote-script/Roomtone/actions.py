"""Every action of protocol/actions/catalogue.ts, run on Live's main thread.

`HANDLERS` maps an action name to its handler, `SPECS` to its spec (target kind, mode,
the prop it writes, the argument schema). A handler is `handler(ctx, entity, args)` and
returns `(entity, value)`: the entity whose rev the result carries (None when the
target is gone) and the value Live reports after applying. The script has by then
checked the target, its kind, `baseRev` and the deadline; handlers validate nothing but
the state Live is in (a clip slot that is empty, a track that cannot be armed, ...).

Result values: a read returns its data; a write returns what it wrote as Live reports
it afterwards (`track.set_volume` -> the volume, `track.set_send` -> that send's level,
`song.set_loop_region` -> {start, length}); a create returns the new entity's id.
"""
from __future__ import absolute_import

import math
import os
import time

from .protocol import CommandError, CONFLICT, INVALID, LIVE_ERROR, NOT_FOUND, UNSUPPORTED
from .mirror import live_ptr, macro_count, QUANTIZATION_BY_NAME, QUANTIZATION_ORDER
from .device_banks import device_banks


def live_module():
    """The `Live` module, looked up when needed (the simulator installs it late)."""
    try:
        import Live
    except ImportError:
        return None
    return Live


BEATS_MAX = 1000000.0
BROWSER_CATEGORIES = ('instruments', 'audio_effects', 'midi_effects', 'drums', 'sounds', 'plugins')
BROWSER_NODE_CAP = 20000   # items visited per browser walk, at most
BROWSER_TIME_CAP_S = 0.05  # and never longer than this on Live's main thread
MONITORING = {'in': 0, 'auto': 1, 'off': 2}
CROSSFADE = {'A': 0, 'none': 1, 'B': 2}

# ---- argument validation (mirrors the zod schemas; objects are strict) ------------------

_MISSING = object()


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def num(lo=None, hi=None, gt=None, integer=False):
    def check(key, v):
        if not _is_num(v):
            raise CommandError(INVALID, '%s must be a finite number' % key)
        if integer and v != int(v):
            raise CommandError(INVALID, '%s must be an integer' % key)
        if lo is not None and v < lo:
            raise CommandError(INVALID, '%s must be >= %s' % (key, lo))
        if hi is not None and v > hi:
            raise CommandError(INVALID, '%s must be <= %s' % (key, hi))
        if gt is not None and not v > gt:
            raise CommandError(INVALID, '%s must be > %s' % (key, gt))
        return int(v) if integer else float(v)
    return check


def boolean(key, v):
    if not isinstance(v, bool):
        raise CommandError(INVALID, '%s must be a boolean' % key)
    return v


def text(lo=1, hi=128, trim=False):
    def check(key, v):
        if not isinstance(v, str):
            raise CommandError(INVALID, '%s must be a string' % key)
        if trim:
            v = v.strip()
        if len(v) < lo or len(v) > hi:
            raise CommandError(INVALID, '%s must be %d..%d characters' % (key, lo, hi))
        return v
    return check


def one_of(*values):
    def check(key, v):
        if not isinstance(v, (str, int)) or isinstance(v, bool) or v not in values:
            raise CommandError(INVALID, '%s must be one of %s' % (key, ', '.join(str(x) for x in values)))
        return v
    return check


def nullable(inner):
    def check(key, v):
        return None if v is None else inner(key, v)
    return check


def note_list(key, v):
    if not isinstance(v, list):
        raise CommandError(INVALID, '%s must be an array' % key)
    if len(v) > 5000:
        raise CommandError(INVALID, '%s holds at most 5000 notes' % key)
    return [validate(NOTE_SCHEMA, n, '%s[%d]' % (key, i)) for i, n in enumerate(v)]


def validate(schema, args, where='args'):
    """schema: {key: (check, default)}; default _MISSING = required, None = optional."""
    if not isinstance(args, dict):
        raise CommandError(INVALID, '%s must be an object' % where)
    extra = [k for k in args if k not in schema]
    if extra:
        raise CommandError(INVALID, '%s has unknown key %r' % (where, extra[0]))
    out = {}
    for key, (check, default) in schema.items():
        if key in args:
            out[key] = check('%s.%s' % (where, key) if where != 'args' else key, args[key])
        elif default is _MISSING:
            raise CommandError(INVALID, '%s is required' % key)
        elif default is not None:
            out[key] = default
    return out


BEATS = num(0, BEATS_MAX)
NONE = {}
BOOL = {'value': (boolean, _MISSING)}
UNIT = {'value': (num(0, 1), _MISSING)}
BIPOLAR = {'value': (num(-1, 1), _MISSING)}
NAME = {'name': (text(1, 128, trim=True), _MISSING)}
COLOR = {'value': (num(0, 0xFFFFFF, integer=True), _MISSING)}
OPTIONAL_INDEX = {'index': (num(-1, 10000, integer=True), None)}
NOTE_SCHEMA = {
    'pitch': (num(0, 127, integer=True), _MISSING),
    'start': (BEATS, _MISSING),
    'duration': (num(hi=100000, gt=0), _MISSING),
    'velocity': (num(0, 127), 100.0),
    'mute': (boolean, False),
}
NOTES = {'notes': (note_list, _MISSING)}


# ---- the registry -------------------------------------------------------------------------

class Spec(object):
    __slots__ = ('name', 'target', 'mode', 'prop', 'schema', 'handler', 'check')

    def __init__(self, name, target, mode, prop, schema, handler, check=None):
        self.name = name
        self.target = target
        self.mode = mode
        self.prop = prop
        self.schema = schema
        self.handler = handler
        self.check = check

    def parse(self, args):
        out = validate(self.schema, args)
        if self.check is not None:
            self.check(out)
        return out


SPECS = {}
HANDLERS = {}


def action(name, target, mode, schema, prop=None, check=None):
    def register(fn):
        SPECS[name] = Spec(name, target, mode, prop, schema, fn, check)
        HANDLERS[name] = fn
        return fn
    return register


# ---- helpers ------------------------------------------------------------------------------

def need(cond, message, code=LIVE_ERROR):
    if not cond:
        raise CommandError(code, message)


def set_param(param, value):
    """Clamp to the parameter's range, round when quantized, then write."""
    lo = float(param.min)
    hi = float(param.max)
    v = max(lo, min(hi, float(value)))
    if param.is_quantized:
        v = float(int(round(v)))
    param.value = v
    return v


def need_prop(ent, name, message):
    if name not in ent.names:
        raise CommandError(INVALID, message)


def live_index(ctx, ent, what, live_list):
    """Index of `ent` in `live_list`, from the mirror and checked against `_live_ptr`."""
    i = ctx.mirror.index_in_parent(ent, what)
    items = list(live_list)
    if 0 <= i < len(items) and live_ptr(items[i]) == ent.ptr:
        return i
    for j, obj in enumerate(items):
        if live_ptr(obj) == ent.ptr:
            return j
    raise CommandError(NOT_FOUND, '%s is no longer in the set' % ent.id)


def after(ctx, ent, prop):
    ctx.mirror.refresh_props(ent, (prop,))
    return ent, ent.props.get(prop)


def _new_child(ctx, parent_id, what, index, returned, cat):
    ctx.mirror.sync_now(parent_id, what)
    ids = ctx.mirror.get(parent_id).children.get(what, [])
    new_id = ctx.mirror.id_of(cat, returned) if returned is not None else None
    if new_id is None and ids:
        new_id = ids[index] if 0 <= index < len(ids) else ids[-1]
    ent = ctx.mirror.get(new_id)
    return ent, new_id


# ---- song and transport ----------------------------------------------------------------------

@action('transport.play', 'song', 'trigger', NONE)
def transport_play(ctx, ent, args):
    ctx.song.start_playing()
    return after(ctx, ent, 'isPlaying')


@action('transport.stop', 'song', 'trigger', NONE)
def transport_stop(ctx, ent, args):
    ctx.song.stop_playing()
    return after(ctx, ent, 'isPlaying')


@action('transport.continue', 'song', 'trigger', NONE)
def transport_continue(ctx, ent, args):
    ctx.song.continue_playing()
    return after(ctx, ent, 'isPlaying')


@action('transport.set_position', 'song', 'trigger', {'beats': (BEATS, _MISSING)})
def transport_set_position(ctx, ent, args):
    ctx.song.current_song_time = args['beats']
    return ent, float(ctx.song.current_song_time)


@action('song.set_tempo', 'song', 'continuous', {'bpm': (num(20, 999), _MISSING)}, prop='tempo')
def song_set_tempo(ctx, ent, args):
    ctx.song.tempo = args['bpm']
    return after(ctx, ent, 'tempo')


@action('song.tap_tempo', 'song', 'trigger', NONE)
def song_tap_tempo(ctx, ent, args):
    ctx.song.tap_tempo()
    return after(ctx, ent, 'tempo')


@action('song.set_time_signature', 'song', 'edit',
        {'numerator': (num(1, 99, integer=True), _MISSING), 'denominator': (one_of(1, 2, 4, 8, 16), _MISSING)},
        prop='signatureNumerator')
def song_set_time_signature(ctx, ent, args):
    ctx.song.signature_numerator = args['numerator']
    ctx.song.signature_denominator = args['denominator']
    ctx.mirror.refresh_props(ent, ('signatureNumerator', 'signatureDenominator'))
    return ent, {'numerator': ent.props['signatureNumerator'], 'denominator': ent.props['signatureDenominator']}


def _song_bool(name, live_attr, prop):
    @action(name, 'song', 'edit', BOOL, prop=prop)
    def handler(ctx, ent, args):
        setattr(ctx.song, live_attr, args['value'])
        return after(ctx, ent, prop)
    handler.__name__ = name.replace('.', '_')
    return handler


_song_bool('song.set_metronome', 'metronome', 'metronome')
_song_bool('song.set_loop', 'loop', 'loop')
_song_bool('song.set_record', 'record_mode', 'record')
_song_bool('song.set_overdub', 'arrangement_overdub', 'overdub')
_song_bool('song.set_session_record', 'session_record', 'sessionRecord')


QUANTIZATION_NAMES = dict((label, name) for name, label in QUANTIZATION_BY_NAME.items())


@action('song.set_quantization', 'song', 'edit',
        {'value': (one_of(*[QUANTIZATION_BY_NAME[n] for n in QUANTIZATION_ORDER]), _MISSING)}, prop='quantization')
def song_set_quantization(ctx, ent, args):
    name = QUANTIZATION_NAMES[args['value']]
    Live = live_module()
    enum = getattr(getattr(getattr(Live, 'Song', None), 'Quantization', None), name, None) if Live else None
    ctx.song.clip_trigger_quantization = enum if enum is not None else QUANTIZATION_ORDER.index(name)
    return after(ctx, ent, 'quantization')


@action('song.set_loop_region', 'song', 'edit',
        {'start': (BEATS, _MISSING), 'length': (num(hi=BEATS_MAX, gt=0), _MISSING)}, prop='loopStart')
def song_set_loop_region(ctx, ent, args):
    ctx.song.loop_start = args['start']
    ctx.song.loop_length = args['length']
    ctx.mirror.refresh_props(ent, ('loopStart', 'loopLength'))
    return ent, {'start': ent.props['loopStart'], 'length': ent.props['loopLength']}


@action('song.set_crossfader', 'song', 'continuous', BIPOLAR, prop='crossfader')
def song_set_crossfader(ctx, ent, args):
    set_param(ctx.song.master_track.mixer_device.crossfader, args['value'])
    return after(ctx, ent, 'crossfader')


def _undo_state(ctx, ent):
    ctx.mirror.refresh_props(ent, ('canUndo', 'canRedo'))
    return ent, {'canUndo': ent.props['canUndo'], 'canRedo': ent.props['canRedo']}


@action('song.undo', 'song', 'trigger', NONE)
def song_undo(ctx, ent, args):
    need(ctx.song.can_undo, 'nothing to undo')
    ctx.song.undo()
    return _undo_state(ctx, ent)


@action('song.redo', 'song', 'trigger', NONE)
def song_redo(ctx, ent, args):
    need(ctx.song.can_redo, 'nothing to redo')
    ctx.song.redo()
    return _undo_state(ctx, ent)


@action('song.capture_midi', 'song', 'trigger', NONE)
def song_capture_midi(ctx, ent, args):
    need(ctx.song.can_capture_midi, 'no recently played MIDI to capture')
    ctx.song.capture_midi()
    return ent, None


@action('song.stop_all_clips', 'song', 'trigger', NONE)
def song_stop_all_clips(ctx, ent, args):
    ctx.song.stop_all_clips()
    return ent, None


@action('song.set_or_delete_cue', 'song', 'edit', NONE)
def song_set_or_delete_cue(ctx, ent, args):
    before = list(ctx.mirror.song_entity.children.get('cues', ()))
    ctx.song.set_or_delete_cue()
    ctx.mirror.sync_now('song', 'cues')
    now = ctx.mirror.song_entity.children.get('cues', ())
    created = [c for c in now if c not in before]
    return ent, (created[0] if created else None)


@action('song.jump_to_next_cue', 'song', 'trigger', NONE)
def song_jump_to_next_cue(ctx, ent, args):
    ctx.song.jump_to_next_cue()
    return ent, float(ctx.song.current_song_time)


@action('song.jump_to_prev_cue', 'song', 'trigger', NONE)
def song_jump_to_prev_cue(ctx, ent, args):
    ctx.song.jump_to_prev_cue()
    return ent, float(ctx.song.current_song_time)


@action('cue_point.jump', 'cue_point', 'trigger', NONE)
def cue_point_jump(ctx, ent, args):
    ent.obj.jump()
    return ent, None


@action('cue_point.rename', 'cue_point', 'edit', NAME, prop='name')
def cue_point_rename(ctx, ent, args):
    try:
        ent.obj.name = args['name']
    except AttributeError:   # read-only before Live 12.3 (live_members.SETTABLE_GUARDED)
        raise CommandError(UNSUPPORTED, 'this Live cannot rename locators from a script')
    return after(ctx, ent, 'name')


# ---- tracks ---------------------------------------------------------------------------------------

def _create_track(ctx, args, create):
    index = args.get('index', -1)
    n = len(ctx.mirror.song_entity.children.get('tracks', ()))
    if index > n:
        raise CommandError(INVALID, 'index %d is past the end (%d tracks)' % (index, n))
    returned = create(index)
    new, new_id = _new_child(ctx, 'song', 'tracks', index, returned, 'track')
    need(new is not None, 'Live did not create the track')
    return new, new.id


@action('track.create_midi', 'song', 'edit', OPTIONAL_INDEX)
def track_create_midi(ctx, ent, args):
    return _create_track(ctx, args, ctx.song.create_midi_track)


@action('track.create_audio', 'song', 'edit', OPTIONAL_INDEX)
def track_create_audio(ctx, ent, args):
    return _create_track(ctx, args, ctx.song.create_audio_track)


@action('track.create_return', 'song', 'edit', NONE)
def track_create_return(ctx, ent, args):
    returned = ctx.song.create_return_track()
    new, new_id = _new_child(ctx, 'song', 'returns', -1, returned, 'track')
    need(new is not None, 'Live did not create the return track')
    return new, new.id


@action('track.delete', 'track', 'edit', NONE)
def track_delete(ctx, ent, args):
    song = ctx.song
    if ent.kind == 'master':
        raise CommandError(INVALID, 'the master track cannot be deleted')
    if ent.kind == 'return':
        song.delete_return_track(live_index(ctx, ent, 'returns', song.return_tracks))
        ctx.mirror.sync_now('song', 'returns')
    else:
        song.delete_track(live_index(ctx, ent, 'tracks', song.tracks))
        ctx.mirror.sync_now('song', 'tracks')
    return None, None


@action('track.duplicate', 'track', 'edit', NONE)
def track_duplicate(ctx, ent, args):
    if ent.kind != 'track':
        raise CommandError(INVALID, 'only regular tracks can be duplicated')
    i = live_index(ctx, ent, 'tracks', ctx.song.tracks)
    ctx.song.duplicate_track(i)
    new, new_id = _new_child(ctx, 'song', 'tracks', i + 1, None, 'track')
    need(new is not None and new is not ent, 'Live did not duplicate the track')
    return new, new.id


@action('track.rename', 'track', 'edit', NAME, prop='name')
def track_rename(ctx, ent, args):
    ent.obj.name = args['name']
    return after(ctx, ent, 'name')


@action('track.set_color', 'track', 'edit', COLOR, prop='color')
def track_set_color(ctx, ent, args):
    ent.obj.color = args['value']
    return after(ctx, ent, 'color')


@action('track.set_fold', 'track', 'edit', BOOL, prop='fold')
def track_set_fold(ctx, ent, args):
    need_prop(ent, 'fold', '%s is not a group track' % ent.id)
    ent.obj.fold_state = args['value']
    return after(ctx, ent, 'fold')


@action('track.set_arm', 'track', 'edit', BOOL, prop='arm')
def track_set_arm(ctx, ent, args):
    need_prop(ent, 'arm', '%s cannot be armed' % ent.id)
    ent.obj.arm = args['value']
    return after(ctx, ent, 'arm')


@action('track.set_mute', 'track', 'edit', BOOL, prop='mute')
def track_set_mute(ctx, ent, args):
    need_prop(ent, 'mute', '%s has no mute' % ent.id)
    ent.obj.mute = args['value']
    return after(ctx, ent, 'mute')


@action('track.set_solo', 'track', 'edit', BOOL, prop='solo')
def track_set_solo(ctx, ent, args):
    need_prop(ent, 'solo', '%s has no solo' % ent.id)
    ent.obj.solo = args['value']
    return after(ctx, ent, 'solo')


@action('track.set_monitoring', 'track', 'edit', {'value': (one_of('in', 'auto', 'off'), _MISSING)}, prop='monitoring')
def track_set_monitoring(ctx, ent, args):
    need_prop(ent, 'monitoring', '%s has no input monitoring' % ent.id)
    ent.obj.current_monitoring_state = MONITORING[args['value']]
    return after(ctx, ent, 'monitoring')


@action('track.set_volume', 'track', 'continuous', UNIT, prop='volume')
def track_set_volume(ctx, ent, args):
    set_param(ent.obj.mixer_device.volume, args['value'])
    return after(ctx, ent, 'volume')


@action('track.set_pan', 'track', 'continuous', BIPOLAR, prop='pan')
def track_set_pan(ctx, ent, args):
    set_param(ent.obj.mixer_device.panning, args['value'])
    return after(ctx, ent, 'pan')


@action('track.set_send', 'track', 'continuous',
        {'index': (num(0, 11, integer=True), _MISSING), 'value': (num(0, 1), _MISSING)}, prop='sends')
def track_set_send(ctx, ent, args):
    need_prop(ent, 'sends', '%s has no sends' % ent.id)
    sends = list(ent.obj.mixer_device.sends)
    i = args['index']
    if i >= len(sends):
        raise CommandError(INVALID, '%s has %d sends; index %d is out of range' % (ent.id, len(sends), i))
    set_param(sends[i], args['value'])
    ctx.mirror.refresh_props(ent, ('sends',))
    values = ent.props.get('sends') or []
    return ent, (values[i] if i < len(values) else float(sends[i].value))


@action('track.set_crossfade_assign', 'track', 'edit', {'value': (one_of('A', 'none', 'B'), _MISSING)}, prop='crossfadeAssign')
def track_set_crossfade_assign(ctx, ent, args):
    need_prop(ent, 'crossfadeAssign', '%s has no crossfader assignment' % ent.id)
    ent.obj.mixer_device.crossfade_assign = CROSSFADE[args['value']]
    return after(ctx, ent, 'crossfadeAssign')


@action('track.stop_clips', 'track', 'trigger', NONE)
def track_stop_clips(ctx, ent, args):
    need_prop(ent, 'clipSlots', '%s has no clip slots' % ent.id)
    ent.obj.stop_all_clips()
    return ent, None


@action('track.select', 'track', 'trigger', NONE)
def track_select(ctx, ent, args):
    ctx.song.view.selected_track = ent.obj
    return ent, None


# ---- clip slots -------------------------------------------------------------------------------------

@action('clip_slot.fire', 'clip_slot', 'trigger', NONE)
def clip_slot_fire(ctx, ent, args):
    ent.obj.fire()
    return after(ctx, ent, 'state')


@action('clip_slot.record', 'clip_slot', 'trigger', NONE)
def clip_slot_record(ctx, ent, args):
    """Record a new clip into an empty slot of an armed track, from the next launch
    boundary, as Live's slot record button does; firing the slot again ends the take.
    (Live's Python API has no record length: ClipSlot.fire takes no arguments.)"""
    slot = ent.obj
    need(not slot.has_clip, '%s already holds a clip' % ent.id)
    track = ctx.mirror.obj_of(ent.parent)
    need(track is not None and track.can_be_armed, '%s is not on a track that can record' % ent.id)
    need(track.arm, '%s is not armed: arm it to record' % str(track.name))
    slot.fire()
    return after(ctx, ent, 'state')


@action('clip_slot.stop', 'clip_slot', 'trigger', NONE)
def clip_slot_stop(ctx, ent, args):
    ent.obj.stop()
    return after(ctx, ent, 'state')


@action('clip_slot.create_clip', 'clip_slot', 'edit', {'length': (num(hi=4096, gt=0), _MISSING)})
def clip_slot_create_clip(ctx, ent, args):
    slot = ent.obj
    need(not slot.has_clip, '%s already holds a clip' % ent.id)
    track = ctx.mirror.obj_of(ent.parent)
    need(track is not None and track.has_midi_input and not track.is_foldable,
         '%s is not on a MIDI track' % ent.id)
    slot.create_clip(args['length'])
    ctx.mirror.sync_now(ent.id, 'clip')
    clip_ids = ent.children.get('clip') or []
    need(clip_ids, 'Live did not create the clip')
    ctx.mirror.refresh_props(ent)
    return ctx.mirror.get(clip_ids[0]), clip_ids[0]


@action('clip_slot.delete_clip', 'clip_slot', 'edit', NONE)
def clip_slot_delete_clip(ctx, ent, args):
    need(ent.obj.has_clip, '%s is empty' % ent.id)
    ent.obj.delete_clip()
    ctx.mirror.sync_now(ent.id, 'clip')
    ctx.mirror.refresh_props(ent)
    return ent, None


@action('clip_slot.duplicate_clip_to', 'clip_slot', 'edit', {'to': (text(1, 64), _MISSING)})
def clip_slot_duplicate_clip_to(ctx, ent, args):
    dest = ctx.mirror.get(args['to'])
    if dest is None or dest.kind != 'clip_slot':
        raise CommandError(NOT_FOUND, 'no clip slot %r' % args['to'])
    need(dest is not ent, 'a clip cannot be duplicated onto its own slot', INVALID)
    need(ent.obj.has_clip, '%s is empty' % ent.id)
    ent.obj.duplicate_clip_to(dest.obj)
    ctx.mirror.sync_now(dest.id, 'clip')
    clip_ids = dest.children.get('clip') or []
    need(clip_ids, 'Live did not duplicate the clip')
    ctx.mirror.refresh_props(dest)
    return ctx.mirror.get(clip_ids[0]), clip_ids[0]


# ---- files: drops placed on slots, takes listed for download --------------------------------------

HEX = frozenset('0123456789abcdef')
AUDIO_LIST_CAP = 5000          # clips reported at most
AUDIO_LIST_TIME_CAP_S = 0.05   # and never longer than this on Live's main thread
NO_AUDIO_CLIP = ("this Live version cannot place audio on a slot from a Remote Script "
                 "(ClipSlot.create_audio_clip arrived in Live 11.3.43 and 12.0.5): drag the file "
                 "into the slot from Live's browser instead")


def file_id(key, v):
    if not isinstance(v, str) or len(v) != 64 or not set(v) <= HEX:
        raise CommandError(INVALID, '%s must be a stored file id (64 hex digits)' % key)
    return v


def absolute_path(key, v):
    if not isinstance(v, str) or not 2 <= len(v) <= 4096 or '\x00' in v or not os.path.isabs(v):
        raise CommandError(INVALID, '%s must be an absolute path' % key)
    return v


@action('clip_slot.create_audio_clip', 'clip_slot', 'edit',
        {'file': (file_id, _MISSING), 'path': (absolute_path, _MISSING)}, prop='hasClip')
def clip_slot_create_audio_clip(ctx, ent, args):
    slot = ent.obj
    create = getattr(slot, 'create_audio_clip', None)
    if create is None:
        raise CommandError(UNSUPPORTED, NO_AUDIO_CLIP)
    if slot.has_clip:
        # filled since the sender saw it empty, with or without a baseRev
        ctx.mirror.refresh_now(ent)
        raise CommandError(CONFLICT, '%s was filled meanwhile' % ent.id, current={'value': True, 'rev': ent.rev})
    track = ctx.mirror.obj_of(ent.parent)
    need(track is not None and not track.has_midi_input and not track.is_foldable,
         '%s is not on an audio track' % ent.id)
    need(os.path.isfile(args['path']), 'the file is no longer on the studio computer', NOT_FOUND)
    create(args['path'])
    ctx.mirror.sync_now(ent.id, 'clip')
    clip_ids = ent.children.get('clip') or []
    need(clip_ids, 'Live did not create the clip')
    ctx.mirror.refresh_props(ent)
    return ctx.mirror.get(clip_ids[0]), clip_ids[0]


def _audio_entry(clip, track_id, track_name, clip_id, arrangement):
    rate = getattr(clip, 'sample_rate', None)   # Live 12
    return {
        'clipId': clip_id, 'trackId': track_id, 'track': track_name, 'name': str(clip.name),
        'path': str(clip.file_path), 'sampleLength': int(clip.sample_length),
        'sampleRate': float(rate) if rate else None, 'recording': bool(clip.is_recording),
        'arrangement': arrangement,
    }


@action('song.list_audio_files', 'song', 'read', NONE)
def song_list_audio_files(ctx, ent, args):
    """Session clips through the mirror's ids, then arrangement clips, within a time cap."""
    t0 = time.time()
    out = []
    truncated = False
    tracks = [e for e in ctx.mirror.entities() if e.kind == 'track']
    names = dict((e.id, e.props.get('name', '')) for e in tracks)
    for e in list(ctx.mirror.entities()):
        if e.kind != 'clip' or e.obj is None or not e.obj.is_audio_clip:
            continue
        track_id = ctx.mirror.parent_of(e.parent)
        out.append(_audio_entry(e.obj, track_id, names.get(track_id, ''), e.id, False))
        if len(out) >= AUDIO_LIST_CAP or time.time() - t0 > AUDIO_LIST_TIME_CAP_S:
            truncated = True
            break
    for e in tracks:
        if truncated:
            break
        if e.props.get('kind') != 'audio':   # group tracks have no arrangement clips; MIDI ones no audio
            continue
        for clip in getattr(e.obj, 'arrangement_clips', None) or ():
            if not clip.is_audio_clip:
                continue
            out.append(_audio_entry(clip, e.id, names.get(e.id, ''), None, True))
            if len(out) >= AUDIO_LIST_CAP or time.time() - t0 > AUDIO_LIST_TIME_CAP_S:
                truncated = True
                break
    set_path = getattr(ctx.song, 'file_path', None)   # Live 12; '' while the set is unsaved
    return None, {'setPath': str(set_path) if set_path else None, 'clips': out, 'truncated': truncated}


# ---- clips ---------------------------------------------------------------------------------------------

def _need_midi(ent):
    if not ent.obj.is_midi_clip:
        raise CommandError(INVALID, '%s is not a MIDI clip' % ent.id)


@action('clip.fire', 'clip', 'trigger', NONE)
def clip_fire(ctx, ent, args):
    ent.obj.fire()
    return after(ctx, ent, 'state')


@action('clip.stop', 'clip', 'trigger', NONE)
def clip_stop(ctx, ent, args):
    ent.obj.stop()
    return after(ctx, ent, 'state')


@action('clip.rename', 'clip', 'edit', NAME, prop='name')
def clip_rename(ctx, ent, args):
    ent.obj.name = args['name']
    return after(ctx, ent, 'name')


@action('clip.set_color', 'clip', 'edit', COLOR, prop='color')
def clip_set_color(ctx, ent, args):
    ent.obj.color = args['value']
    return after(ctx, ent, 'color')


@action('clip.set_looping', 'clip', 'edit', BOOL, prop='looping')
def clip_set_looping(ctx, ent, args):
    ent.obj.looping = args['value']
    return after(ctx, ent, 'looping')


def _end_after_start(args):
    if not args['end'] > args['start']:
        raise CommandError(INVALID, 'end must be after start')


@action('clip.set_loop', 'clip', 'edit', {'start': (BEATS, _MISSING), 'end': (BEATS, _MISSING)},
        prop='loopStart', check=_end_after_start)
def clip_set_loop(ctx, ent, args):
    clip = ent.obj
    # Live refuses a start at or past the current end: move the end first when growing.
    if args['start'] >= float(clip.loop_end):
        clip.loop_end = args['end']
        clip.loop_start = args['start']
    else:
        clip.loop_start = args['start']
        clip.loop_end = args['end']
    ctx.mirror.refresh_props(ent, ('loopStart', 'loopEnd', 'length'))
    return ent, {'start': ent.props['loopStart'], 'end': ent.props['loopEnd']}


@action('clip.set_length', 'clip', 'edit', {'beats': (num(hi=100000, gt=0), _MISSING)}, prop='length')
def clip_set_length(ctx, ent, args):
    clip = ent.obj
    clip.loop_end = float(clip.loop_start) + args['beats']
    ctx.mirror.refresh_props(ent, ('loopEnd', 'length'))
    return ent, ent.props['length']


@action('clip.duplicate_loop', 'clip', 'edit', NONE)
def clip_duplicate_loop(ctx, ent, args):
    ent.obj.duplicate_loop()
    ctx.mirror.refresh_props(ent, ('loopStart', 'loopEnd', 'length'))
    return ent, ent.props['length']


def _note_dict(n):
    if isinstance(n, tuple):  # legacy get_notes: (pitch, time, duration, velocity, mute)
        return {'pitch': int(n[0]), 'start': float(n[1]), 'duration': float(n[2]),
                'velocity': float(n[3]), 'mute': bool(n[4])}
    return {'pitch': int(n.pitch), 'start': float(n.start_time), 'duration': float(n.duration),
            'velocity': float(n.velocity), 'mute': bool(n.mute)}


def _time_floor(clip):
    lo = 0.0
    for attr in ('start_marker', 'loop_start'):
        try:
            lo = min(lo, float(getattr(clip, attr)))
        except Exception:
            pass
    return lo


def read_notes(clip, from_pitch=0, pitch_span=128, from_time=None, time_span=None):
    everything = from_time is None
    if from_time is None:
        from_time = _time_floor(clip)
        time_span = BEATS_MAX * 2
    if everything and hasattr(clip, 'get_all_notes_extended'):
        notes = clip.get_all_notes_extended()
    elif hasattr(clip, 'get_notes_extended'):
        notes = clip.get_notes_extended(from_pitch, pitch_span, from_time, time_span)
    else:
        notes = clip.get_notes(from_time, from_pitch, time_span, pitch_span)
    out = [_note_dict(n) for n in notes]
    out.sort(key=lambda d: (d['start'], d['pitch']))
    return out


def write_notes(clip, notes):
    if not notes:
        return 0
    spec_cls = getattr(getattr(live_module(), 'Clip', None), 'MidiNoteSpecification', None)
    if spec_cls is not None and hasattr(clip, 'add_new_notes'):
        specs = [spec_cls(pitch=n['pitch'], start_time=n['start'], duration=n['duration'],
                          velocity=n['velocity'], mute=n['mute']) for n in notes]
        clip.add_new_notes(tuple(specs))
    else:
        clip.set_notes(tuple((n['pitch'], n['start'], n['duration'], n['velocity'], n['mute'])
                             for n in notes))
    return len(notes)


def remove_notes(clip, from_pitch, pitch_span, from_time, time_span):
    if hasattr(clip, 'remove_notes_extended'):
        clip.remove_notes_extended(from_pitch, pitch_span, from_time, time_span)
    else:
        clip.remove_notes(from_time, from_pitch, time_span, pitch_span)


@action('clip.get_notes', 'clip', 'read', NONE)
def clip_get_notes(ctx, ent, args):
    _need_midi(ent)
    return ent, read_notes(ent.obj)


@action('clip.add_notes', 'clip', 'edit', NOTES)
def clip_add_notes(ctx, ent, args):
    _need_midi(ent)
    return ent, write_notes(ent.obj, args['notes'])


@action('clip.remove_notes', 'clip', 'edit', {
    'fromPitch': (num(0, 127, integer=True), 0),
    'pitchSpan': (num(1, 128, integer=True), 128),
    'fromTime': (BEATS, 0.0),
    'timeSpan': (num(hi=BEATS_MAX, gt=0), BEATS_MAX),
})
def clip_remove_notes(ctx, ent, args):
    _need_midi(ent)
    clip = ent.obj
    gone = read_notes(clip, args['fromPitch'], args['pitchSpan'], args['fromTime'], args['timeSpan'])
    remove_notes(clip, args['fromPitch'], args['pitchSpan'], args['fromTime'], args['timeSpan'])
    return ent, len(gone)


@action('clip.replace_notes', 'clip', 'edit', NOTES)
def clip_replace_notes(ctx, ent, args):
    _need_midi(ent)
    clip = ent.obj
    lo = _time_floor(clip)
    remove_notes(clip, 0, 128, lo, BEATS_MAX * 2 - lo)
    return ent, write_notes(clip, args['notes'])


# ---- scenes ---------------------------------------------------------------------------------------------

@action('scene.fire', 'scene', 'trigger', NONE)
def scene_fire(ctx, ent, args):
    ent.obj.fire()
    return after(ctx, ent, 'isTriggered')


@action('scene.create', 'song', 'edit', OPTIONAL_INDEX)
def scene_create(ctx, ent, args):
    index = args.get('index', -1)
    n = len(ctx.mirror.song_entity.children.get('scenes', ()))
    if index > n:
        raise CommandError(INVALID, 'index %d is past the end (%d scenes)' % (index, n))
    returned = ctx.song.create_scene(index)
    new, new_id = _new_child(ctx, 'song', 'scenes', index, returned, 'scene')
    need(new is not None, 'Live did not create the scene')
    return new, new.id


@action('scene.delete', 'scene', 'edit', NONE)
def scene_delete(ctx, ent, args):
    i = live_index(ctx, ent, 'scenes', ctx.song.scenes)
    need(len(ctx.mirror.song_entity.children.get('scenes', ())) > 1, 'a set keeps at least one scene')
    ctx.song.delete_scene(i)
    ctx.mirror.sync_now('song', 'scenes')
    return None, None


@action('scene.duplicate', 'scene', 'edit', NONE)
def scene_duplicate(ctx, ent, args):
    i = live_index(ctx, ent, 'scenes', ctx.song.scenes)
    ctx.song.duplicate_scene(i)
    new, new_id = _new_child(ctx, 'song', 'scenes', i + 1, None, 'scene')
    need(new is not None and new is not ent, 'Live did not duplicate the scene')
    return new, new.id


@action('scene.rename', 'scene', 'edit', NAME, prop='name')
def scene_rename(ctx, ent, args):
    ent.obj.name = args['name']
    return after(ctx, ent, 'name')


@action('scene.set_color', 'scene', 'edit', COLOR, prop='color')
def scene_set_color(ctx, ent, args):
    ent.obj.color = args['value']
    return after(ctx, ent, 'color')


@action('scene.set_tempo', 'scene', 'edit', {'value': (nullable(num(20, 999)), _MISSING)}, prop='tempo')
def scene_set_tempo(ctx, ent, args):
    scene = ent.obj
    value = args['value']
    if hasattr(scene, 'tempo_enabled'):
        if value is None:
            scene.tempo_enabled = False
        else:
            scene.tempo = value
            scene.tempo_enabled = True
    else:
        scene.tempo = -1.0 if value is None else value   # Live 11: -1 is "no tempo"
    return after(ctx, ent, 'tempo')


# ---- devices and parameters ---------------------------------------------------------------------

def param_dict(ctx, pid):
    pe = ctx.mirror.get(pid)
    if pe is None:
        return None
    ctx.mirror.refresh_now(pe)
    return ctx.mirror.entity_dict(pe)


def device_dict(ctx, de):
    ctx.mirror.refresh_now(de)
    d = ctx.mirror.entity_dict(de)
    d['parameters'] = [p for p in (param_dict(ctx, pid) for pid in de.children.get('params', ())) if p]
    return d


@action('device.get', 'device', 'read', NONE)
def device_get(ctx, ent, args):
    return ent, device_dict(ctx, ent)


@action('device.get_banks', 'device', 'read', NONE)
def device_get_banks(ctx, ent, args):
    source, banks = device_banks(ent.obj, lambda p: ctx.mirror.id_of('parameter', p), macro_count(ent.obj))
    return ent, {'source': source, 'banks': banks}


@action('device.set_active', 'device', 'edit', BOOL, prop='isActive')
def device_set_active(ctx, ent, args):
    params = list(ent.obj.parameters)
    need(params, '%s has no on/off switch' % ent.id)
    params[0].value = float(params[0].max) if args['value'] else float(params[0].min)
    return after(ctx, ent, 'isActive')


@action('device.set_macro', 'device', 'continuous',
        {'index': (num(0, 15, integer=True), _MISSING), 'value': (num(), _MISSING)}, prop='macros')
def device_set_macro(ctx, ent, args):
    if not ent.obj.can_have_chains:
        raise CommandError(INVALID, '%s is not a rack' % ent.id)
    ctx.mirror.refresh_props(ent, ('macros',))
    macros = ent.props.get('macros') or []
    i = args['index']
    if i >= len(macros):
        raise CommandError(INVALID, '%s has %d macros; index %d is out of range' % (ent.id, len(macros), i))
    pe = ctx.mirror.get(macros[i])
    set_param(pe.obj, args['value'])
    ctx.mirror.refresh_props(pe, ('value', 'display'))
    return pe, pe.props.get('value')


@action('device.delete', 'device', 'edit', NONE)
def device_delete(ctx, ent, args):
    track = ctx.mirror.get(ent.parent)
    need(track is not None, '%s is not on a track' % ent.id)
    track.obj.delete_device(live_index(ctx, ent, 'devices', track.obj.devices))
    ctx.mirror.sync_now(track.id, 'devices')
    return None, None


@action('track.list_devices', 'track', 'read', NONE)
def track_list_devices(ctx, ent, args):
    return ent, [device_dict(ctx, ctx.mirror.get(did)) for did in ent.children.get('devices', ())
                 if ctx.mirror.get(did) is not None]


@action('parameter.set', 'parameter', 'continuous', {'value': (num(), _MISSING)}, prop='value')
def parameter_set(ctx, ent, args):
    need(ent.obj.is_enabled, '%s is disabled in Live' % ent.id)
    set_param(ent.obj, args['value'])
    ctx.mirror.refresh_props(ent, ('value', 'display'))
    return ent, ent.props.get('value')


@action('parameter.get', 'parameter', 'read', NONE)
def parameter_get(ctx, ent, args):
    return ent, param_dict(ctx, ent.id)


# ---- browser ---------------------------------------------------------------------------------------------

def _browser(ctx):
    app = ctx.application()
    if app is None or not hasattr(app, 'browser'):
        raise CommandError(UNSUPPORTED, 'this Live offers no browser to scripts')
    return app.browser


def walk_browser(browser, categories, visit, cap=BROWSER_NODE_CAP, time_cap=BROWSER_TIME_CAP_S):
    """Breadth-first below the category roots (the roots themselves are not visited);
    visit(item, category) -> True stops the walk. At most `cap` items and `time_cap`
    seconds: the walk runs on Live's main thread. Returns True when visit() stopped it."""
    end = time.time() + time_cap
    queue = []
    for cat in categories:
        root = getattr(browser, cat, None)
        if root is None:
            continue
        try:
            for child in root.children:
                queue.append((child, cat))
        except Exception:
            pass
    seen = 0
    head = 0
    while head < len(queue) and seen < cap:
        if seen & 63 == 0 and time.time() > end:
            break
        item, cat = queue[head]
        head += 1
        seen += 1
        if visit(item, cat):
            return True
        try:
            children = item.children
        except Exception:
            continue
        for child in children:
            queue.append((child, cat))
        if head > 4096:   # do not keep every visited wrapper alive
            del queue[:head]
            head = 0
    return False


@action('browser.search', 'song', 'read', {
    'query': (text(1, 100, trim=True), _MISSING),
    'category': (one_of(*BROWSER_CATEGORIES), None),
    'limit': (num(1, 200, integer=True), 50),
})
def browser_search(ctx, ent, args):
    browser = _browser(ctx)
    query = args['query'].lower()
    limit = args['limit']
    cats = (args['category'],) if args.get('category') else BROWSER_CATEGORIES
    found = []

    def visit(item, cat):
        name = str(item.name)
        if query in name.lower() and item.is_loadable:
            found.append({'name': name, 'uri': str(item.uri), 'category': cat,
                          'isLoadable': bool(item.is_loadable)})
        return len(found) >= limit

    walk_browser(browser, cats, visit)
    return None, found


def _load_check(args):
    if 'uri' not in args and 'name' not in args:
        raise CommandError(INVALID, 'uri or name is required')


@action('browser.load', 'track', 'edit', {'uri': (text(1, 512), None), 'name': (text(1, 128), None)},
        check=_load_check)
def browser_load(ctx, ent, args):
    browser = _browser(ctx)
    uri = args.get('uri')
    name = args.get('name')
    hit = []

    def visit(item, cat):
        if not item.is_loadable:
            return False
        if (uri is not None and str(item.uri) == uri) or (uri is None and str(item.name) == name):
            hit.append(item)
            return True
        return False

    walk_browser(browser, BROWSER_CATEGORIES, visit)
    if not hit:
        raise CommandError(NOT_FOUND, 'no loadable browser item %r' % (uri or name,))
    item = hit[0]
    ctx.song.view.selected_track = ent.obj
    browser.load_item(item)
    ctx.mirror.sync_now(ent.id, 'devices')
    ctx.mirror.refresh_props(ent, ('devices',))
    return ent, {'name': str(item.name), 'uri': str(item.uri)}


# ---- diagnostics ---------------------------------------------------------------------------------------

@action('system.ping', 'song', 'read', NONE)
def system_ping(ctx, ent, args):
    return None, {'epoch': ctx.epoch}


ACTION_NAMES = tuple(sorted(HANDLERS))
