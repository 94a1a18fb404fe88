"""Behaviour of the simulated Live: ranges, transport, launching, notes, structure, timers."""
import contextlib
import io
import os
import tempfile
import unittest

from . import simpath  # noqa: F401  (sys.path)

from livesim import api
from livesim import world as W


def run(w, seconds, step=0.01):
    """Drive the simulated main loop for `seconds` of simulated time."""
    n = int(round(seconds / step))
    for _ in range(n):
        w.advance(step)
        w.run_timers()


def until(w, cond, max_seconds=10.0, step=0.01):
    """Advance in steps until cond() holds (bounded); returns the simulated seconds spent."""
    spent = 0.0
    while not cond():
        if spent > max_seconds:
            raise AssertionError('condition not reached within %.1f simulated seconds' % max_seconds)
        w.advance(step)
        w.run_timers()
        spent += step
    return spent


class Base(unittest.TestCase):
    VERSION = '12.3.6'

    def setUp(self):
        self.w = W.World(self.VERSION, seed=1)
        self.song = self.w.song
        self.t = dict((t.name, t) for t in self.song.tracks)


class DemoSet(Base):
    def test_shape(self):
        s = self.song
        self.assertGreaterEqual(len(s.tracks), 8)
        self.assertEqual([r.name for r in s.return_tracks], ['A-Reverb', 'B-Delay'])
        self.assertEqual([x.name for x in s.scenes],
                         ['Intro', 'Verse', 'Pre', 'Chorus', 'Bridge', 'Chorus 2', 'Outro', 'End'])
        self.assertEqual(s.tempo, 120.0)
        self.assertEqual((s.signature_numerator, s.signature_denominator), (4, 4))
        self.assertGreaterEqual(len(s.cue_points), 3)
        self.assertTrue(self.t['Rhythm'].is_foldable)
        self.assertEqual(self.t['Drums'].group_track, self.t['Rhythm'])
        self.assertTrue(self.t['Drums'].is_grouped)
        self.assertTrue(self.t['Guitar'].has_audio_input)
        self.assertTrue(self.t['Bass'].has_midi_input)
        clips = [cs.clip for t in s.tracks for cs in t.clip_slots if cs.has_clip]
        self.assertGreater(len(clips), 25)
        self.assertTrue(all(c.name for c in clips))
        midi = [c for c in clips if c.is_midi_clip]
        self.assertTrue(all(len(c.get_notes_extended(0, 128, 0.0, 1e6)) > 0 for c in midi))
        rack = self.t['Drums'].devices[0]
        self.assertTrue(rack.can_have_chains)
        self.assertEqual(rack.parameters[0].name, 'Device On')
        self.assertEqual(rack.parameters[1].name, 'Kick Decay')
        self.assertEqual(rack.visible_macro_count, 8)
        self.assertEqual(len(rack.chains), 6)
        self.assertEqual(len(s.tracks[1].mixer_device.sends), 2)

    def test_every_device_starts_with_device_on(self):
        for t in list(self.song.tracks) + list(self.song.return_tracks) + [self.song.master_track]:
            for d in t.devices:
                self.assertEqual(d.parameters[0].name, 'Device On', d.name)
                self.assertTrue(d.is_active)


