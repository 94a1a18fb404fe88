import { ROLES, type Role } from './roles.ts';

/**
 * What each person's page publishes in the `notes` doc's awareness (y-protocols), and
 * so what every other page receives from people it does not trust: who they are and
 * where their caret is. Zod-free: pages read it with the readers below.
 */
export interface NotesUser { name: string; color: string; role: Role }

/** A selection as Yjs relative positions (JSON), so it survives other people's edits. */
export interface NotesCursor { anchor: unknown; head: unknown }

/** The awareness fields: `user` always, `cursor` while the textarea has a selection. */
export const NOTES_AWARENESS = { user: 'user', cursor: 'cursor' } as const;

function record(value: unknown): Readonly<Record<string, unknown>> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value));
}

export function notesUserOf(value: unknown): NotesUser | null {
  const f = record(value);
  const role = ROLES.find((r) => r === f?.role);
  if (!f || !role || typeof f.name !== 'string' || typeof f.color !== 'string') return null;
  // Another page's text goes into our DOM and CSS: bounded, and a colour only as #rrggbb.
  if (f.name.length > 40 || !/^#[0-9a-f]{6}$/i.test(f.color)) return null;
  return { name: f.name, color: f.color, role };
}

export function notesCursorOf(value: unknown): NotesCursor | null {
  const f = record(value);
  if (!f || !('anchor' in f) || !('head' in f)) return null;
  return { anchor: f.anchor, head: f.head };
}
