/**
 * The words that carry a command, as musicians and teachers say them, each mapped to one
 * meaning ("kill" and "cut" mean mute; "click" is the metronome; "bypass" switches a
 * device off). Phrases of several words win over single words. A word missing here is
 * not guessed at: it must name something in the set, or the sentence is not understood.
 */
export type Key =
  // fillers that carry nothing
  | 'filler'
  // listening: "let's hear just the drums" (solo), "take the bass out" (mute)
  | 'hear' | 'hear_only' | 'out'
  // mixer toggles
  | 'mute' | 'unmute' | 'solo' | 'unsolo' | 'arm' | 'disarm' | 'on' | 'off' | 'bypass' | 'unbypass'
  // levels
  | 'volume' | 'up' | 'down' | 'louder' | 'quieter' | 'more' | 'less' | 'cut' | 'drop' | 'max' | 'min' | 'reset' | 'unity'
  | 'pan' | 'left' | 'right' | 'center' | 'hard' | 'send'
  // amounts
  | 'tiny' | 'small' | 'large' | 'some' | 'half' | 'halfway' | 'double' | 'half_time' | 'double_time'
  // general verbs and prepositions
  | 'set' | 'to' | 'by' | 'of' | 'on_or_at' | 'in' | 'at' | 'from' | 'for' | 'with' | 'into'
  // song and transport
  | 'tempo' | 'faster' | 'slower' | 'timesig' | 'metronome' | 'loop' | 'play' | 'stop' | 'stop_all' | 'continue' | 'pause'
  | 'record' | 'overdub' | 'session_record' | 'capture' | 'undo' | 'redo' | 'tap' | 'crossfader' | 'from_top'
  // launching and places
  | 'launch' | 'play_from' | 'goto' | 'go' | 'next' | 'previous' | 'marker' | 'bar' | 'beat' | 'start_pos'
  // structure
  | 'rename' | 'create' | 'delete' | 'duplicate' | 'color' | 'monitor' | 'auto' | 'select' | 'fold' | 'unfold' | 'load'
  // nouns that point at kinds of things
  | 'track_word' | 'scene_word' | 'return_word' | 'clip_word' | 'slot_word' | 'device_word' | 'macro_word' | 'group_word'
  | 'audio_word' | 'midi_word' | 'master_ref' | 'param_word' | 'song_word'
  // questions and the rest
  | 'question' | 'help' | 'not' | 'no' | 'all' | 'except' | 'it' | 'again' | 'only'
  // units
  | 'db' | 'percent' | 'bpm' | 'hz' | 'khz' | 'ms' | 'seconds' | 'semitones';

export interface LexEntry {
  key: Key;
  /** For colours: the Live colour; for amounts and units nothing else is needed. */
  color?: number;
}

const E = (key: Key): LexEntry => ({ key });

/** Live's session palette, near enough for "make the drums red". */
const COLOURS: Record<string, number> = {
  red: 0xff3636, orange: 0xf66c03, yellow: 0xfff034, lime: 0x87ff67, green: 0x3dc300, aqua: 0x00bfaf,
  turquoise: 0x00bfaf, teal: 0x00bfaf, cyan: 0x5cffe8, 'light blue': 0x10a4ee, 'sky blue': 0x10a4ee,
  blue: 0x5480e4, navy: 0x1a2f96, violet: 0x886ce4, purple: 0x886ce4, pink: 0xe553a0, magenta: 0xe553a0,
  grey: 0xa9a9a9, gray: 0xa9a9a9, white: 0xffffff, brown: 0x995b2d, beige: 0xd3b89c,
};

