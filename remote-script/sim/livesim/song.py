"""Song, its view, transport and session launching; Application, Browser and Timer."""
import math

from . import api
from . import audio_files
from . import params as P
from .model import Lom, MIDI, AUDIO, GROUP, RETURN, MASTER, checked, checked_index, held, stored

# Song.Quantization value -> length in bars (negative: in beats)
_Q_BARS = {1: 8, 2: 4, 3: 2, 4: 1}
_Q_BEATS = {5: 2.0, 6: 4.0 / 3, 7: 1.0, 8: 2.0 / 3, 9: 0.5, 10: 1.0 / 3, 11: 0.25, 12: 1.0 / 6, 13: 0.125}
# Clip.ClipLaunchQuantization (0 = global, 1 = none, 2.. = 8 bars ..) -> Song.Quantization value
_CLIP_Q_TO_SONG = dict((i, i - 1) for i in range(1, 15))

EPS = 1e-9


class SongView(Lom):
    def __init__(self, world, song):
        Lom.__init__(self, world, song)
        self._p.update({'follow_song': False, 'draw_mode': True, 'selected_track': None, 'selected_scene': None,
                        'detail_clip': None, 'highlighted_clip_slot': None, 'selected_chain': None,
                        'selected_parameter': None})

    @property
    def selected_track(self):
        return self._p['selected_track']

    @selected_track.setter
    def selected_track(self, t):
        song = self._parent
        if t is None or not (t in song._tracks or t in song._returns or t is song._master):
            raise RuntimeError('Track is not part of the Live set')
        self._user_set('selected_track', t)

    @property
    def selected_scene(self):
        return self._p['selected_scene']

    @selected_scene.setter
    def selected_scene(self, s):
        if s is None or s not in self._parent._scenes:
            raise RuntimeError('Scene is not part of the Live set')
        self._user_set('selected_scene', s)

    @property
    def highlighted_clip_slot(self):
        t, s = self._p['selected_track'], self._p['selected_scene']
        if t is None or s is None or not t._slots:
            return None
        return t._slots[s._index()]

    @highlighted_clip_slot.setter
    def highlighted_clip_slot(self, slot):
        if slot is None or getattr(slot, '_key', None) != 'ClipSlot.ClipSlot':
            raise RuntimeError('Not a clip slot')
        self._user_set('selected_track', slot._track)
        self._user_set('selected_scene', self._parent._scenes[slot._index()])
        self._notify('highlighted_clip_slot')

    selected_parameter = stored('selected_parameter')

    def select_device(self, device, should_appoint_device=True):
        api.guard()
        track = device._parent
        while track is not None and getattr(track, '_key', None) != 'Track.Track':
            track = track._parent
        if track is not None:
            track._view._set('selected_device', device)
        if should_appoint_device:
            self._parent._set('appointed_device', device)