class Parameters(Base):
    def test_volume_range_and_display(self):
        vol = self.t['Drums'].mixer_device.volume
        self.assertEqual((vol.min, vol.max, vol.default_value), (0.0, 1.0, 0.85))
        self.assertEqual(str(vol), '0.0 dB')
        vol.value = 0.0
        self.assertEqual(str(vol), '-inf dB')
        vol.value = 1.0
        self.assertEqual(str(vol), '6.0 dB')
        self.assertEqual(vol.str_for_value(0.85), '0.0 dB')
        with self.assertRaises(RuntimeError):
            vol.value = 1.5
        with self.assertRaises(RuntimeError):
            vol.value = -0.1
        self.assertEqual(vol.value, 1.0)
        self.assertAlmostEqual(vol.display_value, 6.0)

    def test_pan_and_sends(self):
        m = self.t['Keys'].mixer_device
        self.assertEqual((m.panning.min, m.panning.max), (-1.0, 1.0))
        m.panning.value = 0.0
        self.assertEqual(str(m.panning), 'C')
        m.panning.value = -0.5
        self.assertEqual(str(m.panning), '25L')
        s = m.sends[0]
        self.assertEqual((s.min, s.max), (0.0, 1.0))
        s.value = 1.0
        self.assertEqual(str(s), '0.0 dB')

    def test_quantized_parameters(self):
        eq = self.t['Bass'].devices[2]
        ftype = [p for p in eq.parameters if p.name == '1 Filter Type A'][0]
        self.assertTrue(ftype.is_quantized)
        self.assertIn('Bell', list(ftype.value_items))
        ftype.value = 2.6
        self.assertEqual(ftype.value, 3.0)
        self.assertEqual(str(ftype), 'Bell')
        freq = [p for p in eq.parameters if p.name == '1 Frequency A'][0]
        self.assertFalse(freq.is_quantized)
        self.assertTrue(str(freq).endswith('Hz'))

    def test_device_on_switches_is_active(self):
        d = self.t['Bass'].devices[1]
        seen = []
        d.add_is_active_listener(lambda: seen.append(d.is_active))
        d.parameters[0].value = 0
        self.assertFalse(d.is_active)
        self.assertEqual(seen, [False])

    def test_mute_follows_track_activator(self):
        t = self.t['Bass']
        t.mute = True
        self.assertEqual(t.mixer_device.track_activator.value, 0.0)
        t.mixer_device.track_activator.value = 1.0
        self.assertFalse(t.mute)

    def test_master_track_has_no_mute_solo_arm(self):
        m = self.song.master_track
        for name in ('mute', 'solo'):
            with self.assertRaises(RuntimeError):
                getattr(m, name)
        with self.assertRaises(RuntimeError):
            m.arm = True
        self.assertFalse(m.can_be_armed)
        self.assertEqual(m.mixer_device.crossfader.value, 0.0)
        m.mixer_device.crossfader.value = -1.0
        self.assertEqual(str(m.mixer_device.crossfader), '50A')

    def test_tempo_clamped_and_linked_to_master_song_tempo(self):
        self.song.tempo = 5000
        self.assertEqual(self.song.tempo, 999.0)
        self.song.tempo = 1
        self.assertEqual(self.song.tempo, 20.0)
        self.song.tempo = 133
        self.assertEqual(self.song.master_track.mixer_device.song_tempo.value, 133.0)
        self.song.master_track.mixer_device.song_tempo.value = 90
        self.assertEqual(self.song.tempo, 90.0)

    def test_solo_mutes_others_via_solo(self):
        self.t['Bass'].solo = True
        self.assertTrue(self.t['Keys'].muted_via_solo)
        self.assertFalse(self.t['Bass'].muted_via_solo)
        self.t['Bass'].solo = False
        self.assertFalse(self.t['Keys'].muted_via_solo)

    def test_colours_snap_to_the_palette(self):
        from livesim import params as P
        t = self.t['Bass']
        t.color = 0xFE0001                 # not a palette colour
        self.assertEqual(t.color, 0xFF3636)
        self.assertEqual(P.PALETTE[t.color_index], t.color)
        with self.assertRaises(RuntimeError):
            t.color = 0x1000000
        scene = self.song.scenes[2]
        scene.color_index = 21
        self.assertEqual(scene.color, P.PALETTE[21])
        clip = self.t['Keys'].clip_slots[1].clip
        slot_colours = []
        self.t['Keys'].clip_slots[1].add_color_listener(lambda: slot_colours.append(1))
        clip.color = 0x10A4EE
        self.assertEqual(self.t['Keys'].clip_slots[1].color, 0x10A4EE)
        self.assertEqual(slot_colours, [1])

    def test_time_signature_and_quantization_checks(self):
        with self.assertRaises(RuntimeError):
            self.song.signature_denominator = 3
        self.song.signature_numerator = 7
        self.assertEqual(self.song.signature_numerator, 7)
        with self.assertRaises(RuntimeError):
            self.song.clip_trigger_quantization = 99

    def test_routing(self):
        drums, gtr = self.t['Drums'], self.t['Guitar']
        self.assertEqual(drums.input_routing_type.display_name, 'All Ins')
        self.assertEqual(drums.output_routing_type.display_name, 'Rhythm')      # its group
        self.assertEqual(drums.output_routing_type.attached_object, self.t['Rhythm'])
        self.assertEqual(gtr.current_input_routing, 'Ext. In')
        seen = []
        gtr.add_input_routing_type_listener(lambda: seen.append(gtr.input_routing_type.display_name))
        resampling = [r for r in gtr.available_input_routing_types if r.display_name == 'Resampling'][0]
        gtr.input_routing_type = resampling
        self.assertEqual(seen, ['Resampling'])
        self.assertEqual(gtr.input_routing_type, resampling)
        with self.assertRaises(RuntimeError):
            gtr.input_routing_type = drums.available_input_routing_types[1]    # 'Computer Keyboard'
        self.assertEqual(self.song.return_tracks[0].available_input_routing_types, ())
        self.assertEqual(self.song.master_track.output_routing_type.display_name, 'Ext. Out')

    def test_group_and_non_group_fold_state(self):
        with self.assertRaises(RuntimeError):
            self.t['Bass'].fold_state
        vis = []
        self.song.add_visible_tracks_listener(lambda: vis.append(len(self.song.visible_tracks)))
        n = len(self.song.visible_tracks)
        self.t['Rhythm'].fold_state = True
        self.assertEqual(vis, [n - 2])


