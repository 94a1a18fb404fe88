import net from 'node:net';
import { readFileSync } from 'node:fs';
import { LineSplitter } from '../host-agent/line-splitter.ts';
import { PROTOCOL_VERSION, SCRIPT_LINE_LIMIT, scriptProof } from '../protocol/index.ts';

/** A bare JSON-lines TCP client of the Remote Script, as the host agent speaks to it. */
export class ScriptLineClient {
  private readonly handlers = new Set<(line: Record<string, unknown>) => void>();
  hello: Record<string, unknown> | null = null;

  private constructor(readonly socket: net.Socket) {}

  /**
   * `secretFile`: prove this client with the script's agent secret (H9), as the host agent
   * does; without it the hello carries no proof and the script refuses every other line.
   */
  static connect(port: number, host = '127.0.0.1', sendHello = true, secretFile?: string): Promise<ScriptLineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const client = new ScriptLineClient(socket);
      const splitter = new LineSplitter(SCRIPT_LINE_LIMIT, (text) => {
        let line: Record<string, unknown>;
        try { line = JSON.parse(text) as Record<string, unknown>; } catch { return; }
        if (line.type === 'hello' && client.hello === null) {
          client.hello = line;
          if (sendHello) {
            const proof = secretFile && typeof line.nonce === 'string' ? { proof: scriptProof(readFileSync(secretFile, 'utf8').trim(), line.nonce) } : {};
            socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'roomtone-bench', ...proof }) + '\n');
          }
          resolve(client);
        }
        for (const h of client.handlers) h(line);
      }, () => {});
      socket.on('data', (chunk: Buffer) => splitter.push(chunk));
      socket.once('error', reject);
      socket.on('close', () => reject(new Error('script closed the connection before its hello')));
    });
  }

  on(handler: (line: Record<string, unknown>) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  send(line: unknown): void {
    this.socket.write(JSON.stringify(line) + '\n');
  }

  writeRaw(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Resolves with the first line that `match` accepts. */
  next<T = Record<string, unknown>>(match: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error('no matching line from the Remote Script')); }, timeoutMs);
      const off = this.on((line) => {
        if (!match(line)) return;
        clearTimeout(timer);
        off();
        resolve(line as T);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