class Song(Lom):
    def __init__(self, world):
        Lom.__init__(self, world, None)
        self._tracks = []
        self._returns = []
        self._master = None
        self._scenes = []
        self._cues = []
        self._beat = 0.0          # monotonic session beat: the launch grid
        self._undo = []
        self._redo = []
        self._undo_group = None
        self._undo_depth = 0
        self._applying_undo = False
        self._data = {}
        self._taps = []
        p = self._p
        p.update({'tempo': 120.0, 'is_playing': False, 'current_song_time': 0.0, 'metronome': False,
                  'loop': False, 'loop_start': 0.0, 'loop_length': 16.0, 'record_mode': False,
                  'arrangement_overdub': False, 'overdub': False, 'session_record': False,
                  'session_record_status': 0, 'signature_numerator': 4, 'signature_denominator': 4,
                  'clip_trigger_quantization': 4, 'midi_recording_quantization': 0, 'nudge_up': False,
                  'nudge_down': False, 'punch_in': False, 'punch_out': False, 'groove_amount': 1.0,
                  'swing_amount': 0.0, 'start_time': 0.0, 'root_note': 0, 'scale_name': 'Major',
                  'scale_mode': False, 'scale_intervals': (0, 2, 4, 5, 7, 9, 11), 'is_counting_in': False,
                  'count_in_duration': 0, 'exclusive_arm': True, 'exclusive_solo': True,
                  'can_capture_midi': True, 'back_to_arranger': False, 'can_jump_to_next_cue': False,
                  'can_jump_to_prev_cue': False, 'session_automation_record': False,
                  're_enable_automation_enabled': False, 'tempo_follower_enabled': False,
                  'is_ableton_link_enabled': False, 'is_ableton_link_start_stop_sync_enabled': False,
                  'last_event_time': 0.0, 'name': 'Roomtone Demo', 'file_path': '', 'select_on_launch': True,
                  'appointed_device': None, 'song_length': 0.0})
        self._view = world._make('Song.Song.View', self)

    # -- lists -------------------------------------------------------------------------
    tracks = held('_tracks', tuple)

    @property
    def visible_tracks(self):
        return tuple(t for t in self._tracks if t.is_visible)

    return_tracks = held('_returns', tuple)
    master_track = held('_master')
    scenes = held('_scenes', tuple)
    cue_points = held('_cues', tuple)
    view = held('_view')

    @property
    def song_length(self):
        end = self._p['loop_start'] + self._p['loop_length']
        for c in self._cues:
            end = max(end, c._p['time'])
        for t in self._tracks:
            for c in t._arr_clips:
                end = max(end, c.end_time)
        return end + 4.0 * self._p['signature_numerator'] * 4.0 / self._p['signature_denominator']

    # -- values with Live's ranges -------------------------------------------------------
    @property
    def tempo(self):
        return self._p['tempo']

    @tempo.setter
    def tempo(self, v):
        v = float(v)
        if math.isnan(v):
            raise RuntimeError('Invalid tempo')
        self._set_tempo(min(max(v, 20.0), 999.0), True)

    def _set_tempo(self, v, user):
        old = self._p['tempo']
        if self._set('tempo', v):
            if user:
                self._w._record_undo(self, 'tempo', old, v)
            if self._master is not None:
                self._master._mixer._tempo._set_value(v, False)

    @property
    def is_playing(self):
        return self._p['is_playing']

    @is_playing.setter
    def is_playing(self, v):
        if v:
            self._continue()
        else:
            self._stop()

    @property
    def current_song_time(self):
        return self._p['current_song_time']

    @current_song_time.setter
    def current_song_time(self, v):
        v = float(v)
        if v < 0:
            raise RuntimeError('Invalid song time')
        self._jump_to(v)

    signature_numerator = stored('signature_numerator', checked(int, range(1, 100), 'Invalid signature numerator'))
    signature_denominator = stored('signature_denominator',
                                   checked(int, (1, 2, 4, 8, 16), 'Invalid signature denominator'))

    @property
    def loop_start(self):
        return self._p['loop_start']

    @loop_start.setter
    def loop_start(self, v):
        v = float(v)
        if v < 0:
            raise RuntimeError('Invalid loop start')
        self._user_set('loop_start', v)
        self._notify('song_length')

    @property
    def loop_length(self):
        return self._p['loop_length']

    @loop_length.setter
    def loop_length(self, v):
        v = float(v)
        if v <= 0:
            raise RuntimeError('Invalid loop length')
        self._user_set('loop_length', v)
        self._notify('song_length')

    clip_trigger_quantization = stored('clip_trigger_quantization', checked(int, range(14), 'Invalid quantization'),
                                       enum='Song.Quantization')
    midi_recording_quantization = stored('midi_recording_quantization', checked(int, range(9), 'Invalid quantization'),
                                         enum='Song.RecordingQuantization')
    session_record_status = stored('session_record_status', enum='Song.SessionRecordStatus')

    @property
    def session_record(self):
        return self._p['session_record']

    @session_record.setter
    def session_record(self, v):
        v = bool(v)
        self._user_set('session_record', v)
        self._set('session_record_status', 2 if v else 0)
        if v:
            # armed tracks record into the selected scene's slot (or the next empty one below)
            scene = self._view._p['selected_scene'] or self._scenes[0]
            start = scene._index()
            immediate = not self._p['is_playing']
            for t in self._tracks:
                if t._kind in (MIDI, AUDIO) and t._p['arm'] and t._playing < 0:
                    free = [i for i in range(start, len(t._slots)) if t._slots[i]._clip is None]
                    if free:
                        self._launch_record(t, free[0], immediate)
        else:
            for t in self._tracks:
                if 0 <= t._playing < len(t._slots):
                    c = t._slots[t._playing]._clip
                    if c is not None and c._p['is_recording']:
                        self._end_recording(t, True, self._beat)

    @property
    def can_undo(self):
        return bool(self._undo)

    @property
    def can_redo(self):
        return bool(self._redo)

    @property
    def groove_pool(self):
        return None

    @property
    def tuning_system(self):
        return None

    # -- transport -------------------------------------------------------------------------
    def start_playing(self):
        api.guard()
        self._set('current_song_time', self._p['start_time'])
        self._continue()

    def continue_playing(self):
        api.guard()
        self._continue()

    def stop_playing(self):
        api.guard()
        self._stop()

    def _continue(self):
        if self._set('is_playing', True):
            # the launch grid restarts on the next beat of the song position
            pass

    def _stop(self):
        if not self._p['is_playing']:
            return
        self._set('is_playing', False)
        for t in self._tracks:
            self._stop_now(t)
        for s in self._scenes:
            s._pending_at = None
            s._set('is_triggered', False)

    def _jump_to(self, time):
        self._set('current_song_time', float(time))
        self._update_cue_flags()

    def tap_tempo(self):
        api.guard()
        now = self._w.clock
        self._taps = [t for t in self._taps if now - t < 2.0][-3:] + [now]
        if len(self._taps) >= 2:
            gaps = [b - a for a, b in zip(self._taps, self._taps[1:])]
            avg = sum(gaps) / len(gaps)
            if avg > 0:
                self._set_tempo(min(max(60.0 / avg, 20.0), 999.0), True)

    def jump_by(self, beats):
        api.guard()
        self._jump_to(max(0.0, self._p['current_song_time'] + float(beats)))

    def scrub_by(self, beats):
        self.jump_by(beats)

    def play_selection(self):
        api.guard()
        self._continue()

    # -- time as bars/beats and SMPTE -----------------------------------------------------
    def _beat_time(self, beats, position):
        num = self._p['signature_numerator']
        beat_len = 4.0 / self._p['signature_denominator']
        bar_len = num * beat_len
        bars = int(math.floor(beats / bar_len + EPS))
        rest = beats - bars * bar_len
        beat = int(math.floor(rest / beat_len + EPS))
        frac = (rest - beat * beat_len) / beat_len
        sixteenth = int(math.floor(frac * 4 + EPS))
        ticks = int(math.floor((frac * 4 - sixteenth) * 60 + EPS))
        off = 1 if position else 0
        return self._w._make('Song.BeatTime', bars=bars + off, beats=beat + off, sub_division=sixteenth + off,
                             ticks=max(0, ticks))

    def get_current_beats_song_time(self):
        return self._beat_time(self._p['current_song_time'], True)

    def get_beats_loop_start(self):
        return self._beat_time(self._p['loop_start'], True)

    def get_beats_loop_length(self):
        return self._beat_time(self._p['loop_length'], False)

    def get_current_smpte_song_time(self, time_format):
        fps = {0: 1000, 1: 24, 2: 25, 3: 29.97, 4: 30, 5: 30}.get(int(time_format), 25)
        secs = self._p['current_song_time'] * 60.0 / self._p['tempo']
        whole = int(secs)
        return self._w._make('Song.SmptTime', hours=whole // 3600, minutes=(whole // 60) % 60,
                             seconds=whole % 60, frames=int((secs - whole) * fps))

    # -- cue points ----------------------------------------------------------------------
    def _update_cue_flags(self):
        now = self._p['current_song_time']
        self._set('can_jump_to_next_cue', any(c._p['time'] > now + 1e-6 for c in self._cues))
        self._set('can_jump_to_prev_cue', any(c._p['time'] < now - 1e-6 for c in self._cues))

    def set_or_delete_cue(self):
        api.guard()
        now = self._p['current_song_time']
        for c in self._cues:
            if abs(c._p['time'] - now) < 1e-3:
                self._cues.remove(c)
                break
        else:
            self._cues.append(self._w._make('Song.CuePoint', self, str(len(self._cues) + 1), now))
            self._cues.sort(key=lambda c: c._p['time'])
        self._notify('cue_points')
        self._update_cue_flags()

    def is_cue_point_selected(self):
        now = self._p['current_song_time']
        return any(abs(c._p['time'] - now) < 1e-3 for c in self._cues)

    def jump_to_next_cue(self):
        api.guard()
        now = self._p['current_song_time']
        nxt = [c._p['time'] for c in self._cues if c._p['time'] > now + 1e-6]
        if nxt:
            self._jump_to(min(nxt))

    def jump_to_prev_cue(self):
        api.guard()
        now = self._p['current_song_time']
        prv = [c._p['time'] for c in self._cues if c._p['time'] < now - 1e-6]
        if prv:
            self._jump_to(max(prv))

    def _add_cue(self, name, time):
        c = self._w._make('Song.CuePoint', self, name, time)
        self._cues.append(c)
        self._cues.sort(key=lambda c: c._p['time'])
        return c

    # -- undo ----------------------------------------------------------------------------
    def undo(self):
        api.guard()
        return self._undo_or_redo(self._undo, self._redo, False)

    def redo(self):
        api.guard()
        return self._undo_or_redo(self._redo, self._undo, True)

    def _undo_or_redo(self, take, put, redo):
        """Take the last step from `take` and apply it backwards (undo: the old values, last
        change first) or forwards (redo: the new values, in order); it moves onto `put`."""
        if not take:
            return '' if self._w.major >= 12 else None
        entries = take.pop()
        self._applying_undo = True
        try:
            for obj, name, old, new in (entries if redo else reversed(entries)):
                self._w._apply_value(obj, name, new if redo else old)
        finally:
            self._applying_undo = False
        put.append(entries)
        return ('%s Change %s' % ('Redo' if redo else 'Undo', entries[-1][1])) if self._w.major >= 12 else None

    def begin_undo_step(self):
        self._undo_depth += 1
        if self._undo_depth == 1:
            self._undo_group = []

    def end_undo_step(self):
        if self._undo_depth == 0:
            return
        self._undo_depth -= 1
        if self._undo_depth == 0:
            if self._undo_group:
                self._undo.append(self._undo_group)
                self._redo = []
            self._undo_group = None

    # -- data ------------------------------------------------------------------------------
    def get_data(self, key, default_value):
        return self._data.get(key, default_value)

    def set_data(self, key, value):
        self._data[key] = value
        self._notify('data')

    # -- launching -------------------------------------------------------------------------
    def _bar_beats(self):
        return self._p['signature_numerator'] * 4.0 / self._p['signature_denominator']

    def _quantum(self, q):
        if q in _Q_BARS:
            return _Q_BARS[q] * self._bar_beats()
        return _Q_BEATS.get(q, 0.0)

    def _clip_quantum(self, clip):
        lq = clip._p['launch_quantization'] if clip is not None else 0
        q = self._p['clip_trigger_quantization'] if lq == 0 else _CLIP_Q_TO_SONG.get(lq, 0)
        return self._quantum(q)

    def _next_boundary(self, q):
        if q <= 0:
            return self._beat
        return (math.floor(self._beat / q + EPS) + 1) * q

    def _launch(self, t, idx, immediate=False):
        slot = t._slots[idx]
        clip = slot._clip
        if clip is None:
            return
        if clip._p['is_recording']:
            # launching a recording clip ends the recording (quantized); the clip plays on
            q = self._clip_quantum(clip)
            if immediate or q <= 0 or not self._p['is_playing']:
                self._end_recording(t, True, self._beat)
                return
            self._cancel_pending(t)
            t._pending = (self._next_boundary(q), idx)
            t._pending_rec = 'end'
            return
        if not self._p['is_playing']:
            self._continue()
            immediate = True
        q = self._clip_quantum(clip)
        if immediate or q <= 0:
            self._start_clip(t, idx, self._beat)
            return
        self._cancel_pending(t)
        t._pending = (self._next_boundary(q), idx)
        t._fired = idx
        t._set('fired_slot_index', idx)
        clip._set_state(clip._p['is_playing'], True)
        slot._refresh()
        t._parent_group_refresh(idx)

    def _launch_record(self, t, idx, immediate=False):
        """Fire an empty slot of an armed track: record a new clip there from the next boundary."""
        if not self._p['is_playing']:
            self._continue()
            immediate = True
        q = self._quantum(self._p['clip_trigger_quantization'])
        if immediate or q <= 0:
            self._start_recording(t, idx, self._beat)
            return
        self._cancel_pending(t)
        t._pending = (self._next_boundary(q), idx)
        t._pending_rec = 'start'
        t._fired = idx
        t._set('fired_slot_index', idx)
        t._slots[idx]._refresh()

    def _start_recording(self, t, idx, beat):
        self._cancel_pending(t)
        slot = t._slots[idx]
        if slot._clip is not None:
            return
        if 0 <= t._playing < len(t._slots):
            self._stop_now(t)
        bar = self._bar_beats()
        c = self._w._make('Clip.Clip', slot, '', bar, t._p['color'], t._kind == MIDI,
                          '' if t._kind == MIDI else audio_files.take_path(self, t._p['name'], idx))
        c._p['is_recording'] = True
        c._p['looping'] = True
        c._rec_next_note = beat
        slot._put_clip(c)
        c._start_beat = beat
        c._set_state(True, False)
        t._playing = idx
        t._set('playing_slot_index', idx)
        t._fired = -1
        t._set('fired_slot_index', -1)
        slot._refresh()
        t._parent_group_refresh(idx)

    def _end_recording(self, t, keep_playing, beat):
        idx = t._playing
        if idx < 0:
            return
        slot = t._slots[idx]
        c = slot._clip
        if c is None or not c._p['is_recording']:
            return
        bar = self._bar_beats()
        length = max(bar, math.ceil((beat - c._start_beat) / bar - EPS) * bar)
        c._set('loop_end', length)
        c._set('end_marker', length)
        self._finish_take(c, length)
        c._set('is_recording', False)
        c._notify('playing_status')
        if c._midi:
            c._notes_changed()
        if keep_playing:
            c._start_beat = beat
            slot._refresh()
        else:
            self._stop_now(t)

    def _finish_take(self, c, beats):
        """An audio recording ends: its file is written, as Live's is."""
        if not c._midi:
            audio_files.write_take(c, beats * 60.0 / self._p['tempo'])

    def _record_tick(self, t, c, now):
        """Grow a recording clip bar by bar; MIDI recordings get the notes 'played' meanwhile."""
        bar = self._bar_beats()
        elapsed = now - c._start_beat
        length = max(bar, math.ceil(elapsed / bar - EPS) * bar)
        if length != c._p['loop_end']:
            c._set('loop_end', length)
            c._set('end_marker', length)
        if c._midi:
            added = False
            rng = self._w.rng
            scale = (0, 2, 3, 5, 7, 8, 10)
            while c._rec_next_note <= now:
                at = c._rec_next_note - c._start_beat
                if at >= 0:
                    from .model import MidiNote
                    pitch = 57 + scale[rng.randrange(len(scale))] + 12 * rng.randrange(-1, 1)
                    c._add_note(MidiNote(pitch, at, 0.5, 70 + rng.randrange(50)))
                    added = True
                c._rec_next_note += 1.0
            if added:
                c._notes_changed()
        c._set('playing_position', elapsed)

    def _cancel_pending(self, t):
        t._pending_rec = None
        if t._pending is None:
            return
        at, idx = t._pending
        t._pending = None
        t._fired = -1
        t._set('fired_slot_index', -1)
        if idx >= 0:
            slot = t._slots[idx]
            if slot._clip is not None:
                slot._clip._set_state(slot._clip._p['is_playing'], False)
            slot._refresh()
            t._parent_group_refresh(idx)

    def _start_clip(self, t, idx, beat):
        pend = t._pending
        t._pending = None
        if pend is not None and pend[1] >= 0 and pend[1] != idx:
            other = t._slots[pend[1]]
            if other._clip is not None:
                other._clip._set_state(other._clip._p['is_playing'], False)
            other._refresh()
            t._parent_group_refresh(pend[1])
        old = t._playing
        if 0 <= old < len(t._slots) and t._slots[old]._clip is not None:
            t._slots[old]._clip._set_state(False, False)
            t._slots[old]._refresh()
            t._parent_group_refresh(old)
        slot = t._slots[idx]
        c = slot._clip
        c._start_beat = beat
        c._set('playing_position', c._p['start_marker'])
        c._set_state(True, False)
        t._playing = idx
        t._set('playing_slot_index', idx)
        t._fired = -1
        t._set('fired_slot_index', -1)
        slot._refresh()
        t._parent_group_refresh(idx)

    def _stop_track(self, t, quantized):
        if t._kind not in (MIDI, AUDIO):
            return
        if t._playing < 0:
            self._cancel_pending(t)
            return
        if not quantized or not self._p['is_playing']:
            self._stop_now(t)
            return
        q = self._quantum(self._p['clip_trigger_quantization'])
        if q <= 0:
            self._stop_now(t)
            return
        self._cancel_pending(t)
        t._pending = (self._next_boundary(q), -2)
        t._fired = -2
        t._set('fired_slot_index', -2)

    def _stop_now(self, t):
        self._cancel_pending(t)
        idx = t._playing
        if idx >= 0 and t._slots[idx]._clip is not None and t._slots[idx]._clip._p['is_recording']:
            c = t._slots[idx]._clip
            bar = self._bar_beats()
            length = max(bar, math.ceil((self._beat - c._start_beat) / bar - EPS) * bar)
            c._set('loop_end', length)
            c._set('end_marker', length)
            self._finish_take(c, length)
            c._set('is_recording', False)
            if c._midi:
                c._notes_changed()
        if idx >= 0:
            slot = t._slots[idx]
            if slot._clip is not None:
                slot._clip._set_state(False, False)
            slot._refresh()
            t._parent_group_refresh(idx)
        t._playing = -1
        t._set('playing_slot_index', -1)

    def _fire_scene(self, scene, select):
        idx = scene._index()
        immediate = not self._p['is_playing']
        if immediate:
            self._continue()
        at = None
        for t in self._tracks:
            if t._kind == GROUP:
                continue
            slot = t._slots[idx]
            if slot._clip is not None:
                self._launch(t, idx, immediate)
                if t._pending is not None:
                    at = t._pending[0]
            elif slot._p['has_stop_button']:
                self._stop_track(t, not immediate)
        if select and self._p['select_on_launch']:
            self._view._set('selected_scene', scene)
        if immediate or at is None:
            q = self._quantum(self._p['clip_trigger_quantization'])
            if immediate or q <= 0:
                self._scene_launched(scene)
                return
            at = self._next_boundary(q)
        scene._pending_at = at
        scene._set('is_triggered', True)

    def _scene_launched(self, scene):
        scene._pending_at = None
        scene._set('is_triggered', False)
        sp = scene._p
        if sp['tempo_enabled'] and sp['tempo'] >= 20:
            self._set_tempo(sp['tempo'], False)
        if sp['time_signature_enabled'] and sp['time_signature_numerator'] > 0:
            self._set('signature_numerator', sp['time_signature_numerator'])
            self._set('signature_denominator', sp['time_signature_denominator'])

    def stop_all_clips(self, quantized=True):
        api.guard()
        for t in self._tracks:
            self._stop_track(t, bool(quantized))

    # -- the passing of time (called by World.advance) -------------------------------------------
    def _advance(self, dt):
        p = self._p
        if not p['is_playing'] or dt <= 0:
            return
        beats = dt * p['tempo'] / 60.0
        self._beat += beats
        now = self._beat
        t_song = p['current_song_time'] + beats
        if p['loop']:
            end = p['loop_start'] + p['loop_length']
            if p['current_song_time'] < end <= t_song:
                t_song = p['loop_start'] + (t_song - end)
        self._set('current_song_time', t_song)
        if self._cues:
            self._update_cue_flags()
        for t in self._tracks:
            pend = t._pending
            if pend is not None and now + EPS >= pend[0]:
                at, idx = pend
                rec = t._pending_rec
                if idx == -2:
                    self._stop_now(t)
                elif rec == 'start':
                    self._start_recording(t, idx, at)
                elif rec == 'end':
                    t._pending = None
                    t._pending_rec = None
                    self._end_recording(t, True, at)
                else:
                    self._start_clip(t, idx, at)
            if t._playing >= 0:
                c = t._slots[t._playing]._clip
                if c is None:
                    continue
                cp = c._p
                if cp['is_recording']:
                    self._record_tick(t, c, now)
                    continue
                pos = cp['start_marker'] + (now - c._start_beat)
                if cp['looping']:
                    le, ls = cp['loop_end'], cp['loop_start']
                    if pos >= le and le > ls:
                        pos = ls + (pos - ls) % (le - ls)
                elif pos >= cp['end_marker']:
                    self._stop_now(t)
                    continue
                c._set('playing_position', pos)
        for s in self._scenes:
            if s._pending_at is not None and now + EPS >= s._pending_at:
                self._scene_launched(s)

    # -- solo ------------------------------------------------------------------------------
    def _update_solo(self):
        everyone = self._tracks + self._returns
        any_solo = any(t._p['solo'] for t in everyone)
        for t in everyone:
            soloed_group = False
            g = t._group
            while g is not None:
                if g._p['solo']:
                    soloed_group = True
                g = g._group
            kids_solo = t._kind == GROUP and any(k._p['solo'] for k in t._children())
            t._set('muted_via_solo', any_solo and not t._p['solo'] and not soloed_group and not kids_solo
                   and t._kind != RETURN)

    def _visible_changed(self):
        self._notify('visible_tracks')

    # -- structure -------------------------------------------------------------------------
    def _index_arg(self, index, n):
        if index is None:
            return n
        index = int(index)
        if index == -1:
            return n
        if not 0 <= index <= n:
            raise IndexError('Index out of range')
        return index

    def _new_track(self, kind, index, name=None, color=None):
        n = len(self._tracks)
        idx = self._index_arg(index, n)
        if name is None:
            name = '%d-%s' % (idx + 1, 'MIDI' if kind == MIDI else 'Audio')
        if color is None:
            color = P.PALETTE[(idx * 5 + 3) % len(P.PALETTE)]
        t = self._w._make('Track.Track', self, kind, name, color, len(self._scenes), len(self._returns))
        if 0 < idx < n and self._tracks[idx - 1]._group is not None and (
                idx < n and self._tracks[idx]._group is self._tracks[idx - 1]._group):
            t._group = self._tracks[idx - 1]._group
        self._tracks.insert(idx, t)
        return t

    def _tracks_changed(self):
        self._notify('tracks')
        self._notify('visible_tracks')
        self._update_solo()

    def create_midi_track(self, index=None):
        api.guard()
        t = self._new_track(MIDI, index)
        self._tracks_changed()
        self._view._set('selected_track', t)
        self._w._record_structure('create_midi_track')
        return t

    def create_audio_track(self, index=None):
        api.guard()
        t = self._new_track(AUDIO, index)
        self._tracks_changed()
        self._view._set('selected_track', t)
        self._w._record_structure('create_audio_track')
        return t

    def create_return_track(self):
        api.guard()
        if len(self._returns) >= 12:
            raise RuntimeError('Maximum number of return tracks reached')
        i = len(self._returns)
        name = '%s-Return' % chr(ord('A') + i)
        r = self._w._make('Track.Track', self, RETURN, name, P.PALETTE[(i * 7 + 9) % 70], 0, i + 1)
        self._returns.append(r)
        for t in self._tracks + self._returns[:-1]:
            t._mixer._add_send(i)
        self._disable_own_sends()
        self._notify('return_tracks')
        self._w._record_structure('create_return_track')
        return r

    def delete_track(self, index):
        api.guard()
        index = checked_index(index, self._tracks, 'Track')
        t = self._tracks[index]
        doomed = [t] + ([k for k in self._tracks if self._inside(k, t)] if t._kind == GROUP else [])
        if len(doomed) >= len(self._tracks):
            raise RuntimeError('Cannot delete the last track')
        for d in doomed:
            self._stop_now(d) if d._kind in (MIDI, AUDIO) else None
            self._tracks.remove(d)
        sel = self._view._p['selected_track']
        if sel in doomed:
            self._view._set('selected_track', self._tracks[min(index, len(self._tracks) - 1)])
        self._tracks_changed()
        self._w._record_structure('delete_track')

    def _inside(self, t, group):
        g = t._group
        while g is not None:
            if g is group:
                return True
            g = g._group
        return False

    def _disable_own_sends(self):
        """A return track's send to itself exists but is disabled, as in Live."""
        for i, r in enumerate(self._returns):
            for j, snd in enumerate(r._mixer._sends):
                snd._set('state', 2 if i == j else 0)

    def delete_return_track(self, index):
        api.guard()
        index = checked_index(index, self._returns, 'Return track')
        r = self._returns.pop(index)
        for t in self._tracks + self._returns:
            t._mixer._remove_send(index)
        self._disable_own_sends()
        if self._view._p['selected_track'] is r:
            self._view._set('selected_track', self._master)
        self._notify('return_tracks')
        self._w._record_structure('delete_return_track')

    def duplicate_track(self, index):
        api.guard()
        index = checked_index(index, self._tracks, 'Track')
        src = self._tracks[index]
        block = [src] + ([k for k in self._tracks if self._inside(k, src)] if src._kind == GROUP else [])
        copies = {}
        for k in block:
            c = k._copy(self)
            copies[k] = c
        for k, c in copies.items():
            if k._group in copies:
                c._group = copies[k._group]
        pos = self._tracks.index(block[-1]) + 1
        for i, k in enumerate(block):
            self._tracks.insert(pos + i, copies[k])
        self._tracks_changed()
        self._view._set('selected_track', copies[src])
        self._w._record_structure('duplicate_track')

    def _insert_scene(self, idx, name='', color=None):
        s = self._w._make('Scene.Scene', self, name, color if color is not None else 0x3C3C3C)
        self._scenes.insert(idx, s)
        for t in self._tracks:
            t._slots.insert(idx, self._w._make('ClipSlot.ClipSlot', t))
            self._reindex(t, idx, 1)
            t._notify('clip_slots')
        self._notify('scenes')
        return s

    def _reindex(self, t, at, delta):
        """Slot `at` was inserted (delta 1) or removed (delta -1): shift the track's indices."""
        def shift(i):
            return i + delta if i >= at else i
        if t._playing >= 0:
            t._playing = shift(t._playing)
            t._set('playing_slot_index', t._playing)
        if t._pending is not None and t._pending[1] >= 0:
            t._pending = (t._pending[0], shift(t._pending[1]))
            t._fired = t._pending[1]
            t._set('fired_slot_index', t._fired)

    def create_scene(self, index):
        api.guard()
        idx = self._index_arg(index, len(self._scenes))
        s = self._insert_scene(idx)
        self._w._record_structure('create_scene')
        return s

    def delete_scene(self, index):
        api.guard()
        index = checked_index(index, self._scenes, 'Scene')
        if len(self._scenes) == 1:
            raise RuntimeError('Cannot delete the last scene')
        s = self._scenes.pop(index)
        for t in self._tracks:
            if t._pending is not None and t._pending[1] == index:
                self._cancel_pending(t)
            if t._playing == index:
                self._stop_now(t)
            del t._slots[index]
            self._reindex(t, index + 1, -1)
            t._notify('clip_slots')
        if self._view._p['selected_scene'] is s:
            self._view._set('selected_scene', self._scenes[min(index, len(self._scenes) - 1)])
        self._notify('scenes')
        self._w._record_structure('delete_scene')

    def duplicate_scene(self, index):
        api.guard()
        index = checked_index(index, self._scenes, 'Scene')
        src = self._scenes[index]
        s = self._insert_scene(index + 1, src._p['name'], src._p['color'])
        for k in ('tempo', 'tempo_enabled', 'time_signature_numerator', 'time_signature_denominator',
                  'time_signature_enabled'):
            s._p[k] = src._p[k]
        for t in self._tracks:
            a, b = t._slots[index], t._slots[index + 1]
            if a._clip is not None:
                b._put_clip(a._clip._copy_to(b))
        self._view._set('selected_scene', s)
        self._w._record_structure('duplicate_scene')

    def capture_midi(self, destination=0):
        api.guard()
        t = self._view._p['selected_track']
        if t is None or t._kind != MIDI:
            raise RuntimeError('Capture MIDI needs a selected MIDI track')
        free = [s for s in t._slots if s._clip is None]
        slot = free[0] if free else t._slots[self._insert_scene(len(self._scenes))._index()]
        c = self._w._make('Clip.Clip', slot, 'Captured', 16.0, t._p['color'], True)
        root = 48 + self._p['root_note']
        from .model import MidiNote
        for i, step in enumerate((0, 7, 12, 7, 3, 10, 15, 10)):
            c._add_note(MidiNote(root + step, i * 2.0, 1.5, 90 + (i % 3) * 10))
        c._notes.sort(key=lambda n: (n._d['start_time'], n._d['pitch']))
        slot._put_clip(c)
        if self._p['is_playing']:
            self._launch(t, slot._index())