class Transport(Base):
    def test_time_advances_at_tempo(self):
        self.song.start_playing()
        self.assertTrue(self.song.is_playing)
        run(self.w, 1.0)
        self.assertAlmostEqual(self.song.current_song_time, 2.0, places=6)
        self.song.tempo = 60
        run(self.w, 1.0)
        self.assertAlmostEqual(self.song.current_song_time, 3.0, places=6)
        self.song.stop_playing()
        run(self.w, 1.0)
        self.assertAlmostEqual(self.song.current_song_time, 3.0, places=6)
        self.song.continue_playing()
        run(self.w, 0.5)
        self.assertAlmostEqual(self.song.current_song_time, 3.5, places=6)
        self.song.start_playing()
        self.assertEqual(self.song.current_song_time, 0.0)

    def test_beats_and_smpte_time(self):
        s = self.song
        s.current_song_time = 9.5          # bar 3, beat 2, third sixteenth
        bt = s.get_current_beats_song_time()
        self.assertEqual((bt.bars, bt.beats, bt.sub_division, bt.ticks), (3, 2, 3, 0))
        ll = s.get_beats_loop_length()
        self.assertEqual((ll.bars, ll.beats), (8, 0))
        s.current_song_time = 241.0       # 120.5 s at 120 BPM
        smpte = s.get_current_smpte_song_time(2)
        self.assertEqual((smpte.hours, smpte.minutes, smpte.seconds, smpte.frames), (0, 2, 0, 12))

    def test_is_playing_listener(self):
        seen = []
        self.song.add_is_playing_listener(lambda: seen.append(self.song.is_playing))
        self.song.is_playing = True
        self.song.is_playing = False
        self.assertEqual(seen, [True, False])

    def test_arrangement_loop_wraps(self):
        self.song.loop = True
        self.song.loop_start = 0.0
        self.song.loop_length = 4.0
        self.song.start_playing()
        run(self.w, 2.5)   # 5 beats
        self.assertAlmostEqual(self.song.current_song_time, 1.0, places=6)

    def test_firing_a_clip_while_stopped_starts_transport_and_clip(self):
        slot = self.t['Bass'].clip_slots[1]
        slot.fire()
        self.assertTrue(self.song.is_playing)
        self.assertTrue(slot.is_playing)
        self.assertEqual(self.t['Bass'].playing_slot_index, 1)

    def test_launch_waits_for_the_next_bar(self):
        bass = self.t['Bass']
        self.song.start_playing()
        run(self.w, 0.25)                         # half a beat in
        events = []
        bass.add_fired_slot_index_listener(lambda: events.append(('fired', bass.fired_slot_index)))
        bass.add_playing_slot_index_listener(lambda: events.append(('playing', bass.playing_slot_index)))
        slot = bass.clip_slots[3]
        slot.fire()
        self.assertTrue(slot.is_triggered)
        self.assertTrue(slot.clip.is_triggered)
        self.assertFalse(slot.is_playing)
        self.assertEqual(bass.fired_slot_index, 3)
        until(self.w, lambda: slot.is_playing)
        self.assertAlmostEqual(self.song.current_song_time, 4.0, delta=0.03)   # the bar line
        self.assertFalse(slot.is_triggered)
        self.assertEqual(bass.playing_slot_index, 3)
        self.assertEqual(bass.fired_slot_index, -1)
        self.assertEqual(events, [('fired', 3), ('playing', 3), ('fired', -1)])  # never both -1 between
        self.assertEqual(slot.playing_status, 1)
        # a new clip replaces the playing one at the next bar
        other = bass.clip_slots[5]
        other.fire()
        self.assertTrue(slot.is_playing)
        until(self.w, lambda: other.is_playing)
        self.assertFalse(slot.is_playing)
        self.assertAlmostEqual(self.song.current_song_time, 8.0, delta=0.03)

    def test_no_quantization_launches_at_once(self):
        self.song.clip_trigger_quantization = 0
        self.song.start_playing()
        run(self.w, 0.3)
        slot = self.t['Keys'].clip_slots[1]
        slot.fire()
        self.assertTrue(slot.is_playing)

    def test_quantized_stop(self):
        keys = self.t['Keys']
        keys.clip_slots[1].fire()
        run(self.w, 0.3)
        keys.stop_all_clips()
        self.assertEqual(keys.fired_slot_index, -2)
        self.assertTrue(keys.clip_slots[1].is_playing)
        until(self.w, lambda: not keys.clip_slots[1].is_playing)
        self.assertAlmostEqual(self.song.current_song_time, 4.0, delta=0.03)
        self.assertEqual(keys.playing_slot_index, -1)
        self.assertEqual(keys.fired_slot_index, -1)

    def test_stop_playing_stops_every_clip(self):
        self.song.scenes[3].fire()
        playing = [t for t in self.song.tracks if t.playing_slot_index >= 0]
        self.assertGreater(len(playing), 4)
        self.song.stop_playing()
        self.assertTrue(all(t.playing_slot_index == -1 for t in self.song.tracks))

    def test_scene_fire_launches_the_row_quantized(self):
        self.song.start_playing()
        run(self.w, 0.2)
        scene = self.song.scenes[1]
        scene.fire()
        self.assertTrue(scene.is_triggered)
        until(self.w, lambda: not scene.is_triggered)
        for t in self.song.tracks:
            if t.is_foldable:
                continue
            cs = t.clip_slots[1]
            self.assertEqual(cs.is_playing, cs.has_clip, t.name)
        self.assertEqual(self.song.view.selected_scene, scene)
        # the group's slot reflects its children
        self.assertTrue(self.t['Rhythm'].clip_slots[1].is_playing)

    def test_scene_tempo_applies_on_launch(self):
        bridge = self.song.scenes[4]
        bridge.tempo = 100
        self.assertTrue(bridge.tempo_enabled)
        bridge.fire()
        self.assertEqual(self.song.tempo, 100.0)

    def test_clip_playing_position_loops(self):
        keys = self.t['Keys']
        c = keys.clip_slots[1].clip
        keys.clip_slots[1].fire()
        run(self.w, 9.0)   # 18 beats into a 16-beat loop
        self.assertAlmostEqual(c.playing_position, 2.0, delta=0.05)

    def test_one_shot_clip_stops_at_its_end(self):
        fx = self.t['FX']
        slot = fx.clip_slots[7]
        self.assertFalse(slot.clip.looping)
        slot.fire()
        until(self.w, lambda: not slot.is_playing)
        self.assertAlmostEqual(self.song.current_song_time, 4.0, delta=0.05)

    def test_meters_move_while_playing_and_decay_after(self):
        drums = self.t['Drums']
        self.assertEqual(drums.output_meter_level, 0.0)
        seen = []
        drums.add_output_meter_left_listener(lambda: seen.append(drums.output_meter_left))
        self.song.scenes[1].fire()
        run(self.w, 1.0)
        self.assertGreater(drums.output_meter_level, 0.1)
        self.assertGreater(len(set(seen)), 5)
        self.assertGreater(self.song.master_track.output_meter_left, 0.1)
        self.assertGreater(self.song.return_tracks[0].output_meter_left, 0.0)
        self.assertEqual(self.t['Pad'].output_meter_level, 0.0)   # no clip in that row
        self.song.stop_playing()
        run(self.w, 2.0)
        self.assertEqual(drums.output_meter_level, 0.0)

    def test_muted_group_silences_its_tracks(self):
        self.t['Rhythm'].mute = True
        self.song.scenes[1].fire()
        run(self.w, 0.5)
        self.assertEqual(self.t['Drums'].output_meter_level, 0.0)
        self.assertGreater(self.t['Bass'].output_meter_level, 0.0)

    def test_meters_are_seeded(self):
        def levels(seed):
            w = W.World('12.3.6', seed=seed)
            w.song.scenes[3].fire()
            run(w, 0.5)
            return [t.output_meter_left for t in w.song.tracks]
        self.assertEqual(levels(3), levels(3))
        self.assertNotEqual(levels(3), levels(4))

    def test_cue_points(self):
        s = self.song
        s.current_song_time = 20.0
        self.assertTrue(s.can_jump_to_next_cue)
        s.jump_to_next_cue()
        self.assertEqual(s.current_song_time, 48.0)
        s.jump_to_prev_cue()
        self.assertEqual(s.current_song_time, 16.0)
        n = len(s.cue_points)
        changes = []
        s.add_cue_points_listener(lambda: changes.append(len(s.cue_points)))
        s.current_song_time = 30.0
        s.set_or_delete_cue()
        s.set_or_delete_cue()
        self.assertEqual(changes, [n + 1, n])
        s.cue_points[-1].jump()
        self.assertEqual(s.current_song_time, 112.0)
        self.assertFalse(s.can_jump_to_next_cue)

    def test_tap_tempo(self):
        for _ in range(4):
            self.song.tap_tempo()
            run(self.w, 0.5)
        self.assertAlmostEqual(self.song.tempo, 120.0, delta=1.0)
        for _ in range(4):
            self.song.tap_tempo()
            run(self.w, 0.4)
        self.assertAlmostEqual(self.song.tempo, 150.0, delta=2.0)