const PHRASES: Record<string, LexEntry> = {
  // fillers
  please: E('filler'), pls: E('filler'), plz: E('filler'), kindly: E('filler'), can: E('filler'), could: E('filler'),
  would: E('filler'), will: E('filler'), you: E('filler'), u: E('filler'), ya: E('filler'), just: E('filler'),
  now: E('filler'), 'right now': E('filler'), 'for me': E('filler'), 'for us': E('filler'), me: E('filler'), us: E('filler'),
  my: E('filler'), our: E('filler'), hey: E('filler'), hi: E('filler'), ok: E('filler'), okay: E('filler'), yo: E('filler'),
  may: E('filler'), might: E('filler'), alright: E('filler'), 'all right': E('filler'), so: E('filler'), well: E('filler'), maybe: E('filler'), quickly: E('filler'), quick: E('filler'), 'real quick': E('filler'),
  'go ahead and': E('filler'), 'let us': E('filler'), 'let me': E('filler'), 'i want': E('filler'), 'i would like': E('filler'), 'we want': E('filler'),
  'i need': E('filler'), 'we need': E('filler'), 'want to': E('filler'), 'need to': E('filler'), 'i would like to': E('filler'),
  'can we': E('filler'), 'could we': E('filler'), 'let us have': E('filler'), thanks: E('filler'), 'thank you': E('filler'),
  cheers: E('filler'), guys: E('filler'), folks: E('filler'), mate: E('filler'), the: E('filler'), a: E('filler'), an: E('filler'),
  'in the mix': E('filler'), 'in my monitor': E('filler'), 'in my monitors': E('filler'), 'in the monitors': E('filler'),
  'in the monitor': E('filler'), 'in my ears': E('filler'), 'in the headphones': E('filler'), 'in my headphones': E('filler'),
  'in the room': E('filler'), sound: E('filler'), sounds: E('filler'), bit: E('small'), be: E('filler'), get: E('set'),
  too: E('filler'), we: E('filler'), i: E('filler'), going: E('filler'), currently: E('filler'), 'as well': E('filler'), there: E('filler'), here: E('filler'), is: E('filler'), are: E('filler'),
  'too loud': E('down'), 'too quiet': E('up'), 'too soft': E('up'), 'too low': E('up'), 'can not hear': E('up'),
  'barely hear': E('up'), 'hardly hear': E('up'), 'back in': E('unmute'),
  little: E('small'), way: E('large'), 'its': E('filler'), their: E('filler'), back: E('filler'), value: E('filler'),
  amount: E('filler'), position: E('filler'), everything: E('all'), actually: E('filler'), instead: E('filler'),

  // mixer toggles
  mute: E('mute'), muted: E('mute'), 'drop out': E('mute'), 'cut out': E('mute'), 'take out': E('mute'), 'out of the mix': E('mute'), kill: E('mute'), silence: E('mute'), 'shut up': E('mute'), cut: E('cut'),
  unmute: E('unmute'), 'un mute': E('unmute'), unmuted: E('unmute'), 'bring back': E('unmute'), 'bring in': E('unmute'),
  solo: E('solo'), soloed: E('solo'), solos: E('solo'), unsolo: E('unsolo'), 'un solo': E('unsolo'), desolo: E('unsolo'), 'de solo': E('unsolo'),
  'clear solo': E('unsolo'), 'clear solos': E('unsolo'), 'clear the solo': E('unsolo'), 'clear the solos': E('unsolo'),
  'clear all solos': E('unsolo'), arm: E('arm'), armed: E('arm'), 'record arm': E('arm'), 'rec arm': E('arm'),
  'record enable': E('arm'), 'arm for recording': E('arm'), disarm: E('disarm'), unarm: E('disarm'), 'un arm': E('disarm'),
  'record disable': E('disarm'),
  on: E('on_or_at'), off: E('off'), enable: E('on'), enabled: E('on'), activate: E('on'), 'switch on': E('on'), 'turn on': E('on'),
  disable: E('off'), disabled: E('off'), deactivate: E('off'), 'switch off': E('off'), 'turn off': E('off'),
  hear: E('hear'), listen: E('hear'), 'listen to': E('hear'), 'hear just': E('hear_only'), 'hear only': E('hear_only'), 'listen to just': E('hear_only'), 'listen to only': E('hear_only'),
  'on its own': E('only'), 'on their own': E('only'), 'on his own': E('only'), 'on her own': E('only'), 'by itself': E('only'), 'by themselves': E('only'),
  out: E('out'),
  bypass: E('bypass'), bypassed: E('bypass'), unbypass: E('unbypass'), 'un bypass': E('unbypass'),

  // levels
  volume: E('volume'), vol: E('volume'), level: E('volume'), levels: E('volume'), fader: E('volume'), loudness: E('volume'),
  gain: E('volume'), loud: E('volume'), fast: E('tempo'), playing: E('play'), running: E('play'),
  up: E('up'), raise: E('up'), boost: E('up'), increase: E('up'), higher: E('up'), push: E('up'), lift: E('up'),
  'turn up': E('up'), 'bring up': E('up'), 'push up': E('up'), 'crank up': E('up'), crank: E('up'),
  louder: E('louder'), 'more volume': E('louder'),
  down: E('down'), lower: E('down'), reduce: E('down'), decrease: E('down'), 'turn down': E('down'), 'bring down': E('down'),
  'pull down': E('down'), 'pull back': E('down'), pull: E('down'), 'pull up': E('up'), 'back off': E('down'), dip: E('down'),
  quieter: E('quieter'), softer: E('quieter'), 'less loud': E('quieter'), drop: E('drop'),
  more: E('more'), less: E('less'), fewer: E('less'),
  max: E('max'), maximum: E('max'), full: E('max'), 'all the way up': E('max'), 'full blast': E('max'),
  min: E('min'), minimum: E('min'), 'all the way down': E('min'),
  reset: E('reset'), default: E('reset'), unity: E('unity'), 'unity gain': E('unity'),
  pan: E('pan'), panning: E('pan'), panned: E('pan'), left: E('left'), right: E('right'),
  center: E('center'), centre: E('center'), middle: E('center'), centered: E('center'), centred: E('center'),
  'dead center': E('center'), 'dead centre': E('center'), hard: E('hard'), fully: E('hard'), 'all the way': E('hard'),
  send: E('send'), sends: E('send'), aux: E('send'),

  // amounts
  touch: E('tiny'), tad: E('tiny'), hair: E('tiny'), smidge: E('tiny'), smidgen: E('tiny'), 'tiny bit': E('tiny'),
  'a touch': E('tiny'), 'a tad': E('tiny'), 'a hair': E('tiny'), 'a smidge': E('tiny'), 'a tiny bit': E('tiny'),
  'a bit': E('small'), 'a little': E('small'), 'a little bit': E('small'), slightly: E('small'), 'a few': E('small'),
  somewhat: E('small'), 'a lot': E('large'), lot: E('large'), lots: E('large'), much: E('large'), 'a bunch': E('large'),
  loads: E('large'), heaps: E('large'), 'a ton': E('large'), significantly: E('large'), 'way more': E('large'),
  some: E('some'), half: E('half'), halve: E('half'), halfway: E('halfway'), 'half way': E('halfway'), midway: E('halfway'),
  double: E('double'), twice: E('double'), 'half time': E('half_time'), 'double time': E('double_time'),
  'half speed': E('half_time'), 'double speed': E('double_time'),

  // general verbs and prepositions
  set: E('set'), make: E('set'), put: E('set'), change: E('set'), move: E('set'), bring: E('set'), turn: E('set'),
  have: E('set'), adjust: E('set'), bump: E('set'), nudge: E('set'), take: E('set'), give: E('set'), switch: E('set'), place: E('set'), leave: E('set'),
  to: E('to'), at: E('at'), by: E('by'), of: E('of'), in: E('in'), from: E('from'), for: E('for'), with: E('with'),
  into: E('into'), onto: E('into'),

  // song and transport
  tempo: E('tempo'), speed: E('tempo'), bpm: E('bpm'), 'beats per minute': E('bpm'),
  faster: E('faster'), quicker: E('faster'), slower: E('slower'), slow: E('slower'), 'slow down': E('slower'),
  'speed up': E('faster'), 'too fast': E('slower'), 'too slow': E('faster'), 'time signature': E('timesig'), 'time sig': E('timesig'), signature: E('timesig'), meter: E('timesig'),
  metronome: E('metronome'), click: E('metronome'), 'click track': E('metronome'),
  loop: E('loop'), looping: E('loop'), cycle: E('loop'),
  play: E('play'), start: E('play'), 'hit play': E('play'), roll: E('play'), 'start playback': E('play'), 'press play': E('play'),
  stop: E('stop'), halt: E('stop'), 'stop playback': E('stop'), 'stop all clips': E('stop_all'), 'stop all the clips': E('stop_all'),
  'stop every clip': E('stop_all'), 'stop all clip': E('stop_all'),
  continue: E('continue'), resume: E('continue'), unpause: E('continue'), 'keep going': E('continue'), 'carry on': E('continue'),
  pause: E('pause'),
  record: E('record'), recording: E('record'), rec: E('record'), overdub: E('overdub'), 'over dub': E('overdub'),
  'session record': E('session_record'), 'session recording': E('session_record'), capture: E('capture'), 'capture midi': E('capture'),
  undo: E('undo'), 'take that back': E('undo'), redo: E('redo'), tap: E('tap'), 'tap tempo': E('tap'),
  crossfader: E('crossfader'), 'cross fader': E('crossfader'), xfader: E('crossfader'), 'x fader': E('crossfader'),
  crossfade: E('crossfader'), 'from the top': E('from_top'), 'from the start': E('from_top'), 'from the beginning': E('from_top'),
  'start over': E('from_top'), rewind: E('start_pos'), 'take it from': E('play_from'), 'play from': E('play_from'),
  'start from': E('play_from'), 'go from': E('play_from'), 'top of the song': E('start_pos'),

  // launching and places
  launch: E('launch'), fire: E('launch'), trigger: E('launch'), 'kick off': E('launch'),
  'go to': E('goto'), 'jump to': E('goto'), 'skip to': E('goto'), 'back to': E('goto'), 'go back to': E('goto'),
  'return to': E('goto'), 'take us to': E('goto'), 'take me to': E('goto'), 'head to': E('goto'), 'move to': E('goto'),
  'jump': E('goto'), 'skip': E('goto'), go: E('go'),
  next: E('next'), previous: E('previous'), prev: E('previous'), 'the one before': E('previous'),
  marker: E('marker'), markers: E('marker'), locator: E('marker'), locators: E('marker'), cue: E('marker'), cues: E('marker'),
  'cue point': E('marker'), 'cue points': E('marker'),
  bar: E('bar'), bars: E('bar'), measure: E('bar'), measures: E('bar'), beat: E('beat'), beats: E('beat'),
  'the start': E('start_pos'), 'the beginning': E('start_pos'), beginning: E('start_pos'), 'the top': E('start_pos'),
  top: E('start_pos'), 'the very beginning': E('start_pos'),

  // structure
  rename: E('rename'), 'name': E('rename'), call: E('rename'), label: E('rename'), retitle: E('rename'),
  create: E('create'), add: E('create'), new: E('create'), insert: E('create'),
  delete: E('delete'), remove: E('delete'), erase: E('delete'), trash: E('delete'), 'get rid of': E('delete'),
  destroy: E('delete'), wipe: E('delete'), clear: E('delete'), nuke: E('delete'), 'throw away': E('delete'),
  duplicate: E('duplicate'), copy: E('duplicate'), clone: E('duplicate'), dupe: E('duplicate'),
  color: E('color'), colour: E('color'), colored: E('color'), coloured: E('color'), paint: E('color'),
  monitor: E('monitor'), monitoring: E('monitor'), 'input monitoring': E('monitor'), auto: E('auto'),
  select: E('select'), focus: E('select'), highlight: E('select'),
  fold: E('fold'), collapse: E('fold'), unfold: E('unfold'), expand: E('unfold'),
  load: E('load'),

  // nouns
  track: E('track_word'), tracks: E('track_word'), channel: E('track_word'), channels: E('track_word'), strip: E('track_word'),
  scene: E('scene_word'), scenes: E('scene_word'), row: E('scene_word'),
  return: E('return_word'), returns: E('return_word'), 'return track': E('return_word'), 'return tracks': E('return_word'),
  clip: E('clip_word'), clips: E('clip_word'), slot: E('slot_word'), slots: E('slot_word'), device: E('device_word'),
  devices: E('device_word'), plugin: E('device_word'), plugins: E('device_word'), 'plug in': E('device_word'),
  macro: E('macro_word'), macros: E('macro_word'), knob: E('param_word'), parameter: E('param_word'), param: E('param_word'),
  group: E('group_word'), audio: E('audio_word'), midi: E('midi_word'), 'the mix': E('master_ref'), 'the whole mix': E('master_ref'),
  'the overall volume': E('master_ref'), overall: E('master_ref'), 'whole mix': E('master_ref'),
  // The song itself: "how fast is this song", "play the song"; never a name, and never the master's level.
  song: E('song_word'), 'this song': E('song_word'), tune: E('song_word'), 'this tune': E('song_word'),

  // questions and the rest
  what: E('question'), 'what is': E('question'), 'what are': E('question'), how: E('question'), which: E('question'),
  where: E('question'), 'tell me': E('question'), list: E('question'), 'show me': E('question'), 'is it': E('question'),
  'how about': E('filler'), 'what about': E('filler'), who: E('question'), when: E('question'),
  'how many': E('question'), anything: E('all'), any: E('all'), only: E('only'), alone: E('only'),
  help: E('help'), 'what can i say': E('help'), 'what can you do': E('help'),
  not: E('not'), never: E('not'), "do not": E('not'), no: E('no'), none: E('no'),
  all: E('all'), every: E('all'), everyone: E('all'), everybody: E('all'), both: E('all'), each: E('all'),
  'all of the': E('all'), 'all the': E('all'), 'the whole band': E('all'), 'whole band': E('all'),
  except: E('except'), 'except for': E('except'), 'apart from': E('except'), 'other than': E('except'), besides: E('except'),
  'but not': E('except'), it: E('it'), them: E('it'), that: E('it'), this: E('it'), those: E('it'), these: E('it'),
  again: E('again'),

  // units
  db: E('db'), dbs: E('db'), decibel: E('db'), decibels: E('db'), 'd b': E('db'), '%': E('percent'), percent: E('percent'),
  'per cent': E('percent'), pct: E('percent'), hz: E('hz'), hertz: E('hz'), khz: E('khz'), k: E('khz'), kilohertz: E('khz'),
  ms: E('ms'), millisecond: E('ms'), milliseconds: E('ms'), sec: E('seconds'), secs: E('seconds'), seconds: E('seconds'),
  semitone: E('semitones'), semitones: E('semitones'), semis: E('semitones'), st: E('semitones'),
};

