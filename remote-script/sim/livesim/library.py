"""A studio's browser library: 20,000+ items in nested folders (the heavy set's).

Shaped like Live's own: each instrument and effect with folders of presets, drum kits
and thousands of one-shot hits, a Sounds category by kind and character, plug-ins by
vendor. Names are made from word lists, deterministically, so searches find realistic
mixes ("Warm Pad", "Dusty Kick") and are the same from run to run.
"""
import random

from . import params as P
from . import plugins as PL

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote

ADJ = ['Warm', 'Dusty', 'Bright', 'Dark', 'Glassy', 'Soft', 'Hard', 'Vintage', 'Modern', 'Airy', 'Deep', 'Crisp',
       'Lush', 'Thin', 'Fat', 'Wide', 'Tight', 'Loose', 'Metallic', 'Wooden', 'Analog', 'Digital', 'Tape', 'Noisy',
       'Clean', 'Dirty', 'Sweet', 'Bitter', 'Hollow', 'Rich', 'Muted', 'Punchy', 'Smooth', 'Gritty', 'Shimmer',
       'Frozen', 'Burnt', 'Velvet', 'Neon', 'Rusty']
NOUNS = {
    'Bass': ['Bass', 'Sub', 'Reese', 'Wobble', 'Pluck Bass', 'Growl', 'Low End'],
    'Keys': ['Piano', 'EP', 'Organ', 'Clav', 'Keys', 'Celesta', 'Toy Piano'],
    'Lead': ['Lead', 'Solo', 'Whistle', 'Saw', 'Square', 'Hook', 'Line'],
    'Pad': ['Pad', 'Strings', 'Choir', 'Drone', 'Texture', 'Swell', 'Wash'],
    'Pluck': ['Pluck', 'Harp', 'Kalimba', 'Marimba', 'Bell', 'Stab', 'Blip'],
    'FX': ['Riser', 'Sweep', 'Impact', 'Noise', 'Zap', 'Glitch', 'Drop'],
    'Mallets': ['Vibes', 'Marimba', 'Glock', 'Xylo', 'Bells', 'Gamelan', 'Chimes'],
    'Brass': ['Horns', 'Trumpet', 'Brass Section', 'Trombone', 'Sax', 'Flugel', 'Tuba'],
    'Strings': ['Violin', 'Cello', 'Ensemble', 'Pizzicato', 'Viola', 'Tremolo', 'Spiccato'],
    'Synth Keys': ['Poly', 'Chord', 'Arp Keys', 'Juno Keys', 'Prophet', 'Stack', 'Stab Keys'],
    'Guitar': ['Guitar', 'Strum', 'Nylon', 'Steel', 'Muted Gtr', 'Twang', 'Ebow'],
    'Voices': ['Vox', 'Oohs', 'Aahs', 'Chant', 'Breath', 'Whisper', 'Hum'],
    'Percussive': ['Perc', 'Knock', 'Tick', 'Tok', 'Clonk', 'Snap', 'Shake'],
    'Winds': ['Flute', 'Clarinet', 'Oboe', 'Pan Pipe', 'Recorder', 'Ocarina', 'Bassoon'],
}
HIT_KINDS = ['Kick', 'Snare', 'Clap', 'Rim', 'Closed Hat', 'Open Hat', 'Ride', 'Crash', 'Tom', 'Shaker', 'Tambourine',
             'Conga', 'Bongo', 'Cowbell', 'Snap', 'Perc']
KIT_FOLDERS = ['Acoustic', 'Electronic', '808', '909', 'Lo-Fi', 'Hip Hop', 'House', 'Techno', 'Trap', 'Jazz', 'Rock',
               'World']
VENDORS = ['Aurora Audio', 'Blue Cedar', 'Cobalt DSP', 'Driftwood', 'Ember Labs', 'Fathom', 'Granite', 'Halcyon',
           'Iris Sound', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Obsidian', 'Pinegrove', 'Quasar',
           'Redwood', 'Solstice', 'Tidal', 'Umbra', 'Vesper', 'Willow', 'Xenon', 'Yarrow', 'Zephyr', 'Arcadia',
           'Boreal', 'Cirrus', 'Dune']


def _item(world, name, uri, children=None, spec=None, is_device=False):
    return world._make('Browser.BrowserItem', name, uri, children or [], spec, is_device)


def _preset_spec(base, name):
    return lambda major: P.preset(base, name, {})


def _name(rng, nouns, used):
    for _ in range(20):
        n = '%s %s' % (rng.choice(ADJ), rng.choice(nouns))
        if n not in used:
            used.add(n)
            return n
    n = '%s %s %d' % (rng.choice(ADJ), rng.choice(nouns), len(used))
    used.add(n)
    return n


def _preset_folders(world, rng, prefix, base, folders, per_folder, ext):
    out = []
    for folder in folders:
        used = set()
        items = []
        for i in range(per_folder):
            n = _name(rng, NOUNS.get(folder, [folder]), used)
            items.append(_item(world, '%s%s' % (n, ext), '%s:%s#%s' % (prefix, quote(folder), quote(n)),
                               spec=_preset_spec(base, n)))
        out.append(_item(world, folder, '%s:%s' % (prefix, quote(folder)), items))
    return out