class Recording(Base):
    def test_firing_an_empty_slot_of_an_armed_track_records(self):
        keys = self.t['Keys']
        keys.arm = True
        slot = keys.clip_slots[7]
        self.assertTrue(slot.will_record_on_start)
        statuses = []
        slot.add_playing_status_listener(lambda: statuses.append(int(slot.playing_status)))
        self.song.start_playing()
        run(self.w, 0.25)
        slot.fire()
        self.assertTrue(slot.is_triggered)
        self.assertFalse(slot.has_clip)
        until(self.w, lambda: slot.has_clip)
        self.assertTrue(slot.is_recording)
        self.assertTrue(slot.clip.is_recording)
        self.assertEqual(int(slot.playing_status), 2)
        self.assertEqual(keys.playing_slot_index, 7)
        run(self.w, 3.0)                           # six beats in: the clip grows bar by bar
        self.assertEqual(slot.clip.length, 8.0)
        self.assertGreater(len(slot.clip.get_notes_extended(0, 128, 0.0, 100.0)), 3)
        slot.fire()                                # ends the recording at the next bar
        until(self.w, lambda: not slot.is_recording)
        self.assertEqual(slot.clip.length, 8.0)
        self.assertTrue(slot.is_playing)
        self.assertEqual(statuses[:2], [2, 1])
        keys.stop_all_clips(False)
        self.assertFalse(slot.is_playing)
        self.assertTrue(slot.has_clip)

    def test_stopping_ends_a_recording(self):
        gtr = self.t['Guitar']
        gtr.arm = True
        slot = gtr.clip_slots[0]
        slot.fire()                                # transport was stopped: starts at once
        self.assertTrue(self.song.is_playing)
        self.assertTrue(slot.is_recording)
        self.assertTrue(slot.clip.is_audio_clip)
        run(self.w, 1.0)
        self.song.stop_playing()
        self.assertFalse(slot.is_recording)
        self.assertEqual(slot.clip.length, 4.0)

    def test_session_record_button(self):
        for name in ('Keys', 'Vocals'):
            self.t[name].arm = True
        self.song.view.selected_scene = self.song.scenes[6]
        self.song.session_record = True
        self.assertEqual(int(self.song.session_record_status), 2)
        self.assertTrue(self.t['Keys'].clip_slots[6].is_recording)     # Outro has no Keys clip
        self.assertTrue(self.t['Vocals'].clip_slots[6].is_recording)
        self.assertFalse(self.t['Bass'].clip_slots[6].is_recording)   # not armed
        run(self.w, 1.0)
        self.song.session_record = False
        self.assertFalse(self.t['Keys'].clip_slots[6].is_recording)
        self.assertTrue(self.t['Keys'].clip_slots[6].is_playing)


