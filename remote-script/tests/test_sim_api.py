"""The fake Live module presents exactly the API of each emulated Live version."""
import ast
import contextlib
import io
import os
import sys
import unittest

from . import simpath  # noqa: F401  (sys.path)

from livesim import api
from livesim import world as W

VERSIONS = api.VERSIONS


def walk_objects(song):
    """Every object of the demo set that a script can reach, with its listing key."""
    out = []
    seen = set()

    def add(o):
        if o is None or id(o) in seen:
            return
        seen.add(id(o))
        out.append(o)

    add(song)
    add(song.view)
    for c in song.cue_points:
        add(c)
    for s in song.scenes:
        add(s)
    for t in list(song.tracks) + list(song.return_tracks) + [song.master_track]:
        add(t)
        add(t.view)
        m = t.mixer_device
        add(m)
        for p in [m.volume, m.panning, m.track_activator, m.crossfader, m.cue_volume, m.song_tempo] + list(m.sends):
            add(p)
        stack = list(t.devices)
        while stack:
            d = stack.pop()
            add(d)
            add(d.view)
            for p in d.parameters:
                add(p)
            for ch in getattr(d, 'chains', ()):
                add(ch)
                add(ch.mixer_device)
                stack.extend(ch.devices)
        for cs in t.clip_slots:
            add(cs)
            if cs.clip is not None:
                add(cs.clip)
                add(cs.clip.view)
    return out


