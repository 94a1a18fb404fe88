"""Every member of Live's API that Roomtone touches, per class (as Live's own listings
name the classes). tests/test_script_live_members.py checks this table against the
listings of Live 11.0.0, 12.0.5 and 12.3.6 and scans the package source so that an
attribute used in code but missing here fails the test.

A member absent from one of those versions is listed in GUARDED with the versions that
have it; the code must reach it only behind hasattr()/getattr(..., None), and the test
checks that such a guard exists in the source.
"""

USED = {
    'Song.Song': (
        '_live_ptr', 'tempo', 'is_playing', 'signature_numerator', 'signature_denominator',
        'metronome', 'loop', 'loop_start', 'loop_length', 'record_mode', 'arrangement_overdub',
        'session_record', 'can_undo', 'can_redo', 'clip_trigger_quantization', 'master_track',
        'tracks', 'return_tracks', 'scenes', 'cue_points', 'current_song_time', 'view',
        'start_playing', 'stop_playing', 'continue_playing', 'tap_tempo', 'undo', 'redo',
        'can_capture_midi', 'capture_midi', 'stop_all_clips', 'set_or_delete_cue',
        'jump_to_next_cue', 'jump_to_prev_cue', 'create_midi_track', 'create_audio_track',
        'create_return_track', 'delete_track', 'delete_return_track', 'duplicate_track',
        'create_scene', 'delete_scene', 'duplicate_scene', 'file_path',
    ),
    'Song.Song.View': ('selected_track',),
    'Track.Track': (
        '_live_ptr', 'canonical_parent', 'name', 'color', 'mute', 'solo', 'arm', 'can_be_armed',
        'current_monitoring_state', 'is_foldable', 'fold_state', 'is_grouped', 'group_track',
        'has_midi_input', 'has_audio_output', 'playing_slot_index', 'fired_slot_index',
        'devices', 'clip_slots', 'mixer_device', 'stop_all_clips', 'delete_device',
        'output_meter_left', 'output_meter_right', 'output_meter_level', 'arrangement_clips',
    ),
    'MixerDevice.MixerDevice': ('volume', 'panning', 'sends', 'crossfade_assign', 'crossfader'),
    'DeviceParameter.DeviceParameter': (
        '_live_ptr', 'canonical_parent', 'name', 'value', 'min', 'max', 'is_quantized', 'value_items',
        'default_value', 'is_enabled', 'str_for_value', 'original_name',
    ),
    'Scene.Scene': ('_live_ptr', 'canonical_parent', 'name', 'color', 'tempo', 'tempo_enabled', 'is_triggered', 'fire'),
    'ClipSlot.ClipSlot': (
        '_live_ptr', 'canonical_parent', 'has_clip', 'clip', 'is_triggered', 'has_stop_button', 'fire', 'stop',
        'playing_status', 'is_recording', 'is_playing',
        'create_clip', 'delete_clip', 'duplicate_clip_to', 'create_audio_clip',
    ),
    'Clip.Clip': (
        '_live_ptr', 'canonical_parent', 'name', 'color', 'length', 'looping', 'loop_start', 'loop_end',
        'start_marker', 'is_midi_clip', 'is_recording', 'is_triggered', 'is_playing', 'fire', 'playing_position',
        'stop', 'duplicate_loop', 'get_all_notes_extended', 'get_notes_extended', 'get_notes',
        'add_new_notes', 'set_notes', 'remove_notes_extended', 'remove_notes',
        'is_audio_clip', 'file_path', 'sample_length', 'sample_rate',
    ),
    'Clip.MidiNote': ('pitch', 'start_time', 'duration', 'velocity', 'mute'),
    'Device.Device': (
        '_live_ptr', 'canonical_parent', 'name', 'class_name', 'type', 'is_active', 'can_have_chains', 'parameters',
    ),
    'RackDevice.RackDevice': ('visible_macro_count',),
    'MaxDevice.MaxDevice': ('get_bank_count', 'get_bank_name', 'get_bank_parameters'),
    'Song.CuePoint': ('_live_ptr', 'canonical_parent', 'name', 'time', 'jump'),
    'Application.Application': ('browser', 'get_major_version', 'get_minor_version', 'get_bugfix_version'),
    'Browser.Browser': (
        'load_item', 'instruments', 'audio_effects', 'midi_effects', 'drums', 'sounds', 'plugins',
    ),
    'Browser.BrowserItem': ('name', 'uri', 'is_loadable', 'children'),
    'Base.Timer': ('start', 'stop', 'running'),
}

# Members some listed versions lack -> the versions that have them. Reached only behind
# hasattr()/getattr(..., None).
GUARDED = {
    ('Scene.Scene', 'tempo_enabled'): ('12.0.5', '12.3.6'),
    ('Clip.Clip', 'get_all_notes_extended'): ('12.0.5', '12.3.6'),
    ('RackDevice.RackDevice', 'visible_macro_count'): ('12.0.5', '12.3.6'),
    ('ClipSlot.ClipSlot', 'create_audio_clip'): ('12.0.5', '12.3.6'),
    ('Clip.Clip', 'sample_rate'): ('12.0.5', '12.3.6'),
    ('Song.Song', 'file_path'): ('12.0.5', '12.3.6'),
}

# Properties read-only in some versions -> the versions where they are settable. The
# code assigns them inside try/except AttributeError and answers UNSUPPORTED.
SETTABLE_GUARDED = {
    ('Song.CuePoint', 'name'): ('12.3.6',),
}

# Module-level names of `Live` (not class members), all reached through getattr(..., None).
MODULE = ('Base.Timer', 'Application.get_application', 'Clip.MidiNoteSpecification')

# Attribute names the source uses on Python objects (lists, sockets, c_instance, the
# time module, our own classes) that happen to equal some Live member's name.
NOT_LIVE = frozenset(('append', 'extend', 'id', 'time', 'show_message'))

# Listeners the mirror registers that some versions lack; the mirror registers every
# listener through getattr(obj, 'add_<prop>_listener', None), so these are skipped there.
LISTENERS_GUARDED = {
    ('Scene.Scene', 'tempo'): ('12.0.5', '12.3.6'),
    ('Scene.Scene', 'tempo_enabled'): ('12.0.5', '12.3.6'),
    ('RackDevice.RackDevice', 'visible_macro_count'): ('12.0.5', '12.3.6'),
}
