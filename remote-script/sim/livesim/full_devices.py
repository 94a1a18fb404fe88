"""Live's own devices with every parameter Live gives a Remote Script.

The demo set's devices (params.library) carry a dozen parameters each, enough to show
a device panel. A studio's set holds the real thing: EQ Eight has 84 parameters,
Operator 195. These lists follow public parameter dumps that Remote Scripts made of
Live 10/11 (name, range and quantized items of each `Device.parameters` entry; see
docs/remote-script.md, "The heavy set"), so a script meets the real counts and shapes.

Each builder takes an rng and returns a fresh DeviceSpec: values differ per instance,
so no two devices in a set read alike.
"""
from . import params as P

FILTER_TYPES = ['Lowpass', 'Highpass', 'Bandpass', 'Notch', 'Morph']
CIRCUIT_LPHP = ['Clean', 'OSR', 'MS2', 'SMP', 'PRD']
ENV_MODES = ['None', 'Loop', 'Beat', 'Sync', 'Trigger']
OP_WAVES = ['Sine', 'Sine 4 Bit', 'Sine 8 Bit', 'Saw 3', 'Saw 4', 'Saw 6', 'Saw 8', 'Saw 16', 'Saw 32', 'Saw 64',
            'Saw D', 'Square 3', 'Square 4', 'Square 6', 'Square 8', 'Square 16', 'Square 32', 'Square 64',
            'Square D', 'Triangle', 'Noise Looped', 'Noise White', 'User']
OP_DESTS = ['Off', 'OSC Volume A', 'OSC Volume B', 'OSC Volume C', 'OSC Volume D', 'OSC Crossfade A/C',
            'OSC Crossfade B/D', 'OSC Feedback', 'OSC Fixed Frequency', 'FM Drive', 'Filter Freq',
            'Filter Q (Legacy)', 'Filter Res', 'Filter Morph', 'Filter Drive', 'Filter Envelope Amount',
            'Shaper Drive', 'LFO Rate', 'LFO Amount', 'Aux Envelope Amount', 'Volume', 'Panorama', 'Tone', 'Time']
EQ8_TYPES = ['High Pass 48dB', 'High Pass 12dB', 'Low Shelf', 'Bell', 'Notch', 'High Shelf', 'Low Pass 12dB',
             'Low Pass 48dB']


class _Builder(object):
    """Collects ParamSpecs; `jitter` moves continuous values a little per instance."""

    def __init__(self, rng):
        self.rng = rng
        self.ps = [P.device_on()]

    def q(self, name, items, value=0):
        self.ps.append(P.choice(name, items, value, value))

    def on(self, name, value=0.0):
        self.ps.append(P.onoff(name, value))

    def n(self, name, lo, hi, value, fmtstr='%.2f'):
        span = hi - lo
        v = min(hi, max(lo, value + (self.rng.random() - 0.5) * span * 0.1))
        self.ps.append(P.num(name, lo, hi, v, value, fmtstr))

    def u(self, name, value=0.5, fmtstr='%.2f'):
        self.n(name, 0.0, 1.0, value, fmtstr)


def eq_eight(rng):
    """84 parameters: on, Adaptive Q, Scale, Output Gain, and 8 bands x A/B x 5."""
    b = _Builder(rng)
    b.on('Adaptive Q', 1.0)
    b.n('Scale', -2.0, 2.0, 1.0)
    b.n('Output Gain', -12.0, 12.0, 0.0, '%.2f dB')
    for pair in ((1, 2), (3, 4), (5, 6), (7, 8)):
        for ch in ('A', 'B'):
            for band in pair:
                b.on('%d Filter On %s' % (band, ch), 1.0 if band in (1, 4, 8) else 0.0)
                b.q('%d Filter Type %s' % (band, ch), EQ8_TYPES, (1, 2, 3, 3, 3, 3, 5, 6)[band - 1])
                b.u('%d Frequency %s' % (band, ch), band / 9.0)
                b.n('%d Gain %s' % (band, ch), -15.0, 15.0, 0.0, '%.2f dB')
                b.u('%d Resonance %s' % (band, ch), 0.377)
    return P.DeviceSpec('EQ Eight', 'Eq8', 'EQ Eight', 'audio_effect', b.ps, live_class='Eq8Device.Eq8Device',
                        category='audio_effects')