class ListingFidelity(unittest.TestCase):
    def test_classes_expose_exactly_the_listed_members(self):
        for v in VERSIONS:
            listing = api.load_listing(v)['classes']
            classes = W.classes_for(v)
            self.assertEqual(set(classes), set(listing), v)
            for key, cls in classes.items():
                members = listing[key]
                if '__enum__' in members:
                    for name in members['__enum__']['values']:
                        self.assertTrue(hasattr(cls, name), '%s %s.%s' % (v, key, name))
                    continue
                public = set(api.public_members(cls))
                listed = set(n for n in members if not n.startswith('_'))
                self.assertEqual(public - listed, set(), '%s %s: members Live lacks' % (v, key))
                self.assertEqual(listed - public, set(), '%s %s: listed members missing' % (v, key))
                for name, spec in members.items():
                    self.assertTrue(hasattr(cls, name), '%s %s.%s' % (v, key, name))

    def test_demo_objects_have_no_public_extras(self):
        for v in VERSIONS:
            w = W.World(v)
            listing = api.load_listing(v)['classes']
            objs = walk_objects(w.song) + [w.app, w.app.view, w.app.browser]
            self.assertGreater(len(objs), 300)
            for o in objs:
                listed = set(listing[o._key])
                extras = set(n for n in dir(o) if not n.startswith('_')) - listed
                self.assertEqual(extras, set(), '%s %s' % (v, o._key))

    def test_read_only_properties_refuse_assignment_and_settable_ones_have_setters(self):
        for v in VERSIONS:
            w = W.World(v)
            listing = api.load_listing(v)['classes']
            checked = 0
            for o in walk_objects(w.song):
                cls = type(o)
                for name, spec in listing[o._key].items():
                    if spec['kind'] != 'property':
                        continue
                    prop = getattr(cls, name)
                    self.assertIsInstance(prop, property, '%s %s.%s' % (v, o._key, name))
                    if spec['settable']:
                        self.assertIsNotNone(prop.fset, '%s %s.%s has no setter' % (v, o._key, name))
                    else:
                        self.assertIsNone(prop.fset, '%s %s.%s' % (v, o._key, name))
                        with self.assertRaises(AttributeError):
                            setattr(o, name, 1)
                        checked += 1
            self.assertGreater(checked, 1000)

    def test_unknown_public_attributes_are_refused(self):
        w = W.World('12.3.6')
        t = w.song.tracks[1]
        with self.assertRaises(AttributeError):
            t.volume = 0.5          # lives on mixer_device.volume.value
        with self.assertRaises(AttributeError):
            w.song.tracks[1].clip_slots[0].clip.add_length_listener(lambda: None)

    def test_version_differences_follow_the_listings(self):
        expect = {
            ('Track.Track', 'create_midi_clip'): (False, False, True),
            ('Track.Track', 'take_lanes'): (False, False, True),
            ('ClipSlot.ClipSlot', 'create_audio_clip'): (False, True, True),
            ('Application.Application', 'get_version_string'): (False, True, True),
            ('Scene.Scene', 'tempo_enabled'): (False, True, True),
            ('Scene.Scene', 'add_tempo_listener'): (False, True, True),
            ('RackDevice.RackDevice', 'visible_macro_count'): (False, True, True),
            ('DeviceParameter.DeviceParameter', 'display_value'): (False, False, True),
            ('Clip.Clip', 'get_all_notes_extended'): (False, True, True),
            ('Clip.Clip', 'add_new_notes'): (True, True, True),
            ('Clip.Clip', 'add_length_listener'): (False, False, False),
            ('Clip.Clip', 'add_notes_listener'): (True, True, True),
        }
        for (key, name), present in expect.items():
            for v, want in zip(VERSIONS, present):
                cls = W.classes_for(v)[key]
                self.assertEqual(hasattr(cls, name), want, '%s %s.%s' % (v, key, name))

    def test_functions_take_exactly_the_listed_parameters(self):
        import inspect
        checked = 0
        for v in VERSIONS:
            listing = api.load_listing(v)['classes']
            for key, cls in W.classes_for(v).items():
                for name, spec in listing[key].items():
                    if spec['kind'] != 'function':
                        continue
                    parsed = api.parse_signature(spec.get('signature'))
                    if parsed is None:
                        continue
                    req, opt = parsed
                    params = list(inspect.signature(getattr(cls, name)).parameters.values())[1:]
                    self.assertEqual([p.name for p in params], req + opt, '%s %s.%s' % (v, key, name))
                    self.assertEqual([p.name for p in params if p.default is not p.empty], opt,
                                     '%s %s.%s' % (v, key, name))
                    checked += 1
        self.assertGreater(checked, 3000)

    def test_calls_follow_the_signatures(self):
        w = W.World('12.3.6')
        s = w.song
        with self.assertRaises(TypeError):
            s.create_scene(index=3)          # Live's create_scene has no keyword 'index'
        with self.assertRaises(TypeError):
            s.create_scene()
        with self.assertRaises(TypeError):
            s.tracks[3].clip_slots[1].fire(force_legato=True)
        s.tracks[3].stop_all_clips(Quantized=False)
        s.scenes[1].fire(force_legato=False, can_select_scene_on_launch=False)
        self.assertTrue(s.tracks[3].clip_slots[1].is_playing)
        s.create_midi_track(Index=0)
        self.assertEqual(s.tracks[0].name, '1-MIDI')
        s.view.select_device(s.tracks[4].devices[1], ShouldAppointDevice=False)
        self.assertEqual(s.tracks[4].view.selected_device, s.tracks[4].devices[1])
        self.assertIsNone(s.appointed_device)

    def test_cue_point_name_is_settable_only_in_12_3(self):
        for v, settable in zip(VERSIONS, (False, False, True)):
            w = W.World(v)
            cue = w.song.cue_points[0]
            if settable:
                cue.name = 'Top'
                self.assertEqual(cue.name, 'Top')
            else:
                with self.assertRaises(AttributeError):
                    cue.name = 'Top'

    def test_unsimulated_functions_say_so(self):
        w = W.World('12.3.6')
        with self.assertRaises(RuntimeError) as cm:
            w.song.tracks[1].clip_slots[1].clip.quantize(1, 1.0)
        self.assertIn('not simulated: Clip.Clip.quantize', str(cm.exception))

    def test_live_modules_and_module_functions(self):
        w = W.World('11.0.0')
        import Live
        import Live.Song
        self.assertIs(Live.Song.Song, W.classes_for('11.0.0', w.fresh)['Song.Song'])
        self.assertEqual(Live.Application.get_application(), w.app)
        self.assertEqual(Live.Application.get_application().get_document(), w.song)
        self.assertIsInstance(w.song, Live.Song.Song)
        self.assertFalse(hasattr(Live.Application.Application, 'get_version_string'))
        self.assertEqual((w.app.get_major_version(), w.app.get_minor_version(), w.app.get_bugfix_version()),
                         (11, 0, 0))
        w2 = W.World('12.3.6')
        self.assertIs(Live.Song.Song, W.classes_for('12.3.6', w2.fresh)['Song.Song'])
        self.assertEqual(Live.Application.get_application().get_version_string(), '12.3.6')
        self.assertEqual(Live.Application.get_application(), w2.app)

    def test_isinstance_hierarchy(self):
        w = W.World('12.3.6')
        import Live
        drums = w.song.tracks[1]
        rack = drums.devices[0]
        self.assertIsInstance(rack, Live.RackDevice.RackDevice)
        self.assertIsInstance(rack, Live.Device.Device)
        self.assertIsInstance(rack.chains[0], Live.DrumChain.DrumChain)
        self.assertIsInstance(rack.chains[0], Live.Chain.Chain)
        eq = w.song.tracks[3].devices[2]
        self.assertEqual(eq.class_name, 'Eq8')
        self.assertIsInstance(eq, Live.Eq8Device.Eq8Device)
        self.assertNotIsInstance(eq, Live.RackDevice.RackDevice)

    def test_enums(self):
        import Live  # noqa: F401
        w = W.World('12.3.6')
        import Live as L
        self.assertEqual(int(L.Song.Quantization.q_bar), 4)
        self.assertEqual(int(L.Song.Quantization.q_no_q), 0)
        self.assertEqual(w.song.clip_trigger_quantization, L.Song.Quantization.q_bar)
        self.assertEqual(int(L.Track.Track.monitoring_states.AUTO), 1)
        self.assertEqual(int(L.Device.DeviceType.audio_effect), 2)
        self.assertEqual(w.song.tracks[1].devices[0].type, L.Device.DeviceType.instrument)
        self.assertEqual(L.ClipSlot.ClipSlotPlayingState.started.name, 'started')

    def test_live_ptr_unique_and_stable(self):
        w = W.World('12.3.6', quirks={'ptr_reuse': False, 'dead_objects': False})
        objs = walk_objects(w.song)
        ptrs = [o._live_ptr for o in objs]
        self.assertEqual(len(ptrs), len(set(ptrs)))
        self.assertTrue(all(isinstance(p, int) and p > 0 for p in ptrs))
        self.assertEqual(w.song.tracks[2]._live_ptr, w.song.tracks[2]._live_ptr)
        with self.assertRaises(AttributeError):
            w.song.tracks[2]._live_ptr = 5
        old = set(ptrs)
        w.new_song()
        new = set(o._live_ptr for o in walk_objects(w.song))
        self.assertEqual(old & new, set())


