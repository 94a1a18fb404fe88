import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Socket } from 'socket.io-client';
import { DEFAULTS, type ServerConfig } from '../../server/config.ts';
import { RoomtoneServer, type StartedServer } from '../../server/roomtone-server.ts';
import { ROOT } from '../../testkit/root.ts';
import { stopProcess } from '../../testkit/stack.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { connectRoom, connected, join, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';

/**
 * `until` with a bound fit for a loaded machine (two cores shared by several test runs):
 * the bound only decides when to give up, never how long a test waits.
 */
export function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000, everyMs = 20): Promise<NonNullable<T>> {
  return until(check, what, Math.max(timeoutMs, 30_000), everyMs);
}

export interface HarnessOptions {
  rateLimit?: { perSecond: number; burst: number };
  /** Runs once the simulator listens, before the host agent starts (a stranger on the port first). */
  beforeAgent?(sim: SimProcess): Promise<void>;
}

export interface Member { cookie: string; socket: Socket }

/**
 * Server in-process (so tests can read its audit log and pipeline), the real host
 * agent as a child process, and the real Remote Script in the Python simulator.
 */
export class Harness {
  readonly sockets: Socket[] = [];
  agentOutput: string[] = [];
  agent: ChildProcess | null = null;
  readonly agents: ChildProcess[] = [];

  private constructor(private readonly config: ServerConfig, public server: RoomtoneServer, public started: StartedServer, public sim: SimProcess, readonly dataDir: string, readonly peer: Peer) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-arb-'));
    const certsDir = path.join(os.tmpdir(), 'roomtone-test-certs');
    const config: ServerConfig = { ...DEFAULTS, port: 0, httpPort: -1, host: '127.0.0.1', mdns: false, live: 'sim', dataDir, certsDir, rateLimit: { ...DEFAULTS.rateLimit }, session: { ...DEFAULTS.session } };
    if (options.rateLimit) config.rateLimit = options.rateLimit;
    const [server, sim] = await Promise.all([RoomtoneServer.start(config), SimProcess.start()]);
    const { started } = server;
    const peer: Peer = { base: `https://127.0.0.1:${started.port}`, ca: readFileSync(started.caCertPath, 'utf8') };
    const harness = new Harness(config, server, started, sim, dataDir, peer);
    await options.beforeAgent?.(sim);
    harness.startAgent();
    await eventually(() => server.parts.agent.liveConnected && server.parts.room.mirror.epoch !== null, 'agent and Live connected, first snapshot in', 60_000);
    return harness;
  }

  startAgent(extra: string[] = []): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'host-agent', 'main.ts'),
      '--server', this.peer.base, '--token-file', this.started.deviceTokenPath, '--ca-file', this.started.caCertPath,
      '--script-port', String(this.sim.port), '--script-secret-file', this.sim.secretFile, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (l) => {
        this.agentOutput.push(l);
        if (this.agentOutput.length > 500) this.agentOutput.shift();
      });
    }
    if (!this.agent) this.agent = child;
    this.agents.push(child);
    return child;
  }

  /** Stops the server and starts a new one on the same port and data dir (a server restart). */
  async restartServer(whileDown?: () => Promise<void>): Promise<void> {
    for (const s of this.sockets) s.close();
    await this.server.stop();
    await whileDown?.();
    this.server = await RoomtoneServer.start({ ...this.config, port: this.started.port });
    this.started = this.server.started;
  }

  async member(name: string, role: 'member' | 'observer' | 'host' = 'member'): Promise<Member> {
    const { cookie } = await join(this.peer, { name, code: this.started.joinCode, role, ...(role === 'host' ? { pin: this.started.adminPin } : {}) });
    const socket = connectRoom(this.peer, cookie);
    this.sockets.push(socket);
    await connected(socket);
    return { cookie, socket };
  }

  /** A track id of the demo set, in order. */
  trackId(i: number): string {
    const order = this.server.parts.room.mirror.doc.getMap('order').get('tracks') as string[] | undefined;
    const id = order?.[i];
    if (!id) throw new Error(`no track ${i} in the mirror`);
    return id;
  }

  /** Audit entries of kind `command` for one browser command id. */
  auditFor(commandId: string) {
    return this.server.parts.audit.query({ kind: 'command', limit: 20_000 }).filter((e) => e.detail?.startsWith(`id=${commandId} `) || e.detail === `id=${commandId}`);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.close();
    await Promise.all(this.agents.map((a) => stopProcess(a)));
    await this.sim.stop();
    await this.server.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