def _op_osc(b, x, first):
    b.on('Osc-%s On' % x, 1.0 if first else 0.0)
    b.on('%s Fix On ' % x)
    b.on('Osc-%s Retrig' % x)
    b.on('%s Quantize' % x)
    b.n('%s Coarse' % x, 0.0, 48.0, 1.0)
    b.n('%s Fine' % x, 0.0, 1000.0, 0.0)
    b.u('Osc-%s Level' % x, 1.0 if first else 0.0)
    b.u('%se Loop' % x, 0.54)
    b.n('%se Retrig' % x, 0.0, 14.0, 3.0)
    if first:
        b.n('A Freq<Vel', -100.0, 100.0, 0.0)
    b.q('Osc-%s Wave' % x, OP_WAVES, 0)
    if first:
        b.n('Time', -100.0, 100.0, 0.0)
    b.u('%s Fix Freq' % x, 0.43)
    b.n('%s Fix Freq Mul' % x, 0.0, 5.0, 4.0)
    b.u('%se Attack' % x, 0.0)
    b.u('%se Decay' % x, 0.6)
    b.u('%se Release' % x, 0.54)
    b.n('%se R < Vel' % x, -100.0, 100.0, 0.0)
    b.n('Osc-%s Feedb' % x, 0.0, 100.0, 0.0)
    if first:
        b.u('Tone', 0.7)
    b.q('%se Mode' % x, ENV_MODES, 0)
    b.n('Osc-%s Lev < Key' % x, -100.0, 100.0, 0.0)
    b.u('%se Init' % x, 0.0)
    b.u('%se Peak' % x, 1.0)
    b.u('%se Sustain' % x, 1.0 if first else 0.4)
    b.n('Osc-%s Lev < Vel' % x, -100.0, 100.0, 50.0)
    b.n('Osc-%s Phase' % x, 0.0, 100.0, 0.0)
    if first:
        b.u('Volume', 0.4)
    else:
        b.n('%s Freq<Vel' % x, -100.0, 100.0, 0.0)


def _envelope(b, p, with_slopes=True, init_range=(0.0, 1.0)):
    lo, hi = init_range
    b.u('%s Loop' % p, 0.54)
    b.n('%s Retrig' % p, 0.0, 14.0, 3.0)
    if with_slopes:
        for s in ('A', 'D', 'R'):
            b.n('%s %s Slope' % (p, s), -1.0, 1.0, 0.0 if s == 'A' else 1.0)
    b.u('%s Attack' % p, 0.0)
    b.u('%s Decay' % p, 0.58)
    b.u('%s Release' % p, 0.36)
    b.n('%s R < Vel' % p, -100.0, 100.0, 0.0)
    b.n('%s Init' % p, lo, hi, lo)
    b.n('%s Peak' % p, lo, hi, hi)
    b.n('%s Sustain' % p, lo, hi, lo)
    b.q('%s Mode' % p, ENV_MODES, 0)
    b.n('%s End' % p, lo, hi, lo)


