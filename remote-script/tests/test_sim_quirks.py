"""Live's quirks in the simulator (livesim.quirks): each behaves like Live when on and
goes away when switched off, so the script's tests can show it copes both ways."""
import contextlib
import io
import os
import unittest

from . import simpath  # noqa: F401  (sys.path)

from livesim import world as W
from livesim import quirks as Q
from livesim.runner import Sim


def world(**quirks):
    return W.World('12.3.6', quirks=quirks)


class QuirkSwitchesTest(unittest.TestCase):
    def test_all_on_by_default_and_switchable_by_name_and_environment(self):
        w = W.World('12.3.6')
        self.assertTrue(all(w.quirks.values()))
        self.assertEqual(set(w.quirks), set(Q.QUIRKS))
        self.assertEqual(Q.parse('-ptr_reuse,+dead_objects')['ptr_reuse'], False)
        with self.assertRaises(ValueError):
            Q.parse('-no_such_quirk')
        old = os.environ.get('ROOMTONE_SIM_QUIRKS')
        os.environ['ROOMTONE_SIM_QUIRKS'] = '-silent_slot_status'
        try:
            self.assertFalse(W.World('12.3.6').quirks['silent_slot_status'])
        finally:
            if old is None:
                os.environ.pop('ROOMTONE_SIM_QUIRKS')
            else:
                os.environ['ROOMTONE_SIM_QUIRKS'] = old


class EachQuirkTest(unittest.TestCase):
    def _launch(self, w):
        song = w.song
        slot = [s for t in song.tracks for s in t.clip_slots if s.has_clip][0]
        calls = []
        slot.add_playing_status_listener(lambda: calls.append(int(slot.playing_status)))
        song.start_playing()
        slot.fire()
        for _ in range(300):
            w.advance(0.01)
            if int(slot.playing_status) == 1:
                break
        return slot, calls

    def test_silent_slot_status(self):
        slot, calls = self._launch(world(silent_slot_status=True))
        self.assertEqual(int(slot.playing_status), 1, 'the value is right when read')
        self.assertEqual(calls, [], 'but its listener never fires (ableton-js #25)')
        slot, calls = self._launch(world(silent_slot_status=False))
        self.assertEqual(calls, [1])

    def test_dead_objects(self):
        for on in (True, False):
            with self.subTest(dead_objects=on):
                w = world(dead_objects=on)
                t = w.song.tracks[3]
                w.song.delete_track(3)
                self.assertEqual(t == None, on)  # noqa: E711 -- what Live's scripts test
                if on:
                    with self.assertRaises(RuntimeError):
                        t.name
                    with self.assertRaises(RuntimeError):
                        t.add_name_listener(lambda: None)
                else:
                    self.assertIsInstance(t.name, str)

    def test_ptr_reuse(self):
        for on in (True, False):
            with self.subTest(ptr_reuse=on):
                w = world(ptr_reuse=on)
                slot = [s for s in w.song.tracks[4].clip_slots if s.has_clip][0]
                old_ptr = slot.clip._live_ptr
                slot.delete_clip()
                w.song.create_scene(-1)            # Live allocates new objects
                new = [o._live_ptr for o in w.song.scenes] + [t.clip_slots[-1]._live_ptr for t in w.song.tracks]
                self.assertEqual(old_ptr in new, on)

    def test_disabled_param_raises(self):
        for on in (True, False):
            with self.subTest(disabled_param_raises=on):
                w = world(disabled_param_raises=on)
                ret = w.song.return_tracks[0]
                own = list(ret.mixer_device.sends)[0]   # a return's send to itself is disabled
                self.assertFalse(own.is_enabled)
                if on:
                    with self.assertRaises(RuntimeError):
                        own.value = 0.5
                else:
                    own.value = 0.5
                    self.assertEqual(own.value, 0.5)

    def test_notification_guard(self):
        for on in (True, False):
            with self.subTest(notification_guard=on):
                w = world(notification_guard=on)
                song = w.song
                errors = []

                def cb():
                    try:
                        song.metronome = True
                    except RuntimeError as exc:
                        errors.append(str(exc))
                song.add_tempo_listener(cb)
                song.tempo = 99.0
                self.assertEqual(bool(errors), on)
                self.assertEqual(song.metronome, not on)
                if on:
                    self.assertIn('Changes cannot be triggered by notifications', errors[0])

    def test_timer_stops_on_exception(self):
        for on in (True, False):
            with self.subTest(timer_stops_on_exception=on):
                w = world(timer_stops_on_exception=on)
                import Live
                calls = []

                def cb():
                    calls.append(1)
                    raise ValueError('boom')
                t = Live.Base.Timer(callback=cb, interval=10, repeat=True)
                t.start()
                with contextlib.redirect_stderr(io.StringIO()):   # Live logs each one
                    for _ in range(5):
                        w.advance(0.01)
                        w.run_timers()
                self.assertEqual(len(calls), 1 if on else 5)
                self.assertEqual(bool(t.running), not on)
                t.stop()

    def test_double_is_playing(self):
        for on in (True, False):
            with self.subTest(double_is_playing=on):
                w = world(double_is_playing=on)
                seen = []
                w.song.add_is_playing_listener(lambda: seen.append(1))
                w.song.start_playing()
                self.assertEqual(len(seen), 2 if on else 1)

    def test_automation_override(self):
        for on in (True, False):
            with self.subTest(automation_override=on):
                w = world(automation_override=on)
                w.automate(20)
                p = w._automated[0][0]
                w.song.start_playing()
                w.advance(0.5)
                self.assertEqual(int(p.automation_state), 1)
                p.value = p.min
                self.assertEqual(int(p.automation_state), 2 if on else 1)
                w.advance(0.5)
                self.assertEqual(p.value == p.min, on, 'an overridden parameter stays where the user put it')
                if on:
                    p.re_enable_automation()
                    self.assertEqual(int(p.automation_state), 1)

    def test_slow_browser(self):
        import time
        for on in (True, False):
            with self.subTest(slow_browser=on):
                w = W.World('12.3.6', quirks={'slow_browser': on}, library='large')
                sounds = w.app.browser.sounds
                t = time.perf_counter()
                for folder in sounds.children:
                    folder.children
                took = time.perf_counter() - t
                if on:
                    self.assertGreater(took, 0.00002 * len(sounds.children))

    def test_new_set_recreates_script(self):
        for on in (True, False):
            with self.subTest(new_set_recreates_script=on):
                sim = Sim('12.3.6', port=0, quirks={'new_set_recreates_script': on})
                sim.start()
                first = sim.instance
                old_song = sim.world.song
                sim.new_set()
                self.assertEqual(sim.instance is not first, on)
                self.assertTrue(old_song == None)  # noqa: E711 -- every object of the old set is gone
                sim.stop()
                if not on:
                    first.disconnect()


