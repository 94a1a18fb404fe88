import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROTOCOL_VERSION, ScriptLineSchema, type ScriptLine } from '../../protocol/index.ts';
import { commandId, send } from '../../testkit/clients.ts';
import { Harness } from '../arbitration/harness.ts';
import type { SimProcess } from '../../testkit/sim.ts';
import { until } from '../../testkit/poll.ts';

/** A process on the studio machine that talks to the Remote Script's port directly. */
class Stranger {
  readonly lines: ScriptLine[] = [];
  closed = false;
  private readonly socket: net.Socket;
  private buffer = '';

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(ScriptLineSchema.parse(JSON.parse(this.buffer.slice(0, nl))));
        this.buffer = this.buffer.slice(nl + 1);
      }
    });
    this.socket.on('close', () => { this.closed = true; });
    this.socket.on('error', () => undefined);
  }

  send(line: unknown): void {
    this.socket.write(JSON.stringify(line) + '\n');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * H9 (docs/security.md): the Remote Script's port took any local client: a process on
 * the studio machine could drive Live while the agent was away, and hold the slot
 * against it. The agent now proves itself in its hello with the secret the launcher and
 * the script share (a 0600 file next to the script); anything else is refused, and a
 * connection that has not proved itself never keeps the agent out.
 */
describe('H9 the Remote Script port takes any local client', () => {
  let h: Harness;
  let squatter: Stranger;
  let tempoBefore = 0;
  beforeAll(async () => {
    h = await Harness.start({
      // The agent is away: a stranger gets to the port first, tries to drive Live, and a
      // second one stays connected to keep the agent out.
      beforeAgent: async (sim: SimProcess) => {
        tempoBefore = await sim.eval('song.tempo', z.number());
        const driver = new Stranger(sim.port);
        await until(() => driver.lines.some((l) => l.type === 'hello'), 'the script’s hello');
        driver.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'not-the-agent' });
        driver.send({ type: 'commands', commands: [{ id: 'x1', action: 'song.set_tempo', target: null, args: { bpm: 61 }, deadline: Date.now() + 5_000 }] });
        await until(() => driver.closed, 'the stranger closed out');
        expect(driver.lines.filter((l) => l.type !== 'hello').map((l) => (l.type === 'error' ? l.error.code : l.type))).toEqual(['UNAUTHENTICATED']);
        expect(await sim.eval('song.tempo', z.number())).toBe(tempoBefore);
        squatter = new Stranger(sim.port);
        await until(() => squatter.lines.some((l) => l.type === 'hello'), 'the squatter connected');
      },
    });
  });
  afterAll(async () => {
    squatter?.destroy();
    await h?.stop();
  });

  it('H9 a stranger on the script port drives nothing and holds nothing: the agent proves itself and gets Live', async () => {
    expect(h.server.parts.agent.liveConnected).toBe(true);
    expect(squatter.closed).toBe(true);
    expect(squatter.lines.some((l) => l.type === 'results' || l.type === 'events' || l.type === 'snapshot')).toBe(false);
    const teacher = await h.member('Teacher', 'host');
    const answer = await send(teacher.socket, { id: commandId(), action: 'song.set_tempo', args: { bpm: 97 } });
    expect(answer).toMatchObject({ ok: true });
    expect(await h.sim.eval('song.tempo', z.number())).toBe(97);
    expect(tempoBefore).not.toBe(97);
  });
});