def operator(rng):
    """195 parameters: four oscillators with envelopes, LFO, filter, shaper, pitch."""
    b = _Builder(rng)
    for i, x in enumerate('ABCD'):
        _op_osc(b, x, i == 0)
    b.on('LFO On', 1.0)
    b.on('LFO Retrigger')
    for x in 'ABCD':
        b.on('Osc-%s < LFO' % x)
    b.q('LFO Type', ['Sine', 'Square', 'Triangle', 'SwUp', 'SwDown', 'S&H', 'Noise'], 0)
    b.q('LFO Range', ['Low', 'High', 'Sync'], 0)
    b.n('LFO Rate', 0.0, 127.0, 100.0)
    b.n('LFO Sync', 0.0, 14.0, 3.0)
    b.u('LFO Amt', 0.1)
    b.u('Le Loop', 0.54)
    b.n('Le Retrig', 0.0, 14.0, 3.0)
    for s in ('Attack', 'Decay', 'Release'):
        b.u('Le %s' % s, 0.4)
    b.n('Le R < Vel', -100.0, 100.0, 0.0)
    for s in ('Init', 'Peak', 'Sustain'):
        b.u('Le %s' % s, 1.0)
    b.q('Le Mode', ENV_MODES, 0)
    b.u('Le End', 0.0)
    b.n('LFO Amt A', -100.0, 100.0, 100.0)
    b.q('LFO Dst B', OP_DESTS, 0)
    b.n('LFO Amt B', -100.0, 100.0, 100.0)
    b.u('LFO R < K', 0.0)
    b.n('LFO < Vel', -1.0, 1.0, 0.0)
    b.u('Fe Loop', 0.54)
    b.n('Fe Retrig', 0.0, 14.0, 3.0)
    b.on('Filter On', 1.0)
    b.q('Filter Slope', ['12 dB', '24 dB'], 0)
    b.on('Filt < LFO')
    b.q('Filter Circuit - BP/NO/Morph', ['Clean', 'OSR'], 0)
    b.q('Filter Type', FILTER_TYPES, 0)
    b.q('Filter Circuit - LP/HP', CIRCUIT_LPHP, 0)
    b.u('Filter Freq', 0.93)
    b.n('Filter Res', 0.0, 1.25, 0.28)
    b.n('Fe Amount', -100.0, 100.0, 0.0)
    for s in ('A', 'D', 'R'):
        b.n('Fe %s Slope' % s, -1.0, 1.0, 0.0 if s == 'A' else 1.0)
    for s in ('Attack', 'Decay', 'Release'):
        b.u('Fe %s' % s, 0.4)
    b.n('Fe R < Vel', -100.0, 100.0, 0.0)
    for s in ('Init', 'Peak', 'Sustain'):
        b.u('Fe %s' % s, 0.5)
    b.n('Filter Drive', 0.0, 24.0, 0.0)
    b.q('Fe Mode', ENV_MODES, 0)
    b.u('Fe End', 0.0)
    b.u('Filter Morph', 0.0)
    b.n('Filt < Vel', -100.0, 100.0, 0.0)
    b.n('Filt < Key', -200.0, 200.0, 100.0)
    b.q('Shaper Type', ['Off', 'Soft', 'Hard', 'Sine', '4Bit'], 0)
    b.n('Shaper Drive', -12.0, 12.0, 0.0)
    b.n('Shaper Mix', 0.0, 100.0, 100.0)
    b.on('Pe On')
    b.on('LFO < Pe')
    b.on('Glide On')
    for x in 'ABCD':
        b.on('Osc-%s < Pe' % x)
    b.q('Algorithm', ['Alg. %d' % i for i in range(1, 12)], 0)
    b.n('PB Range', 0.0, 24.0, 5.0)
    b.n('Time < Key', -100.0, 100.0, 0.0)
    b.n('Panorama', -1.0, 1.0, 0.0)
    b.n('Pan < Key', 0.0, 100.0, 0.0)
    b.n('Pan < Rnd', 0.0, 100.0, 0.0)
    b.n('Pe Amount', -1.0, 1.0, 1.0)
    b.n('Spread', 0.0, 100.0, 0.0)
    b.n('Transpose', -48.0, 48.0, 0.0)
    _envelope(b, 'Pe', init_range=(-48.0, 48.0))
    b.n('Pe Amt A', -100.0, 100.0, 100.0)
    b.n('Pe Amt B', -100.0, 100.0, 100.0)
    b.q('Pe Dst B', OP_DESTS, 0)
    b.u('Glide Time', 0.54)
    return P.DeviceSpec('Operator', 'Operator', 'Operator', 'instrument', b.ps, category='instruments')


