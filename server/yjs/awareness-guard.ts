import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import {
  NOTES_AWARENESS, NotesCaretStateSchema, caretColour, caretUserFor, notesUserOf, type NotesUser, type Role,
} from '../../protocol/index.ts';

/** Client ids one connection may set carets for (a tab has one; a reconnect may bring another). */
const IDS_PER_CONNECTION = 4;
/** Longest caret state read from a client; a cursor is two relative positions. */
const MAX_STATE_CHARS = 2_048;

/** Who a caret belongs to, from the session that owns the connection. */
export interface CaretOwner { name: string; role: Role }

/**
 * The notes' awareness as the server keeps it (H10). A client may set and remove only
 * the carets its own connection made, and only their cursor: the name, colour and role
 * come from its session. Observers saw names and roles only hosts may see, and a member
 * could rename its caret "Teacher" or overwrite and delete other carets.
 */
export class AwarenessGuard {
  private readonly owners = new Map<number, object>();

  constructor(private readonly serverClientId: number) {}

  /**
   * The update rewritten: entries for another connection's ids (or the server's) are
   * dropped; each kept state is `{ user, cursor }` with `user` from the session. Null when
   * nothing is left.
   */
  rewrite(update: Uint8Array, connection: object, owner: CaretOwner): Uint8Array | null {
    const decoder = decoding.createDecoder(update);
    const entries: Array<{ clientId: number; clock: number; state: string }> = [];
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      if (!this.mayWrite(clientId, connection)) continue;
      const state = raw === 'null' ? null : serverState(raw, owner);
      if (state === undefined) continue;
      if (state !== null) this.owners.set(clientId, connection);
      entries.push({ clientId, clock, state: JSON.stringify(state) });
    }
    if (entries.length === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, entries.length);
    for (const e of entries) {
      encoding.writeVarUint(encoder, e.clientId);
      encoding.writeVarUint(encoder, e.clock);
      encoding.writeVarString(encoder, e.state);
    }
    return encoding.toUint8Array(encoder);
  }

  /** The connection closed: its ids are free again (its carets are removed by the caller). */
  release(connection: object): number[] {
    const ids: number[] = [];
    for (const [id, conn] of this.owners) if (conn === connection) ids.push(id);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }

  private mayWrite(clientId: number, connection: object): boolean {
    if (clientId === this.serverClientId) return false;
    const owner = this.owners.get(clientId);
    if (owner !== undefined) return owner === connection;
    let held = 0;
    for (const conn of this.owners.values()) if (conn === connection) held++;
    return held < IDS_PER_CONNECTION;
  }
}

/** The state the server keeps for a client's caret; undefined when the client's is unreadable. */
function serverState(raw: string, owner: CaretOwner): { user: NotesUser; cursor: unknown } | undefined {
  if (raw.length > MAX_STATE_CHARS) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = NotesCaretStateSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { [NOTES_AWARENESS.user]: { name: owner.name, color: caretColour(owner.name), role: owner.role }, [NOTES_AWARENESS.cursor]: parsed.data.cursor ?? null };
}

/** Every caret state as `viewer` may see it. */
export function caretViews(states: Map<number, Record<string, unknown>>, viewer: Role): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  for (const [id, state] of states) out.set(id, caretView(state, viewer));
  return out;
}

/** A caret state as `viewer` may see it (caretUserFor: the role for hosts only, the name not for observers). */
export function caretView(state: Record<string, unknown>, viewer: Role): Record<string, unknown> {
  const user = notesUserOf(state[NOTES_AWARENESS.user]);
  const cursor = state[NOTES_AWARENESS.cursor] ?? null;
  // Every state here is one serverState() wrote; one that is not shows nobody.
  return user ? { [NOTES_AWARENESS.user]: caretUserFor(user, viewer), [NOTES_AWARENESS.cursor]: cursor } : { [NOTES_AWARENESS.cursor]: cursor };
}