class Listeners(unittest.TestCase):
    def setUp(self):
        self.w = W.World('12.3.6')
        self.song = self.w.song

    def test_add_remove_has(self):
        calls = []

        def cb():
            calls.append(1)
        self.song.add_tempo_listener(cb)
        self.assertTrue(self.song.tempo_has_listener(cb))
        with self.assertRaises(RuntimeError):
            self.song.add_tempo_listener(cb)
        self.song.remove_tempo_listener(cb)
        self.assertFalse(self.song.tempo_has_listener(cb))
        with self.assertRaises(RuntimeError):
            self.song.remove_tempo_listener(cb)

    def test_bound_methods_compare_equal(self):
        class S(object):
            n = 0

            def on(self):
                self.n += 1
        s = S()
        vol = self.song.tracks[1].mixer_device.volume
        vol.add_value_listener(s.on)
        self.assertTrue(vol.value_has_listener(s.on))
        vol.value = 0.5
        vol.remove_value_listener(s.on)
        vol.value = 0.6
        self.assertEqual(s.n, 1)

    def test_fires_synchronously_and_only_on_change(self):
        seen = []
        self.song.add_tempo_listener(lambda: seen.append(self.song.tempo))
        self.song.tempo = 128
        self.assertEqual(seen, [128.0])
        self.song.tempo = 128
        self.assertEqual(seen, [128.0])
        t = self.song.tracks[3]
        names = []
        t.add_name_listener(lambda: names.append(t.name))
        t.name = 'Sub'
        t.name = 'Sub'
        self.assertEqual(names, ['Sub'])

    def test_changes_from_inside_a_listener_are_refused(self):
        errors = []
        t = self.song.tracks[3]

        def cb():
            try:
                t.mute = True
            except RuntimeError as e:
                errors.append(str(e))
        self.song.add_tempo_listener(cb)
        self.song.tempo = 100
        self.assertEqual(len(errors), 1)
        self.assertIn('Changes cannot be triggered by notifications', errors[0])
        self.assertFalse(t.mute)
        self.song.remove_tempo_listener(cb)
        t.mute = True          # outside a notification it is fine
        self.assertTrue(t.mute)

    def test_calls_from_another_thread_are_refused(self):
        import threading
        errors = []
        t = self.song.tracks[3]

        def other():
            for f in (lambda: setattr(self.song, 'tempo', 99), lambda: t.add_name_listener(lambda: None),
                      lambda: t.clip_slots[1].fire()):
                try:
                    f()
                except RuntimeError as e:
                    errors.append(str(e))
        th = threading.Thread(target=other)
        th.start()
        th.join(10)
        self.assertEqual(len(errors), 3)
        self.assertIn("main thread", errors[0])
        self.assertEqual(self.song.tempo, 120.0)
        self.assertFalse(self.song.is_playing)

    def test_listener_exception_does_not_break_the_change(self):
        def bad():
            raise ValueError('boom')
        self.song.add_tempo_listener(bad)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.song.tempo = 90
        self.assertEqual(self.song.tempo, 90.0)
        self.assertIn('ValueError: boom', err.getvalue())


