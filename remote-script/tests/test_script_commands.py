"""Commands on the main thread: the final baseRev check, deadlines, batching and the tick
budget, malformed input, replays, faults inside handlers, stats, meters, tick sources."""
import time
import unittest
from unittest import mock

from .test_script_harness import HarnessCase, poll

from Roomtone import actions, script


def bass(h):
    return [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]


class ConflictTest(HarnessCase):
    def test_stale_base_rev_is_a_conflict_with_the_current_value(self):
        h = self.h
        b = bass(h)
        rev0 = b.rev
        self.assertOk(h.run('track.set_volume', b.id, {'value': 0.4}, base_rev=rev0))
        r = self.assertErr(h.run('track.set_volume', b.id, {'value': 0.9}, base_rev=rev0), 'CONFLICT')
        self.assertEqual(r['error']['current'], {'value': 0.4, 'rev': b.rev})
        self.assertEqual(b.obj.mixer_device.volume.value, 0.4, 'not applied')

    def test_fresh_base_rev_applies(self):
        h = self.h
        b = bass(h)
        r = self.assertOk(h.run('track.set_mute', b.id, {'value': True}, base_rev=b.rev))
        self.assertEqual(r['rev'], b.rev)
        self.assertTrue(b.obj.mute)

    def test_change_made_in_live_since_the_last_tick_is_seen(self):
        h = self.h
        b = bass(h)
        rev0 = b.rev
        b.obj.name = 'Renamed in Live'     # listener fired, no tick has flushed it yet
        r = self.assertErr(h.run('track.rename', b.id, {'name': 'Mine'}, base_rev=rev0), 'CONFLICT')
        self.assertEqual(r['error']['current']['value'], 'Renamed in Live')
        self.assertNotEqual(r['error']['current']['rev'], rev0)
        self.assertEqual(b.obj.name, 'Renamed in Live')

    def test_second_command_of_a_batch_with_the_same_base_rev_conflicts(self):
        h = self.h
        rev = h.ent('song').rev
        r1, r2 = h.run_batch([h.cmd('song.set_tempo', args={'bpm': 100}, base_rev=rev),
                              h.cmd('song.set_tempo', args={'bpm': 150}, base_rev=rev)])
        self.assertOk(r1)
        self.assertErr(r2, 'CONFLICT')
        self.assertEqual(r2['error']['current']['value'], 100.0)
        self.assertEqual(h.song.tempo, 100.0)

    def test_undo_state_is_in_the_result_rev_so_the_next_command_does_not_conflict(self):
        h = self.h
        r1 = self.assertOk(h.run('song.set_tempo', args={'bpm': 100}))
        self.assertIs(h.ent('song').props['canUndo'], True)
        self.assertEqual(r1['rev'], h.ent('song').rev)
        h.tick(15)                              # polls come and go: nothing else moved
        self.assertOk(h.run('song.set_tempo', args={'bpm': 101}, base_rev=r1['rev']))

    def test_conflict_without_a_prop_carries_null_value(self):
        h = self.h
        b = bass(h)
        r = self.assertErr(h.run('track.stop_clips', b.id, base_rev=h.inst.epoch + '.1'), 'CONFLICT')
        self.assertIsNone(r['error']['current']['value'])
        self.assertEqual(r['error']['current']['rev'], b.rev)


    def test_stale_send_conflict_reports_that_send_level_not_the_whole_list(self):
        h = self.h
        b = bass(h)
        rev0 = b.rev
        self.assertOk(h.run('track.set_send', b.id, {'index': 1, 'value': 0.3}, base_rev=rev0))
        r = self.assertErr(h.run('track.set_send', b.id, {'index': 1, 'value': 0.8}, base_rev=rev0), 'CONFLICT')
        self.assertAlmostEqual(r['error']['current']['value'], 0.3, places=5)

    def test_rack_macro_is_versioned_by_its_own_parameter(self):
        h = self.h
        h.observe(*[e.id for e in h.inst.mirror.entities() if e.kind == 'device' and e.props['canHaveChains']])
        rack = [e for e in h.inst.mirror.entities() if e.kind == 'device' and e.props.get('macros')][0]
        macro = h.ent(rack.props['macros'][0])
        rev0 = macro.rev
        low, high = macro.props['min'], macro.props['max']
        first = low + (high - low) * 0.25
        r1 = self.assertOk(h.run('device.set_macro', rack.id, {'index': 0, 'value': first}, base_rev=rev0))
        self.assertEqual(r1['rev'], macro.rev, 'the answer carries the macro parameter rev')
        self.assertNotEqual(macro.rev, rev0)
        r2 = self.assertErr(h.run('device.set_macro', rack.id, {'index': 0, 'value': high}, base_rev=rev0), 'CONFLICT')
        self.assertEqual(r2['error']['current'], {'value': macro.props['value'], 'rev': macro.rev})
        self.assertAlmostEqual(macro.obj.value, first, places=5)
        self.assertOk(h.run('device.set_macro', rack.id, {'index': 0, 'value': high}, base_rev=r1['rev']))


