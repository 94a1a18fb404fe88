"""Every action of protocol/actions/catalogue.ts against the simulated Live, in 11.0.0,
12.0.5 and 12.3.6: what Live holds afterwards, the result's value and rev, and the
events the change produced."""
import os
import re
import unittest

from . import simpath
from .test_script_harness import Harness

from Roomtone import actions, protocol

CATALOGUE = os.path.join(os.path.dirname(simpath.ROOT), 'protocol', 'actions', 'catalogue.ts')


def catalogue():
    with open(CATALOGUE) as f:
        text = f.read()
    out = {}
    for m in re.finditer(r"a\(\{ name: '([a-z_.]+)', target: '([a-z_]+)',.*?mode: '([a-z]+)'(?:, prop: '([A-Za-z]+)')?", text):
        out[m.group(1)] = {'target': m.group(2), 'mode': m.group(3), 'prop': m.group(4)}
    return out


def ids_of(h, kind):
    return [e.id for e in h.inst.mirror.entities() if e.kind == kind]


def track(h, name):
    for e in h.inst.mirror.entities():
        if e.kind in ('track', 'return') and e.props.get('name') == name:
            return e.id
    raise AssertionError('no track %r' % name)


def slot(h, track_name, index):
    return h.ent(track(h, track_name)).props['clipSlots'][index]


def full_slot(h, track_name):
    for s in h.ent(track(h, track_name)).props['clipSlots']:
        if h.ent(s).props['hasClip']:
            return s
    raise AssertionError('no clip on %s' % track_name)


def clip_in(h, track_name, index):
    return h.ent(slot(h, track_name, index)).props['clipId']


def device(h, track_name, name):
    for did in h.ent(track(h, track_name)).props['devices']:
        if h.ent(did).props['name'] == name:
            return did
    raise AssertionError('no device %r on %r' % (name, track_name))


def live(h, eid):
    return h.ent(eid).obj


# ---- one case per action: case(test, h) ---------------------------------------------------

def c_transport_play(t, h):
    r = t.assertOk(h.run('transport.play'))
    t.assertIs(r['value'], True)
    t.assertTrue(h.song.is_playing)
    t.assertEqual(r['rev'], h.ent('song').rev)


def c_transport_stop(t, h):
    h.run('transport.play')
    h.advance(100)
    r = t.assertOk(h.run('transport.stop'))
    t.assertIs(r['value'], False)
    t.assertFalse(h.song.is_playing)


def c_transport_continue(t, h):
    h.run('transport.set_position', args={'beats': 12})
    r = t.assertOk(h.run('transport.continue'))
    t.assertIs(r['value'], True)
    t.assertTrue(h.song.is_playing)
    t.assertGreaterEqual(h.song.current_song_time, 12)


def c_transport_set_position(t, h):
    r = t.assertOk(h.run('transport.set_position', args={'beats': 8}))
    t.assertEqual(r['value'], 8.0)
    t.assertEqual(h.song.current_song_time, 8.0)
    t.assertErr(h.run('transport.set_position', args={'beats': -1}), 'INVALID')


def c_song_set_tempo(t, h):
    r = t.assertOk(h.run('song.set_tempo', args={'bpm': 133.5}))
    t.assertEqual(r['value'], 133.5)
    t.assertEqual(h.song.tempo, 133.5)
    t.assertEqual(h.changes()[-1]['props']['tempo'], 133.5)
    t.assertErr(h.run('song.set_tempo', args={'bpm': 1000}), 'INVALID')
    t.assertErr(h.run('song.set_tempo', args={'bpm': '120'}), 'INVALID')


def c_song_tap_tempo(t, h):
    t.assertOk(h.run('song.tap_tempo'))
    h.advance(500)
    r = t.assertOk(h.run('song.tap_tempo'))
    t.assertAlmostEqual(r['value'], 120.0, delta=3.0)   # two taps 0.5 s apart
    t.assertEqual(r['value'], h.song.tempo)


def c_song_set_time_signature(t, h):
    r = t.assertOk(h.run('song.set_time_signature', args={'numerator': 7, 'denominator': 8}))
    t.assertEqual(r['value'], {'numerator': 7, 'denominator': 8})
    t.assertEqual((h.song.signature_numerator, h.song.signature_denominator), (7, 8))
    t.assertErr(h.run('song.set_time_signature', args={'numerator': 7, 'denominator': 3}), 'INVALID')


def _song_bool(action, live_attr, prop):
    def case(t, h):
        r = t.assertOk(h.run(action, args={'value': True}))
        t.assertIs(r['value'], True)
        t.assertIs(bool(getattr(h.song, live_attr)), True)
        t.assertIs(h.ent('song').props[prop], True)
        r = t.assertOk(h.run(action, args={'value': False}))
        t.assertIs(bool(getattr(h.song, live_attr)), False)
        t.assertErr(h.run(action, args={'value': 1}), 'INVALID')
    return case


def c_song_set_loop_region(t, h):
    r = t.assertOk(h.run('song.set_loop_region', args={'start': 4, 'length': 8}))
    t.assertEqual(r['value'], {'start': 4.0, 'length': 8.0})
    t.assertEqual((h.song.loop_start, h.song.loop_length), (4.0, 8.0))
    t.assertErr(h.run('song.set_loop_region', args={'start': 4, 'length': 0}), 'INVALID')


def c_song_set_crossfader(t, h):
    r = t.assertOk(h.run('song.set_crossfader', args={'value': -0.5}))
    t.assertEqual(r['value'], -0.5)
    t.assertEqual(h.song.master_track.mixer_device.crossfader.value, -0.5)


def c_song_undo(t, h):
    t.assertErr(h.run('song.undo'), 'LIVE_ERROR', 'nothing to undo in a fresh set')
    h.run('song.set_tempo', args={'bpm': 140})
    r = t.assertOk(h.run('song.undo'))
    t.assertEqual(h.song.tempo, 120.0)
    t.assertIs(r['value']['canRedo'], True)
    t.assertEqual(h.ent('song').props['tempo'], 120.0)


