import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { join, openDoc, request, synced, type DocClient, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { EntityChangeSchema, HealthSchema } from '../../protocol/index.ts';
import { FaultClient, SetDocFollower, alive, childProcesses } from './fault-client.ts';
import { answerProblems, burst, docState, liveVsDoc, sceneProblems } from './drill.ts';

const RATE = ['--rate-per-second', '1000', '--rate-burst', '2000'];
const CLIENTS = 3;

interface Health { ok: boolean; agent: { connected: boolean }; live: { connected: boolean }; processes?: Array<{ name: string; running: boolean; restarts: number; lastExit: string | null }> }

async function health(peer: Peer): Promise<Health | null> {
  try {
    const res = await request(peer, 'GET', '/healthz');
    return res.status === 200 ? HealthSchema.parse(res.body) : null;
  } catch {
    return null;
  }
}

async function openClients(peer: Peer, code: string): Promise<{ clients: FaultClient[]; cookies: string[] }> {
  const cookies: string[] = [];
  const clients: FaultClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const { cookie } = await join(peer, { name: `fault-${i}`, code });
    cookies.push(cookie);
    clients.push(new FaultClient(peer, cookie));
  }
  await until(() => clients.every((c) => c.socket.connected), 'fault clients connected');
  return { clients, cookies };
}

function tracksOf(doc: Y.Doc): string[] {
  return (doc.getMap('order').get('tracks') as string[] | undefined) ?? [];
}

describe('faults under npm start supervision: the simulator and the agent die mid-burst', () => {
  let stack: Stack;
  let peer: Peer;
  let clients: FaultClient[] = [];
  let reader: DocClient;
  let baselineScenes = 0;

  beforeAll(async () => {
    stack = await startStack({ args: RATE });
    peer = { base: stack.url, ca: stack.ca };
    ({ clients } = await openClients(peer, stack.joinCode));
    const { cookie } = await join(peer, { name: 'fault-reader', code: stack.joinCode });
    reader = openDoc(peer, cookie, 'set');
    await synced(reader);
    await until(() => tracksOf(reader.doc).length >= 4, 'tracks in the set doc');
    baselineScenes = reader.doc.getMap('scenes').size;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    reader?.destroy();
    await stack?.stop();
  });

  const processOf = (h: Health | null, name: string) => h?.processes?.find((p) => p.name === name);

  async function drill(label: 'sim' | 'agent', match: RegExp): Promise<void> {
    const epochBefore = reader.doc.getMap('meta').get('epoch') as string;
    const scenesBefore = reader.doc.getMap('scenes').size;
    const restartsBefore = processOf(await health(peer), label)?.restarts ?? 0;
    let killedPid: number | null = null;
    let recoveredAt: number | null = null;
    const result = burst(clients, tracksOf(reader.doc), label, (answered) => recoveredAt === null || answered < recoveredAt + 30, (answered) => {
      if (answered !== 15) return;
      const victim = childProcesses(stack.process.pid!).find((c) => match.test(c.cmd));
      expect(victim, `a ${label} child of npm start`).toBeDefined();
      killedPid = victim!.pid;
      process.kill(victim!.pid, 'SIGKILL');
      // Recovered: supervision restarted it, and the whole chain reaches Live again.
      void until(async () => {
        const h = await health(peer);
        const p = processOf(h, label);
        return h?.live.connected && p && p.running && p.restarts > restartsBefore ? h : null;
      }, `${label} restarted and Live reachable`, 60_000).then(() => { recoveredAt = [...clients].reduce((n, c) => n + c.answers.size, 0); });
    });
    const { ids, sceneCreates } = await result;
    expect(killedPid).not.toBeNull();
    expect(alive(killedPid!)).toBe(false);
    await until(() => clients.every((c) => c.pending === 0), 'every command answered');

    // Every command exactly one (kind of) answer, typed.
    expect(answerProblems(clients, ids)).toEqual([]);
    // Restarted with backoff and logged; shown in /healthz and the set doc's meta.
    const h = await health(peer);
    expect(processOf(h, label)).toMatchObject({ running: true, restarts: restartsBefore + 1, lastExit: 'signal SIGKILL' });
    expect(stack.output.some((l) => l.includes(`WARN: [${label}] exited (signal SIGKILL); restarting in`))).toBe(true);
    await until(() => (reader.doc.getMap('meta').get('processes') as Array<{ name: string; restarts: number }> | undefined)?.find((p) => p.name === label)?.restarts === restartsBefore + 1, 'processes in the set doc meta');
    // Clients kept their sockets (the server stayed up) and their sessions.
    expect(clients.every((c) => c.socket.connected)).toBe(true);
    for (const c of clients) expect((await request(peer, 'GET', '/api/session', { cookie: c.cookie })).status).toBe(200);

    // The set doc converged: a long-lived reader equals a fresh one, and scene.create ran once per ok.
    const epoch = label === 'sim'
      ? await until(() => { const e = reader.doc.getMap('meta').get('epoch'); return e !== epochBefore ? e as string : null; }, 'a new Live epoch after the simulator restart')
      : epochBefore;
    const { cookie } = await join(peer, { name: `fresh-${label}`, code: stack.joinCode });
    const fresh = openDoc(peer, cookie, 'set');
    try {
      await synced(fresh);
      await until(() => JSON.stringify(docState(fresh.doc)) === JSON.stringify(docState(reader.doc)), 'the long-lived set doc to equal a fresh one', 15_000);
      expect(sceneProblems(reader.doc, label === 'sim' ? baselineScenes : scenesBefore, epoch, sceneCreates)).toEqual([]);
    } finally {
      fresh.destroy();
    }
  }

  it('a killed simulator is restarted with backoff and logged; every command got one answer; the set doc converged to the new Live', async () => {
    await drill('sim', /remote-script\/sim\/run\.py/);
  });

  it('a killed host agent is restarted; nothing ran twice; the set doc converged', async () => {
    await drill('agent', /host-agent\/main\.ts/);
    if (process.env.FAULTS_DEBUG) console.log(stack.output.filter((l) => /\] (INFO|WARN|ERROR): \[/.test(l)).slice(-30).join('\n'));
  });
});

