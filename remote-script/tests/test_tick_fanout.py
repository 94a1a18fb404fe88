"""A tick's outgoing changes stay within its budget: a fan-out bigger than a tick (many
entities changed in Live at once) is read and sent over several ticks, oldest first,
without reordering one entity's changes, losing its latest value or sending a change
twice; a command's own changes still go out in its tick, before its result."""
import unittest
from unittest import mock

from .test_script_harness import Harness
from Roomtone import script
from Roomtone import mirror as M


class ExpensiveClock(object):
    """Every look at the clock costs 3 ms of Live's main thread: past the budget at once."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 0.003
        return self.now


class FanOutTest(unittest.TestCase):
    def setUp(self):
        # small steps, so the demo set's clips are a backlog of many ticks
        for target, name in ((M, 'MIN_READS'), (script, 'CHANGE_CHUNK')):
            patcher = mock.patch.object(target, name, 4)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.h = Harness()
        self.h.settle()
        self.h.clear()
        self.clips = [s.clip for t in self.h.song.tracks for s in t.clip_slots if s.has_clip]
        self.assertGreater(len(self.clips), 6 * M.MIN_READS, 'the demo set has clips enough')

    def tearDown(self):
        self.h.inst.disconnect()

    def clip_id(self, clip):
        return self.h.inst.mirror.id_of('clip', clip)

    def events(self):
        return [m for m in self.h.sent('events')]

    def drain(self, clock, limit=100):
        """Ticks (on the expensive clock) until no change waits; returns the ticks."""
        with mock.patch.object(script, '_perf', clock):
            for n in range(1, limit):
                self.h.tick()
                if not self.h.inst.stats()['changesWaiting']:
                    return n
        self.fail('changes still waiting after %d ticks' % limit)

    def test_a_fan_out_over_the_budget_yields_and_resumes_in_the_next_ticks(self):
        for i, clip in enumerate(self.clips):
            clip.name = 'take %d' % i
        with mock.patch.object(script, '_perf', ExpensiveClock()):
            self.h.tick()
        first = self.events()
        self.assertEqual(len(first), 1, 'one events line in the tick')
        self.assertLess(len(first[0]['changes']), len(self.clips), 'the tick stopped at its budget')
        self.assertGreater(self.h.inst.stats()['changesWaiting'], 0)
        self.assertGreaterEqual(self.h.inst.stats()['changesDeferred'], 1)
        ticks = self.drain(ExpensiveClock())
        self.assertGreaterEqual(ticks, 1)
        lines = self.events()
        self.assertGreater(len(lines), 1, 'the rest followed in later ticks')
        named = {}
        for line in lines:
            for ch in line['changes']:
                self.assertNotIn(ch['id'], named, 'each clip\'s change is sent once')
                named[ch['id']] = ch['props'].get('name')
        for i, clip in enumerate(self.clips):
            self.assertEqual(named.get(self.clip_id(clip)), 'take %d' % i)
        seqs = [m['seq'] for m in lines]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), len(seqs))

    def test_the_latest_value_of_a_waiting_change_wins_and_is_sent_once(self):
        for i, clip in enumerate(self.clips):
            clip.name = 'take %d' % i
        last = self.clips[-1]
        clock = ExpensiveClock()
        with mock.patch.object(script, '_perf', clock):
            for n in range(5):          # changed again and again while it waits its turn
                last.name = 'final %d' % n
                self.h.tick()
                self.assertTrue(self.h.inst.mirror.is_dirty(self.clip_id(last)), 'still waiting')
        self.drain(clock)
        mine = [ch for m in self.events() for ch in m['changes'] if ch['id'] == self.clip_id(last)]
        self.assertEqual(len(mine), 1, 'sent once')
        self.assertEqual(mine[0]['props']['name'], 'final 4')
        self.assertEqual(mine[0]['rev'], self.h.ent(self.clip_id(last)).rev, 'with its latest rev')

    def test_one_entitys_changes_keep_their_order_across_ticks(self):
        clock = ExpensiveClock()
        target = self.clips[0]
        with mock.patch.object(script, '_perf', clock):
            for n in range(6):
                for i, clip in enumerate(self.clips):
                    clip.name = 'round %d take %d' % (n, i)
                self.h.tick()
        self.drain(clock)
        revs = {}
        for line in self.events():
            for ch in line['changes']:
                revs.setdefault(ch['id'], []).append((int(ch['rev'].rsplit('.', 1)[1]), ch['props'].get('name')))
        for eid, seen in revs.items():
            numbers = [r for r, _ in seen]
            self.assertEqual(numbers, sorted(numbers), '%s: revs only grow' % eid)
            self.assertEqual(len(set(numbers)), len(numbers))
        for i, clip in enumerate(self.clips):
            self.assertEqual(revs[self.clip_id(clip)][-1][1], 'round 5 take %d' % i, 'the last change is Live\'s value')
        self.assertEqual(revs[self.clip_id(target)][-1][0], int(self.h.ent(self.clip_id(target)).rev.rsplit('.', 1)[1]))

    def test_a_commands_own_change_goes_out_before_its_result_past_a_backlog(self):
        for i, clip in enumerate(self.clips):
            clip.name = 'take %d' % i
        clock = ExpensiveClock()
        with mock.patch.object(script, '_perf', clock):
            self.h.tick()               # a backlog waits
            self.h.clear()
            track = self.h.inst.mirror.song_entity.children['tracks'][0]
            self.h.line({'type': 'commands', 'commands': [self.h.cmd('track.set_mute', track, {'value': True})]})
            self.h.tick()
        sent = self.h.sent()
        kinds = [m['type'] for m in sent]
        self.assertIn('results', kinds)
        result = sent[kinds.index('results')]['results'][0]
        self.assertTrue(result['ok'])
        before = [ch for m in sent[:kinds.index('results')] if m['type'] == 'events' for ch in m['changes']]
        mine = [ch for ch in before if ch['id'] == track]
        self.assertEqual(len(mine), 1, 'the command\'s change went out in its tick')
        self.assertEqual(mine[0]['rev'], result['rev'])
        self.assertIs(mine[0]['props']['mute'], True)
        self.assertGreater(self.h.inst.stats()['changesWaiting'], 0, 'the backlog still waits its turn')

    def test_without_a_budget_problem_a_tick_sends_everything_in_one_line(self):
        for i, clip in enumerate(self.clips):
            clip.name = 'take %d' % i
        self.h.tick()
        lines = self.events()
        self.assertEqual(len(lines), 1)
        self.assertEqual(len(lines[0]['changes']), len(self.clips))
        self.assertEqual(self.h.inst.stats()['changesWaiting'], 0)


class PendingMergeTest(unittest.TestCase):
    """The mirror's waiting changes: one per entity, merged, oldest first."""

    def setUp(self):
        self.h = Harness()
        self.m = self.h.inst.mirror
        self.m.flush()

    def tearDown(self):
        self.h.inst.disconnect()

    def test_a_change_read_but_not_sent_merges_with_the_next_one(self):
        tracks = self.m.song_entity.children['tracks']
        objs = [self.m.get(t).obj for t in tracks[:3]]
        objs[0].name = 'A'
        objs[1].name = 'B'
        self.m.read_marked()
        objs[0].mute = True
        self.m.read_marked()
        first = self.m.take_changes(1)
        self.assertEqual([c['id'] for c in first], [tracks[0]], 'the oldest first')
        self.assertEqual(first[0]['props'].get('name'), 'A')
        self.assertIs(first[0]['props'].get('mute'), True, 'both of its changes, merged')
        self.assertEqual(first[0]['rev'], self.m.get(tracks[0]).rev)
        rest = self.m.take_changes()
        self.assertEqual([c['id'] for c in rest], [tracks[1]])

    def test_first_takes_named_changes_ahead_of_older_ones(self):
        tracks = self.m.song_entity.children['tracks']
        for i, t in enumerate(tracks[:4]):
            self.m.get(t).obj.name = 'n%d' % i
        self.m.read_marked()
        out = self.m.take_changes(2, first=[tracks[3]])
        self.assertEqual([c['id'] for c in out], [tracks[3], tracks[0]])
        self.assertEqual([c['id'] for c in self.m.take_changes()], [tracks[1], tracks[2]])

    def test_reads_stop_at_the_deadline_but_never_below_the_minimum(self):
        clips = [s.clip for t in self.h.song.tracks for s in t.clip_slots if s.has_clip]
        for i, clip in enumerate(clips):
            clip.name = 'c%d' % i
        n = self.m.read_marked(deadline=0.0, clock=lambda: 1.0)   # the budget is already spent
        self.assertEqual(n, M.MIN_READS)
        self.assertEqual(self.m.marked(), len(clips) - M.MIN_READS)
        self.m.read_marked()
        self.assertEqual(self.m.marked(), 0)
        self.assertEqual(sorted(c['props']['name'] for c in self.m.take_changes()),
                         sorted('c%d' % i for i in range(len(clips))))


