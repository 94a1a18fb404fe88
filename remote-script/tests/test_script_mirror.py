"""The set mirror: snapshot layout, events per tick, revs, stable ids and listener life cycles."""
import re
import unittest

from .test_script_harness import Harness, HarnessCase, make_instance, CaptureServer

TRACK_REGULAR = {'kind', 'name', 'color', 'volume', 'pan', 'mute', 'solo', 'arm', 'canArm', 'monitoring',
                 'isFoldable', 'groupId', 'sends', 'crossfadeAssign', 'playingSlotIndex', 'firedSlotIndex',
                 'devices', 'clipSlots'}
PROPS = {
    'song': {'tempo', 'isPlaying', 'signatureNumerator', 'signatureDenominator', 'metronome', 'loop',
             'loopStart', 'loopLength', 'record', 'overdub', 'sessionRecord', 'crossfader', 'canUndo',
             'canRedo', 'quantization'},
    'order': {'tracks', 'returns', 'scenes', 'cuePoints'},
    'master': {'kind', 'name', 'color', 'volume', 'pan', 'devices'},
    'return': {'kind', 'name', 'color', 'volume', 'pan', 'mute', 'solo', 'sends', 'crossfadeAssign', 'devices'},
    'scene': {'name', 'color', 'tempo', 'isTriggered'},
    'clip_slot': {'trackId', 'hasClip', 'clipId', 'state', 'hasStopButton'},
    'clip': {'slotId', 'trackId', 'name', 'color', 'length', 'looping', 'loopStart', 'loopEnd', 'isMidi', 'state'},
    'device': {'trackId', 'name', 'className', 'type', 'isActive', 'canHaveChains', 'paramCount', 'params', 'macros'},
    'parameter': {'deviceId', 'name', 'value', 'min', 'max', 'isQuantized', 'valueItems', 'display',
                  'defaultValue', 'isEnabled'},
    'cue_point': {'name', 'time'},
}


def live_tree(song):
    """Every Live object of the set the script could listen to."""
    out = [song, song.view]
    tracks = list(song.tracks) + list(song.return_tracks) + [song.master_track]
    for t in tracks:
        out.append(t)
        m = t.mixer_device
        out += [m, m.volume, m.panning, m.crossfader] + list(m.sends)
        for s in t.clip_slots:
            out.append(s)
            if s.has_clip:
                out.append(s.clip)
        for d in t.devices:
            out.append(d)
            out += list(d.parameters)
    out += list(song.scenes) + list(song.cue_points)
    return out


def listener_total(song):
    return sum(o._listener_count() for o in live_tree(song))


def ptr_ids(h):
    return dict((e.ptr, e.id) for e in h.inst.mirror.entities() if e.ptr is not None)