def c_song_redo(t, h):
    t.assertErr(h.run('song.redo'), 'LIVE_ERROR')
    h.run('song.set_tempo', args={'bpm': 140})
    h.run('song.undo')
    r = t.assertOk(h.run('song.redo'))
    t.assertEqual(h.song.tempo, 140.0)
    t.assertIs(r['value']['canUndo'], True)


def c_song_capture_midi(t, h):
    bass = track(h, 'Bass')
    before = [s for s in h.ent(bass).props['clipSlots'] if h.ent(s).props['hasClip']]
    t.assertOk(h.run('track.select', bass))
    t.assertOk(h.run('song.capture_midi'))
    h.tick()
    after = [s for s in h.ent(bass).props['clipSlots'] if h.ent(s).props['hasClip']]
    t.assertEqual(len(after), len(before) + 1)
    t.assertOk(h.run('track.select', track(h, 'Guitar')))
    t.assertErr(h.run('song.capture_midi'), 'LIVE_ERROR', 'an audio track cannot capture MIDI')


def c_song_stop_all_clips(t, h):
    s = full_slot(h, 'Bass')
    h.run('clip_slot.fire', s)
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'playing')
    t.assertOk(h.run('song.stop_all_clips'))
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'stopped')


def c_song_set_or_delete_cue(t, h):
    h.run('transport.set_position', args={'beats': 4})
    before = h.order()['cuePoints']
    r = t.assertOk(h.run('song.set_or_delete_cue'))
    new = r['value']
    t.assertIsInstance(new, str)
    t.assertNotIn(new, before)
    t.assertIn(new, h.order()['cuePoints'])
    t.assertEqual(h.ent(new).props['time'], 4.0)
    r = t.assertOk(h.run('song.set_or_delete_cue'))
    t.assertIsNone(r['value'])
    t.assertNotIn(new, h.order()['cuePoints'])
    t.assertIn({'kind': 'cue_point', 'id': new, 'removed': True}, h.changes())


def c_song_jump_to_next_cue(t, h):
    h.run('transport.set_position', args={'beats': 20})
    r = t.assertOk(h.run('song.jump_to_next_cue'))
    t.assertEqual(r['value'], 48.0)
    t.assertEqual(h.song.current_song_time, 48.0)


def c_song_jump_to_prev_cue(t, h):
    h.run('transport.set_position', args={'beats': 50})
    r = t.assertOk(h.run('song.jump_to_prev_cue'))
    t.assertEqual(r['value'], 48.0)


def c_cue_point_jump(t, h):
    cue = h.order()['cuePoints'][3]
    t.assertOk(h.run('cue_point.jump', cue))
    t.assertEqual(h.song.current_song_time, h.ent(cue).props['time'])
    t.assertErr(h.run('cue_point.jump', 'cue999'), 'NOT_FOUND')


def c_cue_point_rename(t, h):
    cue = h.order()['cuePoints'][0]
    r = h.run('cue_point.rename', cue, {'name': 'Top'})
    if h.world.version == '12.3.6':
        t.assertOk(r)
        t.assertEqual(r['value'], 'Top')
        t.assertEqual(live(h, cue).name, 'Top')
    else:   # CuePoint.name is read-only before 12.3
        t.assertErr(r, 'UNSUPPORTED')
        t.assertEqual(live(h, cue).name, 'Intro')


def c_track_create_midi(t, h):
    old = h.order()['tracks']
    r = t.assertOk(h.run('track.create_midi', args={'index': 0}))
    new = r['value']
    tracks = h.order()['tracks']
    t.assertEqual(tracks, [new] + old)
    t.assertEqual(h.ent(new).props['kind'], 'midi')
    t.assertEqual(r['rev'], h.ent(new).rev)
    t.assertEqual(len(h.ent(new).props['clipSlots']), len(h.order()['scenes']))
    t.assertErr(h.run('track.create_midi', args={'index': 999}), 'INVALID')


def c_track_create_audio(t, h):
    old = h.order()['tracks']
    r = t.assertOk(h.run('track.create_audio'))
    t.assertEqual(h.order()['tracks'], old + [r['value']])
    t.assertEqual(h.ent(r['value']).props['kind'], 'audio')


def c_track_create_return(t, h):
    old = h.order()['returns']
    r = t.assertOk(h.run('track.create_return'))
    t.assertEqual(h.order()['returns'], old + [r['value']])
    t.assertEqual(h.ent(r['value']).kind, 'return')
    h.tick()
    t.assertEqual(len(h.ent(track(h, 'Bass')).props['sends']), len(old) + 1)


def c_track_delete(t, h):
    bass = track(h, 'Bass')
    slots = h.ent(bass).props['clipSlots']
    n = len(h.song.tracks)
    r = t.assertOk(h.run('track.delete', bass))
    t.assertIsNone(r['rev'])
    t.assertEqual(len(h.song.tracks), n - 1)
    t.assertNotIn(bass, h.order()['tracks'])
    removed = set(c['id'] for c in h.changes() if c.get('removed'))
    t.assertTrue(set([bass] + slots) <= removed)
    t.assertErr(h.run('track.delete', bass), 'NOT_FOUND')
    ret = h.order()['returns'][0]
    t.assertOk(h.run('track.delete', ret))
    t.assertNotIn(ret, h.order()['returns'])
    t.assertErr(h.run('track.delete', 'master'), 'INVALID')