def wavetable(rng):
    """93 parameters: sub and two wavetable oscillators, two filters, three envelopes, two LFOs."""
    b = _Builder(rng)
    for name in ('Sub On', 'Osc 1 On', 'Osc 2 On'):
        b.on(name, 1.0 if name == 'Osc 1 On' else 0.0)
    b.u('Sub Gain', 0.5)
    for osc in (1, 2):
        for what, lo, hi, v in (('Pan', 0, 1, 0.5), ('Gain', 0, 1, 1.0), ('Effect 1', 0, 1, 0.5),
                                ('Effect 2', 0, 1, 0.0), ('Transp', -24, 24, 0.0), ('Detune', 0, 1, 0.5),
                                ('Pos', 0, 1, 0.0)):
            b.n('Osc %d %s' % (osc, what), lo, hi, v)
        if osc == 1:
            b.u('Sub Tone', 0.0)
    b.q('Sub Transpose', ['0', '-1', '-2'], 0)
    b.n('Transpose', -48.0, 48.0, 0.0)
    b.u('Volume', 0.6)
    b.u('Glide', 0.0)
    b.u('Unison Amount', 0.3)
    b.u('Time', 0.5)
    b.u('Global Mod Amount', 0.5)
    for f in (1, 2):
        b.on('Filter %d On' % f, 1.0 if f == 1 else 0.0)
        b.q('Filter %d BP/NO/Morph' % f, ['Clean', 'OSR'], 0)
        b.q('Filter %d Slope' % f, ['12', '24'], 0)
    for f in (1, 2):
        b.q('Filter %d Type' % f, FILTER_TYPES, 0)
        b.q('Filter %d LP/HP' % f, CIRCUIT_LPHP, 0)
        for what, v in (('Freq', 1.0 if f == 1 else 0.0), ('Res', 0.0), ('Drive', 0.0), ('Morph', 0.0)):
            b.u('Filter %d %s' % (f, what), v)
    for what, v in (('Attack', 0.08), ('Decay', 0.42), ('Sustain', 0.7), ('Release', 0.42),
                    ('A Slope', 0.5), ('D Slope', 0.75), ('R Slope', 0.75)):
        b.u('Amp %s' % what, v)
    b.q('Amp Loop Mode', ['None', 'Trigger', 'Loop'], 0)
    for env in (2, 3):
        for what in ('Attack', 'Decay', 'Sustain', 'Release'):
            b.u('Env %d %s' % (env, what), 0.42)
    for env in (2, 3):
        for what in ('A Slope', 'D Slope', 'R Slope'):
            b.u('Env %d %s' % (env, what), 0.75)
        b.q('Env %d Loop Mode' % env, ['None', 'Trigger', 'Loop'], 0)
    for env in (2, 3):
        for what in ('Initial', 'Peak', 'Final'):
            b.u('Env %d %s' % (env, what), 0.0)
    for lfo in (1, 2):
        b.on('LFO %d Retrigger' % lfo)
        b.q('LFO %d Sync' % lfo, ['Free', 'Tempo'], 0)
    for lfo in (1, 2):
        b.q('LFO %d Shape' % lfo, ['Sine', 'Triangle', 'Sawtooth', 'Rectangle', 'Noise'], 0)
        b.u('LFO %d Attack Time' % lfo, 0.0)
        b.u('LFO %d Rate' % lfo, 0.32)
        b.n('LFO %d S. Rate' % lfo, 0.0, 21.0, 15.0)
        b.u('LFO %d Amount' % lfo, 1.0)
        b.u('LFO %d Shaping' % lfo, 0.5)
        b.u('LFO %d Phase Offset' % lfo, 0.0)
    return P.DeviceSpec('Wavetable', 'InstrumentVector', 'Wavetable', 'instrument', b.ps,
                        live_class='WavetableDevice.WavetableDevice', category='instruments')