class DeadlineTest(HarnessCase):
    def test_past_deadline_is_a_timeout_and_never_runs(self):
        h = self.h
        r = self.assertErr(h.run('song.set_tempo', args={'bpm': 99}, deadline_ms=-1), 'TIMEOUT')
        self.assertIn('not executed', r['error']['message'])
        self.assertEqual(h.song.tempo, 120.0)
        # a command queued behind a slow tick expires while waiting
        c = h.cmd('track.create_midi', deadline_ms=5)
        h.line({'type': 'commands', 'commands': [c]})
        self.assertTrue(poll(lambda: time.time() * 1000 > c['deadline'], 1.0))   # passes while queued
        n = len(h.song.tracks)
        h.tick()
        res = [r for m in h.sent('results') for r in m['results'] if r['id'] == c['id']][0]
        self.assertEqual(res['error']['code'], 'TIMEOUT')
        self.assertEqual(len(h.song.tracks), n)
        self.assertEqual(h.inst.stats()['timeouts'], 2)

    def test_missing_or_bad_deadline_is_invalid(self):
        h = self.h
        c = h.cmd('song.set_tempo', args={'bpm': 99})
        del c['deadline']
        self.assertErr(h.run_batch([c])[0], 'INVALID')
        c = h.cmd('song.set_tempo', args={'bpm': 99})
        c['deadline'] = 'soon'
        self.assertErr(h.run_batch([c])[0], 'INVALID')
        self.assertEqual(h.song.tempo, 120.0)

    def test_a_retried_timeout_may_still_run(self):
        h = self.h
        c = h.cmd('song.set_tempo', args={'bpm': 99}, deadline_ms=-1, cid='same')
        self.assertErr(h.run_batch([c])[0], 'TIMEOUT')
        c = h.cmd('song.set_tempo', args={'bpm': 99}, cid='same')
        self.assertOk(h.run_batch([c])[0])
        self.assertEqual(h.song.tempo, 99.0)


