import { ROLES, type Role } from './roles.ts';

/**
 * The notes doc's awareness (y-protocols): each person's caret. A page publishes its
 * `user` and, while the textarea has a selection, its `cursor`; the server keeps the
 * carets (H10): it takes only the cursor from a connection, for the ids that connection
 * made, sets `user` from the session, and shows each viewer only what its role may see.
 * Zod-free: pages read what others publish with the readers below.
 */

/** The awareness fields. */
export const NOTES_AWARENESS = { user: 'user', cursor: 'cursor' } as const;

/** A caret's colour: the same for a name on every screen, chosen from the name, never by the person. */
export const CARET_COLOURS = ['#ffa92e', '#3cd3e6', '#7ce06a', '#ff6fa8', '#b48cff', '#ffd84d', '#5aa9ff', '#ff7a4d'] as const;

export function caretColour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return CARET_COLOURS[h % CARET_COLOURS.length]!;
}

/** A caret's `user` as the server sets it, from the session. */
export interface NotesUser { name: string; color: string; role: Role }

/**
 * A caret's `user` as a viewer receives it (H10): hosts see the name and role; members,
 * who edit together, the name; observers (a projector, a student watching) only the colour.
 */
export interface CaretUser { name?: string; color: string; role?: Role }

/** The caret `user` a viewer of `role` may see. */
export function caretUserFor(user: NotesUser, viewer: Role): CaretUser {
  return { color: user.color, ...(viewer !== 'observer' ? { name: user.name } : {}), ...(viewer === 'host' ? { role: user.role } : {}) };
}

/** A selection as Yjs relative positions (JSON), so it survives other people's edits. */
export interface NotesCursor { anchor: unknown; head: unknown }

function record(value: unknown): Readonly<Record<string, unknown>> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value));
}

/** A caret's whole `user` (name, colour and role), as the server keeps it; null when it is not one. */
export function notesUserOf(value: unknown): NotesUser | null {
  const user = caretUserOf(value);
  return user?.name !== undefined && user.role !== undefined ? { name: user.name, color: user.color, role: user.role } : null;
}

/** Another caret's `user` as a viewer receives it, or null when it is not one. */
export function caretUserOf(value: unknown): CaretUser | null {
  const f = record(value);
  // Another page's text goes into our DOM and CSS: bounded, and a colour only as #rrggbb.
  if (!f || typeof f.color !== 'string' || !/^#[0-9a-f]{6}$/i.test(f.color)) return null;
  const name = typeof f.name === 'string' && f.name.length <= 40 ? f.name : undefined;
  const role = ROLES.find((r) => r === f.role);
  return { color: f.color, ...(name !== undefined ? { name } : {}), ...(role ? { role } : {}) };
}

export function notesCursorOf(value: unknown): NotesCursor | null {
  const f = record(value);
  if (!f || !('anchor' in f) || !('head' in f)) return null;
  return { anchor: f.anchor, head: f.head };
}
