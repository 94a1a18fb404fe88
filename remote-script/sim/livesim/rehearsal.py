"""Another small set ("Tuesday Rehearsal"): a band's live-room set, 96 BPM.

It exists so that opening another set is visible: other track names, other scenes,
other devices than the demo set. Five tracks, one return, four scenes.
"""
from . import model as M
from . import params as P
from .model import MidiNote


def build(world, song):
    lib = P.library()
    song._p['tempo'] = 96.0
    song._p['name'] = 'Tuesday Rehearsal'
    for name, color in (('Soundcheck', 0x3C3C3C), ('Song A', 0x5480E4), ('Song B', 0xFF3636), ('Jam', 0x87FF67)):
        song._scenes.append(world._make('Scene.Scene', song, name, color))
    n = len(song._scenes)

    def track(kind, name, color, volume):
        t = world._make('Track.Track', song, kind, name, color, n, 1)
        t._mixer._volume._p['value'] = volume
        song._tracks.append(t)
        return t

    kick = track(M.AUDIO, 'Kick Mic', 0xFF3636, 0.8)
    snare = track(M.AUDIO, 'Snare Mic', 0xFFA529, 0.78)
    bass = track(M.AUDIO, 'Bass DI', 0xFFF034, 0.75)
    keys = track(M.MIDI, 'Stage Keys', 0x87FF67, 0.7)
    vox = track(M.AUDIO, 'Vocal Mic', 0xE553A0, 0.82)
    for t, devs in ((kick, ['EQ Eight', 'Compressor']), (snare, ['EQ Eight', 'Compressor']),
                    (bass, ['Compressor', 'Saturator']), (keys, ['Electric', 'Chorus-Ensemble']),
                    (vox, ['EQ Eight', 'Compressor', 'Utility'])):
        for d in devs:
            t._devices.append(world._make_device(t, lib[d]))
    verb = world._make('Track.Track', song, M.RETURN, 'A-Room', 0x10A4EE, 0, 1)
    verb._devices.append(world._make_device(verb, lib['Reverb']))
    song._returns = [verb]
    song._disable_own_sends()
    master = world._make('Track.Track', song, M.MASTER, 'Master', 0x3C3C3C, 0, 0)
    master._devices.append(world._make_device(master, lib['Utility']))
    song._master = master
    master._mixer._tempo._p['value'] = 96.0
    for i, slot in enumerate(keys._slots[1:], 1):
        c = world._make('Clip.Clip', slot, 'Keys %d' % i, 8.0, 0x87FF67, True, '')
        for bar in range(2):
            for pitch in (57, 60, 64):
                c._add_note(MidiNote(pitch, bar * 4.0, 3.5, 80))
        slot._clip = c
        slot._refresh()
    song._view._p['selected_track'] = kick
    song._view._p['selected_scene'] = song._scenes[0]
    song._update_solo()
    return song