class FreshWrappers(unittest.TestCase):
    """World(fresh_wrappers=True): like Live, a new Python wrapper on every access."""

    def setUp(self):
        self.w = W.World('12.3.6', fresh_wrappers=True)
        import Live
        self.song = Live.Application.get_application().get_document()

    def tearDown(self):
        W.World('12.3.6', fresh_wrappers=False)   # leave `import Live` as the other tests expect

    def test_equal_but_not_identical(self):
        a, b = self.song.tracks[3], self.song.tracks[3]
        self.assertIsNot(a, b)
        self.assertEqual(a, b)
        self.assertEqual(hash(a), hash(b))
        self.assertEqual(a._live_ptr, b._live_ptr)
        self.assertNotEqual(a, self.song.tracks[4])
        self.assertIsNot(self.song.view.selected_track, self.song.view.selected_track)
        self.assertIn(a, self.song.tracks)
        self.assertEqual(list(self.song.tracks).index(b), 3)

    def test_state_and_listeners_are_shared_between_wrappers(self):
        a, b = self.song.tracks[3], self.song.tracks[3]
        seen = []
        a.add_name_listener(lambda: seen.append(1))
        b.name = 'Sub'
        self.assertEqual(a.name, 'Sub')
        self.assertEqual(seen, [1])
        cb = seen.append
        a.mixer_device.volume.add_value_listener(cb)
        self.assertTrue(b.mixer_device.volume.value_has_listener(cb))

    def test_wrappers_passed_back_into_live_work(self):
        s = self.song
        keys = s.tracks[4]
        s.view.selected_track = keys
        self.assertTrue(s.tracks[4].is_part_of_selection)
        keys.clip_slots[1].duplicate_clip_to(s.tracks[4].clip_slots[7])
        self.assertEqual(s.tracks[4].clip_slots[7].clip.name, 'Keys Verse')
        keys.clip_slots[1].duplicate_clip_to(s.tracks[4].clip_slots[1])      # onto itself: no-op
        s.view.select_device(s.tracks[4].devices[1])
        self.assertEqual(keys.view.selected_device, keys.devices[1])
        self.assertEqual(s.appointed_device, keys.devices[1])

    def test_off_by_default(self):
        w = W.World('12.3.6')
        if w.fresh:
            self.skipTest('ROOMTONE_SIM_FRESH_WRAPPERS=1 in the environment')
        self.assertIs(w.song.tracks[0], w.song.tracks[0])


class Python37Syntax(unittest.TestCase):
    def test_sim_sources_parse_as_python_3_7(self):
        root = os.path.join(simpath.ROOT, 'sim')
        files = []
        for d, _dirs, names in os.walk(root):
            files += [os.path.join(d, n) for n in names if n.endswith('.py')]
        self.assertGreater(len(files), 8)
        for f in files:
            with open(f) as fh:
                src = fh.read()
                if sys.version_info >= (3, 8):
                    ast.parse(src, filename=f, feature_version=(3, 7))
                else:   # feature_version is 3.8+; on 3.7 itself a plain parse is the check
                    ast.parse(src, filename=f)


if __name__ == '__main__':
    unittest.main()