class Undo(Base):
    def test_undo_redo_of_changes(self):
        s = self.song
        vol = self.t['Bass'].mixer_device.volume
        before = vol.value
        self.assertFalse(s.can_undo)
        vol.value = 0.3
        s.tempo = 140
        self.assertTrue(s.can_undo)
        said = s.undo()
        if self.w.major >= 12:
            self.assertIsInstance(said, str)
        self.assertEqual(s.tempo, 120.0)
        s.undo()
        self.assertEqual(vol.value, before)
        self.assertTrue(s.can_redo)
        s.redo()
        self.assertEqual(vol.value, 0.3)
        s.tempo = 100
        self.assertFalse(s.can_redo)

    def test_undo_step_groups(self):
        s = self.song
        s.begin_undo_step()
        self.t['Bass'].name = 'B1'
        self.t['Keys'].name = 'K1'
        s.end_undo_step()
        s.undo()
        self.assertEqual((self.t['Bass'].name, self.t['Keys'].name), ('Bass', 'Keys'))


class Undo11(Undo):
    VERSION = '11.0.0'

    def test_undo_returns_none_in_11(self):
        self.song.tempo = 99
        self.assertIsNone(self.song.undo())


class Structure(Base):
    def test_create_and_delete_tracks(self):
        s = self.song
        n = len(s.tracks)
        seen = []
        s.add_tracks_listener(lambda: seen.append(len(s.tracks)))
        t = s.create_midi_track(-1)
        self.assertEqual(s.tracks[-1], t)
        self.assertTrue(t.has_midi_input)
        self.assertEqual(len(t.clip_slots), len(s.scenes))
        self.assertEqual(len(t.mixer_device.sends), len(s.return_tracks))
        self.assertEqual(s.view.selected_track, t)
        a = s.create_audio_track(0)
        self.assertEqual(s.tracks[0], a)
        s.delete_track(0)
        s.duplicate_track(len(s.tracks) - 1)
        self.assertEqual(seen, [n + 1, n + 2, n + 1, n + 2])
        with self.assertRaises(IndexError):
            s.delete_track(99)

    def test_duplicate_track_copies_clips_and_devices(self):
        s = self.song
        i = list(s.tracks).index(self.t['Bass'])
        s.duplicate_track(i)
        copy = s.tracks[i + 1]
        self.assertEqual(copy.name, 'Bass')
        self.assertEqual([d.name for d in copy.devices], [d.name for d in self.t['Bass'].devices])
        self.assertEqual(copy.clip_slots[1].clip.name, 'Bass Verse')
        self.assertNotEqual(copy.clip_slots[1].clip, self.t['Bass'].clip_slots[1].clip)

    def test_return_tracks_add_and_remove_sends(self):
        s = self.song
        r = s.create_return_track()
        self.assertEqual(len(s.return_tracks), 3)
        self.assertEqual(len(self.t['Bass'].mixer_device.sends), 3)
        self.assertEqual(self.t['Bass'].mixer_device.sends[2].name, 'Send C')
        self.assertEqual(s.return_tracks[2], r)
        s.delete_return_track(0)
        self.assertEqual(len(self.t['Bass'].mixer_device.sends), 2)
        self.assertEqual(self.t['Bass'].mixer_device.sends[0].name, 'Send A')

    def test_return_tracks_send_to_every_return_but_not_themselves(self):
        s = self.song
        r = s.create_return_track()
        for i, ret in enumerate(s.return_tracks):
            self.assertEqual(len(ret.mixer_device.sends), 3)
            self.assertEqual([x.is_enabled for x in ret.mixer_device.sends], [j != i for j in range(3)])
        self.assertEqual(len(s.master_track.mixer_device.sends), 0)
        s.delete_return_track(0)
        self.assertEqual([x.is_enabled for x in r.mixer_device.sends], [True, False])

    def test_scene_insert_and_delete_keep_pending_launches(self):
        s = self.song
        bass = self.t['Bass']
        s.start_playing()
        run(self.w, 0.2)
        bass.clip_slots[3].fire()              # pending at the next bar
        s.create_scene(0)
        self.assertEqual(bass.fired_slot_index, 4)
        s.delete_scene(1)
        self.assertEqual(bass.fired_slot_index, 3)
        until(self.w, lambda: bass.playing_slot_index == 3)
        self.assertEqual(bass.clip_slots[3].clip.name, 'Bass Chorus')
        keys = self.t['Keys']
        keys.clip_slots[1].fire()
        until(self.w, lambda: keys.playing_slot_index == 1)
        keys.clip_slots[3].fire()              # pending; deleting another row keeps the playing clip
        s.delete_scene(3)
        self.assertEqual(keys.playing_slot_index, 1)
        self.assertEqual(keys.fired_slot_index, -1)

    def test_scenes(self):
        s = self.song
        n = len(s.scenes)
        sc = s.create_scene(2)
        self.assertEqual(s.scenes[2], sc)
        self.assertTrue(all(len(t.clip_slots) == n + 1 for t in s.tracks))
        self.assertTrue(sc.is_empty)
        s.duplicate_scene(3)       # 'Pre' moved to 3
        self.assertEqual(s.scenes[4].name, 'Pre')
        self.assertEqual(self.t['Bass'].clip_slots[4].clip.name, 'Bass Pre')
        s.delete_scene(2)
        self.assertEqual(len(s.scenes), n + 1)
        while len(s.scenes) > 1:
            s.delete_scene(0)
        with self.assertRaises(RuntimeError):
            s.delete_scene(0)

    def test_deleting_a_scene_keeps_playing_indices_right(self):
        s = self.song
        bass = self.t['Bass']
        bass.clip_slots[3].fire()
        s.delete_scene(0)
        self.assertEqual(bass.playing_slot_index, 2)

    def test_clip_slot_create_delete_duplicate(self):
        keys = self.t['Keys']
        slot = keys.clip_slots[7]
        self.assertFalse(slot.has_clip)
        seen = []
        slot.add_has_clip_listener(lambda: seen.append(slot.has_clip))
        c = slot.create_clip(8.0)
        self.assertEqual(c, slot.clip)
        self.assertEqual(c.length, 8.0)
        self.assertTrue(c.is_midi_clip)
        with self.assertRaises(RuntimeError):
            slot.create_clip(4.0)
        with self.assertRaises(RuntimeError):
            self.t['Guitar'].clip_slots[7].create_clip(4.0)
        slot.delete_clip()
        self.assertFalse(slot.has_clip)
        self.assertEqual(seen, [True, False])
        keys.clip_slots[1].duplicate_clip_to(slot)
        self.assertEqual(slot.clip.name, 'Keys Verse')
        with self.assertRaises(RuntimeError):
            keys.clip_slots[1].duplicate_clip_to(self.t['Guitar'].clip_slots[0])

    def test_delete_device_and_insert_device(self):
        bass = self.t['Bass']
        seen = []
        bass.add_devices_listener(lambda: seen.append(len(bass.devices)))
        bass.delete_device(2)
        self.assertEqual([d.name for d in bass.devices], ['Sub Bass', 'Compressor'])
        d = bass.insert_device('Saturator')
        self.assertEqual(bass.devices[-1].name, 'Saturator')
        self.assertEqual(d, bass.devices[-1])
        self.assertEqual(seen, [2, 3])

    def test_browser_loads_onto_selected_track(self):
        import Live
        app = Live.Application.get_application()
        b = app.browser
        self.assertEqual(b.audio_effects.name, 'Audio Effects')
        reverb = [i for i in b.audio_effects.children if i.name == 'Reverb'][0]
        self.assertTrue(reverb.is_loadable)
        self.assertTrue(reverb.uri.startswith('query:AudioFx#'))
        self.song.view.selected_track = self.t['Vocals']
        b.load_item(reverb)
        self.assertEqual(self.t['Vocals'].devices[-1].name, 'Reverb')
        self.assertEqual(self.t['Vocals'].devices[-1].class_name, 'Reverb')
        # an instrument replaces the one on a MIDI track
        self.song.view.selected_track = self.t['Keys']
        op = [i for i in b.instruments.children if i.name == 'Operator'][0]
        b.load_item(op)
        self.assertEqual([d.name for d in self.t['Keys'].devices], ['Operator', 'Chorus-Ensemble'])
        pad = b.sounds.children[1]
        self.assertTrue(pad.is_folder)
        b.load_item(pad.children[0])
        self.assertEqual(self.t['Keys'].devices[0].name, 'Warm Pad')
        kit = b.drums.children[0]
        b.load_item(kit)
        self.assertTrue(self.t['Keys'].devices[0].can_have_chains)
        with self.assertRaises(RuntimeError):
            b.load_item(b.sounds)


