"""The heavy set: what a studio's real session looks like (`run.py --set heavy`).

108 tracks in eight sections with groups nested three deep, 12 returns, 64 scenes,
clips on most slots, 600+ devices on the tracks (more inside racks): Live's own devices
with their real parameter lists (full_devices), drum racks whose 16 pads are chains
with devices, instrument racks holding effect racks, and third-party plug-ins with
500 to 1,000 parameters each (plugins). Well over 40,000 parameters in all.

Nothing repeats exactly: every device is its own instance with its own values, plug-ins
differ in size, tracks carry different chains, clips differ in length and notes, so a
script that caches one device or one track learns nothing about the next.
"""
import random

from . import model as M
from . import params as P
from . import full_devices as F
from . import plugins as PL
from .model import MidiNote

SCENE_PARTS = ['Intro', 'Verse', 'Pre', 'Chorus', 'Post', 'Break', 'Bridge', 'Drop', 'Build', 'Outro']
RETURNS = [('Plate', 'Reverb'), ('Hall', 'Reverb'), ('Room', 'Reverb'), ('Slap', 'Delay'), ('Quarter', 'Delay'),
           ('Dotted', 'Delay'), ('Chorus', 'Chorus-Ensemble'), ('Parallel', 'Compressor'), ('Crush', 'Saturator'),
           ('Space', 'Orbit Reverb'), ('Filter', 'Auto Filter'), ('Width', 'Utility')]
PAD_NAMES = ['Kick', 'Kick 2', 'Snare', 'Snare 2', 'Clap', 'Rim', 'Closed Hat', 'Pedal Hat', 'Open Hat', 'Ride',
             'Crash', 'Tom Low', 'Tom Mid', 'Tom High', 'Shaker', 'Tamb']