class SnapshotTest(HarnessCase):
    def test_snapshot_layout_matches_set_doc(self):
        snap = self.h.snapshot()
        self.assertEqual(snap['epoch'], self.h.inst.epoch)
        self.assertEqual(snap['live']['version'], '12.3.6')
        self.assertIsInstance(snap['live']['simulated'], bool)
        ents = dict((e['id'], e) for e in snap['entities'])
        self.assertEqual(len(ents), len(snap['entities']), 'ids are unique')
        self.assertEqual((ents['song']['kind'], ents['master']['kind'], ents['order']['kind']),
                         ('song', 'master', 'order'))
        rev_re = re.compile(r'^%s\.\d+$' % re.escape(self.h.inst.epoch))
        for e in snap['entities']:
            self.assertRegex(e['rev'], rev_re)
            if e['kind'] == 'track':
                want = set(TRACK_REGULAR)
                if e['props']['kind'] == 'group':
                    want = (want - {'arm', 'monitoring'}) | {'fold'}
                self.assertEqual(set(e['props']), want, e['id'])
            else:
                self.assertEqual(set(e['props']), PROPS[e['kind']], e['id'])
        order = ents['order']['props']
        for tid in order['tracks']:
            self.assertEqual(ents[tid]['kind'], 'track')
            for sid in ents[tid]['props']['clipSlots']:
                self.assertEqual(ents[sid]['props']['trackId'], tid)
                cid = ents[sid]['props']['clipId']
                if cid:
                    self.assertEqual(ents[cid]['props']['slotId'], sid)
                    self.assertEqual(ents[cid]['props']['trackId'], tid)
            for did in ents[tid]['props']['devices']:
                self.assertEqual(ents[did]['props']['trackId'], tid)
                for pid in ents[did]['props']['params']:
                    self.assertEqual(ents[pid]['props']['deviceId'], did)
        for rid in order['returns']:
            self.assertEqual(ents[rid]['kind'], 'return')
        self.assertEqual(len(order['scenes']), len(self.h.song.scenes))
        self.assertEqual(ents[order['tracks'][1]]['props']['groupId'], order['tracks'][0])
        self.assertEqual(ents['song']['props']['quantization'], '1 Bar')
        # every id carries this set's tag: ids of another set never name anything here
        tag = self.h.inst.mirror.tag
        self.assertTrue(all(re.match(r'^(t|s|cs|c|d|p|cue)\d+-%s$' % tag, i) for i in ents
                            if i not in ('song', 'master', 'order')))

    def test_snapshot_carries_pending_changes_first(self):
        self.h.song.tempo = 97.0
        snap = self.h.snapshot()
        kinds = [m['type'] for m in self.h.sent() if m['type'] in ('events', 'snapshot')]
        self.assertEqual(kinds[-2:], ['events', 'snapshot'])
        ents = dict((e['id'], e) for e in snap['entities'])
        self.assertEqual(ents['song']['props']['tempo'], 97.0)
        self.assertEqual(snap['seq'], self.h.sent('events')[-1]['seq'])


    def test_a_snapshot_over_the_line_limit_is_split_without_losing_entities(self):
        import json
        h = self.h
        full = self.h.snapshot()
        limit = 8 * 1024
        raw = h.inst.snapshot_lines(limit=limit)
        self.assertTrue(all(len(b) <= limit for b in raw))
        lines = [json.loads(b.decode('utf-8')) for b in raw]
        self.assertEqual(lines[0]['type'], 'snapshot')
        self.assertGreater(len(lines), 2)
        self.assertTrue(all(m['type'] == 'events' for m in lines[1:]))
        got = lines[0]['entities'] + [c for m in lines[1:] for c in m['changes']]
        self.assertEqual(sorted(got, key=lambda e: e['id']), sorted(full['entities'], key=lambda e: e['id']))
        kinds = [e['kind'] for e in lines[0]['entities']]
        self.assertEqual(kinds[:3], ['song', 'master', 'order'])
        self.assertIn('track', kinds)
        seqs = [m['seq'] for m in lines[1:]]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))))