# ======================================================================================
# Application, browser, timers

class AppView(Lom):
    def __init__(self, world, app):
        Lom.__init__(self, world, app)
        self._p.update({'browse_mode': False, 'focused_document_view': 'Session'})
        self._visible = set(['Session', 'Browser', 'Detail', 'Detail/DeviceChain'])

    def available_main_views(self):
        return ('Browser', 'Arranger', 'Session', 'Detail', 'Detail/Clip', 'Detail/DeviceChain')

    def is_view_visible(self, name, main_window_only=True):
        return name in self._visible

    def show_view(self, name):
        self._visible.add(name)
        if name in ('Session', 'Arranger'):
            self._set('focused_document_view', name)
        self._notify('is_view_visible')

    def hide_view(self, name):
        self._visible.discard(name)
        self._notify('is_view_visible')

    def focus_view(self, name):
        self.show_view(name)

    def scroll_view(self, direction, view_name, modifier_pressed):
        pass

    def zoom_view(self, direction, view_name, modifier_pressed):
        pass

    def toggle_browse(self):
        self._set('browse_mode', not self._p['browse_mode'])


class Application(Lom):
    def __init__(self, world):
        Lom.__init__(self, world, None)
        self._view = world._make('Application.Application.View', self)
        self._browser = world._make('Browser.Browser', self)
        self._p.update({'average_process_usage': 0.08, 'peak_process_usage': 0.12, 'open_dialog_count': 0,
                        'current_dialog_button_count': 0, 'current_dialog_message': '',
                        'number_of_push_apps_running': 0})

    view = held('_view')
    browser = held('_browser')

    @property
    def control_surfaces(self):
        return tuple(self._w.control_surfaces)

    @property
    def unavailable_features(self):
        return ()

    def get_major_version(self):
        return self._w.version_tuple[0]

    def get_minor_version(self):
        return self._w.version_tuple[1]

    def get_bugfix_version(self):
        return self._w.version_tuple[2]

    def get_version_string(self):
        return self._w.version

    def get_build_id(self):
        return 'roomtone-sim'

    def get_variant(self):
        return 'Suite'

    def get_document(self):
        return self._w.song

    def has_option(self, name):
        return False

    def press_current_dialog_button(self, index):
        pass


