import { LAYOUTS, ROLES, type Layout, type Role } from './roles.ts';
import { wireErrorOf, type WireError } from './errors.ts';
import type { Health, SessionView } from './room-events.ts';
import type { MetaProps, ProcessInfo } from './set-doc.ts';
import { AUDIO_FORMATS } from './files.ts';
import type { FileAllowance, FilesListing, StoredFileView, TakeView, TakesListing, UploadAnswer } from './file-schemas.ts';

/**
 * The page's parse of the HTTP answers it reads, without zod (the page does not load
 * it): each reader checks every field its type promises and builds the value from the
 * checked fields, or answers null. protocol/page-readers.test.ts holds each reader to
 * its zod schema in room-events.ts, so the two cannot drift apart.
 */

type Fields = Readonly<Record<string, unknown>>;

function fields(value: unknown): Fields | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = field;
  return out;
}

function oneOf<T extends string>(options: readonly T[], value: unknown): T | undefined {
  return options.find((option) => option === value);
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.map(String) : null;
}

export function sessionViewOf(value: unknown): SessionView | null {
  const f = fields(value);
  if (!f) return null;
  const { id, name, room, canControl, expiresAt } = f;
  const role: Role | undefined = oneOf(ROLES, f.role);
  const layout: Layout | undefined = oneOf(LAYOUTS, f.layout);
  const assignedTracks = strings(f.assignedTracks);
  if (typeof id !== 'string' || typeof name !== 'string' || typeof room !== 'string' || typeof canControl !== 'boolean'
    || typeof expiresAt !== 'number' || !role || !layout || !assignedTracks) return null;
  return { id, name, role, layout, room, canControl, assignedTracks, expiresAt };
}

/** `{ session }` (join, refresh, the current session): the session, or null. */
export function sessionAnswerOf(body: unknown): SessionView | null {
  return sessionViewOf(fields(body)?.session);
}

/** `GET /healthz`, or null. */
export function healthOf(body: unknown): Health | null {
  const f = fields(body);
  const agent = fields(f?.agent);
  const live = fields(f?.live);
  if (!f || !agent || !live || typeof f.ok !== 'boolean' || typeof f.version !== 'string' || !Array.isArray(f.processes)) return null;
  const mode = oneOf(['real', 'sim', 'none'] as const, live.mode);
  const processes = processesOf(f.processes);
  const version = live.version === null ? null : typeof live.version === 'string' ? live.version : undefined;
  if (typeof agent.connected !== 'boolean' || typeof live.connected !== 'boolean' || typeof f.stopping !== 'boolean' || !mode || !processes || version === undefined) return null;
  return { ok: f.ok, version: f.version, stopping: f.stopping, agent: { connected: agent.connected }, live: { mode, connected: live.connected, version }, processes };
}

function processesOf(value: unknown): ProcessInfo[] | null {
  if (!Array.isArray(value)) return null;
  const out: ProcessInfo[] = [];
  for (const item of value) {
    const p = fields(item);
    if (!p || typeof p.name !== 'string' || typeof p.running !== 'boolean' || typeof p.restarts !== 'number') return null;
    const lastExit = p.lastExit === null ? null : typeof p.lastExit === 'string' ? p.lastExit : undefined;
    const phase = oneOf(['starting', 'running', 'restarting', 'failed', 'stopped'] as const, p.phase);
    const error = p.error === null ? null : typeof p.error === 'string' ? p.error : undefined;
    if (lastExit === undefined || error === undefined || !phase) return null;
    out.push({ name: p.name, phase, running: p.running, restarts: p.restarts, lastExit, error });
  }
  return out;
}

/** The `set` doc's `meta` map: each field the server wrote with its declared type; others are left out. */
export function metaOf(value: unknown): Partial<MetaProps> {
  const f = fields(value);
  if (!f) return {};
  const meta: Partial<MetaProps> = {};
  if (typeof f.instance === 'string') meta.instance = f.instance;
  if (typeof f.epoch === 'string' || f.epoch === null) meta.epoch = f.epoch;
  if (typeof f.agentConnected === 'boolean') meta.agentConnected = f.agentConnected;
  if (typeof f.liveConnected === 'boolean') meta.liveConnected = f.liveConnected;
  if (typeof f.simulated === 'boolean' || f.simulated === null) meta.simulated = f.simulated;
  if (typeof f.liveVersion === 'string' || f.liveVersion === null) meta.liveVersion = f.liveVersion;
  if (typeof f.agentChangedAt === 'number') meta.agentChangedAt = f.agentChangedAt;
  if (typeof f.liveChangedAt === 'number') meta.liveChangedAt = f.liveChangedAt;
  const processes = processesOf(f.processes);
  if (processes) meta.processes = processes;
  if (f.liveKind === 'real' || f.liveKind === 'sim') meta.liveKind = f.liveKind;
  return meta;
}