class EventsTest(HarnessCase):
    def test_changes_of_one_tick_travel_as_one_events_line(self):
        h = self.h
        h.tick()
        h.clear()
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        h.song.tempo = 101.0
        bass.obj.mixer_device.volume.value = 0.25
        bass.obj.name = 'Low'
        h.song.metronome = True
        h.tick()
        ev = h.sent('events')
        self.assertEqual(len(ev), 1)
        by_id = dict((c['id'], c) for c in ev[0]['changes'])
        # a change of one song prop re-reads them all (one listener callback per entity):
        # the undo state that moved with the tempo change comes along
        self.assertEqual(dict((k, v) for k, v in by_id['song']['props'].items() if k != 'canUndo'),
                         {'tempo': 101.0, 'metronome': True})
        self.assertEqual(by_id[bass.id]['props'], {'volume': 0.25, 'name': 'Low'})
        self.assertEqual(by_id[bass.id]['rev'], bass.rev)
        self.assertEqual(ev[0]['epoch'], h.inst.epoch)
        h.song.tempo = 102.0
        h.tick()
        self.assertEqual(h.sent('events')[-1]['seq'], ev[0]['seq'] + 1)

    def test_quiet_ticks_send_nothing(self):
        h = self.h
        h.tick(3)
        h.clear()
        h.tick(20)
        self.assertEqual(h.sent('events'), [])
        self.assertEqual(h.sent('results'), [])

    def test_rev_changes_only_when_a_prop_changes(self):
        h = self.h
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        r1 = h.run('track.set_volume', bass.id, {'value': 0.5})
        r2 = h.run('track.set_volume', bass.id, {'value': 0.5})
        self.assertEqual(r1['rev'], r2['rev'], 'same value, same rev')
        r3 = h.run('track.set_volume', bass.id, {'value': 0.6})
        self.assertNotEqual(r3['rev'], r2['rev'])
        n = lambda rev: int(rev.rsplit('.', 1)[1])
        self.assertGreater(n(r3['rev']), n(r2['rev']))

    def test_parameter_changed_in_live_is_mirrored_with_display(self):
        h = self.h
        h.observe(*[e.id for e in h.inst.mirror.entities() if e.kind == 'device'][:3])
        pid = [e for e in h.inst.mirror.entities() if e.kind == 'parameter' and not e.props['isQuantized']
               and e.props['value'] != (e.props['min'] + e.props['max']) / 2.0][0].id
        p = h.ent(pid).obj
        h.tick()
        h.clear()
        p.value = (p.min + p.max) / 2.0
        h.tick()
        ch = [c for c in h.changes() if c['id'] == pid][0]
        self.assertEqual(ch['props']['value'], (p.min + p.max) / 2.0)
        self.assertEqual(ch['props']['display'], p.str_for_value(p.value))

    def test_clip_length_follows_loop_end_without_a_length_listener(self):
        h = self.h
        clip = [e for e in h.inst.mirror.entities() if e.kind == 'clip' and e.props['looping']][0]
        self.assertFalse(hasattr(clip.obj, 'add_length_listener'))
        h.tick()
        h.clear()
        clip.obj.loop_end = clip.obj.loop_start + 2.0
        h.tick()
        ch = [c for c in h.changes() if c['id'] == clip.id][-1]
        self.assertEqual(ch['props']['length'], 2.0)
        self.assertEqual(ch['props']['loopEnd'], clip.obj.loop_start + 2.0)

    def test_clip_created_in_live_appears_with_its_slot(self):
        h = self.h
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        slot = [h.ent(s) for s in bass.props['clipSlots'] if not h.ent(s).props['hasClip']][0]
        h.tick()
        h.clear()
        slot.obj.create_clip(4.0)
        h.tick()
        changes = h.changes()
        created = [c for c in changes if c['kind'] == 'clip']
        self.assertEqual(len(created), 1)
        self.assertEqual(created[0]['props']['slotId'], slot.id)
        self.assertEqual(created[0]['props']['length'], 4.0)
        sc = [c for c in changes if c['id'] == slot.id][0]
        self.assertEqual(sc['props']['clipId'], created[0]['id'])
        self.assertIs(sc['props']['hasClip'], True)

    def test_launch_moves_slot_clip_and_track_state(self):
        h = self.h
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        idx, slot = [(i, h.ent(s)) for i, s in enumerate(bass.props['clipSlots']) if h.ent(s).props['hasClip']][0]
        h.song.start_playing()
        h.advance(100)
        slot.obj.fire()
        h.tick()
        self.assertEqual(slot.props['state'], 'triggered')   # waits for the next bar
        h.advance(2500)
        self.assertEqual(slot.props['state'], 'playing')
        self.assertEqual(h.ent(slot.props['clipId']).props['state'], 'playing')
        self.assertEqual(bass.props['playingSlotIndex'], idx)
        self.assertTrue(h.ent('song').props['isPlaying'])

    def test_session_recording_into_an_empty_slot(self):
        h = self.h
        b = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        slot = [h.ent(s) for s in b.props['clipSlots'] if not h.ent(s).props['hasClip']][0]
        self.assertTrue(h.run('track.set_arm', b.id, {'value': True})['ok'])
        h.run('transport.play')
        h.advance(100)
        r = h.run('clip_slot.fire', slot.id)
        self.assertEqual(r['value'], 'triggered')
        states = set()
        for _ in range(60):
            h.advance(100)
            states.add(slot.props['state'])
        self.assertIn('recording', states)
        cid = slot.props['clipId']
        self.assertIsNotNone(cid)
        self.assertEqual(h.ent(cid).props['state'], 'recording')
        self.assertGreater(h.ent(cid).props['length'], 4.0, 'length grows while recording')
        h.run('clip_slot.fire', slot.id)
        h.advance(4000)
        self.assertEqual(slot.props['state'], 'playing')
        self.assertEqual(h.ent(cid).props['length'], slot.obj.clip.length)

    def test_fold_and_undo_state_are_polled(self):
        h = self.h
        group = [e for e in h.inst.mirror.entities() if e.kind == 'track' and e.props['kind'] == 'group'][0]
        group.obj.fold_state = True          # no listener exists for fold_state
        h.song.tempo = 111.0                 # undoable: can_undo has no listener either
        for _ in range(12):
            h.tick()
        self.assertIs(group.props['fold'], True)
        self.assertIs(h.ent('song').props['canUndo'], True)

    def test_return_track_added_in_live_grows_every_send_list(self):
        h = self.h
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        n = len(bass.props['sends'])
        h.song.create_return_track()
        h.tick()
        h.settle()
        self.assertEqual(len(bass.props['sends']), n + 1)
        self.assertEqual(len(h.order()['returns']), n + 1)
        h.clear()
        list(bass.obj.mixer_device.sends)[n].value = 0.7   # the new send is listened to
        h.tick(6)   # send levels are re-read at most every 50 ms (a bounded rate)
        self.assertAlmostEqual([c for c in h.changes() if c['id'] == bass.id][0]['props']['sends'][n], 0.7)


