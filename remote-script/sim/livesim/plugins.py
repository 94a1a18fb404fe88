"""Third-party plug-ins: devices with 500 to 1,000 parameters each.

Live hands a plug-in's parameters to scripts as plain DeviceParameters ("Device On"
first); big synths and effect suites expose hundreds (AbletonOSC #92 asks for paging
because of them). The models below are made up, but shaped like real ones: sections of
numbered controls, a modulation matrix, a few stepped controls. Every instance gets its
own parameter count, order of sections and values, so that no two read alike.
"""
from . import params as P

# name -> (class_name, device type, (min, max) parameter count, sections)
# a section: (label pattern, how many, [per-item controls]); '%d' is the item number
MODELS = {
    'Nebula Synth': ('Vst3PluginDevice', 'instrument', (880, 1000), [
        ('Osc %d', 4, ['Wave', 'Level', 'Pan', 'Coarse', 'Fine', 'Unison', 'Detune', 'Blend', 'Phase', 'Warp',
                       'Warp Amt', 'Sub Mix']),
        ('Filter %d', 2, ['Type', 'Cutoff', 'Resonance', 'Drive', 'Key Track', 'Env Amt', 'Mix', 'Pan']),
        ('Env %d', 6, ['Attack', 'Hold', 'Decay', 'Sustain', 'Release', 'A Curve', 'D Curve', 'R Curve']),
        ('LFO %d', 8, ['Rate', 'Sync', 'Shape', 'Phase', 'Delay', 'Rise', 'Smooth', 'Amount']),
        ('Mod %d', 64, ['Source', 'Amount', 'Destination', 'Curve', 'Aux']),
        ('FX %d', 9, ['On', 'Mix', 'Param A', 'Param B', 'Param C', 'Param D', 'Param E', 'Param F']),
        ('Macro %d', 16, ['Value']),
    ]),
    'Orbit Reverb': ('PluginDevice', 'audio_effect', (500, 580), [
        ('Early %d', 24, ['Time', 'Level', 'Pan', 'Filter']),
        ('Tap %d', 48, ['Time', 'Level', 'Pan', 'Feedback', 'Tone', 'Mod', 'Spread']),
        ('Band %d', 8, ['Freq', 'Gain', 'Q', 'Decay Mult', 'On']),
        ('Global', 1, ['Size', 'Decay', 'Predelay', 'Density', 'Diffusion', 'Mix', 'Width', 'Freeze',
                       'Ducking', 'Gate', 'Input', 'Output']),
    ]),
    'Prism Multiband': ('Vst3PluginDevice', 'audio_effect', (600, 720), [
        ('Band %d', 6, ['Freq', 'Slope', 'Threshold', 'Ratio', 'Attack', 'Release', 'Knee', 'Range', 'Gain',
                        'Solo', 'Mute', 'Bypass', 'Lookahead', 'Mode', 'Sidechain', 'Mix', 'Width', 'Pan',
                        'Drive', 'Character']),
        ('Dyn %d', 24, ['Threshold', 'Ratio', 'Attack', 'Release', 'Gain', 'Knee', 'Range', 'Mix', 'Listen',
                        'Mode', 'Detect', 'Hold', 'Link', 'Shape', 'Tilt', 'Freq', 'Q', 'Target', 'Sens',
                        'Smooth']),
        ('Out', 1, ['Gain', 'Ceiling', 'Dither', 'Mix', 'Oversampling', 'Latency']),
    ]),
    'Forge Channel': ('AuPluginDevice', 'audio_effect', (500, 540), [
        ('EQ %d', 12, ['On', 'Type', 'Freq', 'Gain', 'Q', 'Mid/Side', 'Dyn Thresh', 'Dyn Range',
                       'Dyn Attack', 'Dyn Release']),
        ('Comp %d', 4, ['Threshold', 'Ratio', 'Attack', 'Release', 'Knee', 'Makeup', 'Mix', 'SC Filter',
                        'SC Freq', 'Link', 'Mode', 'Lookahead']),
        ('Sat %d', 4, ['Drive', 'Tone', 'Mix', 'Bias', 'Type', 'Output']),
        ('Send %d', 32, ['Level', 'Pan', 'Pre', 'Mute', 'Filter', 'Width', 'Delay', 'Polarity', 'Mono', 'Route']),
    ]),
    'Lattice Sampler': ('Vst3PluginDevice', 'instrument', (700, 820), [
        ('Zone %d', 32, ['Root', 'Low Key', 'High Key', 'Low Vel', 'High Vel', 'Start', 'Loop Start',
                         'Loop End', 'Xfade', 'Gain', 'Pan', 'Tune', 'Filter', 'Res', 'Env', 'Group']),
        ('Group %d', 8, ['Volume', 'Pan', 'Mute', 'Solo', 'Choke', 'Voices', 'Glide', 'Bend', 'Output',
                         'FX Send']),
        ('Mod %d', 32, ['Source', 'Amount', 'Destination']),
    ]),
}

STEPPED = ('Type', 'Wave', 'Mode', 'Slope', 'Sync', 'Shape', 'Source', 'Destination', 'Oversampling', 'Route',
           'Detect', 'Target', 'Group', 'Choke', 'Voices')


def _control(rng, label, control):
    name = '%s %s' % (label, control) if control else label
    if control in ('On', 'Solo', 'Mute', 'Bypass', 'Pre', 'Polarity', 'Mono', 'Freeze', 'Listen', 'Link', 'Gate'):
        return P.onoff(name, 1.0 if control == 'On' else 0.0)
    if control in STEPPED:
        n = rng.randint(3, 24)
        items = ['%s %d' % (control, i + 1) for i in range(n)]
        v = rng.randrange(n)
        return P.choice(name, items, v, 0)
    # plug-ins show 0..1 to Live; the display string is the plug-in's own
    return P.pct(name, round(rng.random(), 4), 0.5)


def plugin_spec(rng, model):
    """A fresh plug-in instance: its own count (within the model's range) and values."""
    class_name, dtype, (lo, hi), sections = MODELS[model]
    want = rng.randint(lo, hi) - 1   # "Device On" comes first
    ps = [P.device_on()]
    order = list(sections)
    # the first section stays first (a plug-in's main page), the rest in this instance's order
    rest = order[1:]
    rng.shuffle(rest)
    order = order[:1] + rest
    while len(ps) - 1 < want:
        for pattern, count, controls in order:
            for i in range(1, count + 1):
                label = pattern % i if '%d' in pattern else pattern
                for control in controls:
                    if len(ps) - 1 >= want:
                        break
                    ps.append(_control(rng, label, control))
            if len(ps) - 1 >= want:
                break
        # a plug-in bigger than its sections repeats them as a second page
        order = [(p + ' B' if '%d' not in p else p.replace('%d', 'B%d'), c, k) for p, c, k in order]
    category = 'instruments' if dtype == 'instrument' else 'audio_effects'
    return P.DeviceSpec(model, class_name, model, dtype, ps, live_class='PluginDevice.PluginDevice',
                        category=category)
