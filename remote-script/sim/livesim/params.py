"""Parameter ranges, display strings, the colour palette and the device library."""
import math

# Live's 70-colour clip/track palette (rows of 14), as RGB ints.
PALETTE = [
    0xFF94A6, 0xFFA529, 0xCC9927, 0xF7F47C, 0xBFFB00, 0x1AFF2F, 0x25FFA8, 0x5CFFE8, 0x8BC5FF, 0x5480E4,
    0x92A7FF, 0xD86CE4, 0xE553A0, 0xFFFFFF, 0xFF3636, 0xF66C03, 0x99724B, 0xFFF034, 0x87FF67, 0x3DC300,
    0x00BFAF, 0x19E9FF, 0x10A4EE, 0x007DC0, 0x886CE4, 0xB677C6, 0xFF39D4, 0xD0D0D0, 0xE2675A, 0xFFA374,
    0xD3AD71, 0xEDFFAE, 0xD2E498, 0xBAD074, 0x9BC48D, 0xD4FDE1, 0xCDF1F8, 0xB9C1E3, 0xCDBBE4, 0xAE98E5,
    0xE5DCE1, 0xA9A9A9, 0xC6928B, 0xB78256, 0x99836A, 0xBFBA69, 0xA6BE00, 0x7DB04D, 0x88C2BA, 0x9BB3C4,
    0x85A5C2, 0x8393CC, 0xA595B5, 0xBF9FBE, 0xBC7196, 0x7B7B7B, 0xAF3333, 0xA95131, 0x724F41, 0xDBC300,
    0x85961F, 0x539F31, 0x0A9C8E, 0x236384, 0x1A2F96, 0x2F52A2, 0x624BAD, 0xA34BAD, 0xCC2E6E, 0x3C3C3C,
]


def color_index(color):
    if color is None:
        return None
    try:
        return PALETTE.index(color)
    except ValueError:
        pass
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    best, bi = None, 0
    for i, c in enumerate(PALETTE):
        d = (((c >> 16) & 255) - r) ** 2 + (((c >> 8) & 255) - g) ** 2 + ((c & 255) - b) ** 2
        if best is None or d < best:
            best, bi = d, i
    return bi


def snap_color(color):
    """Live keeps only palette colours: setting an RGB value picks the nearest one."""
    return PALETTE[color_index(color)]


# --------------------------------------------------------------------------------------
# Display curves

def volume_db(v):
    """Live's fader curve, approximately: 0.85 -> 0 dB, 1.0 -> +6 dB, 0 -> -inf."""
    if v <= 0.0:
        return float('-inf')
    if v >= 0.4:
        return (v - 0.85) * 40.0
    return -18.0 + 50.0 * math.log10(v / 0.4)


def db_to_volume(db):
    if db == float('-inf') or db < -200:
        return 0.0
    if db >= -18.0:
        return min(1.0, db / 40.0 + 0.85)
    return 0.4 * 10 ** ((db + 18.0) / 50.0)


def fmt_db(db):
    if db == float('-inf') or db < -69.5:
        return '-inf dB'
    s = '%.1f dB' % db
    return '0.0 dB' if s == '-0.0 dB' else s


def fmt_pan(v):
    n = int(round(abs(v) * 50))
    if n == 0:
        return 'C'
    return '%d%s' % (n, 'L' if v < 0 else 'R')


def fmt_hz(hz):
    return ('%.2f kHz' % (hz / 1000.0)) if hz >= 1000 else ('%.0f Hz' % hz if hz >= 100 else '%.1f Hz' % hz)


def fmt_time(ms):
    return ('%.2f s' % (ms / 1000.0)) if ms >= 1000 else ('%.1f ms' % ms if ms < 100 else '%.0f ms' % ms)


