import type { AuditEntry, HostSessionRow, Presence } from '../../../protocol/browser.ts';
import type { SetStore } from './set-store.ts';

/**
 * The console's people: one row per person (name and address), the session they use now
 * first and the sessions a reload or a second tab left behind folded under it.
 */
export interface Person {
  key: string;
  name: string;
  current: HostSessionRow;
  earlier: HostSessionRow[];
  presence: Presence;
}

const RANK: Record<Presence, number> = { online: 2, away: 1, offline: 0 };

function presenceOf(s: HostSessionRow): Presence {
  return s.presence ?? (s.connected ? 'online' : 'away');
}

export function groupPeople(rows: readonly HostSessionRow[]): Person[] {
  const groups = new Map<string, HostSessionRow[]>();
  for (const row of rows) {
    const key = `${row.name}\u0000${row.ip}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const people: Person[] = [];
  for (const [key, list] of groups) {
    list.sort((a, b) => RANK[presenceOf(b)] - RANK[presenceOf(a)] || b.lastActiveAt - a.lastActiveAt || b.createdAt - a.createdAt);
    const [current, ...earlier] = list as [HostSessionRow, ...HostSessionRow[]];
    people.push({ key, name: current.name, current, earlier, presence: presenceOf(current) });
  }
  // Who joined first stays on top, as before.
  return people.sort((a, b) => Math.min(...[a.current, ...a.earlier].map((s) => s.createdAt)) - Math.min(...[b.current, ...b.earlier].map((s) => s.createdAt)));
}

/** An entity id as the set names it: a track, a clip, a scene, a device or a parameter. */
export function entityName(set: SetStore, id: string | null | undefined): string {
  if (!id) return 'the song';
  if (id === 'song') return 'the song';
  if (id === 'master') return 'the master';
  const t = set.get('track', id) ?? set.get('return', id);
  if (t) return t.name;
  const clip = set.get('clip', id);
  if (clip) return `clip \u201c${clip.name || 'untitled'}\u201d${trackSuffix(set, clip.trackId)}`;
  const slot = set.get('clip_slot', id);
  if (slot) return `a slot${trackSuffix(set, slot.trackId)}`;
  const scene = set.get('scene', id);
  if (scene) return `scene \u201c${scene.name || 'untitled'}\u201d`;
  const device = set.get('device', id);
  if (device) return `${device.name}${trackSuffix(set, device.trackId)}`;
  const param = set.get('parameter', id);
  if (param) return `${param.name} (${set.get('device', param.deviceId)?.name ?? 'device'})`;
  return 'something no longer in the set';
}

function trackSuffix(set: SetStore, trackId: string | undefined): string {
  const name = trackId ? (set.get('track', trackId) ?? set.get('return', trackId))?.name : undefined;
  return name ? ` on ${name}` : '';
}

const KIND_WORDS: Record<string, string> = {
  join: 'joined',
  leave: 'left',
  session_expired: 'session ended (expired)',
  session_refresh: 'page picked up its new role',
  join_refused: 'was refused at the door',
  join_throttled: 'was slowed down after wrong join codes',
  kicked_token: 'a removed session tried to come back',
  ip_mismatch: 'a session was used from another address',
  origin_refused: 'a request from another site was refused',
  yjs_violation: 'the page tried to write to a read-only doc (dropped)',
  yjs_too_slow: 'a page fell behind and was resynced',
  agent_refused: 'a studio agent was refused',
  host_refused: 'a host call was refused',
  pin_guessing: 'someone is guessing the admin PIN',
  connection_refused: 'a connection was refused',
  notes_refused: 'a notes change was refused',
  notes_reset: 'the notes started empty (a broken file was set aside)',
  internal_error: 'the server caught an error and carried on',
  file_upload: 'file upload',
  file_download: 'file download',
  certificate_renewed: 'the certificate was renewed',
  certificate_error: 'the certificate could not be renewed',
  certificate_warning: 'a certificate warning',
};

/** An audit entry in names and words: who, what, and (for a refusal) why. */
export function auditWords(entry: AuditEntry, set: SetStore, names: ReadonlyMap<string, string>): { who: string; what: string; refusal: string } {
  const who = entry.name ?? (entry.sessionId ? names.get(entry.sessionId) : undefined) ?? (entry.kind === 'child' || entry.kind.startsWith('certificate') ? 'the server' : 'someone');
  const refusal = entry.code ?? 'refused';
  if (entry.kind === 'command' || entry.kind === 'gesture') {
    const drag = entry.kind === 'gesture' ? ' (drag)' : '';
    return { who, what: `${entry.action ?? 'command'} \u00b7 ${entityName(set, entry.target)}${drag}`, refusal };
  }
  if (entry.kind === 'host') {
    const target = entry.target ? entry.targetName ?? names.get(entry.target) : undefined;
    // Older entries list assigned tracks by id: name them.
    const detail = (entry.detail ?? '').replace(/\bt\d+\b/g, (id) => set.get('track', id)?.name ?? id);
    const what = detail || entry.action || 'host action';
    return { who, what: target && !what.includes(target) ? `${what} (${target})` : what, refusal };
  }
  const words = KIND_WORDS[entry.kind];
  return { who, what: words ? `${words}${entry.detail ? ` \u2014 ${entry.detail}` : ''}` : `${entry.kind}${entry.detail ? `: ${entry.detail}` : ''}`, refusal };
}
