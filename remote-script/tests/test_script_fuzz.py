"""Random commands (mostly well-formed, some not) against the simulated set, with a fixed
seed: every command gets one typed answer and never INTERNAL, and after it all the mirror
still agrees with Live (same lists, every listener accounted for)."""
import os
import random
import unittest

from .test_script_harness import Harness
from .test_script_mirror import listener_total

from Roomtone import actions, protocol

SEED = int(os.environ.get('FUZZ_SEED', '20261121'))

KIND_OF_TARGET = {'song': (None,), 'track': ('track', 'return', 'master'), 'clip_slot': ('clip_slot',),
                  'clip': ('clip',), 'scene': ('scene',), 'device': ('device',),
                  'parameter': ('parameter',), 'cue_point': ('cue_point',)}

VALUES = {
    'value': [True, False, 0.0, 0.5, 1.0, -1.0, 'in', 'auto', 'off', 'A', 'B', 'none', 0x3DC300, None, 120.0],
    'bpm': [20, 90.5, 120, 999, 5, 'fast'],
    'beats': [0, 4, 16.5, 1e6, -1],
    'numerator': [1, 3, 4, 7, 99, 0],
    'denominator': [1, 2, 4, 8, 16, 3],
    'start': [0, 2, 4, 8, 1e6],
    'end': [1, 4, 8, 12, 0],
    'length': [0.25, 1, 4, 8, 4096, 0],
    'index': [-1, 0, 1, 2, 5, 11, 15, 10000, 1.5],
    'name': ['Lead', '  x  ', '', 'é 🎛', 'a' * 129],
    'query': ['op', 'e', 'Reverb', 'zzz'],
    'category': list(actions.BROWSER_CATEGORIES) + ['samples'],
    'limit': [1, 5, 200, 0],
    'uri': ['query:Synths#Operator', 'nope'],
    'fromPitch': [0, 36, 127],
    'pitchSpan': [1, 12, 128],
    'fromTime': [0, 2],
    'timeSpan': [1, 4, 1e6],
}


def random_notes(rng):
    return [{'pitch': rng.randint(0, 127), 'start': rng.choice([0, 0.5, 1, 3.75]),
             'duration': rng.choice([0.25, 1, 2]), 'velocity': rng.choice([1, 64, 127])}
            for _ in range(rng.randint(0, 6))]