def extend(world, roots):
    """Adds the large library to the small one's roots (browser_tree.build)."""
    rng = random.Random(4242)
    kinds = sorted(NOUNS)
    inst = list(roots['instruments']._children)
    for base in ('Operator', 'Wavetable', 'Analog', 'Electric', 'Simpler', 'Drift'):
        if base not in P.library() or (base == 'Drift' and world.major < 12):
            continue
        inst.append(_item(world, base + ' Presets', 'query:Synths#%s' % quote(base),
                          _preset_folders(world, rng, 'query:Synths#%s' % quote(base), base, kinds[:8], 90,
                                          '.adv')))
    roots['instruments']._children = inst
    fx = list(roots['audio_effects']._children)
    for base in ('Auto Filter', 'Chorus-Ensemble', 'Compressor', 'Delay', 'EQ Eight', 'Glue Compressor', 'Reverb',
                 'Saturator', 'Utility', 'Hybrid Reverb'):
        fx.append(_item(world, base + ' Presets', 'query:AudioFx#%s' % quote(base),
                        _preset_folders(world, rng, 'query:AudioFx#%s' % quote(base), base,
                                        ['Mixing', 'Creative', 'Mastering', 'Live'], 30, '.adv')))
    roots['audio_effects']._children = fx
    midi = list(roots['midi_effects']._children)
    for base in ('Arpeggiator', 'Chord', 'Note Length', 'Scale', 'Velocity'):
        midi.append(_item(world, base + ' Presets', 'query:MidiFx#%s' % quote(base),
                          _preset_folders(world, rng, 'query:MidiFx#%s' % quote(base), base,
                                          ['Patterns', 'Performance'], 25, '.adv')))
    roots['midi_effects']._children = midi
    drums = list(roots['drums']._children)
    fid = 20001
    for folder in KIT_FOLDERS:
        kits = []
        for i in range(40):
            name = '%s %s Kit %d' % (rng.choice(ADJ), folder, i + 1)
            kits.append(_item(world, name + '.adg', 'query:Drums#%s:FileId_%d' % (quote(folder), fid),
                              spec=(lambda n: (lambda major: P.drum_kit(n, major)))(name)))
            fid += 1
        drums.append(_item(world, folder + ' Kits', 'query:Drums#%s' % quote(folder), kits))
    hits = []
    for kind in HIT_KINDS:
        items = []
        used = set()
        for i in range(260):
            n = _name(rng, [kind], used)
            items.append(_item(world, '%s.wav' % n, 'query:Drums#Hits:%s:FileId_%d' % (quote(kind), fid),
                               spec=_preset_spec('Simpler', n)))
            fid += 1
        hits.append(_item(world, kind, 'query:Drums#Hits:%s' % quote(kind), items))
    drums.append(_item(world, 'Drum Hits', 'query:Drums#Hits', hits))
    roots['drums']._children = drums
    sounds = list(roots['sounds']._children)
    for kind in kinds:
        sub = []
        for character in ('Classic', 'Cinematic', 'Experimental', 'Lo-Fi', 'Modern', 'Vintage', 'Ambient', 'Big'):
            used = set()
            items = []
            for i in range(80):
                n = _name(rng, NOUNS[kind], used)
                base = rng.choice(['Operator', 'Wavetable', 'Analog', 'Electric', 'Simpler'])
                items.append(_item(world, '%s.adv' % n, 'query:Sounds#%s:%s:FileId_%d' % (quote(kind), quote(character),
                                                                                     fid),
                                   spec=_preset_spec(base, n)))
                fid += 1
            sub.append(_item(world, character, 'query:Sounds#%s:%s' % (quote(kind), quote(character)), items))
        sounds.append(_item(world, kind + ' Sounds', 'query:Sounds#%s' % quote(kind), sub))
    roots['sounds']._children = sounds
    vendors = []
    models = sorted(PL.MODELS)
    for v in VENDORS:
        formats = []
        for fmt in ('VST3', 'AU'):
            items = []
            for i in range(rng.randint(4, 9)):
                model = models[(i + len(v)) % len(models)]
                name = '%s %s' % (v.split()[0], model.split()[0] + (' %d' % (i + 1) if i else ''))
                seed = fid
                items.append(_item(world, name, 'query:Plugins#%s:%s:%d' % (fmt, quote(v), fid), is_device=True,
                                   spec=(lambda s, m: (lambda major: PL.plugin_spec(random.Random(s), m)))(seed, model)))
                fid += 1
            formats.append(_item(world, fmt, 'query:Plugins#%s:%s' % (fmt, quote(v)), items))
        vendors.append(_item(world, v, 'query:Plugins#%s' % quote(v), formats))
    roots['plugins']._children = vendors
    return roots


def count(item):
    """Items below `item` (folders included), without the slow_browser cost."""
    n = 0
    stack = list(item._children)
    while stack:
        x = stack.pop()
        n += 1
        stack.extend(x._children)
    return n