class HeavySetTest(unittest.TestCase):
    def test_the_heavy_set_is_a_studio_set(self):
        w = W.World('12.3.6', set_name='heavy')
        song = w.song
        self.assertGreaterEqual(len(song.tracks), 100)
        self.assertEqual(len(song.return_tracks), 12)
        self.assertEqual(len(song.scenes), 64)

        def depth(t):
            d = 0
            while t.is_grouped:
                t = t.group_track
                d += 1
            return d
        self.assertEqual(max(depth(t) for t in song.tracks), 3, 'groups nested three deep')
        everything = list(song.tracks) + list(song.return_tracks) + [song.master_track]

        def devices(dev):
            out = [dev]
            for ch in (dev.chains if dev.can_have_chains else ()):
                for d in ch.devices:
                    out.extend(devices(d))
            return out
        all_devices = [d for t in everything for top in t.devices for d in devices(top)]
        self.assertGreaterEqual(sum(len(t.devices) for t in everything), 600)
        params = sum(len(d.parameters) for d in all_devices)
        params += sum(len(list(t.mixer_device.sends)) + 9 for t in everything)
        self.assertGreaterEqual(params, 40000)
        drums = [d for d in all_devices if d.class_name == 'DrumGroupDevice']
        self.assertTrue(drums)
        self.assertEqual(len(drums[0].chains), 16)
        self.assertTrue(all(len(ch.devices) >= 1 for ch in drums[0].chains))
        plugins = [len(d.parameters) for d in all_devices if type(d).__name__ == 'PluginDevice']
        self.assertGreaterEqual(len(plugins), 10)
        self.assertTrue(all(500 <= n <= 1000 for n in plugins), plugins)
        self.assertGreater(len(set(plugins)), len(plugins) // 2, 'plug-ins differ in size')
        from livesim import full_devices as F
        for name, count in F.COUNTS.items():
            found = [d for d in all_devices if d.class_display_name == name and type(d).__name__ != 'PluginDevice']
            self.assertTrue(found, name)
            self.assertEqual(len(found[0].parameters), count, name)
        slots = [s for t in song.tracks if not t.is_foldable for s in t.clip_slots]
        self.assertGreater(sum(1 for s in slots if s.has_clip) / float(len(slots)), 0.6, 'clips on most slots')
        # not so regular that one device tells the next: two EQ Eights differ in values
        eqs = [d for d in all_devices if d.class_name == 'Eq8'][:2]
        self.assertNotEqual([p.value for p in eqs[0].parameters], [p.value for p in eqs[1].parameters])

    def test_the_large_library_has_20000_items_in_nested_folders(self):
        from livesim import library as L
        w = W.World('12.3.6', library='large', quirks={'slow_browser': False})
        b = w.app.browser
        total = sum(L.count(getattr(b, c)) for c in ('instruments', 'audio_effects', 'midi_effects', 'drums',
                                                     'sounds', 'plugins'))
        self.assertGreaterEqual(total, 20000)
        deepest = 0
        stack = [(c, 1) for c in b.sounds.children]
        while stack:
            item, d = stack.pop()
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in item.children)
        self.assertGreaterEqual(deepest, 3)


if __name__ == '__main__':
    unittest.main()
