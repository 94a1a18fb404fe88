import { OBSERVE_LIMIT, ScriptLineSchema, type EntityChange, type ScriptLine } from '../protocol/index.ts';
import { SimProcess } from './sim.ts';
import { ScriptLineClient } from './script-line-client.ts';

/** The simulator's demo set as the Remote Script sends it: a whole snapshot's epoch and entities. */
export interface DemoSnapshot {
  epoch: string;
  entities: EntityChange[];
}

/**
 * The real Remote Script in the Python simulator, asked for a snapshot over its own TCP
 * line. Nothing is written by hand, so a change to the demo set reaches the tests.
 */
export async function loadDemoSnapshot(): Promise<DemoSnapshot> {
  const sim = await SimProcess.start({ tickHz: 50 });
  const client = await ScriptLineClient.connect(sim.port, '127.0.0.1', true, sim.secretFile);
  try {
    // The script reads a set across ticks (its budget): a snapshot taken while it is still
    // reading says `building`, and the corpus needs the whole set. Ask again until it is whole.
    const deadline = Date.now() + 20_000;
    let line = await snapshot(client);
    while (line.building === true) {
      if (Date.now() > deadline) throw new Error('the demo set was still building after 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
      line = await snapshot(client);
    }
    // Parameters are mirrored only for observed devices (a browser's open panel): the corpus
    // speaks of any device's controls, so observe them all and wait until they are all in.
    const devices = line.entities.filter((e) => e.kind === 'device' && !e.removed).map((e) => e.id);
    client.send({ type: 'observe', devices: devices.slice(0, OBSERVE_LIMIT) });
    let params = -1;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the demo set\'s parameters were not all mirrored after 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
      line = await snapshot(client);
      const now = line.entities.filter((e) => e.kind === 'parameter').length;
      if (line.building !== true && now > 0 && now === params) break;
      params = now;
    }
    return { epoch: line.epoch, entities: line.entities };
  } finally {
    client.close();
    await sim.stop();
  }
}

async function snapshot(client: ScriptLineClient): Promise<Extract<ScriptLine, { type: 'snapshot' }>> {
  const waiting = client.next((line) => line.type === 'snapshot', 20_000);
  client.send({ type: 'snapshot_request' });
  const line = ScriptLineSchema.parse(await waiting);
  if (line.type !== 'snapshot') throw new Error('expected a snapshot');
  return line;
}