class Notes(Base):
    def clip(self):
        return self.t['Keys'].clip_slots[7].create_clip(4.0) or self.t['Keys'].clip_slots[7].clip

    def test_legacy_note_api(self):
        c = self.clip()
        seen = []
        c.add_notes_listener(lambda: seen.append(1))
        c.set_notes(((60, 0.0, 1.0, 100, False), (64, 1.0, 0.5, 90, True)))
        self.assertEqual(c.get_notes(0.0, 0, 4.0, 128), ((60, 0.0, 1.0, 100.0, False), (64, 1.0, 0.5, 90.0, True)))
        c.remove_notes(0.0, 60, 1.0, 1)
        self.assertEqual(len(c.get_notes(0.0, 0, 4.0, 128)), 1)
        self.assertEqual(seen, [1, 1])

    def test_extended_note_api(self):
        import Live
        c = self.clip()
        spec = Live.Clip.MidiNoteSpecification
        ids = c.add_new_notes((spec(pitch=60, start_time=0.0, duration=1.0, velocity=100),
                               spec(pitch=67, start_time=2.0, duration=0.5, velocity=80, mute=True)))
        if self.w.major >= 12:
            self.assertEqual(len(ids), 2)
        else:
            self.assertIsNone(ids)
        notes = c.get_notes_extended(0, 128, 0.0, 4.0)
        self.assertEqual([(n.pitch, n.start_time, n.duration, n.velocity, n.mute) for n in notes],
                         [(60, 0.0, 1.0, 100.0, False), (67, 2.0, 0.5, 80.0, True)])
        notes[0].velocity = 50
        self.assertEqual(c.get_notes_extended(0, 128, 0.0, 4.0)[0].velocity, 100.0)   # a copy
        c.apply_note_modifications(notes)
        self.assertEqual(c.get_notes_extended(0, 128, 0.0, 4.0)[0].velocity, 50.0)
        c.remove_notes_extended(60, 1, 0.0, 4.0)
        self.assertEqual([n.pitch for n in c.get_notes_extended(0, 128, 0.0, 4.0)], [67])
        with self.assertRaises(RuntimeError):
            c.add_new_notes((spec(pitch=200, start_time=0.0, duration=1.0),))
        with self.assertRaises(TypeError):
            c.add_new_notes(({'pitch': 60, 'start_time': 0.0, 'duration': 1.0},))   # dicts are Max for Live's
        with self.assertRaises(RuntimeError):
            self.t['Guitar'].clip_slots[1].clip.get_notes_extended(0, 128, 0.0, 4.0)

    def test_duplicate_loop(self):
        c = self.t['Lead'].clip_slots[3].clip
        n = len(c.get_notes_extended(0, 128, 0.0, 1e6))
        length = c.length
        c.duplicate_loop()
        self.assertEqual(c.length, 2 * length)
        self.assertEqual(len(c.get_notes_extended(0, 128, 0.0, 1e6)), 2 * n)

    def test_loop_checks(self):
        c = self.t['Lead'].clip_slots[3].clip
        with self.assertRaises(RuntimeError):
            c.loop_start = c.loop_end + 1
        c.loop_end = 8.0
        self.assertEqual(c.length, 8.0)
        c.loop_start = 4.0
        self.assertEqual(c.length, 4.0)