# (section, colour, [(name, kind, depth, role)]): depth 1 sits in the section's group,
# 2 in a sub-group, 3 in a sub-sub-group (groups nested three deep).
SECTIONS = [
    ('Drums', 0xFF3636, [
        ('Kit', 'group', 1, None), ('Kick Bus', 'group', 2, None),
        ('Kick In', 'audio', 3, 'drum'), ('Kick Out', 'audio', 3, 'drum'), ('Sub Kick', 'audio', 3, 'drum'),
        ('Snare Bus', 'group', 2, None), ('Snare Top', 'audio', 3, 'drum'), ('Snare Bottom', 'audio', 3, 'drum'),
        ('Hats', 'audio', 2, 'drum'), ('Tom 1', 'audio', 2, 'drum'), ('Tom 2', 'audio', 2, 'drum'),
        ('Floor Tom', 'audio', 2, 'drum'), ('OH L', 'audio', 2, 'drum'), ('OH R', 'audio', 2, 'drum'),
        ('Room L', 'audio', 2, 'drum'), ('Room R', 'audio', 2, 'drum'),
        ('Programmed', 'group', 1, None), ('Drum Machine', 'midi', 2, 'kit'), ('808 Kit', 'midi', 2, 'kit'),
        ('Break Kit', 'midi', 2, 'kit'), ('Perc Kit', 'midi', 2, 'kit'), ('Loop 1', 'audio', 2, 'loop'),
        ('Loop 2', 'audio', 2, 'loop'), ('Fill Loop', 'audio', 2, 'loop')]),
    ('Perc', 0xFFA529, [
        ('Shaker', 'audio', 1, 'perc'), ('Tambourine', 'audio', 1, 'perc'), ('Congas', 'audio', 1, 'perc'),
        ('Bongos', 'audio', 1, 'perc'), ('Cowbell', 'midi', 1, 'kit'), ('Claps', 'midi', 1, 'kit'),
        ('Perc FX', 'audio', 1, 'fx')]),
    ('Bass', 0xFFF034, [
        ('Bass DI', 'audio', 1, 'bass'), ('Bass Amp', 'audio', 1, 'bass'), ('Synth Bass', 'group', 1, None),
        ('Sub', 'midi', 2, 'synth'), ('Reese', 'midi', 2, 'synth'), ('Pluck Bass', 'midi', 2, 'synth'),
        ('Bass Layers', 'group', 2, None), ('Layer Low', 'midi', 3, 'synth'), ('Layer Mid', 'midi', 3, 'synth'),
        ('Layer Top', 'midi', 3, 'synth')]),
    ('Keys', 0x87FF67, [
        ('Piano L', 'audio', 1, 'keys'), ('Piano R', 'audio', 1, 'keys'), ('Rhodes', 'midi', 1, 'keys'),
        ('Wurli', 'midi', 1, 'keys'), ('Organ', 'midi', 1, 'keys'), ('Clav', 'midi', 1, 'keys'),
        ('Keys Stack', 'group', 1, None), ('Stack Piano', 'midi', 2, 'keys'), ('Stack Pad', 'midi', 2, 'synth'),
        ('Stack Bell', 'midi', 2, 'synth'), ('Celesta', 'midi', 1, 'keys'), ('Harpsichord', 'midi', 1, 'keys')]),
    ('Synths', 0x00BFAF, [
        ('Pads', 'group', 1, None), ('Pad Warm', 'midi', 2, 'synth'), ('Pad Air', 'midi', 2, 'synth'),
        ('Pad Dark', 'midi', 2, 'synth'), ('Pad Shimmer', 'midi', 2, 'synth'), ('Leads', 'group', 1, None),
        ('Lead Saw', 'midi', 2, 'synth'), ('Lead Square', 'midi', 2, 'synth'), ('Lead Stack', 'group', 2, None),
        ('Lead Octave', 'midi', 3, 'synth'), ('Lead Fifth', 'midi', 3, 'synth'), ('Arp 1', 'midi', 1, 'synth'),
        ('Arp 2', 'midi', 1, 'synth'), ('Seq', 'midi', 1, 'synth'), ('Stabs', 'midi', 1, 'synth'),
        ('Plucks', 'midi', 1, 'synth'), ('Sampler Keys', 'midi', 1, 'sampler'), ('Chops', 'midi', 1, 'sampler')]),
    ('Guitars', 0x10A4EE, [
        ('Gtr Rhythm L', 'audio', 1, 'gtr'), ('Gtr Rhythm R', 'audio', 1, 'gtr'), ('Gtr Lead', 'audio', 1, 'gtr'),
        ('Gtr Clean', 'audio', 1, 'gtr'), ('Acoustic', 'audio', 1, 'gtr'), ('Acoustic DI', 'audio', 1, 'gtr'),
        ('Gtr FX', 'group', 1, None), ('Swell', 'audio', 2, 'gtr'), ('Feedback', 'audio', 2, 'gtr'),
        ('Slide', 'audio', 1, 'gtr')]),
    ('Vocals', 0xE553A0, [
        ('Lead Vox', 'audio', 1, 'vox'), ('Lead Dbl', 'audio', 1, 'vox'), ('Adlibs', 'audio', 1, 'vox'),
        ('BV Bus', 'group', 1, None), ('BV 1', 'audio', 2, 'vox'), ('BV 2', 'audio', 2, 'vox'),
        ('BV 3', 'audio', 2, 'vox'), ('BV 4', 'audio', 2, 'vox'), ('Choir', 'group', 2, None),
        ('Choir S', 'audio', 3, 'vox'), ('Choir A', 'audio', 3, 'vox'), ('Choir T', 'audio', 3, 'vox'),
        ('Choir B', 'audio', 3, 'vox'), ('Vox Chops', 'midi', 1, 'sampler'), ('Talkbox', 'audio', 1, 'vox')]),
    ('FX', 0xA9A9A9, [
        ('Risers', 'audio', 1, 'fx'), ('Downers', 'audio', 1, 'fx'), ('Impacts', 'audio', 1, 'fx'),
        ('Noise', 'midi', 1, 'synth'), ('Atmos', 'audio', 1, 'fx'), ('Strings', 'midi', 1, 'orch'),
        ('Brass', 'midi', 1, 'orch'), ('Woodwinds', 'midi', 1, 'orch'), ('Timpani', 'midi', 1, 'orch'),
        ('Harp', 'midi', 1, 'orch')]),
]

N_SCENES = 64
AUDIO_FX = ['Saturator', 'Utility', 'Auto Filter', 'Glue Compressor', 'Delay', 'Chorus-Ensemble']


