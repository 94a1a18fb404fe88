"""The demo set: a small pop song in A minor at 120 BPM, 4/4.

Tracks: Rhythm (group: Drums, Perc), Bass, Keys, Pad, Lead, Guitar (audio), Vocals (audio),
FX (audio); returns A-Reverb and B-Delay; 8 scenes Intro .. End; cue points.
"""
from . import model as M
from . import params as P
from .model import MidiNote

# Live-like colours
RED, ORANGE, YELLOW, LIME, GREEN, AQUA, SKY, BLUE, VIOLET, PINK, GREY = (
    0xFF3636, 0xF66C03, 0xFFF034, 0x87FF67, 0x3DC300, 0x00BFAF, 0x10A4EE, 0x5480E4, 0x886CE4, 0xE553A0, 0xA9A9A9)

SCENES = [('Intro', 0x3C3C3C), ('Verse', 0x5480E4), ('Pre', 0x886CE4), ('Chorus', 0xFF3636),
          ('Bridge', 0xBFFB00), ('Chorus 2', 0xFF3636), ('Outro', 0x7B7B7B), ('End', 0x3C3C3C)]

PROGRESSION = [57, 53, 48, 55]   # Am F C G (roots)
CHORDS = {57: (0, 3, 7), 53: (0, 4, 7), 48: (0, 4, 7), 55: (0, 4, 7)}


def _drums(bars, fill=False, sparse=False):
    notes = []
    for bar in range(bars):
        b0 = bar * 4.0
        for beat in range(4):
            if not sparse or beat in (0, 2):
                notes.append(MidiNote(36, b0 + beat, 0.25, 110 if beat == 0 else 100))   # kick
            if beat in (1, 3) and not sparse:
                notes.append(MidiNote(38, b0 + beat, 0.25, 105))                      # snare
            for half in (0.0, 0.5):
                notes.append(MidiNote(42, b0 + beat + half, 0.125, 80 if half else 95))  # closed hat
        if fill and bar == bars - 1:
            for i in range(4):
                notes.append(MidiNote(38, b0 + 3 + i * 0.25, 0.125, 70 + i * 12))
    return notes


def _perc(bars):
    notes = []
    for bar in range(bars):
        for i in range(8):
            notes.append(MidiNote(39 if i % 4 == 2 else 37, bar * 4.0 + i * 0.5 + 0.25, 0.125, 60 + (i % 3) * 15))
    return notes


def _bass(bars, octave=-12, eighths=True):
    notes = []
    for bar in range(bars):
        root = PROGRESSION[bar % 4] + octave
        if eighths:
            for i in range(8):
                notes.append(MidiNote(root + (12 if i == 6 else 0), bar * 4.0 + i * 0.5, 0.45, 100 if i % 2 == 0 else 85))
        else:
            notes.append(MidiNote(root, bar * 4.0, 3.5, 100))
    return notes


def _chords(bars, rhythm=(0.0, 1.5, 2.5), dur=1.0, octave=12, vel=85):
    notes = []
    for bar in range(bars):
        root = PROGRESSION[bar % 4]
        for t in rhythm:
            for iv in CHORDS[root]:
                notes.append(MidiNote(root + octave + iv - 12, bar * 4.0 + t, dur, vel))
    return notes


def _pad(bars):
    notes = []
    for bar in range(bars):
        root = PROGRESSION[bar % 4]
        for iv in CHORDS[root] + (12,):
            notes.append(MidiNote(root + iv, bar * 4.0, 4.0, 70))
    return notes


def _lead(bars, phrase):
    notes = []
    for bar in range(bars):
        for t, pitch, dur in phrase:
            notes.append(MidiNote(pitch, bar * 4.0 + t, dur, 96))
    return notes


LEAD_A = [(0.0, 76, 0.5), (0.5, 74, 0.5), (1.0, 72, 1.0), (2.5, 69, 0.5), (3.0, 72, 1.0)]
LEAD_B = [(0.0, 81, 1.5), (1.5, 79, 0.5), (2.0, 76, 1.0), (3.0, 74, 1.0)]


def _clip(world, track, scene_index, name, bars, color=None, notes=None, audio_file=None):
    slot = track._slots[scene_index]
    c = world._make('Clip.Clip', slot, name, bars * 4.0, color if color is not None else track._p['color'],
                    audio_file is None, audio_file or '')
    for n in notes or []:
        c._add_note(n)
    c._notes.sort(key=lambda n: (n._d['start_time'], n._d['pitch']))
    slot._clip = c
    slot._refresh()
    return c


