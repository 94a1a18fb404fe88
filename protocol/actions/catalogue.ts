import { z } from 'zod';
import { defineAction as a, type ActionSpec } from './action.ts';
import { LAUNCH_QUANTIZATIONS } from '../set-doc.ts';
import { FileIdSchema } from '../file-schemas.ts';

const none = z.object({}).strict();
const bool = z.object({ value: z.boolean() }).strict();
const unit = z.object({ value: z.number().min(0).max(1) }).strict();
const bipolar = z.object({ value: z.number().min(-1).max(1) }).strict();
const name = z.object({ name: z.string().trim().min(1).max(128) }).strict();
const color = z.object({ value: z.number().int().min(0).max(0xffffff) }).strict();
const optionalIndex = z.object({ index: z.number().int().min(-1).max(10_000).optional() }).strict();
const beats = z.number().min(0).max(1_000_000);

export const MidiNoteSchema = z.object({
  pitch: z.number().int().min(0).max(127),
  start: beats,
  duration: z.number().gt(0).max(100_000),
  velocity: z.number().min(0).max(127).default(100),
  mute: z.boolean().default(false),
}).strict();
const notes = z.object({ notes: z.array(MidiNoteSchema).max(5_000) }).strict();

export const BROWSER_CATEGORIES = ['instruments', 'audio_effects', 'midi_effects', 'drums', 'sounds', 'plugins'] as const;

/**
 * Every action Roomtone can send to Live. The Remote Script implements exactly these
 * names (a test checks both ways); the least role is the floor, locks and track
 * assignments narrow it further at the server.
 */