class _Maker(object):
    def __init__(self, world):
        self.world = world
        self.rng = random.Random(7919)
        self.lib = P.library()
        self.major = world.major
        self.plugins = 0

    def full(self, name):
        return F.BUILDERS[name](self.rng)

    def lib_device(self, name):
        # the small library devices, each instance with values of its own
        base = self.lib[name]
        rng = self.rng
        ps = [p if p.quantized or p.name == 'Device On'
              else p.with_value(min(p.max, max(p.min, p.value + (rng.random() - 0.5) * (p.max - p.min) * 0.2)))
              for p in base.params]
        return P.DeviceSpec(base.name, base.class_name, base.display_name, base.type, ps, base.live_class, None,
                            base.category)

    def plugin(self, model=None):
        self.plugins += 1
        model = model or sorted(PL.MODELS)[self.plugins % len(PL.MODELS)]
        return PL.plugin_spec(self.rng, model)

    def drum_rack(self, name):
        chains = []
        for i, pad in enumerate(PAD_NAMES):
            devs = [F.simpler(self.rng, pad)]
            if i % 3 == 0:
                devs.append(self.full('Compressor'))
            if i % 4 == 1:
                devs.append(self.full('EQ Eight'))
            chains.append((pad, P.PALETTE[(i * 5) % 70], devs))
        return P.rack_spec(name, 'DrumGroupDevice', 'instrument',
                           ['Kick Tune', 'Snare Tone', 'Hat Decay', 'Room', 'Drive', 'Pitch', 'Swing', 'Volume'],
                           chains, self.major, category='drums')

    def instrument_rack(self, name):
        fx_rack = P.rack_spec('%s FX' % name, 'AudioEffectGroupDevice', 'audio_effect', ['Drive', 'Space'],
                              [('Dry', 0x3C3C3C, [self.full('EQ Eight')]),
                               ('Wet', 0x5480E4, [self.full('Reverb'), self.full('Compressor')])], self.major)
        chains = [('Layer A', 0x1AFF2F, [self.full('Operator'), fx_rack]),
                  ('Layer B', 0x5CFFE8, [self.full('Wavetable'), self.full('EQ Eight')])]
        if self.rng.random() < 0.5:
            chains.append(('Layer C', 0xD86CE4, [self.full('Simpler')]))
        return P.rack_spec(name, 'InstrumentGroupDevice', 'instrument',
                           ['Cutoff', 'Res', 'Attack', 'Release', 'Detune', 'Width', 'Verb', 'Volume'], chains,
                           self.major, category='instruments')

    def chain_for(self, kind, role, name):
        rng = self.rng
        out = []
        if kind == 'group':
            out = [self.lib_device('Glue Compressor'), self.full('EQ Eight')]
            if rng.random() < 0.4:
                out.append(self.lib_device('Utility'))
            return out
        if kind == 'midi':
            if role == 'kit':
                out.append(self.drum_rack('%s Rack' % name))
            elif role == 'sampler':
                out.append(self.plugin('Lattice Sampler') if rng.random() < 0.5 else self.full('Simpler'))
            elif role == 'orch':
                out.append(self.plugin('Lattice Sampler'))
            elif role == 'keys':
                out.append(self.instrument_rack('%s Rack' % name) if rng.random() < 0.3 else self.full('Operator'))
            else:
                pick = rng.random()
                if pick < 0.3:
                    out.append(self.plugin('Nebula Synth'))
                elif pick < 0.55:
                    out.append(self.full('Wavetable'))
                elif pick < 0.8:
                    out.append(self.full('Operator'))
                else:
                    out.append(self.instrument_rack('%s Rack' % name))
            if rng.random() < 0.3:
                out.insert(0, self.lib_device('Arpeggiator' if role == 'synth' else 'Velocity'))
        out.append(self.full('EQ Eight'))
        out.append(self.full('Compressor'))
        extra = rng.randint(2, 4)
        for _ in range(extra):
            r = rng.random()
            if r < 0.2:
                out.append(self.plugin(rng.choice(['Prism Multiband', 'Forge Channel', 'Orbit Reverb'])))
            elif r < 0.35:
                out.append(self.full('Reverb'))
            else:
                out.append(self.lib_device(rng.choice(AUDIO_FX)))
        return out


def _notes(rng, bars, kind):
    notes = []
    root = rng.choice([36, 38, 40, 41, 43, 45, 47])
    per_bar = rng.randint(2, 8)
    for bar in range(bars):
        for i in range(per_bar):
            t = bar * 4.0 + (i * 4.0 / per_bar)
            pitch = root + (rng.choice([0, 3, 5, 7, 10, 12]) if kind != 'kit' else rng.randint(0, 15))
            notes.append(MidiNote(pitch, t, 4.0 / per_bar * 0.9, rng.randint(70, 120)))
    return notes


