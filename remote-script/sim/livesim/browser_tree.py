"""The simulated browser: Live-like categories of loadable items."""
from . import params as P

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote


def _item(world, name, uri, children=None, spec=None, is_device=False):
    return world._make('Browser.BrowserItem', name, uri, children or [], spec, is_device)


def _device_items(world, prefix, names):
    lib = P.library()
    return [_item(world, n, 'query:%s#%s' % (prefix, quote(n)), spec=lib[n], is_device=True) for n in names]


SOUND_PRESETS = [
    ('Bass', [('Sub Bass', 'Operator', {'Algorithm': 10, 'Osc-B Level': 0.0, 'Filter Freq': 0.45}),
              ('Rubber Bass', 'Drift', {'LP Freq': 0.4, 'LP Reso': 0.45})]),
    ('Pad', [('Warm Pad', 'Wavetable', {'Amp Attack': 0.7, 'Amp Release': 0.75, 'Filter 1 Freq': 0.5}),
             ('Glass Pad', 'Wavetable', {'Osc 1 Pos': 0.8, 'Unison Amount': 0.6})]),
    ('Keys', [('Classic EP', 'Electric', {}), ('Bell Keys', 'Operator', {'Algorithm': 3, 'Tone': 0.9})]),
    ('Lead', [('Saw Lead', 'Analog', {'F1 Freq': 0.75}), ('Square Lead', 'Drift', {'Osc 1 Wave': 5})]),
]

KITS = ['808 Core Kit', 'Boom Bap Kit', 'Garage Kit', 'Acoustic Kit']


def build(world):
    lib = P.library()
    roots = {}
    inst = _device_items(world, 'Synths', ['Analog', 'Drift', 'Electric', 'Operator', 'Simpler', 'Wavetable']
                         if world.major >= 12 else ['Analog', 'Electric', 'Operator', 'Simpler', 'Wavetable'])
    inst.insert(0, _item(world, 'Drum Rack', 'query:Synths#Drum%20Rack', is_device=True,
                         spec=lambda major: P.rack_spec('Drum Rack', 'DrumGroupDevice', 'instrument', [], [], major)))
    inst.insert(1, _item(world, 'Instrument Rack', 'query:Synths#Instrument%20Rack', is_device=True,
                         spec=lambda major: P.rack_spec('Instrument Rack', 'InstrumentGroupDevice', 'instrument',
                                                        [], [], major)))
    roots['instruments'] = _item(world, 'Instruments', 'query:Synths', inst)
    fx = ['Auto Filter', 'Chorus-Ensemble', 'Compressor', 'Delay', 'EQ Eight', 'Glue Compressor', 'Hybrid Reverb',
          'Reverb', 'Saturator', 'Utility']
    roots['audio_effects'] = _item(world, 'Audio Effects', 'query:AudioFx', _device_items(world, 'AudioFx', fx))
    roots['midi_effects'] = _item(world, 'MIDI Effects', 'query:MidiFx', _device_items(
        world, 'MidiFx', ['Arpeggiator', 'Chord', 'Note Length', 'Scale', 'Velocity']))
    kits = []
    for i, k in enumerate(KITS):
        kits.append(_item(world, k + '.adg', 'query:Drums#FileId_%d' % (5001 + i),
                          spec=(lambda name: (lambda major: P.drum_kit(name, major)))(k)))
    roots['drums'] = _item(world, 'Drums', 'query:Drums', kits)
    folders = []
    fid = 7001
    for folder, presets in SOUND_PRESETS:
        items = []
        for pname, base, values in presets:
            items.append(_item(world, pname + '.adv', 'query:Sounds#%s:FileId_%d' % (quote(folder), fid),
                               spec=P.preset(base, pname, values)))
            fid += 1
        folders.append(_item(world, folder, 'query:Sounds#%s' % quote(folder), items))
    roots['sounds'] = _item(world, 'Sounds', 'query:Sounds', folders)
    roots['plugins'] = _item(world, 'Plug-Ins', 'query:Plugins', [])
    for key, name in (('max_for_live', 'Max for Live'), ('clips', 'Clips'), ('samples', 'Samples'),
                      ('packs', 'Packs'), ('user_library', 'User Library'), ('current_project', 'Current Project')):
        roots[key] = _item(world, name, 'query:%s' % name.replace(' ', ''), [])
    if getattr(world, 'library', 'small') == 'large':
        from . import library
        library.extend(world, roots)
    return roots