class Notes11(Notes):
    VERSION = '11.0.0'

    def test_create_clip_returns_none_in_11(self):
        self.assertIsNone(self.t['Keys'].clip_slots[7].create_clip(4.0))
        self.assertTrue(self.t['Keys'].clip_slots[7].has_clip)


class Notes1205(Notes):
    VERSION = '12.0.5'

    def test_get_all_notes_and_by_id(self):
        import Live
        c = self.clip()
        ids = c.add_new_notes((Live.Clip.MidiNoteSpecification(60, 0.0, 1.0),
                               Live.Clip.MidiNoteSpecification(62, 1.0, 1.0)))
        self.assertEqual(len(c.get_all_notes_extended()), 2)
        self.assertEqual([n.pitch for n in c.get_notes_by_id([ids[1]])], [62])
        c.remove_notes_by_id([ids[0]])
        self.assertEqual([n.pitch for n in c.get_all_notes_extended()], [62])

    def test_create_audio_clip_needs_a_file(self):
        slot = self.t['Guitar'].clip_slots[0]
        with self.assertRaises(RuntimeError):
            slot.create_audio_clip('/no/such/file.wav')
        fd, path = tempfile.mkstemp(suffix='.wav')
        os.close(fd)
        try:
            with self.assertRaises(RuntimeError):   # an empty file is no audio Live can read
                slot.create_audio_clip(path)
            import wave
            w = wave.open(path, 'wb')
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(48000)
            w.writeframes(b'\0\0\0\0' * 24000)
            w.close()
            c = slot.create_audio_clip(path)
            self.assertTrue(c.is_audio_clip)
            self.assertEqual(c.file_path, path)
            self.assertEqual(c.sample_length, 24000)
            self.assertAlmostEqual(c.length, 0.5 * self.w.song.tempo / 60.0)
        finally:
            os.remove(path)


