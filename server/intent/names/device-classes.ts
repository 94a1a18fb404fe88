/**
 * What people call Live's devices, by the class name the set doc carries: a device
 * renamed "Sub Bass" is still an Operator, and "the compressor" finds a Compressor2
 * however it was named. Only Live's own devices are listed; a plug-in goes by its name.
 */
const GENERIC: Record<string, string> = {
  Compressor2: 'compressor',
  GlueCompressor: 'glue compressor',
  Eq8: 'eq eight',
  FilterEQ3: 'eq three',
  ChannelEq: 'channel eq',
  AutoFilter: 'auto filter',
  AutoPan: 'auto pan',
  StereoGain: 'utility',
  Reverb: 'reverb',
  Hybrid: 'hybrid reverb',
  Delay: 'delay',
  Echo: 'echo',
  FilterDelay: 'filter delay',
  GrainDelay: 'grain delay',
  Saturator: 'saturator',
  Overdrive: 'overdrive',
  DrumBuss: 'drum buss',
  Redux2: 'redux',
  Erosion: 'erosion',
  Limiter: 'limiter',
  Gate: 'gate',
  MultibandDynamics: 'multiband dynamics',
  Chorus2: 'chorus ensemble',
  PhaserNew: 'phaser flanger',
  BeatRepeat: 'beat repeat',
  Vocoder: 'vocoder',
  Amp: 'amp',
  Cabinet: 'cabinet',
  Tuner: 'tuner',
  Looper: 'looper',
  Operator: 'operator',
  InstrumentVector: 'wavetable',
  Drift: 'drift',
  UltraAnalog: 'analog',
  LoungeLizard: 'electric',
  StringStudio: 'tension',
  Collision: 'collision',
  OriginalSimpler: 'simpler',
  MultiSampler: 'sampler',
  Impulse: 'impulse',
  DrumGroupDevice: 'drum rack',
  InstrumentGroupDevice: 'instrument rack',
  AudioEffectGroupDevice: 'audio effect rack',
  MidiEffectGroupDevice: 'midi effect rack',
  MidiArpeggiator: 'arpeggiator',
  MidiChord: 'chord',
  MidiScale: 'scale',
  MidiVelocity: 'velocity',
  MidiNoteLength: 'note length',
  MidiPitcher: 'pitch',
  MidiRandom: 'random',
};

export function genericDeviceName(className: string): string | undefined {
  return GENERIC[className];
}

/**
 * Live's stock devices by the name its browser lists them under, for "load a compressor
 * on the bass". Loading goes through `browser.load` by exact name; Live says so if a
 * name is missing from its browser.
 */
export const LOADABLE_DEVICES: readonly string[] = [
  'Compressor', 'Glue Compressor', 'EQ Eight', 'EQ Three', 'Channel EQ', 'Auto Filter', 'Auto Pan', 'Utility',
  'Reverb', 'Hybrid Reverb', 'Delay', 'Echo', 'Filter Delay', 'Grain Delay', 'Saturator', 'Overdrive',
  'Drum Buss', 'Redux', 'Erosion', 'Limiter', 'Gate', 'Multiband Dynamics', 'Chorus-Ensemble',
  'Phaser-Flanger', 'Beat Repeat', 'Vocoder', 'Amp', 'Cabinet', 'Tuner', 'Looper', 'Operator', 'Wavetable',
  'Drift', 'Analog', 'Electric', 'Tension', 'Collision', 'Simpler', 'Sampler', 'Impulse', 'Drum Rack',
  'Instrument Rack', 'Audio Effect Rack', 'MIDI Effect Rack', 'Arpeggiator', 'Chord', 'Scale', 'Velocity',
  'Note Length', 'Pitch', 'Random',
];