class FuzzTest(unittest.TestCase):
    def test_random_commands_keep_the_mirror_true_to_live(self):
        rng = random.Random(SEED)
        h = Harness('12.3.6')
        self.addCleanup(h.close)
        names = sorted(actions.SPECS)
        counts = {}
        for round_ in range(60):
            by_kind = {}
            for e in h.inst.mirror.entities():
                by_kind.setdefault(e.kind, []).append(e.id)
            batch = []
            for _ in range(20):
                name = rng.choice(names)
                spec = actions.SPECS[name]
                kinds = KIND_OF_TARGET[spec.target]
                if kinds == (None,):
                    target = None if rng.random() < 0.95 else 'song'
                else:
                    pool = [i for k in kinds for i in by_kind.get(k, [])]
                    roll = rng.random()
                    target = (rng.choice(pool) if pool and roll < 0.9 else
                              rng.choice(['t9999', 'song', 'order'] + by_kind.get('scene', [])))
                args = {}
                for key in spec.schema:
                    if key == 'notes':
                        args[key] = random_notes(rng)
                    elif key == 'to':
                        args[key] = rng.choice(by_kind.get('clip_slot', ['cs1']))
                    elif rng.random() < 0.9:
                        args[key] = rng.choice(VALUES.get(key, [0]))
                if rng.random() < 0.03:
                    args['bogus'] = 1
                batch.append(h.cmd(name, target, args))
            results = h.run_batch(batch)
            for c, r in zip(batch, results):
                where = 'seed %d round %d: %r' % (SEED, round_, c)
                self.assertIsNotNone(r, where)
                if not r['ok']:
                    self.assertIn(r['error']['code'], protocol.ERROR_CODES, where)
                    self.assertNotEqual(r['error']['code'], 'INTERNAL', '%s -> %r' % (where, r))
                    counts[r['error']['code']] = counts.get(r['error']['code'], 0) + 1
                else:
                    counts['ok'] = counts.get('ok', 0) + 1
            h.advance(30)
        self.assertGreater(counts.get('ok', 0), 300, counts)
        if os.environ.get('FUZZ_VERBOSE'):
            print('seed %d: %r' % (SEED, counts))
        # the mirror still matches Live, list by list
        h.settle()
        h.tick()
        song = h.song
        m = h.inst.mirror
        order = h.order()
        self.assertEqual([m.id_of('track', t) for t in song.tracks], order['tracks'])
        self.assertEqual([m.id_of('track', t) for t in song.return_tracks], order['returns'])
        self.assertEqual([m.id_of('scene', s) for s in song.scenes], order['scenes'])
        for tid in order['tracks']:
            t = h.ent(tid)
            self.assertEqual([m.id_of('clip_slot', s) for s in t.obj.clip_slots], t.props['clipSlots'])
            self.assertEqual([m.id_of('device', d) for d in t.obj.devices], t.props['devices'])
            for sid in t.props['clipSlots']:
                s = h.ent(sid)
                self.assertEqual(s.props['hasClip'], bool(s.obj.has_clip))
                if s.obj.has_clip:
                    self.assertEqual(s.props['clipId'], m.id_of('clip', s.obj.clip))
        self.assertEqual(listener_total(song), m.listener_count)
        self.assertEqual(len(m.our_listeners()), m.listener_count)
        self.check_consistent(h)

    def check_consistent(self, h):
        h.settle()   # lists Live changed are read again over the next ticks (jobs)
        h.tick()
        song = h.song
        m = h.inst.mirror
        order = h.order()
        self.assertEqual([m.id_of('track', t) for t in song.tracks], order['tracks'])
        self.assertEqual([m.id_of('track', t) for t in song.return_tracks], order['returns'])
        self.assertEqual([m.id_of('scene', s) for s in song.scenes], order['scenes'])
        self.assertEqual([m.id_of('cue_point', c) for c in song.cue_points], order['cuePoints'])
        self.assertEqual(listener_total(song), m.listener_count)
        snap = h.snapshot()
        ids = set(e['id'] for e in snap['entities'])
        for e in snap['entities']:
            for key in ('devices', 'clipSlots', 'params', 'macros', 'tracks', 'returns', 'scenes', 'cuePoints'):
                for ref in e['props'].get(key) or ():
                    self.assertIn(ref, ids, '%s.%s names a gone entity' % (e['id'], key))


    def test_random_changes_made_in_live_between_and_within_ticks(self):
        self.random_changes_in_live(Harness('12.3.6'))

    def test_random_changes_in_live_while_lists_are_read_a_few_steps_a_tick(self):
        # How far a list's reading gets in one tick depends on the machine (the budget is
        # wall time): here each tick runs exactly n steps, so Live's changes land at
        # every point of a half-read list whatever the machine's speed.
        for n in (1, 2, 3, 5, 8):
            with self.subTest(steps_per_tick=n):
                h = Harness('12.3.6')
                h.steps_per_tick(n)
                self.random_changes_in_live(h)

    def random_changes_in_live(self, h):
        rng = random.Random(SEED + 1)
        self.addCleanup(h.close)
        song = h.song
        for round_ in range(40):
            for _ in range(rng.randint(1, 4)):
                op = rng.randrange(9)
                tracks = list(song.tracks)
                try:
                    if op == 0:
                        song.create_midi_track(rng.randint(-1, len(tracks)))
                    elif op == 1 and len(tracks) > 2:
                        song.delete_track(rng.randrange(len(tracks)))
                    elif op == 2:
                        song.create_scene(rng.randint(-1, len(song.scenes)))
                    elif op == 3 and len(song.scenes) > 1:
                        song.delete_scene(rng.randrange(len(song.scenes)))
                    elif op == 4:
                        t = rng.choice(tracks)
                        slots = [sl for sl in t.clip_slots if not sl.has_clip]
                        if slots and t.has_midi_input and not t.is_foldable:
                            rng.choice(slots).create_clip(rng.choice([1.0, 4.0]))
                    elif op == 5:
                        full = [sl for t in tracks for sl in t.clip_slots if sl.has_clip]
                        if full:
                            rng.choice(full).delete_clip()
                    elif op == 6:
                        t = rng.choice(tracks)
                        if len(t.devices):
                            t.delete_device(rng.randrange(len(t.devices)))
                    elif op == 7:
                        if len(song.return_tracks) < 4:
                            song.create_return_track()
                        else:
                            song.delete_return_track(0)
                    else:
                        song.current_song_time = rng.choice([0.0, 4.0, 8.0, 33.0])
                        song.set_or_delete_cue()
                except RuntimeError:
                    pass   # Live refused (e.g. the last track); nothing changed
            h.tick()
        self.check_consistent(h)
        # ids never come back once gone
        removed = set(c['id'] for c in h.changes() if c.get('removed'))
        self.assertTrue(removed)
        self.assertFalse(removed & set(e.id for e in h.inst.mirror.entities()))


if __name__ == '__main__':
    unittest.main()
