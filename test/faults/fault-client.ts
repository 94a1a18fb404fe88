import { readFileSync } from 'node:fs';
import { ROOM_EVENTS, type Answer } from '../../protocol/index.ts';
import type * as Y from 'yjs';
import { connectRoom, openDoc, type DocClient, type Peer, type RoomClient } from '../../testkit/clients.ts';

export interface SentCommand { id: string; action: string; target?: string | null; args: Record<string, unknown> }

/**
 * A browser-like client for fault drills: reconnects by itself, and re-sends every
 * command that has no answer yet with the same id after each reconnect (DESIGN: a retry
 * after a reconnect is the same command). Every answer received is kept, per id.
 */
export class FaultClient {
  readonly socket: RoomClient;
  readonly answers = new Map<string, Answer[]>();
  readonly commands = new Map<string, SentCommand>();
  private readonly unanswered = new Set<string>();
  reconnects = 0;

  constructor(peer: Peer, readonly cookie: string) {
    this.socket = connectRoom(peer, cookie, { reconnect: { delayMs: 100, maxDelayMs: 1_000 } });
    let connectedBefore = false;
    this.socket.on('connect', () => {
      if (connectedBefore) this.reconnects++;
      connectedBefore = true;
      for (const id of this.unanswered) this.emit(this.commands.get(id)!);
    });
  }

  /** Sends a command; resolves with its first answer (whenever that comes, retries included). */
  send(command: SentCommand): Promise<Answer> {
    this.commands.set(command.id, command);
    this.unanswered.add(command.id);
    return new Promise((resolve) => {
      const check = (): void => {
        const got = this.answers.get(command.id);
        if (got && got.length > 0) resolve(got[0]!);
        else this.waiters.set(command.id, check);
      };
      this.emit(command);
      check();
    });
  }

  private readonly waiters = new Map<string, () => void>();

  private emit(command: SentCommand): void {
    // Only emit on a live connection: the reconnect handler re-sends what is unanswered.
    if (!this.socket.connected) return;
    this.socket.emit(ROOM_EVENTS.command, command, (answer: Answer) => {
      const list = this.answers.get(command.id) ?? [];
      list.push(answer);
      this.answers.set(command.id, list);
      this.unanswered.delete(command.id);
      const waiter = this.waiters.get(command.id);
      if (waiter) {
        this.waiters.delete(command.id);
        waiter();
      }
    });
  }

  get pending(): number {
    return this.unanswered.size;
  }

  close(): void {
    this.socket.close();
  }
}

/** Direct children of a process, with their command lines (Linux /proc). */
export function childProcesses(pid: number): Array<{ pid: number; cmd: string }> {
  let list: number[] = [];
  try {
    list = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch { /* gone */ }
  return list.map((p) => {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { /* gone */ }
    return { pid: p, cmd };
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A `set` doc reader that follows docs/protocol.md M5 like the browser does: it keeps
 * the `meta.instance` it first synced and, when a sync brings another (a server
 * restart), drops its doc and opens a fresh one.
 */
export class SetDocFollower {
  private client: DocClient;
  private instance: unknown = undefined;
  reopened = 0;

  constructor(private readonly peer: Peer, private readonly cookie: string) {
    this.client = this.open();
  }

  get doc(): Y.Doc {
    return this.client.doc;
  }

  get synced(): boolean {
    return this.client.provider.synced;
  }

  private open(): DocClient {
    const client = openDoc(this.peer, this.cookie, 'set');
    const meta = client.doc.getMap('meta');
    meta.observe(() => {
      const now = meta.get('instance');
      if (now === undefined) return;
      if (this.instance === undefined) this.instance = now;
      else if (now !== this.instance && this.client === client) {
        this.instance = undefined;
        this.reopened++;
        client.destroy();
        this.client = this.open();
      }
    });
    return client;
  }

  destroy(): void {
    this.client.destroy();
  }
}
