import type { Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import { connectRoom, connected, join, openDoc, synced, type DocClient, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { ROOM_EVENTS } from '../../protocol/index.ts';

export interface BenchClient {
  name: string;
  cookie: string;
  socket: Socket | null;
  doc: DocClient | null;
  close(): void;
}

/** Joins `count` sessions, each with a socket.io /room connection and/or a `set` doc, a few at a time. */
export async function openClients(peer: Peer, joinCode: string, count: number, what: { room: boolean; doc: boolean; prefix?: string }, concurrency = 10): Promise<BenchClient[]> {
  const clients: BenchClient[] = new Array<BenchClient>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const name = `${what.prefix ?? 'bench'}-${i}`;
      const { cookie } = await join(peer, { name, code: joinCode });
      const socket = what.room ? connectRoom(peer, cookie) : null;
      const doc = what.doc ? openDoc(peer, cookie, 'set') : null;
      if (socket) await connected(socket);
      if (doc) await synced(doc, 120_000);
      clients[i] = {
        name, cookie, socket, doc,
        close: () => { socket?.close(); doc?.destroy(); },
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return clients;
}

/**
 * Shows the first `max` devices of the set on `socket`, as a browser's device panels
 * would (ROOM_EVENTS.observe), and waits until their parameters are in `doc`: Live
 * mirrors parameters only of devices someone shows. The socket must stay open while
 * they are wanted.
 */
export async function showDevices(socket: Socket, doc: Y.Doc, max = 32): Promise<string[]> {
  const devices = doc.getMap<Y.Map<unknown>>('devices');
  await until(() => devices.size > 0, 'devices in the set doc', 30_000);
  const ids = [...devices.keys()].slice(0, max);
  socket.emit(ROOM_EVENTS.observe, { devices: ids });
  const params = doc.getMap<Y.Map<unknown>>('params');
  const want = (): number => ids.reduce((n, id) => n + Math.max(0, Number(devices.get(id)?.get('paramCount') ?? 0)), 0);
  await until(() => params.size >= want(), 'the shown devices\' parameters in the set doc', 60_000);
  return ids;
}

export function closeAll(clients: readonly (BenchClient | undefined)[]): void {
  for (const c of clients) c?.close();
}

export interface Control { action: 'track.set_volume' | 'track.set_pan' | 'track.set_send' | 'parameter.set'; target: string; index?: number; min: number; max: number; trackId: string | null }

export interface SetIds {
  tracks: string[];
  returns: string[];
  slotsWithClips: string[];
  controls: Control[];
  volumeOf(trackId: string): number | undefined;
}

/** Reads ids from a synced `set` doc: tracks, returns, launchable slots and continuous controls. */
export async function readSet(doc: Y.Doc): Promise<SetIds> {
  const tracks = doc.getMap<Y.Map<unknown>>('tracks');
  const order = doc.getMap<unknown>('order');
  await until(() => tracks.size >= 4 && Array.isArray(order.get('tracks')), 'tracks in the set doc', 30_000);
  const trackIds = (order.get('tracks') as string[]).filter((id) => tracks.has(id));
  const returnIds = ((order.get('returns') as string[] | undefined) ?? []);
  const slots = doc.getMap<Y.Map<unknown>>('clipSlots');
  const slotsWithClips = [...slots.entries()].filter(([, s]) => s.get('hasClip') === true).map(([id]) => id);
  const controls: Control[] = [];
  const returnsMap = doc.getMap<Y.Map<unknown>>('returns');
  for (const id of trackIds) {
    const t = tracks.get(id)!;
    if (t.get('kind') === 'group') continue;
    controls.push({ action: 'track.set_volume', target: id, min: 0, max: 1, trackId: id });
  }
  for (const id of trackIds) {
    const t = tracks.get(id)!;
    if (t.get('kind') === 'group') continue;
    controls.push({ action: 'track.set_pan', target: id, min: -1, max: 1, trackId: id });
    const sends = t.get('sends') as number[] | undefined;
    (sends ?? []).forEach((_v, index) => controls.push({ action: 'track.set_send', target: id, index, min: 0, max: 1, trackId: id }));
  }
  for (const id of returnIds) if (returnsMap.has(id)) controls.push({ action: 'track.set_volume', target: id, min: 0, max: 1, trackId: id });
  const params = doc.getMap<Y.Map<unknown>>('params');
  for (const [id, p] of params) {
    if (p.get('isQuantized') === true || p.get('isEnabled') === false) continue;
    const min = Number(p.get('min'));
    const max = Number(p.get('max'));
    if (Number.isFinite(min) && Number.isFinite(max) && max > min) controls.push({ action: 'parameter.set', target: id, min, max, trackId: null });
  }
  return {
    tracks: trackIds,
    returns: returnIds,
    slotsWithClips,
    controls,
    volumeOf: (trackId) => (tracks.get(trackId) ?? returnsMap.get(trackId))?.get('volume') as number | undefined,
  };
}

export function controlArgs(control: Control, unit: number): Record<string, unknown> {
  const value = control.min + (control.max - control.min) * Math.min(1, Math.max(0, unit));
  return control.index !== undefined ? { index: control.index, value } : { value };
}
