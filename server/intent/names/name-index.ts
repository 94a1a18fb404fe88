import * as Y from 'yjs';
import { ROOT_OF } from '../../../protocol/index.ts';
import { genericDeviceName } from './device-classes.ts';
import { canonical } from './similarity.ts';

export type NamedKind = 'track' | 'return' | 'master' | 'scene' | 'clip' | 'cue_point' | 'device';

/** Something in the set that words can name. */
export interface Named {
  kind: NamedKind;
  id: string;
  /** As Live names it. */
  name: string;
  /** How Roomtone says it back: "Drums", "Hook (Lead, Chorus)", "Compressor on Bass". */
  label: string;
  /** Word lists that name it; the first is its own name. `weight` < 1 for generic ones; `whole` ones match only in full. */
  aliases: Array<{ words: string[]; weight: number; whole?: boolean }>;
  /** 1-based position among its kind in Live's order (tracks, returns, scenes, cue points by time). */
  index: number;
  /** Clips and devices: the track they are on. Clips: the scene row. */
  trackId?: string;
  sceneIndex?: number;
  /** Regular tracks: the group they are in. */
  groupId?: string | null;
}

interface AliasRef { named: Named; alias: number }

export interface ParamName { id: string; name: string; words: string[] }

/**
 * The names of one `set` doc, indexed for the word parser. Built once per change of
 * names or structure (a fader move does not rebuild it); values are read live instead.
 */
export class NameIndex {
  readonly tracks: Named[] = [];
  readonly returns: Named[] = [];
  master: Named | null = null;
  readonly scenes: Named[] = [];
  readonly clips: Named[] = [];
  readonly cues: Named[] = [];
  readonly devices: Named[] = [];
  readonly byId = new Map<string, Named>();
  /** Track id → its clip slot ids by scene row. */
  readonly slots = new Map<string, string[]>();
  /** Track id → its device ids, in chain order. */
  readonly trackDevices = new Map<string, string[]>();
  /** Every word of every alias (as written) → where it occurs. */
  readonly vocabulary = new Map<string, AliasRef[]>();
  /** The same by canonical word ("vox" and "vocals" meet at "vocal"). */
  readonly byCanonical = new Map<string, AliasRef[]>();
  /** Device id → its parameters' names, read once (a set has thousands; words look them up often). */
  private readonly paramNames = new Map<string, ParamName[]>();

  private constructor(private readonly doc: Y.Doc) {}

  static fromDoc(doc: Y.Doc): NameIndex {
    const index = new NameIndex(doc);
    index.read(doc);
    return index;
  }

  /** The names of a device's parameters (values are read live, from SetValues). */
  params(deviceId: string): readonly ParamName[] {
    const cached = this.paramNames.get(deviceId);
    if (cached) return cached;
    const device = this.doc.getMap<unknown>(ROOT_OF.device).get(deviceId);
    const params = this.doc.getMap<unknown>(ROOT_OF.parameter);
    const out: ParamName[] = [];
    const ids: unknown = device instanceof Y.Map ? device.get('params') : undefined;
    if (Array.isArray(ids)) {
      for (const id of ids) {
        const p = typeof id === 'string' ? params.get(id) : undefined;
        if (!(p instanceof Y.Map)) continue;
        const name = text(p.get('name'));
        out.push({ id: id as string, name, words: wordsOf(name) });
      }
    }
    this.paramNames.set(deviceId, out);
    return out;
  }

  all(): Named[] {
    return [...this.tracks, ...this.returns, ...(this.master ? [this.master] : []), ...this.scenes, ...this.clips, ...this.cues, ...this.devices];
  }

  private read(doc: Y.Doc): void {
    const order = doc.getMap<unknown>(ROOT_OF.order);
    const trackIds = stringList(order.get('tracks'));
    const returnIds = stringList(order.get('returns'));
    const sceneIds = stringList(order.get('scenes'));
    const tracks = doc.getMap<unknown>(ROOT_OF.track);
    const returns = doc.getMap<unknown>(ROOT_OF.return);
    const scenes = doc.getMap<unknown>(ROOT_OF.scene);

    trackIds.forEach((id, i) => {
      const map = tracks.get(id);
      if (!(map instanceof Y.Map)) return;
      const name = text(map.get('name'));
      const groupId: unknown = map.get('groupId');
      this.add({ kind: 'track', id, name, label: name || `track ${i + 1}`, aliases: aliasesOf(name), index: i + 1, groupId: typeof groupId === 'string' ? groupId : null });
      this.slots.set(id, stringList(map.get('clipSlots')));
      this.trackDevices.set(id, stringList(map.get('devices')));
    });
    returnIds.forEach((id, i) => {
      const map = returns.get(id);
      if (!(map instanceof Y.Map)) return;
      const name = text(map.get('name'));
      const letter = String.fromCharCode(97 + i);
      const aliases = aliasesOf(name);
      const words = aliases[0]?.words ?? [];
      // Live shows returns as "A-Reverb": the letter is a prefix, not a word people say.
      if (words.length > 1 && words[0] === letter) aliases.push({ words: words.slice(1), weight: 1 });
      this.add({ kind: 'return', id, name, label: name || `return ${letter.toUpperCase()}`, aliases, index: i + 1 });
      this.trackDevices.set(id, stringList(map.get('devices')));
    });
    const master = doc.getMap<unknown>(ROOT_OF.master);
    if (typeof master.get('id') === 'string') {
      const aliases = [['master'], ['main'], ['mains'], ['master', 'track'], ['master', 'bus'], ['main', 'mix'], ['mix', 'bus'], ['main', 'out'], ['stereo', 'out'], ['master', 'fader']]
        // "out" or "bus" alone is not the master: these match only whole.
        .map((words) => ({ words, weight: 1, whole: true }));
      this.add({ kind: 'master', id: 'master', name: 'Master', label: 'the master', aliases, index: 1 });
      this.trackDevices.set('master', stringList(master.get('devices')));
    }
    sceneIds.forEach((id, i) => {
      const map = scenes.get(id);
      if (!(map instanceof Y.Map)) return;
      const name = text(map.get('name'));
      this.add({ kind: 'scene', id, name, label: name ? `scene ${name}` : `scene ${i + 1}`, aliases: aliasesOf(name), index: i + 1 });
    });
    this.readClips(doc);
    this.readCues(doc, stringList(order.get('cuePoints')));
    this.readDevices(doc);
  }