class ParamSpec(object):
    """What a DeviceParameter is: range, default, quantization and how it displays."""

    def __init__(self, name, vmin=0.0, vmax=1.0, default=0.0, value=None, items=None, fmt=None, disp=None,
                 undisp=None, enabled=True, short_items=None):
        self.name = name
        self.min = float(vmin)
        self.max = float(vmax)
        self.default = float(default)
        self.value = float(default if value is None else value)
        self.items = list(items) if items else []
        self.short_items = list(short_items) if short_items else None
        self.quantized = bool(items)
        self._fmt = fmt
        self._disp = disp
        self._undisp = undisp
        self.enabled = enabled

    def with_value(self, value):
        s = ParamSpec(self.name, self.min, self.max, self.default, value, self.items, self._fmt, self._disp,
                      self._undisp, self.enabled, self.short_items)
        return s

    def fmt(self, v):
        if self.quantized:
            i = int(round(v - self.min))
            if 0 <= i < len(self.items):
                return self.items[i]
            return str(int(round(v)))
        if self._fmt is not None:
            return self._fmt(v)
        return '%.2f' % v

    def display_number(self, v):
        return self._disp(v) if self._disp is not None else v

    def from_display_number(self, d):
        return self._undisp(d) if self._undisp is not None else d


def volume_spec():
    return ParamSpec('Track Volume', 0.0, 1.0, 0.85, fmt=lambda v: fmt_db(volume_db(v)), disp=volume_db,
                     undisp=db_to_volume)


def send_db(v):
    return volume_db(v * 0.85)


def send_name(i):
    return 'Send %s' % chr(ord('A') + i) if i < 26 else 'Send %d' % (i + 1)


def send_spec(i):
    return ParamSpec(send_name(i), 0.0, 1.0, 0.0, fmt=lambda v: fmt_db(send_db(v)), disp=send_db,
                     undisp=lambda d: db_to_volume(d) / 0.85)


def pan_spec():
    return ParamSpec('Track Panning', -1.0, 1.0, 0.0, fmt=fmt_pan)


def activator_spec(name='Track Activator'):
    return ParamSpec(name, 0.0, 1.0, 1.0, items=['Off', 'On'])


def crossfader_spec():
    return ParamSpec('Crossfade', -1.0, 1.0, 0.0,
                     fmt=lambda v: 'C' if abs(v) < 0.01 else '%d%s' % (int(round(abs(v) * 50)), 'A' if v < 0 else 'B'))


def cue_spec():
    return ParamSpec('Cue Volume', 0.0, 1.0, 0.85, fmt=lambda v: fmt_db(volume_db(v)), disp=volume_db,
                     undisp=db_to_volume)


def tempo_spec():
    return ParamSpec('Song Tempo', 20.0, 999.0, 120.0, fmt=lambda v: '%.2f BPM' % v)


def split_spec(name, default):
    return ParamSpec(name, -1.0, 1.0, default, fmt=fmt_pan)


# --------------------------------------------------------------------------------------
# Device parameter helpers (normalised 0..1 controls with real-world display)

def onoff(name, value=1.0):
    return ParamSpec(name, 0, 1, 1.0, value, items=['Off', 'On'])


def choice(name, items, value=0, default=0):
    return ParamSpec(name, 0, len(items) - 1, default, value, items=items)


def pct(name, value=0.5, default=0.5):
    return ParamSpec(name, 0.0, 1.0, default, value, fmt=lambda v: '%.0f %%' % (v * 100))


def hz(name, lo, hi, value=0.5, default=0.5):
    return ParamSpec(name, 0.0, 1.0, default, value, fmt=lambda v: fmt_hz(lo * (hi / float(lo)) ** v),
                     disp=lambda v: lo * (hi / float(lo)) ** v,
                     undisp=lambda d: math.log(max(d, lo) / float(lo)) / math.log(hi / float(lo)))