def build(world, song):
    mk = _Maker(world)
    rng = mk.rng
    song._p['tempo'] = 124.0
    song._p['name'] = 'Roomtone Heavy Session'
    song._p['loop_start'] = 32.0
    song._p['loop_length'] = 64.0
    for i in range(N_SCENES):
        part = SCENE_PARTS[(i // 4) % len(SCENE_PARTS)]
        song._scenes.append(world._make('Scene.Scene', song, '%s %d' % (part, i % 4 + 1),
                                        P.PALETTE[(i * 3) % 70]))
    n_scenes = len(song._scenes)
    for i in (8, 24, 40, 56):
        song._scenes[i]._p['tempo'] = 124.0 + (i % 3)
        song._scenes[i]._p['tempo_enabled'] = True
    n_returns = len(RETURNS)

    def track(kind, name, color, group):
        t = world._make('Track.Track', song, {'midi': M.MIDI, 'audio': M.AUDIO, 'group': M.GROUP}[kind], name,
                        color, n_scenes, n_returns)
        t._group = group
        t._mixer._volume._p['value'] = round(0.55 + 0.35 * rng.random(), 3)
        t._mixer._panning._p['value'] = round(rng.uniform(-0.6, 0.6), 2) if rng.random() < 0.6 else 0.0
        for j, s in enumerate(t._mixer._sends):
            s._p['value'] = round(rng.random() * 0.5, 3) if rng.random() < 0.3 else 0.0
        song._tracks.append(t)
        return t

    for section, color, members in SECTIONS:
        top = track('group', section, color, None)
        for dev in mk.chain_for('group', None, section):
            top._devices.append(world._make_device(top, dev))
        parents = {0: top}
        for name, kind, depth, role in members:
            t = track(kind, name, P.PALETTE[(P.color_index(color) + depth * 3 + len(name)) % 70], parents[depth - 1])
            if kind == 'group':
                parents[depth] = t
            for dev in mk.chain_for(kind, role, name):
                t._devices.append(world._make_device(t, dev))
            if kind != 'group':
                _clips(world, t, kind, role, rng)

    returns = []
    for i, (name, dev) in enumerate(RETURNS):
        r = world._make('Track.Track', song, M.RETURN, '%s-%s' % (chr(ord('A') + i), name),
                        P.PALETTE[(i * 7 + 9) % 70], 0, n_returns)
        r._mixer._volume._p['value'] = 0.7
        main = mk.plugin(dev) if dev in PL.MODELS else (mk.full(dev) if dev in F.BUILDERS else mk.lib_device(dev))
        r._devices.append(world._make_device(r, main))
        r._devices.append(world._make_device(r, mk.full('EQ Eight')))
        returns.append(r)
    song._returns = returns
    song._disable_own_sends()
    master = world._make('Track.Track', song, M.MASTER, 'Master', 0x3C3C3C, 0, 0)
    for dev in (mk.lib_device('Glue Compressor'), mk.full('EQ Eight'), mk.plugin('Prism Multiband'),
                mk.lib_device('Utility')):
        master._devices.append(world._make_device(master, dev))
    song._master = master
    master._mixer._tempo._p['value'] = 124.0
    for i in range(12):
        song._add_cue('%s' % SCENE_PARTS[i % len(SCENE_PARTS)], i * 32.0)
    song._update_cue_flags()
    song._view._p['selected_track'] = song._tracks[1]
    song._view._p['selected_scene'] = song._scenes[0]
    song._update_solo()
    return song


def _clips(world, t, kind, role, rng):
    """Clips on most slots: a few scenes per track stay empty, lengths and notes vary."""
    fill = 0.7 + 0.25 * rng.random()
    for i, slot in enumerate(t._slots):
        if rng.random() > fill:
            continue
        bars = rng.choice([1, 2, 4, 4, 8])
        name = '%s %d' % (t._p['name'], i + 1)
        if kind == 'midi':
            c = world._make('Clip.Clip', slot, name, bars * 4.0, t._p['color'], True, '')
            for n in _notes(rng, bars, role):
                c._add_note(n)
            c._notes.sort(key=lambda n: (n._d['start_time'], n._d['pitch']))
        else:
            c = world._make('Clip.Clip', slot, name, bars * 4.0, t._p['color'], False,
                            '/Samples/Session/%s/%s %d.wav' % (t._p['name'], t._p['name'], i + 1))
        slot._clip = c
        slot._refresh()