  private readClips(doc: Y.Doc): void {
    const clips = doc.getMap<unknown>(ROOT_OF.clip);
    const slotsRoot = doc.getMap<unknown>(ROOT_OF.clip_slot);
    for (const track of this.tracks) {
      const slotIds = this.slots.get(track.id) ?? [];
      slotIds.forEach((slotId, row) => {
        const slot = slotsRoot.get(slotId);
        if (!(slot instanceof Y.Map)) return;
        const clipId: unknown = slot.get('clipId');
        if (typeof clipId !== 'string') return;
        const clip = clips.get(clipId);
        if (!(clip instanceof Y.Map)) return;
        const name = text(clip.get('name'));
        const scene = this.scenes[row];
        const where = `${track.label}, ${scene?.name || `scene ${row + 1}`}`;
        this.add({ kind: 'clip', id: clipId, name, label: name ? `${name} (${where})` : `the clip on ${where}`, aliases: aliasesOf(name), index: row + 1, trackId: track.id, sceneIndex: row });
      });
    }
  }

  private readCues(doc: Y.Doc, ids: string[]): void {
    const cues = doc.getMap<unknown>(ROOT_OF.cue_point);
    const found: Array<{ id: string; name: string; time: number }> = [];
    for (const id of ids) {
      const map = cues.get(id);
      if (!(map instanceof Y.Map)) continue;
      const time: unknown = map.get('time');
      found.push({ id, name: text(map.get('name')), time: typeof time === 'number' ? time : 0 });
    }
    found.sort((a, b) => a.time - b.time);
    found.forEach((cue, i) => this.add({ kind: 'cue_point', id: cue.id, name: cue.name, label: cue.name ? `the locator ${cue.name}` : `locator ${i + 1}`, aliases: aliasesOf(cue.name), index: i + 1 }));
  }

  private readDevices(doc: Y.Doc): void {
    const devices = doc.getMap<unknown>(ROOT_OF.device);
    for (const [trackId, ids] of this.trackDevices) {
      const owner = this.byId.get(trackId);
      ids.forEach((id, i) => {
        const map = devices.get(id);
        if (!(map instanceof Y.Map)) return;
        const name = text(map.get('name'));
        const aliases = aliasesOf(name);
        const generic = genericDeviceName(text(map.get('className')));
        if (generic && generic !== wordsOf(name).join(' ')) aliases.push({ words: generic.split(' '), weight: 0.95 });
        this.add({ kind: 'device', id, name, label: `${name || generic || 'device'} on ${owner?.label ?? trackId}`, aliases, index: i + 1, trackId });
      });
    }
  }

  private add(named: Named): void {
    this.byId.set(named.id, named);
    switch (named.kind) {
      case 'track': this.tracks.push(named); break;
      case 'return': this.returns.push(named); break;
      case 'master': this.master = named; break;
      case 'scene': this.scenes.push(named); break;
      case 'clip': this.clips.push(named); break;
      case 'cue_point': this.cues.push(named); break;
      case 'device': this.devices.push(named); break;
    }
    named.aliases.forEach((alias, i) => {
      for (const word of alias.words) {
        push(this.vocabulary, word, { named, alias: i });
        push(this.byCanonical, canonical(word), { named, alias: i });
      }
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The words of a name as the parser compares them: lower case, no accents or punctuation, digits apart. */
export function wordsOf(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, '$1$3 $2$4')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter((w) => w.length > 0);
}

function aliasesOf(name: string): Array<{ words: string[]; weight: number }> {
  const words = wordsOf(name);
  return words.length > 0 ? [{ words, weight: 1 }] : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Words that name exactly this thing, to offer back as a suggestion: its name where that
 * is unique, else its position ("track 3", "Lead in Chorus" for a clip whose name repeats).
 */
export function phraseOf(index: NameIndex, named: Named): string {
  const same = (list: readonly Named[]): boolean => list.filter((n) => n.name.toLowerCase() === named.name.toLowerCase()).length === 1;
  switch (named.kind) {
    case 'master': return 'the master';
    case 'track': return named.name && same([...index.tracks, ...index.returns]) ? named.name : `track ${named.index}`;
    case 'return': return named.name && same([...index.tracks, ...index.returns]) ? named.name : `return ${String.fromCharCode(64 + named.index)}`;
    case 'scene': return named.name && same(index.scenes) ? named.name : `scene ${named.index}`;
    case 'cue_point': return named.name && same(index.cues) ? `the ${named.name} locator` : `locator ${named.index}`;
    case 'clip': {
      if (named.name && same(index.clips)) return named.name;
      const track = named.trackId ? index.byId.get(named.trackId) : undefined;
      const scene = named.sceneIndex !== undefined ? index.scenes[named.sceneIndex] : undefined;
      return `${track ? phraseOf(index, track) : 'its track'} in ${scene ? phraseOf(index, scene) : `scene ${(named.sceneIndex ?? 0) + 1}`}`;
    }
    case 'device': {
      const track = named.trackId ? index.byId.get(named.trackId) : undefined;
      return `${named.name} on ${track ? phraseOf(index, track) : 'its track'}`;
    }
  }
}