class MalformedTest(HarnessCase):
    def test_malformed_commands_are_invalid_and_the_rest_of_the_batch_runs(self):
        h = self.h
        b = bass(h).id
        good = h.cmd('song.set_tempo', args={'bpm': 101})
        cases = [
            h.cmd('no.such_action'),
            h.cmd('song.set_tempo', args={'bpm': 120, 'extra': 1}),
            h.cmd('song.set_tempo', args={}),
            h.cmd('song.set_tempo', args={'bpm': True}),
            h.cmd('song.set_tempo', args=[]),
            h.cmd('song.set_tempo', target=b, args={'bpm': 120}),
            h.cmd('track.set_mute', target=None, args={'value': True}),
            h.cmd('track.set_mute', target=h.order()['scenes'][0], args={'value': True}),
            h.cmd('clip.rename', target=b, args={'name': 'x'}),
            h.cmd('track.set_mute', target=b, args={'value': 'yes'}),
            h.cmd('track.set_send', target=b, args={'index': 1.5, 'value': 0.2}),
            h.cmd('scene.create', args={'index': -2}),
            h.cmd('clip.add_notes', target='c1', args={'notes': [{'pitch': 60}]}),
            h.cmd('clip.add_notes', target='c1', args={'notes': [{'pitch': 60, 'start': 0, 'duration': 1}] * 5001}),
        ]
        results = h.run_batch(cases + [good])
        for c, r in zip(cases, results):
            self.assertErr(r, 'INVALID', c['action'])
        self.assertOk(results[-1])
        self.assertEqual(h.song.tempo, 101.0)

    def test_non_object_and_id_less_commands(self):
        h = self.h
        h.line({'type': 'commands', 'commands': [42, {'action': 'system.ping', 'deadline': 1e15}]})
        h.tick()
        res = h.sent('results')[-1]['results']
        self.assertEqual([r['error']['code'] for r in res], ['INVALID', 'INVALID'])
        h.line({'type': 'commands', 'commands': 'nope'})
        h.tick()
        self.assertEqual(h.sent('error')[-1]['error']['code'], 'INVALID')

    def test_missing_target_is_not_found(self):
        h = self.h
        for action, target, args in (('track.set_mute', 't999', {'value': True}),
                                     ('clip.fire', 'c999', {}), ('parameter.set', 'p99999', {'value': 0})):
            self.assertErr(h.run(action, target, args), 'NOT_FOUND', action)

    def test_ping_lines(self):
        h = self.h
        h.line({'type': 'ping', 't': 12.5})
        h.line({'type': 'ping', 't': 'x'})
        h.tick()
        self.assertEqual(h.sent('pong')[-1], {'type': 'pong', 't': 12.5})
        self.assertEqual(h.sent('error')[-1]['error']['code'], 'INVALID')