class Timers(Base):
    def test_repeating_and_one_shot(self):
        import Live
        ticks = []
        t = Live.Base.Timer(callback=lambda: ticks.append(self.w.clock), interval=10, repeat=True)
        self.assertFalse(t.running)
        t.start()
        self.assertTrue(t.running)
        run(self.w, 0.1)
        self.assertEqual(len(ticks), 10)
        t.stop()
        run(self.w, 0.1)
        self.assertEqual(len(ticks), 10)
        once = []
        o = Live.Base.Timer(callback=lambda: once.append(1), interval=50, repeat=False, start=True)
        run(self.w, 0.2)
        self.assertEqual(once, [1])
        self.assertFalse(o.running)

    def test_exception_stops_the_timer(self):
        import Live
        n = []

        def cb():
            n.append(1)
            raise ValueError('boom')
        t = Live.Base.Timer(callback=cb, interval=10, repeat=True)
        t.start()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            run(self.w, 0.1)
        self.assertEqual(n, [1])
        self.assertFalse(t.running)
        self.assertIn('boom', err.getvalue())


class NewSong(Base):
    def test_new_song_replaces_every_object(self):
        old = self.song
        cb_calls = []
        old.add_tempo_listener(lambda: cb_calls.append(1))
        new = self.w.new_song()
        self.assertNotEqual(new, old)
        self.assertEqual(self.w.song, new)
        import Live
        self.assertEqual(Live.Application.get_application().get_document(), new)
        new.tempo = 99
        self.assertEqual(cb_calls, [])
        self.assertNotEqual(new.tracks[0]._live_ptr, old.tracks[0]._live_ptr)


if __name__ == '__main__':
    unittest.main()