if __name__ == '__main__':
    unittest.main()


class LaterJobsTest(unittest.TestCase):
    """Work nobody waits for takes less of a tick while people are at work."""

    def test_later_jobs_stop_sooner_while_the_room_is_at_work(self):
        from Roomtone import jobs
        h = Harness()
        self.addCleanup(h.inst.disconnect)
        h.settle()

        def forever():
            while True:
                yield
        h.inst.jobs.add('later-test', forever(), jobs.LATER)
        now = [0.0]

        def clock():                     # every look at the clock is half a millisecond
            now[0] += 0.0005
            return now[0]

        def steps_in_a_tick():
            before = h.inst.jobs.steps
            with mock.patch.object(script, '_perf', clock):
                h.tick()
            return h.inst.jobs.steps - before
        h.inst._active_until = 0.0
        quiet = steps_in_a_tick()
        track = h.inst.mirror.song_entity.children['tracks'][0]
        h.line({'type': 'commands', 'commands': [h.cmd('track.set_mute', track, {'value': True})]})
        at_work = steps_in_a_tick()
        after = steps_in_a_tick()        # no command in this tick, but one a moment ago
        self.assertGreater(quiet, at_work)
        self.assertLessEqual(at_work, script.LATER_BUSY_S / 0.0005 + 1)
        self.assertLessEqual(after, script.LATER_BUSY_S / 0.0005 + 1)
        h.inst._active_until = 0.0
        self.assertEqual(steps_in_a_tick(), quiet, 'quiet again: the whole background budget')