class BatchingTest(HarnessCase):
    def test_a_big_batch_runs_in_order_in_one_tick_with_one_results_and_one_events_line(self):
        h = self.h
        b = bass(h).id
        h.tick()
        h.clear()
        cmds = []
        for i in range(300):
            cmds.append(h.cmd('track.set_volume', b, {'value': (i % 100) / 100.0}))
        cmds.append(h.cmd('song.set_tempo', args={'bpm': 130}))
        h.line({'type': 'commands', 'commands': cmds})
        with mock.patch.object(script, '_perf', lambda: 0.0):   # however slow the machine
            h.tick()
        res = h.sent('results')
        self.assertEqual(len(res), 1)
        # every command answered once; the 299 volume writes the last one replaced come
        # right after it, with its result (tick_coalescing)
        self.assertEqual(sorted(r['id'] for r in res[0]['results']), sorted(c['id'] for c in cmds))
        self.assertEqual(res[0]['results'][0]['id'], cmds[299]['id'])
        self.assertTrue(all(r['ok'] for r in res[0]['results']))
        vols = [r for r in res[0]['results'] if r['id'] != cmds[300]['id']]
        self.assertEqual(set((r['rev'], r['value']) for r in vols), set([(vols[0]['rev'], 0.99)]))
        self.assertEqual(len(h.sent('events')), 1)
        types = [m['type'] for m in h.sent() if m['type'] in ('events', 'results')]
        self.assertEqual(types, ['events', 'results'], 'events go before the results that carry their revs')
        self.assertEqual(bass(h).obj.mixer_device.volume.value, 0.99)
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 1)
        self.assertEqual(h.inst.stats()['supersededInTick'], 299)

    def test_the_tick_budget_spreads_a_long_line_over_ticks_in_order_ahead_of_later_lines(self):
        h = self.h
        b = bass(h).id
        h.tick()
        h.clear()
        ids = []
        for j in range(20):
            batch = [h.cmd('track.set_mute', b, {'value': (i + j) % 2 == 0}) for i in range(40)]
            ids.extend(c['id'] for c in batch)
            h.line({'type': 'commands', 'commands': batch})
        now = [0.0]
        real_run = h.inst._run_in_tick

        def costly(cmd):   # each command takes 0.25 ms of Live's main thread
            now[0] += 0.00025
            return real_run(cmd)
        ticks = 0
        with mock.patch.object(script, '_perf', lambda: now[0]), mock.patch.object(h.inst, '_run_in_tick', costly):
            while h.server.inbound and ticks < 1000:
                h.tick()
                ticks += 1
        per_tick = [len(m['results']) for m in h.sent('results')]
        self.assertGreater(ticks, 20)
        self.assertLessEqual(max(per_tick), int(script.TICK_BUDGET_S / 0.00025) + 1, 'no tick ran past its budget')
        self.assertGreaterEqual(min(per_tick[:-1]), script.MIN_COMMANDS_PER_TICK)
        answered = [r['id'] for m in h.sent('results') for r in m['results']]
        self.assertEqual(answered, ids, 'every command once, in the order it came')
        self.assertTrue(all(r['ok'] for m in h.sent('results') for r in m['results']))

    def test_writes_per_control_per_tick_are_counted(self):
        h = self.h
        b = bass(h).id
        h.run_batch([h.cmd('track.set_send', b, {'index': 0, 'value': 0.1}),
                     h.cmd('track.set_send', b, {'index': 1, 'value': 0.1}),
                     h.cmd('track.set_volume', b, {'value': 0.1}),
                     h.cmd('track.list_devices', b)])
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 1)
        # edits never coalesce: three mutes of one track in one tick are three writes
        h.run_batch([h.cmd('track.set_mute', b, {'value': v}) for v in (True, False, True)])
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 3)
        h.line({'type': 'stats_request', 'reset': True})
        h.tick()
        st = h.sent('stats')[-1]['stats']
        for k in ('ticks', 'commandsExecuted', 'eventsSent', 'maxWritesPerControlPerTick', 'lastTickMs',
                  'maxTickMs', 'queueDepth'):
            self.assertIn(k, st)
        self.assertEqual(st['maxWritesPerControlPerTick'], 3)
        self.assertEqual(st['commandsExecuted'], 7)
        self.assertEqual(h.inst.stats()['maxWritesPerControlPerTick'], 0, 'reset after reporting')

    def test_a_retried_id_is_answered_again_but_not_run_twice(self):
        h = self.h
        n = len(h.song.tracks)
        c = h.cmd('track.create_midi', cid='once')
        r1 = self.assertOk(h.run_batch([c])[0])
        r2 = self.assertOk(h.run_batch([dict(c)])[0])
        self.assertEqual(r1, r2)
        self.assertEqual(len(h.song.tracks), n + 1)
        read = h.cmd('clip.get_notes', [e.id for e in h.inst.mirror.entities() if e.kind == 'clip'][0], cid='rd')
        self.assertOk(h.run_batch([read])[0])
        self.assertNotIn('rd', h.inst._replay, 'reads are not kept')

    def test_lines_from_a_closed_connection_are_dropped(self):
        h = self.h
        h.server.inbound.append((h.server.generation - 1, {'type': 'commands', 'commands': [
            h.cmd('song.set_tempo', args={'bpm': 77})]}))
        h.tick()
        self.assertEqual(h.song.tempo, 120.0)
        self.assertEqual(h.sent('results'), [])


