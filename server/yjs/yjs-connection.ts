import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import type { DocChannel } from './doc-channel.ts';
import { CLOSE_NOTES_REFUSED, CLOSE_SESSION_ENDED, type Role, type WireError } from '../../protocol/index.ts';
import { caretViews, type AwarenessGuard } from './awareness-guard.ts';

const MESSAGE_SYNC = 0;
const FRAGMENT_BYTES = 4 * 1024;
const MESSAGE_AWARENESS = 1;
const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;

export interface ConnectionOwner {
  sessionId: string;
  role: Role;
  /** The session's display name: what its caret in the notes says (H10). */
  name: string;
}

export interface ConnectionHooks {
  /** A browser tried to write a doc it may only read; the write was dropped. */
  onViolation(owner: ConnectionOwner, channel: string, reason: string): void;
  /** A writer's update was refused (the notes past their size) and its connection closed. */
  onRefused?(owner: ConnectionOwner, channel: string, error: WireError): void;
  /** A connection fell this far behind (bytes not yet written to its socket) and was dropped. */
  onTooSlow?(owner: ConnectionOwner, channel: string, behindBytes: number): void;
  /** Bytes a connection may have waiting before it is dropped (default 8 MiB). */
  maxBufferedBytes?: number;
  /**
   * False once the owner's session has ended. Checked before every write, so a session
   * that expired between two sweeps cannot go on editing the notes (H5).
   */
  ownerLive?(owner: ConnectionOwner): boolean;
}

/**
 * One browser's y-websocket connection to one doc. Read-only channels answer sync
 * step 1 but drop any step 2 or update that would add content, and flag the sender.
 */
