import { OBSERVE_LIMIT, ScriptLineSchema, type EntityChange, type ScriptLine } from '../protocol/index.ts';
import { SimProcess } from './sim.ts';
import { ScriptLineClient } from './script-line-client.ts';
import { until } from './poll.ts';

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
    const whole = await until(async () => {
      const line = await snapshot(client);
      return line.building === true ? null : line;
    }, 'the demo set to be whole', 20_000, 50);
    // Parameters are mirrored only for observed devices (a browser's open panel): the corpus
    // speaks of any device's controls, so observe them all and wait until they are all in
    // (the count no longer grows between two snapshots).
    const devices = whole.entities.filter((e) => e.kind === 'device' && !e.removed).map((e) => e.id);
    client.send({ type: 'observe', devices: devices.slice(0, OBSERVE_LIMIT) });
    let params = -1;
    const line = await until(async () => {
      const next = await snapshot(client);
      const now = next.entities.filter((e) => e.kind === 'parameter').length;
      const settled = next.building !== true && now > 0 && now === params;
      params = now;
      return settled ? next : null;
    }, 'the demo set\'s parameters to be all mirrored', 20_000, 100);
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
