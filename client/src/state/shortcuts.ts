import type { RoomApp } from './app.ts';

/**
 * The keyboard shortcuts: one table, read by the key handler and by the help overlay, so
 * what the overlay lists is what the keys do.
 *
 * Single keys never fire while someone types (a text field, a select, the notes) or while a
 * dialog is open. Space is Live's play/stop everywhere, except on a control reached with
 * the keyboard (Tab): there Space keeps pressing that button, as a keyboard or screen
 * reader user expects. Combinations with Ctrl, Alt or ⌘ other than
 * undo, redo and Ctrl+K (the command line, which also opens from a text field) are left to
 * the browser.
 */
export interface ShortcutHooks {
  openHelp(): void;
  /** Opens the command line ("Say it"). */
  openWords(): void;
  /** A dialog is open (the keys belong to it). */
  blocked(): boolean;
  /** The selected track in the band view (mute, solo, arm act on it). */
  selectedTrack(): string | null;
  selectTrack(id: string): void;
}

export interface Shortcut {
  /** How the overlay writes the keys. */
  keys: string;
  what: string;
  matches(e: KeyboardEvent): boolean;
  run(app: RoomApp, hooks: ShortcutHooks, e: KeyboardEvent): void;
  /** Also while someone types in a field: a combination no text needs. */
  inFields?: boolean;
}

const plain = (e: KeyboardEvent): boolean => !e.ctrlKey && !e.metaKey && !e.altKey;
const key = (k: string) => (e: KeyboardEvent): boolean => plain(e) && !e.shiftKey && e.key.toLowerCase() === k;
const mod = (e: KeyboardEvent): boolean => (e.ctrlKey || e.metaKey) && !e.altKey;

function toggleTrack(app: RoomApp, hooks: ShortcutHooks, action: 'track.set_mute' | 'track.set_solo' | 'track.set_arm', prop: 'mute' | 'solo' | 'arm'): void {
  const id = hooks.selectedTrack();
  const t = id ? app.set.get('track', id) : undefined;
  if (!id || !t) return;
  if (prop === 'arm' && !t.canArm) return;
  void app.command(action, id, { value: !t[prop] });
}

function moveSelection(app: RoomApp, hooks: ShortcutHooks, by: number): void {
  const ids = app.set.ids('track');
  if (!ids.length) return;
  const at = ids.indexOf(hooks.selectedTrack() ?? '');
  hooks.selectTrack(ids[Math.max(0, Math.min(ids.length - 1, (at < 0 ? 0 : at) + by))]!);
}