class BrowserItem(object):
    """Live.Browser.BrowserItem: a node of the browser tree (no _live_ptr in Live either)."""

    def __init__(self, name, uri, children=None, spec=None, is_device=False, source='Live'):
        self._name = name
        self._uri = uri
        self._children = list(children or [])
        self._spec = spec
        self._is_device = is_device
        self._source = source

    def __repr__(self):
        return '<BrowserItem %r>' % self._name

    name = held('_name')
    uri = held('_uri')
    children = held('_children', tuple)

    @property
    def iter_children(self):
        return iter(self._children)

    @property
    def is_folder(self):
        return bool(self._children) or self._spec is None

    @property
    def is_loadable(self):
        return self._spec is not None

    is_device = held('_is_device')

    @property
    def is_selected(self):
        return False

    source = held('_source')


class Browser(Lom):
    def __init__(self, world, app):
        Lom.__init__(self, world, app)
        self._p.update({'filter_type': 0, 'hotswap_target': None})
        from . import browser_tree
        self._roots = browser_tree.build(world)

    def _root(self, name):
        return self._roots[name]

    @property
    def instruments(self):
        return self._roots['instruments']

    @property
    def audio_effects(self):
        return self._roots['audio_effects']

    @property
    def midi_effects(self):
        return self._roots['midi_effects']

    @property
    def drums(self):
        return self._roots['drums']

    @property
    def sounds(self):
        return self._roots['sounds']

    @property
    def plugins(self):
        return self._roots['plugins']

    @property
    def max_for_live(self):
        return self._roots['max_for_live']

    @property
    def clips(self):
        return self._roots['clips']

    @property
    def samples(self):
        return self._roots['samples']

    @property
    def packs(self):
        return self._roots['packs']

    @property
    def user_library(self):
        return self._roots['user_library']

    @property
    def current_project(self):
        return self._roots['current_project']

    @property
    def user_folders(self):
        return ()

    @property
    def colors(self):
        return ()

    @property
    def legacy_libraries(self):
        return ()

    def load_item(self, item):
        api.guard()
        if getattr(item, '_spec', None) is None:
            raise RuntimeError('Browser item is not loadable')
        self._w._load_browser_item(item)

    def preview_item(self, item):
        pass

    def stop_preview(self):
        pass


class Timer(object):
    """Live.Base.Timer(callback, interval, repeat=False, start=False); interval in ms, fired by the sim loop."""

    def __init__(self, callback=None, interval=1, repeat=False, start=False):
        from . import world as W
        if callback is None or not callable(callback):
            raise TypeError('Timer needs a callable callback')
        self._world = W.current()
        self._callback = callback
        self._interval = max(float(interval), 1.0)
        self._repeat = bool(repeat)
        self._running = False
        self._due = 0.0
        if start:
            self.start()

    running = held('_running')

    def start(self):
        if not self._running:
            self._running = True
            self._due = self._world.clock_ms + self._interval
            self._world._timers.append(self)

    def stop(self):
        if self._running:
            self._running = False
            try:
                self._world._timers.remove(self)
            except ValueError:
                pass

    def restart(self):
        self.stop()
        self.start()

    def _fire(self, now_ms):
        if self._repeat:
            self._due = max(self._due + self._interval, now_ms)
        else:
            self.stop()
        self._callback()