describe('faults: the room server crashes (SIGKILL) mid-burst and is started again on the same data', () => {
  let sim: SimProcess;
  let stack: Stack | null = null;
  let dataDir: string;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    sim = await SimProcess.start({ tickHz: 100 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-faults-'));
  });
  afterAll(async () => {
    for (const s of stacks) await s.stop();
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('clients reconnect by themselves, sessions and notes survive, nothing runs twice, the set doc converges to Live', async () => {
    const args = ['--live', 'real', '--script-port', String(sim.port), ...RATE];
    const env = { ROOMTONE_SCRIPT_SECRET_FILE: sim.secretFile };
    stack = await startStack({ args, dataDir, env });
    stacks.push(stack);
    const peer: Peer = { base: stack.url, ca: stack.ca };
    const { clients, cookies } = await openClients(peer, stack.joinCode);
    const reader = new SetDocFollower(peer, cookies[0]!);
    const notes = openDoc(peer, cookies[1]!, 'notes');
    try {
      await until(() => reader.synced, 'set doc synced');
      await synced(notes);
      await until(() => tracksOf(reader.doc).length >= 4, 'tracks in the set doc');
      const note = `set list: intro, verse, chorus · ${Date.now()}`;
      notes.doc.getText('fault-note').insert(0, note);
      // The note is on disk before the crash (persistence batches writes).
      await until(() => {
        try {
          const stored = JSON.parse(readFileSync(path.join(dataDir, 'notes.json'), 'utf8')) as { docs: Record<string, string> };
          const doc = new Y.Doc();
          Y.applyUpdate(doc, new Uint8Array(Buffer.from(stored.docs.studio ?? '', 'base64')));
          return doc.getText('fault-note').toString() === note;
        } catch { return false; }
      }, 'the note persisted', 10_000);
      const scenesBefore = reader.doc.getMap('scenes').size;
      const epoch = reader.doc.getMap('meta').get('epoch') as string;
      const oldAgent = childProcesses(stack.process.pid!).find((c) => /host-agent\/main\.ts/.test(c.cmd));
      expect(oldAgent).toBeDefined();

      let restarted: Promise<Stack> | null = null;
      let recoveredAt: number | null = null;
      const port = stack.port;
      const { ids, sceneCreates } = await burst(clients, tracksOf(reader.doc), 'server', (answered) => recoveredAt === null || answered < recoveredAt + 30, (answered) => {
        if (answered !== 15) return;
        stack!.process.kill('SIGKILL');
        restarted = startStack({ args: [...args, '--port', String(port)], dataDir, certsDir: stack!.certsDir, env });
        void restarted.then(async (s) => {
          stacks.push(s);
          await until(() => clients.every((c) => c.socket.connected && c.reconnects > 0), 'clients reconnected', 60_000);
          recoveredAt = clients.reduce((n, c) => n + c.answers.size, 0);
        });
      });
      expect(restarted).not.toBeNull();
      const next = await restarted!;
      await until(() => clients.every((c) => c.pending === 0), 'every command answered');
      expect(answerProblems(clients, ids)).toEqual([]);

      // Sessions survived: the same cookies work on the new process.
      for (const cookie of cookies) {
        const res = await request(peer, 'GET', '/api/session', { cookie });
        expect(res.status).toBe(200);
      }
      expect(clients.every((c) => c.reconnects >= 1)).toBe(true);
      // Notes survived.
      const { cookie } = await join(peer, { name: 'fresh-notes', code: next.joinCode });
      const freshNotes = openDoc(peer, cookie, 'notes');
      try {
        await synced(freshNotes);
        expect(freshNotes.doc.getText('fault-note').toString()).toBe(note);
      } finally {
        freshNotes.destroy();
      }
      // The set doc converged to Live's own state (the simulator outlived the server).
      let mismatch: string[] = [];
      await until(async () => {
        const snapshot = await sim.eval('instance.snapshot()', z.object({ entities: z.array(EntityChangeSchema) }));
        mismatch = liveVsDoc(snapshot.entities, reader.doc);
        return mismatch.length === 0;
      }, 'the set doc to match Live', 20_000).catch(() => undefined);
      expect(mismatch).toEqual([]);
      expect(reader.reopened).toBe(1); // M5: the server restart was noticed and the doc rebuilt
      expect(sceneProblems(reader.doc, scenesBefore, epoch, sceneCreates)).toEqual([]);
      // The crashed server's agent does not linger as an orphan.
      await until(() => !alive(oldAgent!.pid), 'the orphaned agent of the crashed server to exit', 20_000).catch(() => undefined);
      expect(alive(oldAgent!.pid), 'the agent of the crashed server is still running').toBe(false);
    } finally {
      for (const c of clients) c.close();
      reader.destroy();
      notes.destroy();
    }
  });
});