class FaultTest(HarnessCase):
    def _patch(self, name, exc):
        spec = actions.SPECS[name]
        old = spec.handler

        def boom(ctx, ent, args):
            raise exc
        spec.handler = boom
        self.addCleanup(setattr, spec, 'handler', old)

    def test_live_exceptions_are_live_error_and_logged(self):
        h = self.h
        self._patch('transport.play', RuntimeError('Live says no'))
        r = self.assertErr(h.run('transport.play'), 'LIVE_ERROR')
        self.assertIn('Live says no', r['error']['message'])
        self.assertTrue([l for l in h.c.logs if 'Live says no' in l])
        self.assertOk(h.run('system.ping'))

    def test_our_own_bugs_are_internal_and_not_replayed(self):
        h = self.h
        self._patch('transport.stop', KeyError('oops'))
        c = h.cmd('transport.stop', cid='k')
        self.assertErr(h.run_batch([c])[0], 'INTERNAL')
        actions.SPECS['transport.stop'].handler = actions.HANDLERS['transport.stop']
        self.assertOk(h.run_batch([dict(c)])[0])

    def test_a_failing_tick_never_raises_into_live(self):
        h = self.h
        mirror = h.inst.mirror
        old = mirror.read_marked

        def bad(*args):
            raise ValueError('broken flush')
        mirror.read_marked = bad
        h.advance(50)            # the Timer callback must survive
        mirror.read_marked = old
        self.assertTrue(h.inst._timer.running)
        self.assertTrue([l for l in h.c.logs if 'broken flush' in l])
        h.song.tempo = 88.0
        h.advance(20)
        self.assertEqual(h.ent('song').props['tempo'], 88.0)


class TickSourceTest(HarnessCase):
    def test_timer_at_10ms_drives_the_ticks(self):
        h = self.h
        self.assertEqual(h.inst._timer._interval, script.TIMER_INTERVAL_MS)
        t0 = h.inst.stats()['ticks']
        h.advance(100)
        self.assertGreaterEqual(h.inst.stats()['ticks'] - t0, 9)
        h.line({'type': 'commands', 'commands': [h.cmd('song.set_tempo', args={'bpm': 141})]})
        h.advance(10)
        self.assertEqual(h.song.tempo, 141.0)

    def test_update_display_restarts_a_stopped_timer_and_ticks_meanwhile(self):
        h = self.h
        h.inst._timer.stop()
        h.line({'type': 'commands', 'commands': [h.cmd('song.set_tempo', args={'bpm': 142})]})
        h.inst._last_tick_at = 0
        h.inst.update_display()
        self.assertEqual(h.song.tempo, 142.0)
        self.assertTrue(h.inst._timer.running)

    def test_without_a_timer_update_display_is_the_tick(self):
        h = self.h
        h.inst._timer.stop()
        h.inst._timer = None
        h.line({'type': 'commands', 'commands': [h.cmd('song.set_tempo', args={'bpm': 143})]})
        h.inst.update_display()
        self.assertEqual(h.song.tempo, 143.0)