def ms(name, lo, hi, value=0.5, default=0.5):
    return ParamSpec(name, 0.0, 1.0, default, value, fmt=lambda v: fmt_time(lo * (hi / float(lo)) ** v),
                     disp=lambda v: lo * (hi / float(lo)) ** v,
                     undisp=lambda d: math.log(max(d, lo) / float(lo)) / math.log(hi / float(lo)))


def db(name, lo, hi, value=0.0, default=0.0):
    """A parameter whose value is in dB itself (like Utility's Gain)."""
    return ParamSpec(name, lo, hi, default, value, fmt=fmt_db)


def num(name, lo, hi, value, default=None, fmtstr='%.2f'):
    return ParamSpec(name, lo, hi, value if default is None else default, value, fmt=lambda v: fmtstr % v)


def semis(name, lo=-48, hi=48, value=0):
    items = ['%d st' % i for i in range(lo, hi + 1)]
    return ParamSpec(name, lo, hi, 0, value, items=items)


def ratio(name, value=0.5):
    return ParamSpec(name, 0.0, 1.0, 0.5, value, fmt=lambda v: '%.2f : 1' % (1.0 + (v ** 2) * 99.0))


def macro(name, value=0.0):
    return ParamSpec(name, 0.0, 127.0, 0.0, value, fmt=lambda v: '%.0f' % v)


def device_on():
    return ParamSpec('Device On', 0, 1, 1.0, 1.0, items=['Off', 'On'])


# --------------------------------------------------------------------------------------
# Device library

class RackSpec(object):
    def __init__(self, n_macros, macro_names, chains, visible_macros=8):
        self.n_macros = n_macros
        self.macro_names = macro_names
        self.chains = chains  # [(name, color, [device names])]
        self.visible_macros = visible_macros


class DeviceSpec(object):
    def __init__(self, name, class_name, display_name, dtype, params, live_class='Device.Device', rack=None,
                 category=None):
        self.name = name
        self.class_name = class_name
        self.display_name = display_name
        self.type = dtype
        self.params = params
        self.live_class = live_class
        self.rack = rack
        self.category = category


EQ_TYPES = ['Low Cut 48', 'Low Cut 12', 'Low Shelf', 'Bell', 'Notch', 'High Shelf', 'High Cut 12', 'High Cut 48']
FILTER_TYPES = ['Lowpass', 'Highpass', 'Bandpass', 'Notch', 'Morph']


def _eq8():
    ps = [device_on(), onoff('Adaptive Q')]
    defaults = [(1, 0.15), (2, 0.3), (3, 0.45), (3, 0.55), (3, 0.65), (3, 0.75), (5, 0.85), (6, 0.95)]
    for b in range(1, 9):
        ftype, freq = defaults[b - 1]
        ps += [onoff('%d Filter On A' % b, 1.0 if b in (1, 4, 8) else 0.0),
               choice('%d Filter Type A' % b, EQ_TYPES, ftype, ftype),
               hz('%d Frequency A' % b, 10.0, 22000.0, freq, freq),
               num('%d Gain A' % b, -15.0, 15.0, 0.0, fmtstr='%.2f dB'),
               num('%d Resonance A' % b, 0.1, 18.0, 0.71, fmtstr='%.2f')]
    ps += [num('Output Gain', -12.0, 12.0, 0.0, fmtstr='%.2f dB'), num('Scale', -2.0, 2.0, 1.0, fmtstr='%.0f %%')]
    return ps