export class YjsConnection {
  private alive = true;
  /** Messages waiting while a fragmented one is being written; null when none is. */
  private backlog: Uint8Array[] | null = null;
  private backlogBytes = 0;
  /** The size of the first sync sent here, allowed on top of the slow-reader cap. */
  private firstSyncBytes = 0;
  /** Reasons already audited for this connection. */
  private readonly reported = new Set<string>();
  flagged = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly channel: DocChannel,
    readonly owner: ConnectionOwner,
    private readonly hooks: ConnectionHooks,
    /** The channel's caret rules; null where there are no carets (`set`). */
    private readonly carets: AwarenessGuard | null = null,
  ) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('pong', () => { this.alive = true; });
    this.sendSyncStep1();
    this.sendAwarenessSnapshot();
  }

  get writable(): boolean {
    return this.channel.canWrite(this.owner.role);
  }

  /** Called every keepalive period: a connection that did not answer the last ping is closed. */
  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    try { this.ws.ping(); } catch { this.ws.terminate(); }
  }

  /**
   * `firstSync`: the answer to the client's sync step 1, the whole doc it lacks. Its size
   * is added to what this connection may have waiting: a doc bigger than the slow-reader
   * cap could otherwise never be synced by anyone new (H7: past 8 MiB of notes, no new
   * member could join), nor an update sent while it drains.
   */
  send(message: Uint8Array, firstSync = false): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (firstSync) this.firstSyncBytes = Math.max(this.firstSyncBytes, message.byteLength);
    // A client that stopped reading (a tablet on bad Wi-Fi, or one that never reads)
    // would make the server hold every update for it. Yjs needs no backlog: dropped, the
    // client reconnects and its sync step 1 fetches just what it lacks.
    const behind = this.ws.bufferedAmount + this.backlogBytes + message.byteLength;
    if (behind > (this.hooks.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED) + this.firstSyncBytes) {
      this.hooks.onTooSlow?.(this.owner, this.channel.name, behind);
      this.backlog = null;
      this.backlogBytes = 0;
      this.ws.terminate();
      return;
    }
    if (this.backlog) {
      this.backlog.push(message);
      this.backlogBytes += message.byteLength;
      return;
    }
    if (message.byteLength <= FRAGMENT_BYTES) {
      this.write(message, true);
      return;
    }
    this.backlog = [message];
    this.backlogBytes = message.byteLength;
    void this.drainBacklog();
  }

  /**
   * A big message (the first sync of a large set) goes out as 4 KB WebSocket
   * fragments, each after the previous one was written: TLS keeps write buffers as big
   * as the largest write for the life of the connection, so one 200 KB write cost every
   * idle browser about 300 KB of memory. Messages sent meanwhile wait their turn.
   */
  private async drainBacklog(): Promise<void> {
    while (this.backlog && this.backlog.length > 0) {
      const message = this.backlog.shift()!;
      this.backlogBytes -= message.byteLength;
      if (message.byteLength <= FRAGMENT_BYTES) {
        this.write(message, true);
        continue;
      }
      for (let offset = 0; offset < message.byteLength; offset += FRAGMENT_BYTES) {
        if (this.ws.readyState !== this.ws.OPEN) {
          this.backlog = null;
          this.backlogBytes = 0;
          return;
        }
        const last = offset + FRAGMENT_BYTES >= message.byteLength;
        await new Promise<void>((resolve) => this.write(message.subarray(offset, offset + FRAGMENT_BYTES), last, resolve));
      }
    }
    this.backlog = null;
  }

  private write(data: Uint8Array, fin: boolean, done?: () => void): void {
    this.ws.send(data, { binary: true, fin }, (err) => {
      if (err) this.ws.terminate();
      done?.();
    });
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }

  /** Removes this connection's cursors for everyone else. */
  dispose(): void {
    const ids = this.carets?.release(this) ?? [];
    if (this.channel.awareness && ids.length > 0) {
      removeAwarenessStates(this.channel.awareness, ids, this);
    }
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.hooks.ownerLive && !this.hooks.ownerLive(this.owner)) {
      this.close(CLOSE_SESSION_ENDED, 'session ended');
      return;
    }
    if (!isBinary) {
      this.violation('text frame');
      return;
    }
    try {
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) this.receiveSync(decoder);
      else if (type === MESSAGE_AWARENESS) this.receiveAwareness(decoder);
      else this.violation(`unknown message type ${type}`);
    } catch (err) {
      // A malformed frame must never take the server down; the sender loses its socket.
      this.violation(`malformed frame: ${(err as Error).message}`);
      this.ws.close(1003, 'malformed');
    }
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const doc = this.channel.doc;
    const kind = decoding.readVarUint(decoder);
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(encoder, doc, decoding.readVarUint8Array(decoder));
      this.send(encoding.toUint8Array(encoder), true);
      return;
    }
    if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
      this.violation(`unknown sync message ${kind}`);
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    if (!this.writable) {
      if (addsContent(doc, update)) {
        // A sync step 2 is the client's reply with what it has and we lack: on `set` that is
        // a doc kept from an earlier server start or from before a compaction (see
        // meta.instance), or a forgery.
        this.violation(kind === syncProtocol.messageYjsSyncStep2
          ? 'sync step 2 with content this doc does not have (dropped; a doc kept from an earlier server start or compaction, or forged)'
          : 'write to a read-only doc');
      }
      return;
    }
    const refused = this.channel.admitUpdate?.(update) ?? null;
    if (refused) {
      // Dropped, and the editor is told why; it undoes the change before it reconnects.
      this.hooks.onRefused?.(this.owner, this.channel.name, refused);
      this.close(CLOSE_NOTES_REFUSED, closeReason(`${refused.code}: ${refused.message}`));
      return;
    }
    Y.applyUpdate(doc, update, this);
  }

  private receiveAwareness(decoder: decoding.Decoder): void {
    const awareness = this.channel.awareness;
    const update = decoding.readVarUint8Array(decoder);
    if (!awareness || !this.writable || !this.carets) return; // read-only viewers show no cursor; nothing leaks from set
    // Only this connection's own carets, with the name and colour of its session (H10).
    const own = this.carets.rewrite(update, this, { name: this.owner.name, role: this.owner.role });
    if (own) applyAwarenessUpdate(awareness, own, this);
  }

  private sendSyncStep1(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.channel.doc);
    this.send(encoding.toUint8Array(encoder));
  }

  private sendAwarenessSnapshot(): void {
    const awareness = this.channel.awareness;
    if (!awareness || awareness.getStates().size === 0) return;
    const ids = [...awareness.getStates().keys()];
    this.send(awarenessMessage(encodeAwarenessUpdate(awareness, ids, caretViews(awareness.getStates(), this.owner.role))));
  }

  /**
   * Every offending message is dropped, but each reason is audited once per connection:
   * a client that kept an old `set` doc offers it back at every sync (M5, M8), and one
   * that keeps writing would otherwise push joins and kicks out of the rotated log.
   */
  private violation(reason: string): void {
    this.flagged = true;
    if (this.reported.has(reason)) return;
    this.reported.add(reason);
    this.hooks.onViolation(this.owner, this.channel.name, reason);
  }
}

/**
 * True when applying the update would change the doc: structs it does not have yet, or
 * deletions of content it still holds. A reader's sync step 2 always carries its whole
 * delete set; on a doc where values were overwritten that is never empty, and repeating
 * deletions the doc already has is routine after every reconnect, not a write.
 */
function addsContent(doc: Y.Doc, update: Uint8Array): boolean {
  const incoming = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
  const current = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of incoming) {
    if (clock > (current.get(client) ?? 0)) return true;
  }
  if (Y.decodeUpdate(update).ds.clients.size === 0) return false;
  return !Y.snapshotContainsUpdate(Y.snapshot(doc), update);
}

/** A WebSocket close reason: at most 123 bytes of UTF-8. */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