class StableIdsTest(HarnessCase):
    def test_ids_survive_insertions_above(self):
        h = self.h
        before = ptr_ids(h)
        order = h.order()
        h.song.create_midi_track(0)
        h.song.create_audio_track(3)
        h.song.create_scene(0)
        h.tick()
        h.settle()   # structure is read again over the next ticks (jobs)
        after = ptr_ids(h)
        for ptr, eid in before.items():
            self.assertEqual(after.get(ptr), eid)
        new_order = h.order()
        self.assertEqual(len(new_order['tracks']), len(order['tracks']) + 2)
        self.assertEqual([t for t in new_order['tracks'] if t in order['tracks']], order['tracks'])
        self.assertEqual(new_order['scenes'][1:], order['scenes'])
        fresh = set(after.values()) - set(before.values())
        self.assertTrue(fresh)
        self.assertFalse(fresh & set(before.values()))
        # a command aimed at "the bass track" still hits Bass
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        self.assertEqual(before[bass.ptr], bass.id)
        h.run('track.set_mute', bass.id, {'value': True})
        self.assertTrue([t for t in h.song.tracks if t.name == 'Bass'][0].mute)

    def test_ids_survive_deletions_and_are_never_reused(self):
        h = self.h
        order = h.order()
        victim = order['tracks'][3]
        h.song.delete_track(3)
        h.song.delete_scene(0)
        h.tick()
        h.settle()   # the changed lists are read again as jobs, within the ticks' budget
        new_order = h.order()
        self.assertEqual(new_order['tracks'], [t for t in order['tracks'] if t != victim])
        self.assertEqual(new_order['scenes'], order['scenes'][1:])
        removed = [c for c in h.changes() if c.get('removed')]
        self.assertIn({'kind': 'track', 'id': victim, 'removed': True}, removed)
        self.assertIn({'kind': 'scene', 'id': order['scenes'][0], 'removed': True}, removed)
        known = set(e['id'] for e in h.snapshot()['entities'])
        h.song.create_midi_track(3)
        h.tick()
        newest = h.order()['tracks'][3]
        self.assertNotEqual(newest, victim)
        self.assertNotIn(newest, known)
        self.assertErr(h.run('track.set_mute', victim, {'value': True}), 'NOT_FOUND')


class DeadWrapper(object):
    """What real Live leaves behind when it deletes an object: reads raise."""

    def __init__(self, ptr):
        self._live_ptr = ptr

    @property
    def canonical_parent(self):
        raise RuntimeError('Object is dead')


class AddressReuseTest(HarnessCase):
    def test_a_new_object_at_a_freed_address_gets_a_new_id(self):
        h = self.h
        clip = [e for e in h.inst.mirror.entities() if e.kind == 'clip'][0]
        slot = h.ent(clip.parent)
        old_id = clip.id
        # as if Live deleted the clip and a new one now lives at the same address
        clip.obj = DeadWrapper(clip.ptr)
        clip.listeners = []
        h.clear()
        h.inst.mirror.mark_structure(slot.id, 'clip')
        h.tick()
        new_id = slot.props['clipId']
        self.assertNotEqual(new_id, old_id)
        self.assertIsNone(h.ent(old_id))
        self.assertIn({'kind': 'clip', 'id': old_id, 'removed': True}, h.changes())
        self.assertEqual(h.ent(new_id).obj._live_ptr, slot.obj.clip._live_ptr)
        h.ent(new_id).obj.name = 'still listened to'
        h.tick()
        self.assertEqual(h.ent(new_id).props['name'], 'still listened to')