def _library():
    lib = {}

    def add(name, class_name, dtype, params, live_class='Device.Device', rack=None, category=None, display=None):
        lib[name] = DeviceSpec(name, class_name, display or name, dtype, params, live_class, rack, category)

    # Instruments
    add('Operator', 'Operator', 'instrument', [
        device_on(), choice('Algorithm', [str(i) for i in range(1, 12)], 0),
        num('Osc-A Level', 0.0, 1.0, 1.0, fmtstr='%.2f'), num('Osc-B Level', 0.0, 1.0, 0.6),
        num('Osc-C Level', 0.0, 1.0, 0.0), num('Osc-D Level', 0.0, 1.0, 0.0),
        choice('Filter Type', ['Low 12', 'Low 24', 'High 12', 'High 24', 'Band 12', 'Band 24', 'Notch 12',
                               'Notch 24', 'Morph 12', 'Morph 24'], 0),
        hz('Filter Freq', 30.0, 18500.0, 0.8, 1.0), pct('Filter Res', 0.2, 0.2),
        ms('Ae Attack', 0.1, 20000.0, 0.05, 0.05), ms('Ae Release', 1.0, 20000.0, 0.4, 0.4),
        pct('Tone', 0.7, 0.7), semis('Transpose'), num('Volume', -36.0, 0.0, -12.0, fmtstr='%.1f dB')],
        category='instruments')
    add('Wavetable', 'InstrumentVector', 'instrument', [
        device_on(), pct('Osc 1 Pos', 0.25, 0.0), pct('Osc 2 Pos', 0.6, 0.0), num('Osc 1 Gain', 0.0, 1.0, 0.8),
        num('Osc 2 Gain', 0.0, 1.0, 0.0),
        choice('Filter 1 Type', FILTER_TYPES, 0), hz('Filter 1 Freq', 20.0, 20000.0, 0.65, 1.0),
        pct('Filter 1 Res', 0.3, 0.0), ms('Amp Attack', 0.1, 20000.0, 0.4, 0.0),
        ms('Amp Decay', 1.0, 20000.0, 0.5, 0.5), pct('Amp Sustain', 0.8, 1.0),
        ms('Amp Release', 1.0, 20000.0, 0.55, 0.3), pct('Unison Amount', 0.3, 0.0),
        num('Volume', -70.0, 6.0, -6.0, fmtstr='%.1f dB')],
        live_class='WavetableDevice.WavetableDevice', category='instruments')
    add('Drift', 'Drift', 'instrument', [
        device_on(), choice('Osc 1 Wave', ['Sine', 'Triangle', 'Shark Tooth', 'Saturated', 'Saw', 'Pulse',
                                           'Rectangle'], 4),
        pct('Osc 1 Shape', 0.3, 0.0), hz('LP Freq', 20.0, 19000.0, 0.55, 1.0), pct('LP Reso', 0.25, 0.0),
        ms('Env 1 Attack', 0.1, 10000.0, 0.1, 0.0), ms('Env 1 Decay', 1.0, 10000.0, 0.5, 0.5),
        pct('Env 1 Sustain', 0.6, 1.0), ms('Env 1 Release', 1.0, 10000.0, 0.4, 0.3), pct('Drift', 0.2, 0.0),
        num('Volume', -70.0, 6.0, -6.0, fmtstr='%.1f dB')],
        live_class='DriftDevice.DriftDevice', category='instruments')
    add('Simpler', 'OriginalSimpler', 'instrument', [
        device_on(), choice('Mode', ['Classic', 'One-Shot', 'Slice'], 0), onoff('Snap', 1.0),
        semis('Transpose'), choice('Filter Type', FILTER_TYPES, 0), hz('Filter Freq', 30.0, 22000.0, 1.0, 1.0),
        pct('Filter Res', 0.0, 0.0), ms('Ve Attack', 0.1, 20000.0, 0.0, 0.0),
        ms('Ve Release', 1.0, 60000.0, 0.3, 0.3), num('Volume', -36.0, 36.0, 0.0, fmtstr='%.1f dB')],
        live_class='SimplerDevice.SimplerDevice', category='instruments')
    add('Electric', 'LoungeLizard', 'instrument', [
        device_on(), pct('M Stiffness', 0.45, 0.45), pct('M Force', 0.6, 0.6), pct('F Tine Vol', 0.5, 0.5),
        pct('Damper Tone', 0.4, 0.4), pct('P Amp In', 0.5, 0.5), num('Volume', -36.0, 6.0, -6.0, fmtstr='%.1f dB')],
        category='instruments')
    add('Analog', 'UltraAnalog', 'instrument', [
        device_on(), choice('OSC1 Shape', ['Sine', 'Saw', 'Rectangle', 'White Noise'], 1),
        choice('F1 Type', ['LP12', 'LP24', 'BP6', 'BP12', 'Notch', 'HP12', 'HP24', 'Formant'], 1),
        hz('F1 Freq', 30.0, 18000.0, 0.6, 1.0), pct('F1 Resonance', 0.2, 0.0),
        ms('AEG1 Attack', 0.5, 60000.0, 0.05, 0.0), ms('AEG1 Rel', 0.5, 60000.0, 0.4, 0.4),
        num('Volume', -36.0, 0.0, -12.0, fmtstr='%.1f dB')], category='instruments')

    # Audio effects
    add('EQ Eight', 'Eq8', 'audio_effect', _eq8(), live_class='Eq8Device.Eq8Device', category='audio_effects')
    add('Compressor', 'Compressor2', 'audio_effect', [
        device_on(), num('Threshold', -70.0, 6.0, -18.0, 0.0, '%.1f dB'), ratio('Ratio', 0.2),
        ms('Attack', 0.01, 1000.0, 0.45, 0.45), ms('Release', 1.0, 3000.0, 0.55, 0.55),
        num('Output Gain', -36.0, 36.0, 2.0, 0.0, '%.1f dB'), num('Knee', 0.0, 18.0, 6.0, fmtstr='%.1f dB'),
        choice('Model', ['Peak', 'RMS', 'Expand'], 0), onoff('Makeup', 0.0), pct('Dry/Wet', 1.0, 1.0)],
        live_class='CompressorDevice.CompressorDevice', category='audio_effects')
    add('Glue Compressor', 'GlueCompressor', 'audio_effect', [
        device_on(), num('Threshold', -40.0, 0.0, -12.0, 0.0, '%.1f dB'), choice('Ratio', ['2', '4', '10'], 0),
        choice('Attack', ['0.01 ms', '0.1 ms', '0.3 ms', '1 ms', '3 ms', '10 ms', '30 ms'], 3),
        choice('Release', ['0.1 s', '0.2 s', '0.4 s', '0.6 s', '0.8 s', '1.2 s', 'Auto'], 6),
        num('Makeup', 0.0, 20.0, 2.0, 0.0, '%.1f dB'), pct('Dry/Wet', 1.0, 1.0), onoff('Soft Clip', 0.0)],
        category='audio_effects')
    add('Reverb', 'Reverb', 'audio_effect', [
        device_on(), ms('Predelay', 0.5, 250.0, 0.45, 0.45), ms('Decay Time', 200.0, 60000.0, 0.35, 0.35),
        pct('Room Size', 0.6, 0.6), pct('Stereo Image', 1.0, 1.0), hz('In Filter Freq', 50.0, 18000.0, 0.8, 0.8),
        onoff('HiShelf On', 1.0), pct('Diffusion', 0.7, 0.7), onoff('Freeze On', 0.0), pct('Dry/Wet', 1.0, 0.5)],
        category='audio_effects')
    add('Delay', 'Delay', 'audio_effect', [
        device_on(), onoff('Link', 1.0), onoff('L Sync', 1.0),
        choice('L 16th', ['1', '2', '3', '4', '5', '6', '8', '16'], 2),
        choice('R 16th', ['1', '2', '3', '4', '5', '6', '8', '16'], 3), pct('Feedback', 0.45, 0.5),
        onoff('Filter On', 1.0), hz('Filter Freq', 50.0, 18000.0, 0.6, 0.6), onoff('Ping Pong', 0.0),
        pct('Dry/Wet', 1.0, 0.5)], category='audio_effects')
    add('Auto Filter', 'AutoFilter', 'audio_effect', [
        device_on(), choice('Filter Type', FILTER_TYPES, 0), hz('Frequency', 20.0, 20000.0, 0.7, 1.0),
        pct('Resonance', 0.3, 0.0), pct('Env. Modulation', 0.0, 0.0), pct('LFO Amount', 0.2, 0.0),
        onoff('LFO Sync', 0.0), num('LFO Frequency', 0.01, 40.0, 1.0, fmtstr='%.2f Hz'), pct('Dry/Wet', 1.0, 1.0)],
        category='audio_effects')
    add('Saturator', 'Saturator', 'audio_effect', [
        device_on(), num('Drive', -36.0, 36.0, 6.0, 0.0, '%.1f dB'),
        choice('Type', ['Analog Clip', 'Soft Sine', 'Medium Curve', 'Hard Curve', 'Sinoid Fold', 'Digital Clip',
                        'Bit Crusher', 'Waveshaper'], 1),
        num('Output', -36.0, 0.0, -3.0, 0.0, '%.1f dB'), pct('Dry/Wet', 1.0, 1.0), onoff('Soft Clip', 0.0)],
        category='audio_effects')
    add('Utility', 'StereoGain', 'audio_effect', [
        device_on(), db('Gain', -35.0, 35.0, 0.0), pct('Width', 0.5, 0.5), onoff('Mute', 0.0), onoff('Mono', 0.0),
        num('Panorama', -1.0, 1.0, 0.0, fmtstr='%.2f')], category='audio_effects')
    add('Chorus-Ensemble', 'Chorus2', 'audio_effect', [
        device_on(), choice('Mode', ['Classic', 'Ensemble', 'Vibrato'], 0), num('Rate', 0.01, 20.0, 0.8,
                                                                              fmtstr='%.2f Hz'),
        pct('Amount', 0.5, 0.5), pct('Feedback', 0.0, 0.0), pct('Dry/Wet', 0.5, 0.5)], category='audio_effects')
    add('Hybrid Reverb', 'Hybrid', 'audio_effect', [
        device_on(), choice('Algorithm', ['Dark Hall', 'Quartz', 'Shimmer', 'Tides', 'Prism'], 0),
        ms('Decay', 100.0, 60000.0, 0.4, 0.4), pct('Size', 0.5, 0.5), pct('Blend', 0.5, 0.5),
        pct('Dry/Wet', 0.5, 0.5)], live_class='HybridReverbDevice.HybridReverbDevice', category='audio_effects')

    # MIDI effects
    add('Arpeggiator', 'MidiArpeggiator', 'midi_effect', [
        device_on(), choice('Style', ['Up', 'Down', 'UpDown', 'DownUp', 'Up & Down', 'Down & Up', 'Converge',
                                      'Diverge', 'Con & Diverge', 'Pinky Up', 'Pinky UpDown', 'Thumb Up',
                                      'Thumb UpDown', 'Play Order', 'Chord Trigger', 'Random', 'Random Other',
                                      'Random Once'], 0),
        onoff('Sync On', 1.0), choice('Synced Rate', ['1/1', '1/2', '1/3', '1/4', '1/6', '1/8', '1/12', '1/16',
                                                      '1/24', '1/32'], 7),
        pct('Gate', 0.5, 0.5), choice('Octaves', ['1', '2', '3', '4', '5', '6', '7', '8'], 0)],
        category='midi_effects')
    add('Chord', 'MidiChord', 'midi_effect', [
        device_on(), semis('Shift1', -36, 36, 0), semis('Shift2', -36, 36, 0), semis('Shift3', -36, 36, 0)],
        category='midi_effects')
    add('Scale', 'MidiScale', 'midi_effect', [
        device_on(), choice('Base', ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'], 0)],
        category='midi_effects')
    add('Velocity', 'MidiVelocity', 'midi_effect', [
        device_on(), num('Drive', -64.0, 64.0, 0.0, fmtstr='%.0f'), num('Random', 0.0, 64.0, 0.0, fmtstr='%.0f'),
        num('Out Hi', 1.0, 127.0, 127.0, fmtstr='%.0f')], category='midi_effects')
    add('Note Length', 'MidiNoteLength', 'midi_effect', [
        device_on(), ms('Length', 1.0, 10000.0, 0.5, 0.5), pct('Gate', 1.0, 1.0)], category='midi_effects')
    return lib


_LIB = None


def library():
    global _LIB
    if _LIB is None:
        _LIB = _library()
    return _LIB


MACRO_COUNT = {11: 8, 12: 16}


def rack_spec(name, class_name, dtype, macro_names, chains, major, visible=8, category=None):
    n = MACRO_COUNT.get(major, 16)
    ps = [device_on()]
    for i in range(n):
        nm = macro_names[i] if i < len(macro_names) and macro_names[i] else 'Macro %d' % (i + 1)
        ps.append(macro(nm, 0.0 if i >= len(macro_names) else 64.0))
    ps.append(num('Chain Selector', 0.0, 127.0, 0.0, fmtstr='%.0f'))
    display = {'DrumGroupDevice': 'Drum Rack', 'InstrumentGroupDevice': 'Instrument Rack',
               'AudioEffectGroupDevice': 'Audio Effect Rack', 'MidiEffectGroupDevice': 'MIDI Effect Rack'}
    return DeviceSpec(name, class_name, display.get(class_name, class_name), dtype, ps, 'RackDevice.RackDevice',
                      RackSpec(n, macro_names, chains, visible if major >= 12 else n), category)


DRUM_KIT_CHAINS = [('Kick', 0xFF3636, ['Simpler']), ('Snare', 0xFFA529, ['Simpler']),
                   ('Clap', 0xF7F47C, ['Simpler']), ('Closed Hat', 0x5CFFE8, ['Simpler']),
                   ('Open Hat', 0x8BC5FF, ['Simpler']), ('Rim', 0xD86CE4, ['Simpler'])]


def drum_kit(name, major):
    return rack_spec(name, 'DrumGroupDevice', 'instrument',
                     ['Kick Decay', 'Snare Tone', 'Hat Decay', 'Room', 'Drive', 'Pitch', 'Swing', 'Volume'],
                     DRUM_KIT_CHAINS, major, category='drums')


def device_spec(name, major):
    s = library().get(name)
    if s is None:
        raise KeyError(name)
    return s


def find_device(name, major):
    """Look a device up by its browser name or Live class name (Track.insert_device)."""
    lib = library()
    if name in lib:
        return lib[name]
    for s in lib.values():
        if s.class_name == name:
            return s
    if name in ('Drum Rack', 'DrumGroupDevice'):
        return rack_spec('Drum Rack', 'DrumGroupDevice', 'instrument', [], [], major)
    if name in ('Instrument Rack', 'InstrumentGroupDevice'):
        return rack_spec('Instrument Rack', 'InstrumentGroupDevice', 'instrument', [], [], major)
    if name in ('Audio Effect Rack', 'AudioEffectGroupDevice'):
        return rack_spec('Audio Effect Rack', 'AudioEffectGroupDevice', 'audio_effect', [], [], major)
    if name in ('MIDI Effect Rack', 'MidiEffectGroupDevice'):
        return rack_spec('MIDI Effect Rack', 'MidiEffectGroupDevice', 'midi_effect', [], [], major)
    return None


def preset(base_name, preset_name, values):
    """A device preset: the base device renamed, with some parameter values changed."""
    base = library()[base_name]
    ps = [p.with_value(values[p.name]) if p.name in values else p for p in base.params]
    return DeviceSpec(preset_name, base.class_name, base.display_name, base.type, ps, base.live_class, None,
                      base.category)