def compressor(rng):
    """23 parameters, side chain EQ included."""
    b = _Builder(rng)
    b.u('Threshold', 0.85)
    b.u('Ratio', 0.75)
    b.n('Expansion Ratio', 1.0, 2.0, 1.15)
    b.u('Attack', 0.4)
    b.u('Release', 0.16)
    b.on('Auto Release On/Off')
    b.n('Output Gain', -36.0, 36.0, 0.0, '%.2f dB')
    b.on('Makeup')
    b.u('Dry/Wet', 1.0)
    b.q('Model', ['Peak', 'RMS', 'Expand'], 0)
    b.q('Env Mode', ['Lin', 'Log'], 0)
    b.n('Knee', 0.0, 18.0, 6.0, '%.1f dB')
    b.q('LookAhead', ['0 ms', '1 ms', '10 ms'], 0)
    b.on('S/C Listen')
    b.on('S/C On')
    b.u('S/C Gain', 0.4)
    b.u('S/C Mix', 1.0)
    b.q('S/C EQ Type', ['Low Shelf', 'Bell', 'High Shelf', 'Low pass', 'Peak', 'High pass'], 0)
    b.on('S/C EQ On')
    b.u('S/C EQ Freq', 0.16)
    b.n('S/C EQ Gain', -15.0, 15.0, 0.0, '%.2f dB')
    b.u('S/C EQ Q', 0.41)
    return P.DeviceSpec('Compressor', 'Compressor2', 'Compressor', 'audio_effect', b.ps,
                        live_class='CompressorDevice.CompressorDevice', category='audio_effects')


def reverb(rng):
    """33 parameters."""
    b = _Builder(rng)
    b.q('Size Smoothing', ['None', 'Slow', 'Fast'], 1)
    for name in ('In LowCut On', 'In HighCut On', 'ER Spin On', 'Chorus On'):
        b.on(name, 1.0)
    for name, v in (('In Filter Freq', 0.48), ('In Filter Width', 0.63), ('Predelay', 0.26), ('ER Spin Rate', 0.49),
                    ('ER Spin Amount', 0.65), ('ER Shape', 0.5), ('Room Size', 0.79), ('Decay Time', 0.31),
                    ('Stereo Image', 0.83), ('Reflect Level', 0.49), ('Diffuse Level', 0.49), ('Dry/Wet', 0.55)):
        b.u(name, v)
    b.on('HiFilter On', 1.0)
    b.q('HiFilter Type', ['Shelf', 'Lowpass'], 0)
    b.u('HiFilter Freq', 0.81)
    b.u('HiShelf Gain', 0.63)
    b.on('LowShelf On', 1.0)
    b.u('LowShelf Freq', 0.23)
    b.u('LowShelf Gain', 0.69)
    b.u('Diffusion', 0.62)
    b.u('Scale', 0.37)
    for name in ('Freeze On', 'Flat On', 'Cut On'):
        b.on(name)
    b.u('Chorus Rate', 0.1)
    b.u('Chorus Amount', 0.0)
    b.q('Density', ['Sparse', 'Low', 'Mid', 'High'], 2)
    return P.DeviceSpec('Reverb', 'Reverb', 'Reverb', 'audio_effect', b.ps, category='audio_effects')


