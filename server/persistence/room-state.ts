import type { BatchedFile } from './batched-file.ts';
import type { StateFile } from './schema.ts';

export interface PersistableRoom {
  readonly name: string;
  joinCode: string;
  locked: boolean;
  frozen: boolean;
}

/**
 * Puts a room's saved switches back and returns a save function. A join code fixed
 * by configuration (ROOMTONE_JOIN_CODE, a classroom poster) wins over the saved one;
 * otherwise the code survives restarts, so printed QR codes keep working.
 */
export function restoreRoom(room: PersistableRoom, file: BatchedFile<StateFile>, fixedCode: string | undefined): () => void {
  const saved = file.data.rooms[room.name];
  if (saved) {
    room.locked = saved.locked;
    room.frozen = saved.frozen;
    if (!fixedCode) room.joinCode = saved.joinCode;
  }
  const createdAt = saved?.createdAt ?? Date.now();
  const save = (): void => file.change((d) => {
    d.rooms[room.name] = { id: room.name, joinCode: room.joinCode, locked: room.locked, frozen: room.frozen, createdAt };
  });
  save();
  return save;
}

/** The agent's device token is kept as its hash only, beside the session hashes. */
export function recordDevice(file: BatchedFile<StateFile>, id: string, tokenHash: string, label: string): void {
  const known = file.data.devices[id];
  if (known?.tokenHash === tokenHash) return;
  file.change((d) => { d.devices[id] = { id, tokenHash, label, createdAt: known?.createdAt ?? Date.now() }; });
}