def _devices(world, track, specs):
    for s in specs:
        track._devices.append(world._make_device(track, s))


def build(world, song):
    major = world.major
    lib = P.library()
    song._p['tempo'] = 120.0
    song._p['name'] = 'Roomtone Demo'
    song._p['loop_start'] = 16.0
    song._p['loop_length'] = 32.0
    for name, color in SCENES:
        song._scenes.append(world._make('Scene.Scene', song, name, color))
    song._scenes[4]._p['tempo'] = 120.0          # Bridge carries a scene tempo
    song._scenes[4]._p['tempo_enabled'] = True
    n = len(song._scenes)

    def track(kind, name, color, volume=0.85, pan=0.0):
        t = world._make('Track.Track', song, kind, name, color, n, 2)
        t._mixer._volume._p['value'] = volume
        t._mixer._panning._p['value'] = pan
        song._tracks.append(t)
        return t

    rhythm = track(M.GROUP, 'Rhythm', RED, 0.85)
    drums = track(M.MIDI, 'Drums', RED, 0.85)
    perc = track(M.MIDI, 'Perc', ORANGE, 0.7, 0.15)
    drums._group = perc._group = rhythm
    bass = track(M.MIDI, 'Bass', YELLOW, 0.8)
    keys = track(M.MIDI, 'Keys', LIME, 0.72, -0.2)
    pad = track(M.MIDI, 'Pad', AQUA, 0.66)
    lead = track(M.MIDI, 'Lead', SKY, 0.75, 0.1)
    guitar = track(M.AUDIO, 'Guitar', VIOLET, 0.7, 0.3)
    vocals = track(M.AUDIO, 'Vocals', PINK, 0.82)
    fx = track(M.AUDIO, 'FX', GREY, 0.6, -0.1)

    # devices
    _devices(world, drums, [P.drum_kit('808 Core Kit', major), lib['Glue Compressor']])
    _devices(world, perc, [P.preset('Simpler', 'Shaker', {'Mode': 1.0}), lib['EQ Eight']])
    _devices(world, bass, [P.preset('Operator', 'Sub Bass', {'Algorithm': 10.0, 'Filter Freq': 0.45}),
                           lib['Compressor'], lib['EQ Eight']])
    _devices(world, keys, [lib['Electric'], lib['Chorus-Ensemble']])
    _devices(world, pad, [P.preset('Wavetable', 'Warm Pad', {'Amp Attack': 0.7, 'Amp Release': 0.75}),
                          lib['Auto Filter']])
    _devices(world, lead, [lib['Velocity'],
                           lib['Drift'] if major >= 12 else lib['Analog'], lib['Delay']])
    _devices(world, guitar, [lib['EQ Eight'], lib['Saturator'], lib['Compressor']])
    _devices(world, vocals, [lib['EQ Eight'], lib['Compressor'], lib['Utility']])
    _devices(world, fx, [lib['Auto Filter'], lib['Utility']])
    _devices(world, rhythm, [lib['Glue Compressor']])

    # sends
    for t, a, b in ((drums, 0.1, 0.0), (keys, 0.25, 0.1), (pad, 0.4, 0.0), (lead, 0.2, 0.3), (guitar, 0.15, 0.1),
                    (vocals, 0.35, 0.2), (fx, 0.3, 0.3)):
        t._mixer._sends[0]._p['value'] = a
        t._mixer._sends[1]._p['value'] = b

    # returns and master
    rev = world._make('Track.Track', song, M.RETURN, 'A-Reverb', 0x10A4EE, 0, 2)
    dly = world._make('Track.Track', song, M.RETURN, 'B-Delay', 0xFFA529, 0, 2)
    rev._mixer._volume._p['value'] = 0.7
    dly._mixer._volume._p['value'] = 0.65
    _devices(world, rev, [P.preset('Reverb', 'Reverb', {'Decay Time': 0.45}), lib['EQ Eight']])
    _devices(world, dly, [lib['Delay'], lib['EQ Eight']])
    song._returns = [rev, dly]
    song._disable_own_sends()
    master = world._make('Track.Track', song, M.MASTER, 'Master', 0x3C3C3C, 0, 0)
    _devices(world, master, [lib['Glue Compressor'], lib['EQ Eight'], lib['Utility']])
    song._master = master
    master._mixer._tempo._p['value'] = 120.0

    # clips: (track, scene, name, bars, notes or audio)
    D, V, PR, C, BR, C2, O, E = range(8)
    _clip(world, drums, D, 'Beat Intro', 4, notes=_drums(4, sparse=True))
    _clip(world, drums, V, 'Beat Verse', 4, notes=_drums(4))
    _clip(world, drums, PR, 'Beat Fill', 2, notes=_drums(2, fill=True))
    _clip(world, drums, C, 'Beat Chorus', 4, notes=_drums(4))
    _clip(world, drums, C2, 'Beat Chorus', 4, notes=_drums(4, fill=True))
    _clip(world, drums, O, 'Beat Outro', 4, notes=_drums(4, sparse=True))
    _clip(world, perc, V, 'Shaker', 2, notes=_perc(2))
    _clip(world, perc, C, 'Shaker', 2, notes=_perc(2))
    _clip(world, perc, BR, 'Perc Break', 4, notes=_perc(4))
    _clip(world, perc, C2, 'Shaker', 2, notes=_perc(2))
    _clip(world, bass, V, 'Bass Verse', 4, notes=_bass(4, eighths=False))
    _clip(world, bass, PR, 'Bass Pre', 4, notes=_bass(4))
    _clip(world, bass, C, 'Bass Chorus', 4, notes=_bass(4))
    _clip(world, bass, C2, 'Bass Chorus', 4, notes=_bass(4))
    _clip(world, bass, O, 'Bass Outro', 4, notes=_bass(4, eighths=False))
    _clip(world, keys, D, 'Keys Intro', 4, notes=_chords(4, rhythm=(0.0,), dur=3.5, vel=70))
    _clip(world, keys, V, 'Keys Verse', 4, notes=_chords(4))
    _clip(world, keys, C, 'Keys Chorus', 4, notes=_chords(4, rhythm=(0.0, 1.0, 2.0, 3.0), dur=0.5))
    _clip(world, keys, BR, 'Keys Bridge', 4, notes=_chords(4, rhythm=(0.0, 2.0), dur=1.5))
    _clip(world, keys, C2, 'Keys Chorus', 4, notes=_chords(4, rhythm=(0.0, 1.0, 2.0, 3.0), dur=0.5))
    _clip(world, pad, D, 'Pad Intro', 8, notes=_pad(8))
    _clip(world, pad, PR, 'Pad Swell', 4, notes=_pad(4))
    _clip(world, pad, BR, 'Pad Bridge', 8, notes=_pad(8))
    _clip(world, pad, O, 'Pad Outro', 8, notes=_pad(8))
    _clip(world, lead, C, 'Hook', 4, notes=_lead(4, LEAD_A))
    _clip(world, lead, BR, 'Counter', 4, notes=_lead(4, LEAD_B))
    _clip(world, lead, C2, 'Hook', 4, notes=_lead(4, LEAD_A))
    _clip(world, guitar, V, 'Gtr Verse', 4, audio_file='/Samples/Recorded/Gtr Verse.wav')
    _clip(world, guitar, C, 'Gtr Chorus', 4, audio_file='/Samples/Recorded/Gtr Chorus.wav')
    _clip(world, guitar, C2, 'Gtr Chorus', 4, audio_file='/Samples/Recorded/Gtr Chorus.wav')
    _clip(world, vocals, V, 'Vox Verse', 8, audio_file='/Samples/Recorded/Vox Verse.wav')
    _clip(world, vocals, PR, 'Vox Pre', 4, audio_file='/Samples/Recorded/Vox Pre.wav')
    _clip(world, vocals, C, 'Vox Chorus', 8, audio_file='/Samples/Recorded/Vox Chorus.wav')
    _clip(world, vocals, C2, 'Vox Chorus Dbl', 8, audio_file='/Samples/Recorded/Vox Chorus Dbl.wav')
    _clip(world, fx, PR, 'Riser', 4, audio_file='/Samples/Recorded/Riser.wav')
    _clip(world, fx, BR, 'Noise Sweep', 4, audio_file='/Samples/Recorded/Noise Sweep.wav')
    _clip(world, fx, E, 'Impact', 1, audio_file='/Samples/Recorded/Impact.wav')
    # a non-looping one-shot
    fx._slots[E]._clip._p['looping'] = False

    for name, t in (('Intro', 0.0), ('Verse', 16.0), ('Chorus', 48.0), ('Bridge', 80.0), ('Outro', 112.0)):
        song._add_cue(name, t)
    song._update_cue_flags()
    song._view._p['selected_track'] = drums
    song._view._p['selected_scene'] = song._scenes[0]
    drums._view._p['selected_device'] = drums._devices[0]
    song._update_solo()
    return song