def simpler(rng, name='Simpler'):
    """83 parameters: sample, filter with envelope, LFO, amp and pitch envelopes."""
    b = _Builder(rng)   # "Device On" first, as parameters[0] always is
    b.n('Sample Selector', 0.0, 127.0, 0.0)
    b.u('Fade In', 0.04)
    b.u('Fade Out', 0.04)
    b.n('Transpose', -48.0, 48.0, 0.0)
    b.u('Vol < Vel', 0.35)
    b.n('Volume', -36.0, 36.0, -12.0, '%.1f dB')
    b.on('S Loop On')
    b.on('Snap', 1.0)
    b.q('Trigger Mode', ['Trigger', 'Gate'], 0)
    for s, v in (('S Start', 0.0), ('S Loop Length', 1.0), ('S Length', 1.0), ('S Loop Fade', 0.0)):
        b.u(s, v)
    b.on('Fe On')
    b.on('F On', 1.0)
    b.q('Filter Slope', ['12 dB', '24 dB'], 0)
    b.q('Filter Circuit - BP/NO/Morph', ['Clean', 'OSR'], 0)
    b.n('Fe < Env', -72.0, 72.0, 0.0)
    for s in ('Attack', 'Decay', 'Sustain', 'Release'):
        b.u('Fe %s' % s, 0.4)
    b.q('Fe Mode', ENV_MODES, 0)
    b.u('Fe Loop', 0.54)
    b.n('Fe Retrig', 0.0, 14.0, 3.0)
    for s in ('A', 'D', 'R'):
        b.n('Fe %s Slope' % s, -1.0, 1.0, 0.0 if s == 'A' else 1.0)
    b.n('Fe R < Vel', -100.0, 100.0, 0.0)
    for s in ('Init', 'Peak', 'End'):
        b.u('Fe %s' % s, 0.5)
    b.q('Filter Type', FILTER_TYPES, 0)
    b.q('Filter Circuit - LP/HP', CIRCUIT_LPHP, 0)
    b.u('Filter Freq', 1.0)
    b.n('Filter Res', 0.0, 1.25, 0.0)
    b.n('Filter Drive', 0.0, 24.0, 0.0)
    b.u('Filter Morph', 0.0)
    b.u('Filt < Vel', 0.0)
    b.u('Filt < Key', 1.0)
    b.on('L Retrig')
    b.on('L On')
    b.u('L Attack', 0.0)
    b.u('L R < Key', 0.0)
    b.n('L Offset', 0.0, 360.0, 0.0)
    for s in ('Vol', 'Pitch', 'Pan'):
        b.u('%s < LFO' % s, 0.0)
    b.n('Filt < LFO', 0.0, 24.0, 0.0)
    b.q('L Wave', ['Sine', 'Square', 'Triangle', 'Saw Down', 'Saw Up', 'Random'], 0)
    b.q('L Sync', ['Free', 'Sync'], 0)
    b.u('L Rate', 0.58)
    b.n('L Sync Rate', 0.0, 21.0, 4.0)
    for s in ('Attack', 'Decay', 'Sustain', 'Release'):
        b.u('Ve %s' % s, 0.5)
    b.q('Ve Mode', ENV_MODES, 0)
    b.u('Ve Loop', 0.54)
    b.n('Ve Retrig', 0.0, 14.0, 3.0)
    b.on('Pe On')
    b.n('Pe < Env', -48.0, 48.0, 0.0)
    for s in ('Attack', 'Decay', 'Release'):
        b.u('Pe %s' % s, 0.4)
    b.n('Pe Sustain', -1.0, 1.0, 0.0)
    b.q('Pe Mode', ENV_MODES, 0)
    b.u('Pe Loop', 0.54)
    b.n('Pe Retrig', 0.0, 14.0, 3.0)
    for s in ('A', 'D', 'R'):
        b.n('Pe %s Slope' % s, -1.0, 1.0, 0.0 if s == 'A' else 1.0)
    b.n('Pe R < Vel', -100.0, 100.0, 0.0)
    for s in ('Init', 'Peak', 'End'):
        b.n('Pe %s' % s, -1.0, 1.0, 0.0)
    b.n('Pan', -1.0, 1.0, 0.0)
    b.u('Pan < Rnd', 0.0)
    b.q('Glide Mode', ['Off', 'Portamento', 'Glide'], 0)
    b.n('Spread', 0.0, 100.0, 0.0)
    b.n('Detune', -50.0, 50.0, 0.0)
    b.u('Glide Time', 0.54)
    return P.DeviceSpec(name, 'OriginalSimpler', 'Simpler', 'instrument', b.ps,
                        live_class='SimplerDevice.SimplerDevice', category='instruments')


# Real parameter counts, checked by tests/test_sim_heavy.py.
COUNTS = {'EQ Eight': 84, 'Operator': 195, 'Wavetable': 93, 'Compressor': 23, 'Reverb': 33, 'Simpler': 83}
BUILDERS = {'EQ Eight': eq_eight, 'Operator': operator, 'Wavetable': wavetable, 'Compressor': compressor,
            'Reverb': reverb, 'Simpler': simpler}