/** An HTTP refusal's `{ error }`, or null. */
export function httpErrorOf(body: unknown): WireError | null {
  return wireErrorOf(fields(body)?.error);
}

const numOrNull = (v: unknown): number | null | undefined => (typeof v === 'number' ? v : v === null ? null : undefined);
const strOrNull = (v: unknown): string | null | undefined => (typeof v === 'string' ? v : v === null ? null : undefined);

function listOf<T>(value: unknown, read: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const out: T[] = [];
  for (const item of value) {
    const read1 = read(item);
    if (read1 === null) return null;
    out.push(read1);
  }
  return out;
}

export function storedFileOf(value: unknown): StoredFileView | null {
  const f = fields(value);
  if (!f) return null;
  const { id, name, codec, bytes, seconds, sampleRate, channels, at, mine, fromHost } = f;
  const format = oneOf(AUDIO_FORMATS, f.format);
  const where = oneOf(['set', 'drops'] as const, f.where);
  if (typeof id !== 'string' || typeof name !== 'string' || typeof codec !== 'string' || typeof bytes !== 'number' || typeof seconds !== 'number'
    || typeof sampleRate !== 'number' || typeof channels !== 'number' || typeof at !== 'number' || typeof mine !== 'boolean'
    || typeof fromHost !== 'boolean' || !format || !where) return null;
  return { id, name, format, codec, bytes, seconds, sampleRate, channels, at, mine, fromHost, where };
}

function allowanceOf(value: unknown): FileAllowance | null {
  const f = fields(value);
  if (!f) return null;
  const { dropsEnabled, maxFileBytes, usedTodayBytes, unfinished } = f;
  const quotaBytes = numOrNull(f.quotaBytes);
  if (typeof dropsEnabled !== 'boolean' || typeof maxFileBytes !== 'number' || typeof usedTodayBytes !== 'number'
    || typeof unfinished !== 'number' || quotaBytes === undefined) return null;
  return { dropsEnabled, maxFileBytes, quotaBytes, usedTodayBytes, unfinished };
}

/** `GET /api/files`, or null. */
export function filesListingOf(body: unknown): FilesListing | null {
  const f = fields(body);
  const files = listOf(f?.files, storedFileOf);
  const allowance = allowanceOf(f?.allowance);
  return files && allowance ? { files, allowance } : null;
}

/** An upload's answer once the file is stored, or null. */
export function uploadAnswerOf(body: unknown): UploadAnswer | null {
  const f = fields(body);
  const file = storedFileOf(f?.file);
  return file && typeof f?.duplicate === 'boolean' ? { file, duplicate: f.duplicate } : null;
}

function takeOf(value: unknown): TakeView | null {
  const f = fields(value);
  if (!f) return null;
  const { id, track, name, fileName, recording, available, arrangement } = f;
  const trackId = strOrNull(f.trackId);
  const clipId = strOrNull(f.clipId);
  const fileId = strOrNull(f.fileId);
  const seconds = numOrNull(f.seconds);
  if (typeof id !== 'string' || typeof track !== 'string' || typeof name !== 'string' || typeof fileName !== 'string'
    || typeof recording !== 'boolean' || typeof available !== 'boolean' || typeof arrangement !== 'boolean'
    || trackId === undefined || clipId === undefined || fileId === undefined || seconds === undefined) return null;
  return { id, track, trackId, clipId, name, fileName, seconds, recording, available, arrangement, fileId };
}

/** `GET /api/files/takes`, or null. */
export function takesListingOf(body: unknown): TakesListing | null {
  const f = fields(body);
  const takes = listOf(f?.takes, takeOf);
  if (!f || !takes || typeof f.setSaved !== 'boolean' || typeof f.liveConnected !== 'boolean') return null;
  return { takes, setSaved: f.setSaved, liveConnected: f.liveConnected };
}

/** One bank of a device's parameters as `device.get_banks` answers it: its name and up to eight parameter ids (null: an empty slot). */
export interface DeviceBank { name: string; params: Array<string | null> }

/** `device.get_banks`'s value `{ source, banks }`: the banks, or [] when the value is not one. */
export function deviceBanksOf(value: unknown): DeviceBank[] {
  const banks = fields(value)?.banks;
  if (!Array.isArray(banks)) return [];
  const out: DeviceBank[] = [];
  for (const item of banks) {
    const f = fields(item);
    if (!f || typeof f.name !== 'string' || !Array.isArray(f.params)) continue;
    out.push({ name: f.name, params: f.params.map((p) => (typeof p === 'string' ? p : null)) });
  }
  return out;
}