def c_track_duplicate(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.duplicate', bass))
    tracks = h.order()['tracks']
    t.assertEqual(tracks[tracks.index(bass) + 1], r['value'])
    t.assertNotEqual(r['value'], bass)
    t.assertEqual(len(h.ent(r['value']).props['devices']), len(h.ent(bass).props['devices']))


def c_track_rename(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.rename', bass, {'name': '  Low End '}))
    t.assertEqual(r['value'], 'Low End')
    t.assertEqual(live(h, bass).name, 'Low End')
    t.assertErr(h.run('track.rename', bass, {'name': ''}), 'INVALID')
    t.assertErr(h.run('track.rename', bass, {'name': 'x' * 129}), 'INVALID')


def c_track_set_color(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_color', bass, {'value': 0x10A4EE}))
    t.assertEqual(r['value'], live(h, bass).color)
    t.assertEqual(h.ent(bass).props['color'], live(h, bass).color)
    t.assertErr(h.run('track.set_color', bass, {'value': 0x1000000}), 'INVALID')


def c_track_set_fold(t, h):
    group = track(h, 'Rhythm')
    r = t.assertOk(h.run('track.set_fold', group, {'value': True}))
    t.assertIs(r['value'], True)
    t.assertTrue(live(h, group).fold_state)
    t.assertErr(h.run('track.set_fold', track(h, 'Bass'), {'value': True}), 'INVALID')


def c_track_set_arm(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_arm', bass, {'value': True}))
    t.assertIs(r['value'], True)
    t.assertTrue(live(h, bass).arm)
    t.assertErr(h.run('track.set_arm', track(h, 'Rhythm'), {'value': True}), 'INVALID')
    t.assertErr(h.run('track.set_arm', 'master', {'value': True}), 'INVALID')


def c_track_set_mute(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_mute', bass, {'value': True}))
    t.assertIs(r['value'], True)
    t.assertTrue(live(h, bass).mute)
    t.assertErr(h.run('track.set_mute', 'master', {'value': True}), 'INVALID')


def c_track_set_solo(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_solo', bass, {'value': True}))
    t.assertIs(r['value'], True)
    t.assertTrue(live(h, bass).solo)


def c_track_set_monitoring(t, h):
    bass = track(h, 'Bass')
    for v in ('in', 'off', 'auto'):
        r = t.assertOk(h.run('track.set_monitoring', bass, {'value': v}))
        t.assertEqual(r['value'], v)
    t.assertEqual(int(live(h, bass).current_monitoring_state), 1)
    t.assertErr(h.run('track.set_monitoring', bass, {'value': 'IN'}), 'INVALID')
    t.assertErr(h.run('track.set_monitoring', track(h, 'Rhythm'), {'value': 'in'}), 'INVALID')


def c_track_set_volume(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_volume', bass, {'value': 0.3}))
    t.assertEqual(r['value'], 0.3)
    t.assertEqual(live(h, bass).mixer_device.volume.value, 0.3)
    t.assertOk(h.run('track.set_volume', 'master', {'value': 0.5}))
    t.assertEqual(h.song.master_track.mixer_device.volume.value, 0.5)
    t.assertErr(h.run('track.set_volume', bass, {'value': 1.5}), 'INVALID')


def c_track_set_pan(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_pan', bass, {'value': -0.4}))
    t.assertAlmostEqual(r['value'], -0.4)
    t.assertAlmostEqual(live(h, bass).mixer_device.panning.value, -0.4)


def c_track_set_send(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_send', bass, {'index': 1, 'value': 0.6}))
    t.assertAlmostEqual(r['value'], 0.6)
    t.assertAlmostEqual(live(h, bass).mixer_device.sends[1].value, 0.6)
    t.assertAlmostEqual(h.ent(bass).props['sends'][1], 0.6)
    t.assertErr(h.run('track.set_send', bass, {'index': 5, 'value': 0.6}), 'INVALID')
    t.assertErr(h.run('track.set_send', 'master', {'index': 0, 'value': 0.6}), 'INVALID')


def c_track_set_crossfade_assign(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.set_crossfade_assign', bass, {'value': 'A'}))
    t.assertEqual(r['value'], 'A')
    t.assertEqual(int(live(h, bass).mixer_device.crossfade_assign), 0)
    r = t.assertOk(h.run('track.set_crossfade_assign', bass, {'value': 'B'}))
    t.assertEqual(r['value'], 'B')
    t.assertErr(h.run('track.set_crossfade_assign', 'master', {'value': 'A'}), 'INVALID')


def c_track_stop_clips(t, h):
    s = full_slot(h, 'Bass')
    h.run('clip_slot.fire', s)
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'playing')
    t.assertOk(h.run('track.stop_clips', track(h, 'Bass')))
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'stopped')
    t.assertErr(h.run('track.stop_clips', 'master'), 'INVALID')


def c_track_select(t, h):
    keys = track(h, 'Keys')
    t.assertOk(h.run('track.select', keys))
    t.assertEqual(h.song.view.selected_track._live_ptr, live(h, keys)._live_ptr)


def c_clip_slot_fire(t, h):
    s = full_slot(h, 'Bass')
    r = t.assertOk(h.run('clip_slot.fire', s))
    t.assertIn(r['value'], ('triggered', 'playing'))
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'playing')
    t.assertEqual(h.ent(track(h, 'Bass')).props['playingSlotIndex'], h.ent(track(h, 'Bass')).props['clipSlots'].index(s))
    t.assertEqual(h.ent(h.ent(s).props['clipId']).props['state'], 'playing')


def c_clip_slot_stop(t, h):
    s = full_slot(h, 'Bass')
    h.run('clip_slot.fire', s)
    h.advance(2500)
    t.assertOk(h.run('clip_slot.stop', s))
    h.advance(2500)
    t.assertEqual(h.ent(s).props['state'], 'stopped')
    t.assertEqual(h.ent(track(h, 'Bass')).props['playingSlotIndex'], -1)


def _empty_slot(h, name):
    for s in h.ent(track(h, name)).props['clipSlots']:
        if not h.ent(s).props['hasClip']:
            return s
    raise AssertionError('no empty slot on %s' % name)


def c_clip_slot_create_clip(t, h):
    s = _empty_slot(h, 'Bass')
    r = t.assertOk(h.run('clip_slot.create_clip', s, {'length': 8}))
    cid = r['value']
    t.assertEqual(h.ent(s).props['clipId'], cid)
    t.assertEqual(h.ent(cid).props['length'], 8.0)
    t.assertTrue(h.ent(cid).props['isMidi'])
    t.assertErr(h.run('clip_slot.create_clip', s, {'length': 8}), 'LIVE_ERROR', 'slot is full')
    t.assertErr(h.run('clip_slot.create_clip', _empty_slot(h, 'Guitar'), {'length': 8}), 'LIVE_ERROR')
    t.assertErr(h.run('clip_slot.create_clip', s, {'length': 0}), 'INVALID')


def c_clip_slot_delete_clip(t, h):
    s = full_slot(h, 'Bass')
    cid = h.ent(s).props['clipId']
    t.assertOk(h.run('clip_slot.delete_clip', s))
    t.assertIsNone(h.ent(s).props['clipId'])
    t.assertFalse(live(h, s).has_clip)
    t.assertIsNone(h.ent(cid))
    t.assertIn({'kind': 'clip', 'id': cid, 'removed': True}, h.changes())
    t.assertErr(h.run('clip_slot.delete_clip', s), 'LIVE_ERROR')


def c_clip_slot_duplicate_clip_to(t, h):
    src = full_slot(h, 'Bass')
    dst = _empty_slot(h, 'Bass')
    r = t.assertOk(h.run('clip_slot.duplicate_clip_to', src, {'to': dst}))
    t.assertEqual(h.ent(dst).props['clipId'], r['value'])
    t.assertEqual(h.ent(r['value']).props['name'], h.ent(h.ent(src).props['clipId']).props['name'])
    t.assertErr(h.run('clip_slot.duplicate_clip_to', src, {'to': 'cs9999'}), 'NOT_FOUND')


def _wav_file(seconds, rate=22050):
    import struct
    import tempfile
    import wave
    fd, path = tempfile.mkstemp(suffix='.wav')
    os.close(fd)
    w = wave.open(path, 'wb')
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(struct.pack('<h', 0) * int(seconds * rate))
    w.close()
    return path


def c_clip_slot_create_audio_clip(t, h):
    s = _empty_slot(h, 'Guitar')
    path = _wav_file(3.0)
    fid = 'ab' * 32
    try:
        if h.world.version == '11.0.0':
            t.assertErr(h.run('clip_slot.create_audio_clip', s, {'file': fid, 'path': path}), 'UNSUPPORTED')
            return
        rev = h.ent(s).rev
        r = t.assertOk(h.run('clip_slot.create_audio_clip', s, {'file': fid, 'path': path}, base_rev=rev))
        cid = r['value']
        t.assertEqual(h.ent(s).props['clipId'], cid)
        t.assertFalse(h.ent(cid).props['isMidi'])
        t.assertEqual(live(h, cid).file_path, path)
        t.assertEqual(live(h, cid).sample_length, 3 * 22050)
        t.assertAlmostEqual(h.ent(cid).props['length'], 6.0)   # 3 s at 120 BPM
        # filled meanwhile: the stale rev and the full slot both answer CONFLICT
        t.assertErr(h.run('clip_slot.create_audio_clip', s, {'file': fid, 'path': path}, base_rev=rev), 'CONFLICT')
        err = t.assertErr(h.run('clip_slot.create_audio_clip', s, {'file': fid, 'path': path}), 'CONFLICT')
        t.assertEqual(err['error']['current'], {'value': True, 'rev': h.ent(s).rev})
        t.assertErr(h.run('clip_slot.create_audio_clip', _empty_slot(h, 'Bass'), {'file': fid, 'path': path}), 'LIVE_ERROR')
        t.assertErr(h.run('clip_slot.create_audio_clip', _empty_slot(h, 'Guitar'), {'file': fid, 'path': 'relative.wav'}), 'INVALID')
        t.assertErr(h.run('clip_slot.create_audio_clip', _empty_slot(h, 'Guitar'), {'file': '../x', 'path': path}), 'INVALID')
        t.assertErr(h.run('clip_slot.create_audio_clip', _empty_slot(h, 'Guitar'), {'file': fid, 'path': path + '.gone'}), 'NOT_FOUND')
    finally:
        os.remove(path)


def c_song_list_audio_files(t, h):
    r = t.assertOk(h.run('song.list_audio_files'))
    value = r['value']
    t.assertIsNone(value['setPath'])   # the demo set is not saved
    names = set(c['name'] for c in value['clips'])
    t.assertIn('Vox Verse', names)
    t.assertFalse(any(c['name'] == 'Beat Verse' for c in value['clips']), 'MIDI clips are not listed')
    vox = [c for c in value['clips'] if c['name'] == 'Vox Verse'][0]
    t.assertEqual(vox['track'], 'Vocals')
    t.assertEqual(h.ent(vox['clipId']).props['name'], 'Vox Verse')
    t.assertEqual(vox['sampleRate'] is None, h.world.version == '11.0.0')
    t.assertFalse(value['truncated'])


def c_clip_fire(t, h):
    cid = clip_in(h, 'Keys', 0)
    t.assertOk(h.run('clip.fire', cid))
    h.advance(2500)
    t.assertEqual(h.ent(cid).props['state'], 'playing')


def c_clip_stop(t, h):
    cid = clip_in(h, 'Keys', 0)
    h.run('clip.fire', cid)
    h.advance(2500)
    t.assertOk(h.run('clip.stop', cid))
    h.advance(2500)
    t.assertEqual(h.ent(cid).props['state'], 'stopped')


def c_clip_rename(t, h):
    cid = clip_in(h, 'Keys', 0)
    r = t.assertOk(h.run('clip.rename', cid, {'name': 'Comp'}))
    t.assertEqual(r['value'], 'Comp')
    t.assertEqual(live(h, cid).name, 'Comp')


def c_clip_set_color(t, h):
    cid = clip_in(h, 'Keys', 0)
    r = t.assertOk(h.run('clip.set_color', cid, {'value': 0xFF3636}))
    t.assertEqual(r['value'], live(h, cid).color)


def c_clip_set_looping(t, h):
    cid = clip_in(h, 'Keys', 0)
    r = t.assertOk(h.run('clip.set_looping', cid, {'value': False}))
    t.assertIs(r['value'], False)
    t.assertFalse(live(h, cid).looping)


def c_clip_set_loop(t, h):
    cid = clip_in(h, 'Keys', 0)
    r = t.assertOk(h.run('clip.set_loop', cid, {'start': 4, 'end': 12}))
    t.assertEqual(r['value'], {'start': 4.0, 'end': 12.0})
    t.assertEqual((live(h, cid).loop_start, live(h, cid).loop_end), (4.0, 12.0))
    t.assertEqual(h.ent(cid).props['length'], 8.0)
    # growing past the old end works too (end is moved first)
    r = t.assertOk(h.run('clip.set_loop', cid, {'start': 16, 'end': 24}))
    t.assertEqual(r['value'], {'start': 16.0, 'end': 24.0})
    t.assertErr(h.run('clip.set_loop', cid, {'start': 8, 'end': 8}), 'INVALID')


def c_clip_set_length(t, h):
    cid = clip_in(h, 'Keys', 0)
    r = t.assertOk(h.run('clip.set_length', cid, {'beats': 4}))
    t.assertEqual(r['value'], 4.0)
    t.assertEqual(live(h, cid).length, 4.0)
    # no Clip length listener exists: the event comes from the loop_end listener
    t.assertEqual([c['props']['length'] for c in h.changes() if c['id'] == cid][-1], 4.0)


def c_clip_duplicate_loop(t, h):
    cid = clip_in(h, 'Keys', 0)
    before = h.ent(cid).props['length']
    notes = len(h.run('clip.get_notes', cid)['value'])
    r = t.assertOk(h.run('clip.duplicate_loop', cid))
    t.assertEqual(r['value'], before * 2)
    t.assertEqual(len(h.run('clip.get_notes', cid)['value']), notes * 2)


def c_clip_get_notes(t, h):
    cid = clip_in(h, 'Drums', 0)
    r = t.assertOk(h.run('clip.get_notes', cid))
    notes = r['value']
    t.assertGreater(len(notes), 10)
    t.assertEqual(set(notes[0]), {'pitch', 'start', 'duration', 'velocity', 'mute'})
    t.assertEqual(notes, sorted(notes, key=lambda n: (n['start'], n['pitch'])))
    t.assertErr(h.run('clip.get_notes', clip_in(h, 'Guitar', 0)), 'INVALID', 'audio clip has no notes')


def c_clip_add_notes(t, h):
    cid = clip_in(h, 'Drums', 0)
    n = len(h.run('clip.get_notes', cid)['value'])
    r = t.assertOk(h.run('clip.add_notes', cid, {'notes': [
        {'pitch': 60, 'start': 0.5, 'duration': 0.25, 'velocity': 90},
        {'pitch': 61, 'start': 1.5, 'duration': 0.25, 'mute': True}]}))
    t.assertEqual(r['value'], 2)
    notes = h.run('clip.get_notes', cid)['value']
    t.assertEqual(len(notes), n + 2)
    added = [x for x in notes if x['pitch'] == 61]
    t.assertEqual(added[0]['velocity'], 100.0)   # the default
    t.assertIs(added[0]['mute'], True)
    t.assertErr(h.run('clip.add_notes', cid, {'notes': [{'pitch': 128, 'start': 0, 'duration': 1}]}), 'INVALID')
    t.assertErr(h.run('clip.add_notes', cid, {'notes': [{'pitch': 60, 'start': 0, 'duration': 0}]}), 'INVALID')


def c_clip_remove_notes(t, h):
    cid = clip_in(h, 'Drums', 0)
    notes = h.run('clip.get_notes', cid)['value']
    kicks = [x for x in notes if x['pitch'] == 36]
    r = t.assertOk(h.run('clip.remove_notes', cid, {'fromPitch': 36, 'pitchSpan': 1}))
    t.assertEqual(r['value'], len(kicks))
    left = h.run('clip.get_notes', cid)['value']
    t.assertEqual(len(left), len(notes) - len(kicks))
    t.assertFalse([x for x in left if x['pitch'] == 36])


def c_clip_replace_notes(t, h):
    cid = clip_in(h, 'Drums', 0)
    want = [{'pitch': 40, 'start': 0.0, 'duration': 1.0, 'velocity': 64.0, 'mute': False},
            {'pitch': 41, 'start': 2.0, 'duration': 0.5, 'velocity': 100.0, 'mute': False}]
    r = t.assertOk(h.run('clip.replace_notes', cid, {'notes': want}))
    t.assertEqual(r['value'], 2)
    t.assertEqual(h.run('clip.get_notes', cid)['value'], want)


def c_scene_fire(t, h):
    s = h.order()['scenes'][1]
    t.assertOk(h.run('scene.fire', s))
    t.assertTrue(h.ent(s).props['isTriggered'] or h.song.is_playing)
    h.advance(2500)
    bass_slot = slot(h, 'Bass', 1)
    t.assertEqual(h.ent(bass_slot).props['state'], 'playing')


def c_scene_create(t, h):
    old = h.order()['scenes']
    r = t.assertOk(h.run('scene.create', args={'index': 0}))
    t.assertEqual(h.order()['scenes'], [r['value']] + old)
    h.tick()
    t.assertEqual(len(h.ent(track(h, 'Bass')).props['clipSlots']), len(old) + 1)
    r = t.assertOk(h.run('scene.create'))
    t.assertEqual(h.order()['scenes'][-1], r['value'])


def c_scene_delete(t, h):
    scenes = h.order()['scenes']
    bass = track(h, 'Bass')
    slots = h.ent(bass).props['clipSlots']
    t.assertOk(h.run('scene.delete', scenes[0]))
    h.tick()
    t.assertEqual(h.order()['scenes'], scenes[1:])
    t.assertEqual(h.ent(bass).props['clipSlots'], slots[1:])
    t.assertIsNone(h.ent(slots[0]))


def c_scene_duplicate(t, h):
    scenes = h.order()['scenes']
    r = t.assertOk(h.run('scene.duplicate', scenes[1]))
    t.assertEqual(h.order()['scenes'][2], r['value'])
    t.assertEqual(h.order()['scenes'][:2], scenes[:2])


def c_scene_rename(t, h):
    s = h.order()['scenes'][0]
    r = t.assertOk(h.run('scene.rename', s, {'name': 'Count-in'}))
    t.assertEqual(r['value'], 'Count-in')
    t.assertEqual(live(h, s).name, 'Count-in')


def c_scene_set_color(t, h):
    s = h.order()['scenes'][0]
    r = t.assertOk(h.run('scene.set_color', s, {'value': 0x3DC300}))
    t.assertEqual(r['value'], live(h, s).color)


def c_scene_set_tempo(t, h):
    s = h.order()['scenes'][0]
    r = t.assertOk(h.run('scene.set_tempo', s, {'value': 100}))
    t.assertEqual(r['value'], 100.0)
    r = h.run('scene.set_tempo', s, {'value': None})
    t.assertOk(r)
    t.assertIsNone(r['value'])
    t.assertErr(h.run('scene.set_tempo', s, {'value': 10}), 'INVALID')


def c_device_get(t, h):
    d = device(h, 'Drums', '808 Core Kit')
    r = t.assertOk(h.run('device.get', d))
    v = r['value']
    t.assertEqual(v['id'], d)
    t.assertEqual(v['rev'], r['rev'])
    t.assertEqual([p['id'] for p in v['parameters']], v['params'])
    t.assertEqual(v['parameters'][0]['name'], 'Device On')
    t.assertTrue(v['canHaveChains'])
    t.assertEqual(len(v['macros']), 8)


def c_device_set_active(t, h):
    d = device(h, 'Bass', 'Compressor')
    r = t.assertOk(h.run('device.set_active', d, {'value': False}))
    t.assertIs(r['value'], False)
    t.assertFalse(live(h, d).is_active)
    t.assertOk(h.run('device.set_active', d, {'value': True}))
    t.assertTrue(live(h, d).is_active)


def c_device_set_macro(t, h):
    d = device(h, 'Drums', '808 Core Kit')
    macro = h.ent(d).props['macros'][2]
    top = h.ent(macro).props['max']
    r = t.assertOk(h.run('device.set_macro', d, {'index': 2, 'value': top * 2}))
    t.assertEqual(r['value'], top, 'clamped to the macro range')
    t.assertEqual(live(h, macro).value, top)
    t.assertErr(h.run('device.set_macro', d, {'index': 12, 'value': 1}), 'INVALID')
    t.assertErr(h.run('device.set_macro', device(h, 'Bass', 'Compressor'), {'index': 0, 'value': 1}), 'INVALID')


def c_device_delete(t, h):
    bass = track(h, 'Bass')
    d = device(h, 'Bass', 'Compressor')
    params = h.ent(d).props['params']
    r = t.assertOk(h.run('device.delete', d))
    t.assertIsNone(r['rev'])
    t.assertNotIn(d, h.ent(bass).props['devices'])
    t.assertEqual(len(live(h, bass).devices), 2)
    removed = set(c['id'] for c in h.changes() if c.get('removed'))
    t.assertTrue(set([d] + params) <= removed)


def c_track_list_devices(t, h):
    bass = track(h, 'Bass')
    r = t.assertOk(h.run('track.list_devices', bass))
    t.assertEqual([d['id'] for d in r['value']], h.ent(bass).props['devices'])
    t.assertEqual([d['name'] for d in r['value']], ['Sub Bass', 'Compressor', 'EQ Eight'])
    t.assertTrue(all(d['parameters'] for d in r['value']))


def c_parameter_set(t, h):
    d = device(h, 'Bass', 'Compressor')
    pid = h.ent(d).props['params'][1]
    p = h.ent(pid).props
    mid = (p['min'] + p['max']) / 2.0
    r = t.assertOk(h.run('parameter.set', pid, {'value': mid}))
    want = float(round(mid)) if p['isQuantized'] else mid
    t.assertAlmostEqual(r['value'], want)
    t.assertAlmostEqual(live(h, pid).value, want)
    r = t.assertOk(h.run('parameter.set', pid, {'value': p['max'] + 100}))
    t.assertEqual(r['value'], p['max'])
    # a quantized one rounds
    onoff = h.ent(d).props['params'][0]
    r = t.assertOk(h.run('parameter.set', onoff, {'value': 0.7}))
    t.assertEqual(r['value'], 1.0)


def c_parameter_get(t, h):
    d = device(h, 'Bass', 'Compressor')
    pid = h.ent(d).props['params'][0]
    r = t.assertOk(h.run('parameter.get', pid))
    v = r['value']
    t.assertEqual(v['id'], pid)
    t.assertEqual(v['deviceId'], d)
    for k in ('name', 'value', 'min', 'max', 'isQuantized', 'valueItems', 'display', 'defaultValue', 'isEnabled'):
        t.assertIn(k, v)
    t.assertEqual(v['valueItems'], ['Off', 'On'])


def c_browser_search(t, h):
    r = t.assertOk(h.run('browser.search', args={'query': 'operator'}))
    hits = r['value']
    t.assertTrue(hits)
    t.assertEqual(set(hits[0]), {'name', 'uri', 'category', 'isLoadable'})
    t.assertTrue(any(x['name'] == 'Operator' and x['category'] == 'instruments' for x in hits))
    r = t.assertOk(h.run('browser.search', args={'query': 'e', 'category': 'audio_effects', 'limit': 3}))
    t.assertEqual(len(r['value']), 3)
    t.assertTrue(all(x['category'] == 'audio_effects' for x in r['value']))
    t.assertErr(h.run('browser.search', args={'query': 'x', 'category': 'samples'}), 'INVALID')


def c_browser_load(t, h):
    bass = track(h, 'Bass')
    n = len(h.ent(bass).props['devices'])
    r = t.assertOk(h.run('browser.load', bass, {'name': 'Saturator'}))
    t.assertEqual(r['value']['name'], 'Saturator')
    h.tick()
    names = [h.ent(d).props['name'] for d in h.ent(bass).props['devices']]
    t.assertEqual(len(names), n + 1)
    t.assertIn('Saturator', names)
    uri = h.run('browser.search', args={'query': 'Reverb', 'category': 'audio_effects'})['value'][0]['uri']
    t.assertOk(h.run('browser.load', bass, {'uri': uri}))
    t.assertErr(h.run('browser.load', bass, {'name': 'No Such Device'}), 'NOT_FOUND')
    t.assertErr(h.run('browser.load', bass, {}), 'INVALID')


def c_system_ping(t, h):
    r = t.assertOk(h.run('system.ping'))
    t.assertEqual(r['value'], {'epoch': h.inst.epoch})


def c_song_set_quantization(t, h):
    r = t.assertOk(h.run('song.set_quantization', args={'value': '1/4'}))
    t.assertEqual(r['value'], '1/4')
    t.assertEqual(int(h.song.clip_trigger_quantization), 7)
    t.assertEqual(h.ent('song').props['quantization'], '1/4')
    t.assertEqual(r['rev'], h.ent('song').rev)
    t.assertOk(h.run('song.set_quantization', args={'value': 'None'}))
    t.assertEqual(int(h.song.clip_trigger_quantization), 0)
    t.assertErr(h.run('song.set_quantization', args={'value': '3 Bars'}), 'INVALID')


def empty_slot(h, track_name):
    for s in h.ent(track(h, track_name)).props['clipSlots']:
        if not h.ent(s).props['hasClip']:
            return s
    raise AssertionError('no empty slot on %s' % track_name)


def c_clip_slot_record(t, h):
    s = empty_slot(h, 'Bass')
    # Not armed: refused, nothing recorded.
    e = t.assertErr(h.run('clip_slot.record', s), 'LIVE_ERROR')
    t.assertIn('not armed', e['error']['message'])
    t.assertFalse(h.ent(s).props['hasClip'])
    t.assertOk(h.run('track.set_arm', track(h, 'Bass'), {'value': True}))
    # With the transport stopped it starts at once (Live starts playing), and records until fired again.
    r = t.assertOk(h.run('clip_slot.record', s))
    t.assertIn(r['value'], ('recording', 'triggered'))
    beat_ms = 60000.0 / h.song.tempo
    h.advance(beat_ms * 6)
    t.assertEqual(h.ent(s).props['state'], 'recording')
    clip = h.ent(s).props['clipId']
    t.assertTrue(live(h, clip).is_recording)
    t.assertErr(h.run('clip_slot.record', s), 'LIVE_ERROR')   # it holds a clip now
    t.assertOk(h.run('clip_slot.fire', s))
    h.advance(beat_ms * 5)
    t.assertFalse(live(h, clip).is_recording)
    t.assertEqual(h.ent(s).props['state'], 'playing')
    t.assertErr(h.run('clip_slot.record', h.ent(track(h, 'Rhythm')).props['clipSlots'][0]), 'LIVE_ERROR')


def c_device_get_banks(t, h):
    bass_synth = h.ent(track(h, 'Bass')).props['devices'][0]
    r = t.assertOk(h.run('device.get_banks', bass_synth))
    v = r['value']
    t.assertEqual(v['source'], 'live')
    t.assertEqual([b['name'] for b in v['banks']], ['Oscillators', 'Filter & Envelope'])
    names = lambda b: [h.ent(p).props['name'] if p else None for p in b['params']]
    t.assertEqual(names(v['banks'][0])[:3], ['Algorithm', 'Osc-A Level', 'Osc-B Level'])
    t.assertEqual(names(v['banks'][1])[3], None)   # the table leaves that knob empty
    for b in v['banks']:
        t.assertEqual(len(b['params']), 8)
    # A rack Live has no table for: its macros, then the rest eight at a time.
    kit = device(h, 'Drums', '808 Core Kit')
    v = t.assertOk(h.run('device.get_banks', kit))['value']
    t.assertEqual(v['source'], 'default')
    t.assertEqual(v['banks'][0]['params'][:8], h.ent(kit).props['macros'][:8])
    t.assertTrue(v['banks'][0]['name'].startswith('Macros'))
    # A device with no table: its parameters in order, the on/off switch left out.
    glue = device(h, 'Rhythm', 'Glue Compressor')
    v = t.assertOk(h.run('device.get_banks', glue))['value']
    params = h.ent(glue).props['params']
    t.assertEqual(v['banks'][0]['params'], (params[1:9] + [None] * 8)[:8])
    t.assertEqual(v['banks'][0]['name'], 'Parameters 1\u2013%d' % min(8, len(params) - 1))


CASES = {
    'transport.play': c_transport_play,
    'transport.stop': c_transport_stop,
    'transport.continue': c_transport_continue,
    'transport.set_position': c_transport_set_position,
    'song.set_tempo': c_song_set_tempo,
    'song.tap_tempo': c_song_tap_tempo,
    'song.set_time_signature': c_song_set_time_signature,
    'song.set_metronome': _song_bool('song.set_metronome', 'metronome', 'metronome'),
    'song.set_loop': _song_bool('song.set_loop', 'loop', 'loop'),
    'song.set_loop_region': c_song_set_loop_region,
    'song.set_record': _song_bool('song.set_record', 'record_mode', 'record'),
    'song.set_overdub': _song_bool('song.set_overdub', 'arrangement_overdub', 'overdub'),
    'song.set_session_record': _song_bool('song.set_session_record', 'session_record', 'sessionRecord'),
    'song.set_crossfader': c_song_set_crossfader,
    'song.undo': c_song_undo,
    'song.redo': c_song_redo,
    'song.capture_midi': c_song_capture_midi,
    'song.stop_all_clips': c_song_stop_all_clips,
    'song.set_or_delete_cue': c_song_set_or_delete_cue,
    'song.jump_to_next_cue': c_song_jump_to_next_cue,
    'song.jump_to_prev_cue': c_song_jump_to_prev_cue,
    'cue_point.jump': c_cue_point_jump,
    'cue_point.rename': c_cue_point_rename,
    'track.create_midi': c_track_create_midi,
    'track.create_audio': c_track_create_audio,
    'track.create_return': c_track_create_return,
    'track.delete': c_track_delete,
    'track.duplicate': c_track_duplicate,
    'track.rename': c_track_rename,
    'track.set_color': c_track_set_color,
    'track.set_fold': c_track_set_fold,
    'track.set_arm': c_track_set_arm,
    'track.set_mute': c_track_set_mute,
    'track.set_solo': c_track_set_solo,
    'track.set_monitoring': c_track_set_monitoring,
    'track.set_volume': c_track_set_volume,
    'track.set_pan': c_track_set_pan,
    'track.set_send': c_track_set_send,
    'track.set_crossfade_assign': c_track_set_crossfade_assign,
    'track.stop_clips': c_track_stop_clips,
    'track.select': c_track_select,
    'clip_slot.fire': c_clip_slot_fire,
    'clip_slot.stop': c_clip_slot_stop,
    'clip_slot.create_clip': c_clip_slot_create_clip,
    'clip_slot.delete_clip': c_clip_slot_delete_clip,
    'clip_slot.duplicate_clip_to': c_clip_slot_duplicate_clip_to,
    'clip.fire': c_clip_fire,
    'clip.stop': c_clip_stop,
    'clip.rename': c_clip_rename,
    'clip_slot.record': c_clip_slot_record,
    'song.set_quantization': c_song_set_quantization,
    'device.get_banks': c_device_get_banks,
    'clip.set_color': c_clip_set_color,
    'clip.set_looping': c_clip_set_looping,
    'clip.set_loop': c_clip_set_loop,
    'clip.set_length': c_clip_set_length,
    'clip.duplicate_loop': c_clip_duplicate_loop,
    'clip.get_notes': c_clip_get_notes,
    'clip.add_notes': c_clip_add_notes,
    'clip.remove_notes': c_clip_remove_notes,
    'clip.replace_notes': c_clip_replace_notes,
    'scene.fire': c_scene_fire,
    'scene.create': c_scene_create,
    'scene.delete': c_scene_delete,
    'scene.duplicate': c_scene_duplicate,
    'scene.rename': c_scene_rename,
    'scene.set_color': c_scene_set_color,
    'scene.set_tempo': c_scene_set_tempo,
    'device.get': c_device_get,
    'device.set_active': c_device_set_active,
    'device.set_macro': c_device_set_macro,
    'device.delete': c_device_delete,
    'track.list_devices': c_track_list_devices,
    'parameter.set': c_parameter_set,
    'parameter.get': c_parameter_get,
    'browser.search': c_browser_search,
    'browser.load': c_browser_load,
    'system.ping': c_system_ping,
    'clip_slot.create_audio_clip': c_clip_slot_create_audio_clip,
    'song.list_audio_files': c_song_list_audio_files,
}


class CatalogueTest(unittest.TestCase):
    def test_handlers_match_the_catalogue_both_ways(self):
        cat = catalogue()
        self.assertEqual(len(cat), 80)
        self.assertEqual(set(actions.HANDLERS), set(cat))
        self.assertEqual(set(CASES), set(cat), 'every action has a case in this file')

    def test_specs_agree_with_the_catalogue(self):
        for name, c in catalogue().items():
            spec = actions.SPECS[name]
            self.assertEqual(spec.target, c['target'], name)
            self.assertEqual(spec.mode, c['mode'], name)
            self.assertEqual(spec.prop, c['prop'], name)

    def test_protocol_module(self):
        self.assertEqual(protocol.PROTOCOL_VERSION, 1)
        with open(os.path.join(os.path.dirname(simpath.ROOT), 'protocol', 'errors.ts')) as f:
            codes = re.findall(r'^  ([A-Z_]+): \{ status', f.read(), re.M)
        self.assertEqual(list(protocol.ERROR_CODES), codes)
        self.assertEqual(protocol.SCRIPT_LINE_LIMIT, 8 * 1024 * 1024)
        self.assertEqual(protocol.DEFAULT_SCRIPT_PORT, 47800)


def _make_version_test(version):
    class T(unittest.TestCase):
        VERSION = version

        def assertOk(self, result, msg=None):
            self.assertIsNotNone(result, msg)
            self.assertTrue(result.get('ok'), '%s: %r' % (msg or 'expected ok', result))
            return result

        def assertErr(self, result, code, msg=None):
            self.assertIsNotNone(result, msg)
            self.assertFalse(result.get('ok'), '%s: %r' % (msg or 'expected %s' % code, result))
            self.assertEqual(result['error']['code'], code, result)
            return result

        def test_every_action(self):
            for name in sorted(CASES):
                with self.subTest(action=name, live=version):
                    h = Harness(version)
                    try:
                        CASES[name](self, h)
                        internal = [r for m in h.sent('results') for r in m['results']
                                    if not r['ok'] and r['error']['code'] == 'INTERNAL']
                        self.assertEqual(internal, [], name)
                    finally:
                        h.close()
    T.__name__ = T.__qualname__ = 'Actions_%s' % version.replace('.', '_')
    return T


Actions_11_0_0 = _make_version_test('11.0.0')
Actions_12_0_5 = _make_version_test('12.0.5')
Actions_12_3_6 = _make_version_test('12.3.6')


if __name__ == '__main__':
    unittest.main()