class ListenerLifecycleTest(HarnessCase):
    def test_every_registered_listener_is_live_and_counted(self):
        h = self.h
        ours = h.inst.mirror.our_listeners()
        self.assertEqual(len(ours), h.inst.mirror.listener_count)
        for obj, prop, cb in ours:
            self.assertTrue(getattr(obj, '%s_has_listener' % prop)(cb), prop)
        self.assertEqual(listener_total(h.song), len(ours))

    def test_deleting_a_track_removes_its_listeners(self):
        # With Live's dead objects on, a deleted track's wrappers raise on every access, so
        # whether a listener is still there can only be asked with that quirk off.
        for dead_objects in (False, True):
            with self.subTest(dead_objects=dead_objects):
                h = Harness(quirks={'dead_objects': dead_objects})
                try:
                    self._delete_bass(h, dead_objects)
                finally:
                    h.close()

    def _delete_bass(self, h, dead_objects):
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        under = set([bass.id])
        for e in list(h.inst.mirror.entities()):
            p = e
            while p is not None and p.parent is not None:
                if p.parent in under or p.parent == bass.id:
                    under.add(e.id)
                    break
                p = h.ent(p.parent)
        theirs = [(e.listeners[i], e.listeners[i + 1], e.listeners[i + 2])
                  for e in h.inst.mirror.entities() if e.id in under for i in range(0, len(e.listeners), 3)]
        self.assertGreater(len(theirs), 50)
        count = h.inst.mirror.listener_count
        r = h.run('track.delete', bass.id)
        self.assertTrue(r['ok'], r)
        for obj, prop, cb in theirs:
            if dead_objects:
                self.assertTrue(obj == None)  # noqa: E711 -- Live's deleted objects compare equal to None
            else:
                self.assertFalse(getattr(obj, '%s_has_listener' % prop)(cb), prop)
        self.assertEqual(h.inst.mirror.listener_count, count - len(theirs))
        self.assertEqual(listener_total(h.song), h.inst.mirror.listener_count)

    def test_clip_and_device_churn_leaves_no_listener_behind(self):
        self.churn(self.h)

    def test_churn_while_lists_are_read_a_few_steps_a_tick(self):
        # An action's own list is read at once even when a job had read it before the
        # action changed it (a device loaded while the track's devices were being read).
        self.h.close()
        for n in (1, 2, 3, 4, 8):
            with self.subTest(steps_per_tick=n):
                h = self.h = Harness(self.VERSION)
                try:
                    h.steps_per_tick(n)
                    self.churn(h)
                finally:
                    h.close()

    def churn(self, h):
        h.settle()   # Live's browser indexed: browser.load finds Saturator however slow the machine
        bass = [e for e in h.inst.mirror.entities() if e.props.get('name') == 'Bass'][0]
        slot = [h.ent(s) for s in bass.props['clipSlots'] if not h.ent(s).props['hasClip']][0]
        base = listener_total(h.song)
        for _ in range(3):
            h.run('clip_slot.create_clip', slot.id, {'length': 4})
            h.run('clip_slot.delete_clip', slot.id)
            self.assertOk(h.run('browser.load', bass.id, {'name': 'Saturator'}))
            self.assertOk(h.run('device.delete', bass.props['devices'][-1]))
            h.song.create_scene(-1)
            h.tick()
            h.song.delete_scene(len(h.song.scenes) - 1)
            h.tick()
        h.settle()
        self.assertEqual(listener_total(h.song), base)
        self.assertEqual(h.inst.mirror.listener_count, base)

    def test_disconnect_removes_every_listener(self):
        h = self.h
        ours = h.inst.mirror.our_listeners()
        self.assertGreater(listener_total(h.song), 1000)
        h.inst.disconnect()
        for obj, prop, cb in ours:
            self.assertFalse(getattr(obj, '%s_has_listener' % prop)(cb))
        self.assertEqual(listener_total(h.song), 0)
        self.assertFalse(h.world._timers, 'the tick timer is stopped')


class NewSetTest(unittest.TestCase):
    def test_new_set_means_new_epoch_ids_and_revs(self):
        h = Harness()
        try:
            old_epoch = h.inst.epoch
            old_rev = h.ent('song').rev
            h.inst.disconnect()
            h.world.new_song()
            inst = make_instance(h.world)
            inst.server.close()
            inst.server = h.server = CaptureServer()
            h.inst = inst
            self.assertNotEqual(inst.epoch, old_epoch)
            r = h.run('song.set_tempo', args={'bpm': 90}, base_rev=old_rev)
            self.assertEqual(r['error']['code'], 'SET_CHANGED')
            self.assertEqual(h.song.tempo, 120.0)
            self.assertEqual(listener_total(h.song), inst.mirror.listener_count)
        finally:
            h.close()


if __name__ == '__main__':
    unittest.main()
