"""The simulator's stand-in for Live's `_Generic.Devices` bank tables.

Inside Live, the Remote Script reads the tables that ship with Live (see
Roomtone/device_banks.py). These are Roomtone's own pages for the simulator's devices,
with the same shape: `DEVICE_DICT[class_name]` is a tuple of banks of eight parameter
names ('' leaves a knob empty), `BANK_NAME_DICT[class_name]` the banks' names.
"""

DEVICE_DICT = {
    'Operator': (
        ('Algorithm', 'Osc-A Level', 'Osc-B Level', 'Osc-C Level', 'Osc-D Level', 'Tone', 'Transpose', 'Volume'),
        ('Filter Type', 'Filter Freq', 'Filter Res', '', 'Ae Attack', 'Ae Release', '', ''),
    ),
    'Eq8': tuple(
        ('%d Filter On A' % b, '%d Filter Type A' % b, '%d Frequency A' % b, '%d Gain A' % b,
         '%d Resonance A' % b, '', 'Output Gain', 'Scale')
        for b in range(1, 9)
    ),
    'InstrumentVector': (
        ('Osc 1 Pos', 'Osc 2 Pos', 'Osc 1 Gain', 'Osc 2 Gain', 'Filter 1 Type', 'Filter 1 Freq', 'Filter 1 Res',
         'Volume'),
        ('Amp Attack', 'Amp Decay', 'Amp Sustain', 'Amp Release', 'Unison Amount', '', '', ''),
    ),
    'Compressor2': (
        ('Threshold', 'Ratio', 'Attack', 'Release', 'Knee', 'Model', 'Output Gain', 'Dry/Wet'),
    ),
    'Reverb': (
        ('Predelay', 'Decay Time', 'Room Size', 'Stereo Image', 'In Filter Freq', 'Diffusion', 'Freeze On', 'Dry/Wet'),
    ),
}

BANK_NAME_DICT = {
    'Operator': ('Oscillators', 'Filter & Envelope'),
    'Eq8': tuple('Band %d' % b for b in range(1, 9)),
    'InstrumentVector': ('Oscillators & Filter', 'Amp Envelope'),
    'Compressor2': ('Compressor',),
    'Reverb': ('Reverb',),
}