/** What the last Space asked for: a second press before Live's answer shows still toggles. */
let lastSpace = { playing: false, at: 0 };
const SPACE_MEMORY_MS = 1_500;

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: 'Space', what: 'Play or stop',
    matches: (e) => plain(e) && !e.shiftKey && e.code === 'Space',
    run: (app) => {
      const now = Date.now();
      const shown = !!app.set.get('song')?.isPlaying;
      const playing = now - lastSpace.at < SPACE_MEMORY_MS && lastSpace.playing !== shown ? lastSpace.playing : shown;
      lastSpace = { playing: !playing, at: now };
      void app.command(playing ? 'transport.stop' : 'transport.play', null);
    },
  },
  {
    keys: 'Shift + Space', what: 'Continue from where it stopped',
    matches: (e) => plain(e) && e.shiftKey && e.code === 'Space',
    run: (app) => void app.command('transport.continue', null),
  },
  {
    keys: '1 … 9', what: 'Launch scene 1 to 9',
    matches: (e) => plain(e) && !e.shiftKey && /^Digit[1-9]$/.test(e.code),
    run: (app, _h, e) => {
      const id = app.set.ids('scene')[Number(e.code.slice(5)) - 1];
      if (id) void app.command('scene.fire', id);
    },
  },
  { keys: '0', what: 'Stop all clips', matches: (e) => plain(e) && !e.shiftKey && e.code === 'Digit0', run: (app) => void app.command('song.stop_all_clips', null) },
  { keys: 'T', what: 'Tap tempo', matches: key('t'), run: (app) => void app.command('song.tap_tempo', null) },
  {
    keys: '+ / −', what: 'Tempo up or down 1 BPM',
    matches: (e) => plain(e) && ['+', '=', '-', '_'].includes(e.key),
    run: (app, _h, e) => {
      const bpm = (app.set.get('song')?.tempo ?? 120) + (e.key === '+' || e.key === '=' ? 1 : -1);
      void app.command('song.set_tempo', null, { bpm: Math.min(999, Math.max(20, Math.round(bpm * 100) / 100)) });
    },
  },
  { keys: 'C', what: 'Metronome on or off', matches: key('c'), run: (app) => void app.command('song.set_metronome', null, { value: !app.set.get('song')?.metronome }) },
  { keys: 'L', what: 'Arrangement loop on or off', matches: key('l'), run: (app) => void app.command('song.set_loop', null, { value: !app.set.get('song')?.loop }) },
  { keys: 'R', what: 'Session record on or off', matches: key('r'), run: (app) => void app.command('song.set_session_record', null, { value: !app.set.get('song')?.sessionRecord }) },
  { keys: '[ / ]', what: 'Select the previous or next track', matches: (e) => plain(e) && (e.key === '[' || e.key === ']'), run: (app, hooks, e) => moveSelection(app, hooks, e.key === '[' ? -1 : 1) },
  { keys: 'M', what: 'Mute or unmute the selected track', matches: key('m'), run: (app, hooks) => toggleTrack(app, hooks, 'track.set_mute', 'mute') },
  { keys: 'S', what: 'Solo the selected track', matches: key('s'), run: (app, hooks) => toggleTrack(app, hooks, 'track.set_solo', 'solo') },
  { keys: 'A', what: 'Arm the selected track for recording', matches: key('a'), run: (app, hooks) => toggleTrack(app, hooks, 'track.set_arm', 'arm') },
  {
    keys: 'Ctrl + Z (⌘ Z)', what: 'Undo in Live',
    matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
    run: (app) => void app.command('song.undo', null),
  },
  {
    keys: 'Ctrl + Shift + Z (⌘ ⇧ Z)', what: 'Redo in Live',
    matches: (e) => (mod(e) && e.shiftKey && e.key.toLowerCase() === 'z') || (mod(e) && !e.shiftKey && e.key.toLowerCase() === 'y'),
    run: (app) => void app.command('song.redo', null),
  },
  {
    keys: 'Ctrl + K (⌘ K)', what: 'Say a command in words (also from a text field)', inFields: true,
    matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'k',
    run: (_app, hooks) => hooks.openWords(),
  },
  { keys: '/', what: 'Say a command in words', matches: (e) => plain(e) && e.key === '/', run: (_app, hooks) => hooks.openWords() },
  { keys: '?', what: 'Show these shortcuts', matches: (e) => plain(e) && e.key === '?', run: (_app, hooks) => hooks.openHelp() },
];

/** The element that has the focus, looking inside shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): Element | null {
  let el = root.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

function typing(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(el.type);
  return (el as HTMLElement).isContentEditable;
}

/**
 * How the focus got where it is: a control clicked or tapped keeps no claim on Space (Live's
 * habit: click a clip, press Space, the song stops); one reached with Tab does. (Browsers
 * make any focused element :focus-visible after a key press, so that cannot tell.)
 */
let pointerAt = 0;
let focusByPointer = false;
if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', () => { pointerAt = Date.now(); }, true);
  window.addEventListener('focusin', () => { focusByPointer = Date.now() - pointerAt < 500; }, true);
}

/** A control reached with the keyboard keeps Space for itself (buttons, toggles, links). */
function spaceBelongsTo(el: Element | null): boolean {
  if (!el || focusByPointer) return false;
  return el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement || el.tagName === 'SUMMARY'
    || (el instanceof HTMLInputElement && ['button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type))
    || ['button', 'checkbox', 'radio', 'switch', 'menuitem', 'tab'].includes(el.getAttribute('role') ?? '');
}

/** Runs the shortcut for `e`, if any applies; true when it did (the caller stops the event). */
export function handleShortcut(e: KeyboardEvent, app: RoomApp, hooks: ShortcutHooks): boolean {
  if (e.defaultPrevented || e.isComposing || (e.repeat && e.code !== 'Space')) return false;
  if (hooks.blocked()) return false;
  const focused = deepActiveElement();
  const shortcut = SHORTCUTS.find((s) => s.matches(e));
  if (!shortcut) return false;
  if (typing(focused) && !shortcut.inFields) return false;
  if (e.code === 'Space' && spaceBelongsTo(focused)) return false;
  if (e.repeat) return true; // a held Space must not start and stop the transport over and over
  shortcut.run(app, hooks, e);
  return true;
}
