import { andList, type ClauseView } from '../clauses/clause-view.ts';
import { phraseOf, type Named } from '../names/name-index.ts';
import { Refusal, refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { topTier } from '../names/match-names.ts';
import { dedupe } from './targets.ts';

interface Launchables { scenes: Named[]; tracks: Named[]; clips: Named[] }

/**
 * Clips and scenes by name, or a track's clip in a scene ("the drums in the chorus").
 * Tracks and scenes are tried first, so "bass chorus" is the Bass clip in Chorus even
 * where two clips are called "Bass Chorus"; clip names come next.
 */
export function launchFrame(view: ClauseView, verb: 'fire' | 'stop'): ClauseOutcome {
  const found = launchables(view);
  const { index, values } = view.ctx;
  const commands: Planned[] = [];
  if (found.tracks.length > 0 && found.scenes.length === 1) {
    const scene = found.scenes[0]!;
    for (const track of found.tracks) {
      const slotId = index.slots.get(track.id)?.[scene.index - 1];
      const slot = slotId ? values.entity('clip_slot', slotId) : undefined;
      if (!slotId || !slot) refuse('NO_MATCH', `${track.label} has no slot in ${scene.label}.`);
      const clipId = slot.get('clipId');
      const clip = typeof clipId === 'string' ? index.byId.get(clipId) : undefined;
      if (!clip) {
        if (verb === 'stop') { commands.push({ action: 'track.stop_clips', target: track.id, args: {}, say: `Stop ${track.label}` }); continue; }
        refuse('NO_MATCH', `${track.label} has no clip in ${scene.label}.`, clipsOf(view, track).map((c) => `play ${phraseOf(index, c)}`));
      }
      commands.push(verb === 'fire'
        ? { action: 'clip_slot.fire', target: slotId, args: {}, say: `Launch ${clip.name ? `${clip.name} on ${track.label}` : `${track.label}'s clip`} (${scene.label})` }
        : { action: 'clip_slot.stop', target: slotId, args: {}, say: `Stop ${track.label} in ${scene.label}` });
    }
  } else if (found.clips.length > 0 && found.scenes.length === 0) {
    const clips = found.tracks.length > 0 ? found.clips.filter((c) => found.tracks.some((t) => t.id === c.trackId)) : found.clips;
    if (clips.length === 0) refuse('NO_MATCH', `${andList(found.tracks.map((t) => t.label))} has no clip called that.`);
    for (const clip of clips) commands.push(verb === 'fire' ? { action: 'clip.fire', target: clip.id, args: {}, say: `Launch ${clip.label}` } : { action: 'clip.stop', target: clip.id, args: {}, say: `Stop ${clip.label}` });
  } else if (found.scenes.length > 0 && found.tracks.length === 0 && found.clips.length === 0) {
    if (verb === 'stop') refuse('NOT_UNDERSTOOD', 'A scene does not stop by itself: stop its tracks, or all clips.', ['stop all clips']);
    for (const scene of found.scenes) commands.push({ action: 'scene.fire', target: scene.id, args: {}, say: `Launch ${scene.label}` });
  } else if (found.tracks.length > 0 && found.scenes.length === 0 && found.clips.length === 0) {
    if (verb === 'stop') {
      for (const track of found.tracks) {
        if (track.kind !== 'track') refuse('NOT_UNDERSTOOD', `${track.label} has no clips to stop.`);
        commands.push({ action: 'track.stop_clips', target: track.id, args: {}, say: `Stop the clips on ${track.label}` });
      }
    } else {
      const track = found.tracks[0]!;
      const clips = clipsOf(view, track);
      if (found.tracks.length > 1 || clips.length !== 1) {
        refuse(clips.length === 0 ? 'NO_MATCH' : 'AMBIGUOUS', clips.length === 0 ? `${track.label} has no clips.` : `Which clip on ${track.label}: ${andList(clips.slice(0, 6).map((c) => c.name || `slot ${(c.sceneIndex ?? 0) + 1}`))}?`, clips.slice(0, 5).map((c) => `play ${phraseOf(index, c)}`));
      }
      commands.push({ action: 'clip.fire', target: clips[0]!.id, args: {}, say: `Launch ${clips[0]!.label}` });
    }
  } else if (found.scenes.length > 1 && found.tracks.length > 0) {
    refuse('NOT_UNDERSTOOD', 'One scene at a time for a track\'s clip: "the drums in the chorus".');
  } else {
    refuse('NOT_UNDERSTOOD', `${verb === 'fire' ? 'Launch' : 'Stop'} what? Name a scene, a clip, or a track in a scene.`);
  }
  return { commands, say: `${andList(commands.map((c) => c.say))}.`, memory: { family: verb === 'fire' ? 'launch' : 'stop_clip', targets: [...found.tracks, ...found.scenes, ...found.clips] } };
}

/** Clips by name, narrowed by a track or scene said with them ("the shaker in the verse"). */
function clipsNamed(view: ClauseView, byIndex: Named[]): Launchables {
  const others: Named[] = [...byIndex];
  const words: Array<{ words: string[]; from: number; to: number }> = [];
  for (const mention of view.mentions()) {
    const loose = view.resolveLoose(mention, ['track', 'return', 'scene']);
    others.push(...loose.picks.map((p) => p.named));
    words.push(...loose.rest);
  }
  const tracks = others.filter((n) => n.kind !== 'scene');
  const scenes = others.filter((n) => n.kind === 'scene');
  if (words.length === 0) {
    // "the clip on the keys": every word named a track, so it is that track's clip.
    if (tracks.length > 0 && scenes.length === 0) return { scenes: [], tracks: dedupe(tracks), clips: [] };
    refuse('NOT_UNDERSTOOD', 'Launch which clip?');
  }
  const clips: Named[] = [];
  for (const w of words) {
    const found = view.ctx.matcher.match(w.words, new Set(['clip']))
      .filter((c) => tracks.length === 0 || tracks.some((t) => t.id === c.named.trackId))
      .filter((c) => scenes.length === 0 || scenes.some((s) => s.index - 1 === c.named.sceneIndex));
    const said = view.slice(w.from, w.to);
    if (found.length === 0) refuse('NO_MATCH', `No clip called "${said}"${tracks.length + scenes.length > 0 ? ` on ${andList([...tracks, ...scenes].map((n) => n.label))}` : ''}.`);
    const tier = topTier(found);
    if (tier.length > 1) refuse('AMBIGUOUS', `"${said}" could be ${andList(tier.slice(0, 5).map((c) => c.named.label))}. Which one?`, tier.slice(0, 5).map((c) => view.substitute(w.from, w.to, phraseOf(view.ctx.index, c.named))));
    clips.push(tier[0]!.named);
  }
  return { scenes: [], tracks: [], clips };
}

function clipsOf(view: ClauseView, track: Named): Named[] {
  return view.ctx.index.clips.filter((c) => c.trackId === track.id);
}

function launchables(view: ClauseView): Launchables {
  const byIndex = view.indexes().filter((i) => i.of === 'scene' || i.of === 'track').map((i) => view.byIndex(i));
  const slotIndex = view.indexes().find((i) => i.of === 'clip' || i.of === 'slot');
  let first: Refusal | null = null;
  try {
    const picks = view.mentions().flatMap((m) => view.resolve(m, ['track', 'return', 'scene'], 'scene or track'));
    const named = [...picks.map((p) => p.named), ...byIndex];
    const scenes = named.filter((n) => n.kind === 'scene');
    const tracks = named.filter((n) => n.kind !== 'scene');
    if (slotIndex && tracks.length > 0 && scenes.length === 0) {
      const scene = view.ctx.index.scenes[(slotIndex.n === -1 ? view.ctx.index.scenes.length : slotIndex.n) - 1];
      if (!scene) refuse('NO_MATCH', `There is no slot ${slotIndex.n}: the set has ${view.ctx.index.scenes.length} scenes.`);
      return { scenes: [scene], tracks, clips: [] };
    }
    if (scenes.length > 0 || (tracks.length > 0 && !view.has('clip_word'))) return { scenes, tracks, clips: [] };
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    first = err;
  }
  try {
    return clipsNamed(view, byIndex);
  } catch (err) {
    if (!(err instanceof Refusal) || !first) throw err;
    // Prefer the refusal that understood more: a tie between clips beats "no scene called".
    throw err.error.code === 'AMBIGUOUS' ? err : first;
  }
}
