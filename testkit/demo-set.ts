import type { EntityChange } from '../protocol/index.ts';
import { ScriptLineSchema } from '../protocol/index.ts';
import { SimProcess } from './sim.ts';
import { ScriptLineClient } from './script-line-client.ts';

/** The simulator's demo set as the Remote Script sends it: a snapshot's epoch and entities. */
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
    const waiting = client.next((line) => line.type === 'snapshot', 20_000);
    client.send({ type: 'snapshot_request' });
    const line = ScriptLineSchema.parse(await waiting);
    if (line.type !== 'snapshot') throw new Error('expected a snapshot');
    return { epoch: line.epoch, entities: line.entities };
  } finally {
    client.close();
    await sim.stop();
  }
}