export const ACTIONS = [
  // Song and transport
  a({ name: 'transport.play', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Start playback from the start marker.' }),
  a({ name: 'transport.stop', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Stop playback.' }),
  a({ name: 'transport.continue', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Continue playback from where it stopped.' }),
  a({ name: 'transport.set_position', target: 'song', args: z.object({ beats }).strict(), minRole: 'member', mode: 'trigger', summary: 'Move the arrangement position (beats).' }),
  a({ name: 'song.set_tempo', target: 'song', args: z.object({ bpm: z.number().min(20).max(999) }).strict(), minRole: 'member', mode: 'continuous', prop: 'tempo', summary: 'Set the tempo in BPM (20..999).' }),
  a({ name: 'song.tap_tempo', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'One tap of tap tempo.' }),
  a({ name: 'song.set_time_signature', target: 'song', args: z.object({ numerator: z.number().int().min(1).max(99), denominator: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16)]) }).strict(), minRole: 'member', mode: 'edit', prop: 'signatureNumerator', summary: 'Set the time signature.' }),
  a({ name: 'song.set_metronome', target: 'song', args: bool, minRole: 'member', mode: 'edit', prop: 'metronome', summary: 'Metronome on or off.' }),
  a({ name: 'song.set_loop', target: 'song', args: bool, minRole: 'member', mode: 'edit', prop: 'loop', summary: 'Arrangement loop on or off.' }),
  a({ name: 'song.set_loop_region', target: 'song', args: z.object({ start: beats, length: z.number().gt(0).max(1_000_000) }).strict(), minRole: 'member', mode: 'edit', prop: 'loopStart', summary: 'Set the arrangement loop start and length (beats).' }),
  a({ name: 'song.set_record', target: 'song', args: bool, minRole: 'member', mode: 'edit', prop: 'record', summary: 'Arrangement record on or off.' }),
  a({ name: 'song.set_overdub', target: 'song', args: bool, minRole: 'member', mode: 'edit', prop: 'overdub', summary: 'Arrangement overdub on or off.' }),
  a({ name: 'song.set_session_record', target: 'song', args: bool, minRole: 'member', mode: 'edit', prop: 'sessionRecord', summary: 'Session record on or off.' }),
  a({ name: 'song.set_quantization', target: 'song', args: z.object({ value: z.enum(LAUNCH_QUANTIZATIONS) }).strict(), minRole: 'member', mode: 'edit', prop: 'quantization', summary: 'Set the global clip launch quantization ("None", "8 Bars" … "1 Bar", "1/2" … "1/32", "T" for triplets).' }),
  a({ name: 'song.set_crossfader', target: 'song', args: bipolar, minRole: 'member', mode: 'continuous', prop: 'crossfader', summary: 'Move the master crossfader (-1 = A, 1 = B).' }),
  a({ name: 'song.undo', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Undo the last change in Live.' }),
  a({ name: 'song.redo', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Redo.' }),
  a({ name: 'song.capture_midi', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Capture recently played MIDI into a clip.' }),
  a({ name: 'song.stop_all_clips', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Stop every clip (quantized).' }),
  a({ name: 'song.set_or_delete_cue', target: 'song', args: none, minRole: 'member', mode: 'edit', summary: 'Toggle a locator at the play position.' }),
  a({ name: 'song.jump_to_next_cue', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Jump to the next locator.' }),
  a({ name: 'song.jump_to_prev_cue', target: 'song', args: none, minRole: 'member', mode: 'trigger', summary: 'Jump to the previous locator.' }),
  a({ name: 'cue_point.jump', target: 'cue_point', args: none, minRole: 'member', mode: 'trigger', summary: 'Jump to this locator (quantized).' }),
  a({ name: 'cue_point.rename', target: 'cue_point', args: name, minRole: 'member', mode: 'edit', prop: 'name', summary: 'Rename a locator.' }),

  // Tracks (regular, return and master share these where Live allows)
  a({ name: 'track.create_midi', target: 'song', args: optionalIndex, minRole: 'member', mode: 'edit', summary: 'Insert a MIDI track at index (-1 or none: at the end).' }),
  a({ name: 'track.create_audio', target: 'song', args: optionalIndex, minRole: 'member', mode: 'edit', summary: 'Insert an audio track at index.' }),
  a({ name: 'track.create_return', target: 'song', args: none, minRole: 'member', mode: 'edit', summary: 'Add a return track.' }),
  a({ name: 'track.delete', target: 'track', args: none, minRole: 'member', mode: 'edit', summary: 'Delete a track or return track.' }),
  a({ name: 'track.duplicate', target: 'track', args: none, minRole: 'member', mode: 'edit', summary: 'Duplicate a track.' }),
  a({ name: 'track.rename', target: 'track', args: name, minRole: 'member', mode: 'edit', prop: 'name', summary: 'Rename a track.' }),
  a({ name: 'track.set_color', target: 'track', args: color, minRole: 'member', mode: 'edit', prop: 'color', summary: 'Set a track colour (0xRRGGBB).' }),
  a({ name: 'track.set_fold', target: 'track', args: bool, minRole: 'member', mode: 'edit', prop: 'fold', summary: 'Fold or unfold a group track.' }),
  a({ name: 'track.set_arm', target: 'track', args: bool, minRole: 'member', mode: 'edit', prop: 'arm', summary: 'Arm a track for recording.' }),
  a({ name: 'track.set_mute', target: 'track', args: bool, minRole: 'member', mode: 'edit', prop: 'mute', summary: 'Mute or unmute.' }),
  a({ name: 'track.set_solo', target: 'track', args: bool, minRole: 'member', mode: 'edit', prop: 'solo', summary: 'Solo or unsolo.' }),
  a({ name: 'track.set_monitoring', target: 'track', args: z.object({ value: z.enum(['in', 'auto', 'off']) }).strict(), minRole: 'member', mode: 'edit', prop: 'monitoring', summary: 'Input monitoring: in, auto or off.' }),
  a({ name: 'track.set_volume', target: 'track', args: unit, minRole: 'member', mode: 'continuous', prop: 'volume', summary: 'Volume fader, 0..1 (0.85 ≈ 0 dB).' }),
  a({ name: 'track.set_pan', target: 'track', args: bipolar, minRole: 'member', mode: 'continuous', prop: 'pan', summary: 'Pan, -1 (left) .. 1 (right).' }),
  a({ name: 'track.set_send', target: 'track', args: z.object({ index: z.number().int().min(0).max(11), value: z.number().min(0).max(1) }).strict(), minRole: 'member', mode: 'continuous', prop: 'sends', summary: 'Send level to return `index`, 0..1.' }),
  a({ name: 'track.set_crossfade_assign', target: 'track', args: z.object({ value: z.enum(['A', 'none', 'B']) }).strict(), minRole: 'member', mode: 'edit', prop: 'crossfadeAssign', summary: 'Crossfader assignment.' }),
  a({ name: 'track.stop_clips', target: 'track', args: none, minRole: 'member', mode: 'trigger', summary: 'Stop all clips on the track (quantized).' }),
  a({ name: 'track.select', target: 'track', args: none, minRole: 'member', mode: 'trigger', summary: 'Select the track in Live.' }),

  // Clip slots
  a({ name: 'clip_slot.fire', target: 'clip_slot', args: none, minRole: 'member', mode: 'trigger', summary: 'Launch the slot (its clip, or its stop button).' }),
  a({ name: 'clip_slot.record', target: 'clip_slot', args: none, minRole: 'member', mode: 'trigger', summary: 'Record a new clip into this empty slot of an armed track, from the next launch boundary, until the slot is fired again.' }),
  a({ name: 'clip_slot.stop', target: 'clip_slot', args: none, minRole: 'member', mode: 'trigger', summary: 'Stop the slot.' }),
  a({ name: 'clip_slot.create_clip', target: 'clip_slot', args: z.object({ length: z.number().gt(0).max(4096) }).strict(), minRole: 'member', mode: 'edit', summary: 'Create an empty MIDI clip of `length` beats.' }),
  a({ name: 'clip_slot.delete_clip', target: 'clip_slot', args: none, minRole: 'member', mode: 'edit', summary: 'Delete the clip in the slot.' }),
  a({ name: 'clip_slot.create_audio_clip', target: 'clip_slot', args: z.object({ file: FileIdSchema }).strict(), liveArgs: z.object({ file: FileIdSchema, path: z.string().min(2).max(4096) }).strict(), minRole: 'member', mode: 'edit', prop: 'hasClip', summary: 'Place a stored audio file (by id) on the empty slot of an audio track; Live 11.3.43 / 12.0.5 and later. A slot filled meanwhile answers CONFLICT.' }),
  a({ name: 'clip_slot.duplicate_clip_to', target: 'clip_slot', args: z.object({ to: z.string().min(1).max(64) }).strict(), entityArgs: { to: 'clip_slot' }, minRole: 'member', mode: 'edit', summary: 'Copy the clip into another slot (by id).' }),

  // Clips
  a({ name: 'clip.fire', target: 'clip', args: none, minRole: 'member', mode: 'trigger', summary: 'Launch the clip.' }),
  a({ name: 'clip.stop', target: 'clip', args: none, minRole: 'member', mode: 'trigger', summary: 'Stop the clip.' }),
  a({ name: 'clip.rename', target: 'clip', args: name, minRole: 'member', mode: 'edit', prop: 'name', summary: 'Rename the clip.' }),
  a({ name: 'clip.set_color', target: 'clip', args: color, minRole: 'member', mode: 'edit', prop: 'color', summary: 'Set the clip colour.' }),
  a({ name: 'clip.set_looping', target: 'clip', args: bool, minRole: 'member', mode: 'edit', prop: 'looping', summary: 'Loop on or off.' }),
  a({ name: 'clip.set_loop', target: 'clip', args: z.object({ start: beats, end: beats }).strict().refine((v) => v.end > v.start, 'end must be after start'), minRole: 'member', mode: 'edit', prop: 'loopStart', summary: 'Set loop start and end (beats).' }),
  a({ name: 'clip.set_length', target: 'clip', args: z.object({ beats: z.number().gt(0).max(100_000) }).strict(), minRole: 'member', mode: 'edit', prop: 'length', summary: 'Set the loop length from the loop start (beats).' }),
  a({ name: 'clip.duplicate_loop', target: 'clip', args: none, minRole: 'member', mode: 'edit', summary: 'Double the loop, copying its notes.' }),
  a({ name: 'clip.get_notes', target: 'clip', args: none, minRole: 'observer', mode: 'read', summary: 'Read every MIDI note of the clip.' }),
  a({ name: 'clip.add_notes', target: 'clip', args: notes, minRole: 'member', mode: 'edit', summary: 'Add MIDI notes.' }),
  a({ name: 'clip.remove_notes', target: 'clip', args: z.object({ fromPitch: z.number().int().min(0).max(127).default(0), pitchSpan: z.number().int().min(1).max(128).default(128), fromTime: beats.default(0), timeSpan: z.number().gt(0).max(1_000_000).default(1_000_000) }).strict(), minRole: 'member', mode: 'edit', summary: 'Remove the notes inside a pitch and time range.' }),
  a({ name: 'clip.replace_notes', target: 'clip', args: notes, minRole: 'member', mode: 'edit', summary: 'Replace all notes of the clip.' }),

  // Scenes
  a({ name: 'scene.fire', target: 'scene', args: none, minRole: 'member', mode: 'trigger', summary: 'Launch the scene.' }),
  a({ name: 'scene.create', target: 'song', args: optionalIndex, minRole: 'member', mode: 'edit', summary: 'Insert a scene at index (-1 or none: at the end).' }),
  a({ name: 'scene.delete', target: 'scene', args: none, minRole: 'member', mode: 'edit', summary: 'Delete the scene.' }),
  a({ name: 'scene.duplicate', target: 'scene', args: none, minRole: 'member', mode: 'edit', summary: 'Duplicate the scene.' }),
  a({ name: 'scene.rename', target: 'scene', args: name, minRole: 'member', mode: 'edit', prop: 'name', summary: 'Rename the scene.' }),
  a({ name: 'scene.set_color', target: 'scene', args: color, minRole: 'member', mode: 'edit', prop: 'color', summary: 'Set the scene colour.' }),
  a({ name: 'scene.set_tempo', target: 'scene', args: z.object({ value: z.number().min(20).max(999).nullable() }).strict(), minRole: 'member', mode: 'edit', prop: 'tempo', summary: 'Scene tempo in BPM, or null for none.' }),

  // Devices and parameters
  a({ name: 'device.get', target: 'device', args: none, minRole: 'observer', mode: 'read', summary: 'Read the device with the parameters Live mirrors (and observe it for a while): `complete` says whether all are there.' }),
  a({ name: 'device.get_banks', target: 'device', args: none, minRole: 'observer', mode: 'read', summary: 'The device’s parameters in banks of eight as Live pages them (Max for Live banks, Live’s own bank tables), else its macros and then its parameters in order: `{ source, banks: [{ name, params }], complete }` (observes the device for a while; a big device’s banks hold only the parameters Live mirrors so far until `complete`).' }),
  a({ name: 'device.set_active', target: 'device', args: bool, minRole: 'member', mode: 'edit', prop: 'isActive', summary: 'Switch the device on or off.' }),
  a({ name: 'device.set_macro', target: 'device', args: z.object({ index: z.number().int().min(0).max(15), value: z.number() }).strict(), minRole: 'member', mode: 'continuous', prop: 'macros', summary: 'Set rack macro `index` (0-based) by value.' }),
  a({ name: 'device.delete', target: 'device', args: none, minRole: 'member', mode: 'edit', summary: 'Remove the device from its track.' }),
  a({ name: 'track.list_devices', target: 'track', args: none, minRole: 'observer', mode: 'read', summary: 'List the track devices with the parameters Live mirrors (as device.get).' }),
  a({ name: 'parameter.set', target: 'parameter', args: z.object({ value: z.number() }).strict(), minRole: 'member', mode: 'continuous', prop: 'value', summary: 'Set a parameter by value (clamped to its range, rounded when quantized).' }),
  a({ name: 'parameter.get', target: 'parameter', args: none, minRole: 'observer', mode: 'read', summary: 'Read a parameter with its range and display string.' }),

  // Browser
  a({ name: 'browser.search', target: 'song', args: z.object({ query: z.string().trim().min(1).max(100), category: z.enum(BROWSER_CATEGORIES).optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(), minRole: 'observer', mode: 'read', summary: 'Find loadable instruments, effects and sounds by name, from an index of Live’s browser: `{ items, truncated, building, indexed }`.' }),
  a({ name: 'browser.load', target: 'track', args: z.object({ uri: z.string().min(1).max(512).optional(), name: z.string().min(1).max(128).optional() }).strict().refine((v) => v.uri !== undefined || v.name !== undefined, 'uri or name is required'), minRole: 'member', mode: 'edit', summary: 'Load an instrument or effect onto the track by URI or exact name.' }),

  // Files: what the server asks Live to list takes and place drops beside the set
  a({ name: 'song.list_audio_files', target: 'song', args: none, minRole: 'host', mode: 'read', summary: 'The audio files the set references (session and arrangement clips) and where the set is saved.' }),

  // Diagnostics: travels the whole chain, changes nothing (benchmarks and health checks use it)
  a({ name: 'system.ping', target: 'song', args: none, minRole: 'observer', mode: 'read', summary: 'A no-op through the whole chain; the Remote Script answers it on arrival, without waiting for Live’s tick, with its epoch.' }),
] as const satisfies readonly ActionSpec[];

const BY_NAME = new Map<string, ActionSpec>(ACTIONS.map((spec) => [spec.name, spec]));

export function findAction(name: string): ActionSpec | undefined {
  return BY_NAME.get(name);
}

export const ACTION_NAMES: readonly string[] = ACTIONS.map((spec) => spec.name);