class MetersTest(HarnessCase):
    def test_meters_are_sampled_at_most_every_50ms_and_only_on_change(self):
        h = self.h
        h.inst.clock = lambda: h.world.clock     # pace by simulated time
        b = bass(h)
        h.advance(200)
        h.clear()
        h.advance(500)               # stopped and silent: nothing moves
        self.assertEqual(h.sent('meters'), [])
        slot = [s for s in b.props['clipSlots'] if h.ent(s).props['hasClip']][0]
        h.run('clip_slot.fire', slot)
        h.clear()
        h.advance(1000)
        meters = h.sent('meters')
        self.assertGreater(len(meters), 5)
        self.assertLessEqual(len(meters), 21, 'at most ~20 per second')
        self.assertTrue(any(b.id in m['levels'] for m in meters))
        self.assertTrue(all('position' in m or m['levels'] for m in meters))
        lv = [m['levels'][b.id] for m in meters if b.id in m['levels']]
        self.assertTrue(all(len(x) == 2 and 0 <= x[0] <= 1 for x in lv))

    def test_a_stopped_silent_set_reads_its_meters_at_a_tenth_of_the_rate_until_it_plays(self):
        h = self.h
        h.inst.clock = lambda: h.world.clock
        b = bass(h)
        h.advance(1000)              # stopped: every meter falls to zero, a whole pass sees it
        meters = len(h.inst._meter_ids())
        full = meters / float(script.METER_SLICES)          # tracks read per tick, playing

        def reads(ms):
            before = h.inst._meters_read
            h.advance(ms)
            return h.inst._meters_read - before

        def per_tick(ms):
            return reads(ms) / (ms / 10.0)
        self.assertLessEqual(per_tick(1000), full / script.METER_QUIET_EVERY + 0.02)
        # spread over the ticks, not a fifth of the meters every tenth tick
        self.assertLessEqual(max(reads(10) for _ in range(50)), 1 + int(full / script.METER_QUIET_EVERY))
        slot = [s for s in b.props['clipSlots'] if h.ent(s).props['hasClip']][0]
        h.run('clip_slot.fire', slot)
        self.assertGreaterEqual(per_tick(200), full - 0.1, 'playing: a fifth of the tracks every tick again')
        h.clear()
        h.advance(300)
        self.assertTrue(any(b.id in m['levels'] for m in h.sent('meters')))
        h.song.stop_playing()
        h.advance(3000)
        self.assertLessEqual(per_tick(1000), full / script.METER_QUIET_EVERY + 0.02, 'quiet again once silent')
        # sound while stopped (an armed track's input): back to the full rate once it is read
        h.inst._meter_silent_passes = 1
        track = b.obj
        with mock.patch.object(type(track), 'output_meter_left', property(lambda self: 0.5)):
            h.advance(int(10 * script.METER_QUIET_EVERY * script.METER_SLICES) + 10)   # a quiet pass reaches it
            self.assertGreaterEqual(per_tick(200), full - 0.1, 'then every tick')

    def test_meters_carry_each_playing_clip_position_from_live(self):
        h = self.h
        h.inst.clock = lambda: h.world.clock
        b = bass(h)
        slot = [s for s in b.props['clipSlots'] if h.ent(s).props['hasClip']][0]
        clip = h.ent(slot).props['clipId']
        h.run('transport.play')
        h.run('clip_slot.fire', slot)
        h.advance(3000)
        h.clear()
        h.advance(1000)
        seen = [m['clips'][clip] for m in h.sent('meters') if clip in m.get('clips', {})]
        self.assertGreater(len(seen), 5)
        # Live's own playing position, within the clip's loop, as Live reports it then.
        c = h.ent(clip).obj
        self.assertAlmostEqual(seen[-1], round(float(c.playing_position), 3), delta=0.5)
        self.assertTrue(all(c.loop_start - 0.001 <= p <= c.loop_end + 0.001 for p in seen))
        h.run('transport.stop')
        h.advance(300)
        h.clear()
        h.advance(500)
        self.assertFalse(any(m.get('clips') for m in h.sent('meters')), 'stopped clips are not sent')


if __name__ == '__main__':
    unittest.main()


class BrowserWalkTest(HarnessCase):
    def test_the_walk_is_breadth_first_and_capped(self):
        browser = self.h.inst.application().browser
        seen = []

        def visit(item, cat):
            seen.append((cat, item.name))
            return False
        actions.walk_browser(browser, ('instruments',), visit, cap=5)
        self.assertEqual(len(seen), 5)
        top = [c.name for c in browser.instruments.children]
        self.assertEqual([n for _, n in seen], top[:5], 'top level first')
        seen[:] = []
        actions.walk_browser(browser, actions.BROWSER_CATEGORIES, visit, time_cap=5.0)
        everything = len(seen)
        self.assertGreater(everything, 5)
        seen[:] = []
        actions.walk_browser(browser, actions.BROWSER_CATEGORIES, visit, time_cap=-1.0)
        self.assertEqual(seen, [], 'a spent time budget stops the walk')
        self.assertEqual(set(c for c, _ in seen) - set(actions.BROWSER_CATEGORIES), set())


class EncodingTest(HarnessCase):
    def test_lone_surrogates_do_not_lose_the_line(self):
        # a JSON "\ud83c" escape decodes to a str with no UTF-8 form (found by the fuzz test)
        h = self.h
        b = bass(h).id
        r = h.run_batch([h.cmd('track.rename', b, {'name': 'Bass \ud83c'}, cid='id\ud83c'),
                         h.cmd('system.ping', cid='after')])
        self.assertOk(r[0])
        self.assertEqual(r[0]['value'], 'Bass \ud83c')
        self.assertOk(r[1])
        self.assertEqual([c['props']['name'] for c in h.changes() if c['id'] == b], ['Bass \ud83c'])
