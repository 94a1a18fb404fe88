import type { RoomLink } from './room.ts';
import type { SetStore } from './set-store.ts';
import { Observable } from './observable.ts';

/**
 * Whether what the page shows is Live as it is now, and if not, why and since when.
 * Every view reads this one answer: while it is not `live`, what shows Live's state is
 * greyed as "as it was", meters drop to nothing and controls say why they are off.
 *
 * - `room`: the socket to the room server is down (the page is reconnecting);
 * - `set`: the set doc's connection is down or not synced yet;
 * - `agent`: the studio agent is not connected to the server;
 * - `live`: the agent is there but Live (or the simulator) is not.
 */
export type LinkGap = 'room' | 'set' | 'agent' | 'live';

export interface LinkTruth {
  live: boolean;
  gap: LinkGap | null;
  /** When the gap began (ms since the epoch; the server's clock for agent and Live), or null. */
  since: number | null;
}

const LIVE: LinkTruth = { live: true, gap: null, since: null };

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The sentence a banner, a tooltip or a disabled control shows for a gap. */
export function describeGap(truth: LinkTruth): string {
  const since = truth.since ? ` since ${clockTime(truth.since)}` : '';
  switch (truth.gap) {
    case 'room': return `Not connected to the room${since}: reconnecting.`;
    case 'set': return `The set is not connected${since}: reconnecting.`;
    case 'agent': return `The studio agent is not connected${since}: nothing can reach Live.`;
    case 'live': return `Live is not connected${since}: nothing can reach it.`;
    default: return '';
  }
}

export function computeTruth(link: RoomLink, set: SetStore, seen: Map<LinkGap, number>, now = Date.now()): LinkTruth {
  const status = link.status.value;
  const meta = set.meta();
  let gap: LinkGap | null = null;
  let since: number | null = null;
  if (status !== 'online') gap = 'room';
  else if (set.status.value !== 'connected' || !set.synced.value) gap = 'set';
  else if (meta.agentConnected === false) {
    gap = 'agent';
    since = numberOr(meta.agentChangedAt);
  } else if (meta.liveConnected === false) {
    gap = 'live';
    since = numberOr(meta.liveChangedAt);
  }
  for (const key of [...seen.keys()]) if (key !== gap) seen.delete(key);
  if (gap === null) return LIVE;
  // The page's own clock for its own link; the server's stamp when it has one.
  if (!seen.has(gap)) seen.set(gap, now);
  return { live: false, gap, since: since ?? seen.get(gap) ?? now };
}

function numberOr(v: unknown): number | null {
  return typeof v === 'number' && v > 0 ? v : null;
}

/** The truth as an observable, recomputed whenever any of its inputs changes. */
export function watchTruth(link: RoomLink, set: SetStore): { truth: Observable<LinkTruth>; stop(): void } {
  const seen = new Map<LinkGap, number>();
  const truth = new Observable<LinkTruth>(computeTruth(link, set, seen));
  const update = (): void => {
    const next = computeTruth(link, set, seen);
    const cur = truth.value;
    if (next.live !== cur.live || next.gap !== cur.gap || next.since !== cur.since) truth.set(next);
  };
  const offs = [
    link.status.subscribe(update),
    set.status.subscribe(update),
    set.synced.subscribe(update),
    set.subscribe('meta', update),
  ];
  return { truth, stop: () => offs.forEach((off) => off()) };
}
