import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { YJS_PATH_PREFIX, parseYjsPath, type WireError } from '../../protocol/index.ts';
import type { DocChannel } from './doc-channel.ts';
import { YjsConnection, updateMessage, awarenessMessage, type ConnectionHooks, type ConnectionOwner } from './yjs-connection.ts';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';

export type UpgradeAuth = { ok: true; owner: ConnectionOwner } | { ok: false; status: number; error: WireError };

export interface YjsServerOptions extends ConnectionHooks {
  /** Checks session, IP and Origin before any Yjs byte is read. */
  authorize(req: IncomingMessage): UpgradeAuth;
  /** Resolves `/yjs/<room>/<doc>` to its channel, or undefined for an unknown path. */
  channel(room: string, doc: string): DocChannel | undefined;
  maxMessageBytes: number;
  keepaliveMs?: number;
}

interface Attached { channel: DocChannel; connections: Set<YjsConnection>; detach(): void }

/**
 * y-websocket's wire protocol served on our own HTTPS server, with what the reference
 * server lacks: auth at the upgrade, read-only channels, a message size cap, and
 * cleanup of listeners when the last connection of a doc leaves.
 */
export class YjsServer {
  private readonly wss: WebSocketServer;
  private readonly attached = new Map<DocChannel, Attached>();
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly options: YjsServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
    this.keepalive = setInterval(() => this.heartbeat(), options.keepaliveMs ?? 30_000);
    this.keepalive.unref();
  }

  get connectionCount(): number {
    let n = 0;
    for (const a of this.attached.values()) n += a.connections.size;
    return n;
  }

  /**
   * Takes the upgrades of `server` outside `socketPaths` (socket.io's own listeners take
   * those); an upgrade to any other path is closed.
   */
  listenOn(server: { on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown }, socketPaths: readonly string[]): void {
    server.on('upgrade', (req, socket, head) => {
      if (socketPaths.some((prefix) => req.url?.startsWith(prefix))) return;
      if (!this.handleUpgrade(req, socket, head)) socket.destroy();
    });
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
  disconnectSession(sessionId: string, code = 4001, reason = 'session ended'): void {
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
    const conn = new YjsConnection(ws, channel, owner, this.options);
    attached.connections.add(conn);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      attached.connections.delete(conn);
      conn.dispose();
      if (attached.connections.size === 0) {
        attached.detach();
        this.attached.delete(channel);
      }
    });
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
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
      const changed = [...added, ...updated, ...removed];
      if (!awareness || changed.length === 0) return;
      const message = awarenessMessage(encodeAwarenessUpdate(awareness, changed));
      for (const conn of connections) if (conn !== origin) conn.send(message);
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
