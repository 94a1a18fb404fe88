import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE_SESSION_ENDED, CLOSE_TOO_MANY_CONNECTIONS, YJS_PATH_PREFIX, parseYjsPath, type Role, type WireError } from '../../protocol/index.ts';
import type { DocChannel } from './doc-channel.ts';
import { YjsConnection, updateMessage, awarenessMessage, type ConnectionHooks, type ConnectionOwner } from './yjs-connection.ts';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import { DOC_CONNECTIONS_PER_SESSION, NewestWins } from '../security/connection-caps.ts';
import { AwarenessGuard, caretViews } from './awareness-guard.ts';

export type UpgradeAuth = { ok: true; owner: ConnectionOwner } | { ok: false; status: number; error: WireError };

export interface YjsServerOptions extends ConnectionHooks {
  /** Checks session, IP and Origin before any Yjs byte is read. */
  authorize(req: IncomingMessage): UpgradeAuth;
  /** Resolves `/yjs/<room>/<doc>` to its channel, or undefined for an unknown path. */
  channel(room: string, doc: string): DocChannel | undefined;
  maxMessageBytes: number;
  keepaliveMs?: number;
  /** Doc connections one session may hold; past it, its oldest closes (H14). */
  maxConnectionsPerSession?: number;
}

interface Attached { channel: DocChannel; connections: Set<YjsConnection>; carets: AwarenessGuard | null; detach(): void }

/**
 * y-websocket's wire protocol served on our own HTTPS server, with what the reference
 * server lacks: auth at the upgrade, read-only channels, a message size cap, and
 * cleanup of listeners when the last connection of a doc leaves.
 */
export class YjsServer {
  private readonly wss: WebSocketServer;
  private readonly attached = new Map<DocChannel, Attached>();
  private readonly keepalive: NodeJS.Timeout;
  private readonly perSession: NewestWins<YjsConnection>;

  constructor(private readonly options: YjsServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
    this.keepalive = setInterval(() => this.heartbeat(), options.keepaliveMs ?? 30_000);
    this.keepalive.unref();
    const cap = options.maxConnectionsPerSession ?? DOC_CONNECTIONS_PER_SESSION;
    this.perSession = new NewestWins<YjsConnection>(cap, (old) => old.close(CLOSE_TOO_MANY_CONNECTIONS, `TOO_MANY_CONNECTIONS: your session has more than ${cap} document connections open; this, the oldest, was closed`));
  }

  get connectionCount(): number {
    let n = 0;
    for (const a of this.attached.values()) n += a.connections.size;
    return n;
  }

  /** Returns false when the path is not ours, so other upgrade handlers may take it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(YJS_PATH_PREFIX)) return false;
    const path = parseYjsPath(url.pathname);
    const channel = path ? this.options.channel(path.room, path.doc) : undefined;
    if (!channel) {
      refuse(socket, 404, { code: 'NOT_FOUND', message: 'no such document' });
      return true;
    }
    const auth = this.options.authorize(req);
    if (!auth.ok) {
      refuse(socket, auth.status, auth.error);
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, channel, auth.owner));
    return true;
  }

  /** Closes every connection of a session (kick, logout, role change). */
  disconnectSession(sessionId: string, code = CLOSE_SESSION_ENDED, reason = 'session ended'): void {
    for (const a of this.attached.values()) {
      for (const conn of a.connections) if (conn.owner.sessionId === sessionId) conn.close(code, reason);
    }
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const a of this.attached.values()) for (const conn of a.connections) conn.close(1001, 'server stopping');
    this.wss.close();
  }

  private accept(ws: WebSocket, channel: DocChannel, owner: ConnectionOwner): void {
    const attached = this.attach(channel);
    const conn = new YjsConnection(ws, channel, owner, this.options, attached.carets);
    attached.connections.add(conn);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.perSession.remove(owner.sessionId, conn);
      attached.connections.delete(conn);
      conn.dispose();
      if (attached.connections.size === 0) {
        attached.detach();
        this.attached.delete(channel);
      }
    });
    this.perSession.admit(owner.sessionId, conn);
  }

  /**
   * Listens to a doc only while someone is connected to it. Outgoing updates are merged
   * per callback (flushed in a microtask): a burst of N updates costs each connection one message,
   * not N (Hocuspocus does the same with its flushDelay).
   */
  private attach(channel: DocChannel): Attached {
    const existing = this.attached.get(channel);
    if (existing) return existing;
    channel.acquire?.();
    let doc = channel.doc;
    const awareness = channel.awareness;
    const connections = new Set<YjsConnection>();
    let pending: Uint8Array[] = [];
    let origins = new Set<unknown>();
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      if (pending.length === 0) return;
      const update = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
      // When one connection wrote everything in this turn, it already has it.
      const skip = origins.size === 1 ? [...origins][0] : undefined;
      pending = [];
      origins = new Set();
      const message = updateMessage(update);
      for (const conn of connections) if (conn !== skip) conn.send(message);
    };
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      pending.push(update);
      origins.add(origin);
      // A microtask, not setImmediate: every transaction of the same callback (an events
      // batch, its results, meta) still merges, and the update leaves before the loop
      // turns (setImmediate cost the fan-out up to a loop turn under load).
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    };
    // Each viewer gets the carets as its role may see them (H10): one encoding per role.
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
      const changed = [...added, ...updated, ...removed];
      if (!awareness || changed.length === 0) return;
      const byRole = new Map<Role, Uint8Array>();
      for (const conn of connections) {
        if (conn === origin) continue;
        let message = byRole.get(conn.owner.role);
        if (!message) {
          message = awarenessMessage(encodeAwarenessUpdate(awareness, changed, caretViews(awareness.getStates(), conn.owner.role)));
          byRole.set(conn.owner.role, message);
        }
        conn.send(message);
      }
    };
    /**
     * A compacted `set` (M8): what the old doc still had pending goes out first, so no
     * client misses a deletion the new doc no longer records; then the whole new doc, one
     * message for everyone. Its higher client id wins every key in a client that merges
     * it; a browser sees the new meta.instance and drops its doc (M5). Nobody is closed.
     */
    const onReplaced = (next: Y.Doc): void => {
      flush();
      doc.off('update', onUpdate);
      doc = next;
      doc.on('update', onUpdate);
      const message = updateMessage(Y.encodeStateAsUpdate(doc));
      for (const conn of connections) conn.send(message);
    };
    doc.on('update', onUpdate);
    awareness?.on('update', onAwareness);
    const stopReplaced = channel.onReplaced?.(onReplaced);
    const attached: Attached = {
      channel,
      connections,
      carets: awareness ? new AwarenessGuard(awareness.clientID) : null,
      detach: () => {
        flush();
        doc.off('update', onUpdate);
        awareness?.off('update', onAwareness);
        stopReplaced?.();
        channel.release?.();
      },
    };
    this.attached.set(channel, attached);
    return attached;
  }

  private heartbeat(): void {
    for (const a of this.attached.values()) for (const conn of a.connections) conn.heartbeat();
  }
}

function refuse(socket: Duplex, status: number, error: WireError): void {
  const body = JSON.stringify({ error });
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Refused'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export type { Y };