for (const [name, value] of Object.entries(COLOURS)) PHRASES[name] = { key: 'color', color: value };

/** Single words that carry a meaning (not fillers or colours), for "did you mean" on a misspelt command word. */
export const MEANING_WORDS: readonly string[] = Object.entries(PHRASES)
  .filter(([w, e]) => !w.includes(' ') && e.key !== 'filler' && e.key !== 'color' && /^[a-z]{3,}$/.test(w))
  .map(([w]) => w);

/** Longest phrase first at each position. */
export const MAX_PHRASE_WORDS = 4;

export function lookupPhrase(words: string): LexEntry | undefined {
  return Object.prototype.hasOwnProperty.call(PHRASES, words) ? PHRASES[words] : undefined;
}

/** Words whose meaning is only "this is a kind of thing", so a name may claim them first. */
export const NOUN_KEYS: ReadonlySet<Key> = new Set(['metronome', 'loop', 'marker', 'audio_word', 'midi_word', 'group_word']);

/** "Is the bass muted?": a clause that starts with one of these asks something. */
export const AUXILIARIES: ReadonlySet<string> = new Set(['is', 'are', 'does', 'do', 'did', 'was', 'were', 'am']);

/** Words between clauses. */
export const SEPARATORS: ReadonlySet<string> = new Set(['and', 'then', 'also', 'plus', 'afterwards', ',', ';', '.', '!']);
/** Two-word separators. */
export const SEPARATOR_PAIRS: ReadonlySet<string> = new Set(['and then', 'after that', 'and also']);
