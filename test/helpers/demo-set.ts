import { SimProcess } from '../../testkit/sim.ts';
import { ScriptLineClient } from '../../testkit/script-line-client.ts';
import { SetMirror } from '../../server/mirror/set-mirror.ts';
import { ScriptLineSchema } from '../../protocol/index.ts';

export interface DemoSet {
  mirror: SetMirror;
  stop(): Promise<void>;
}

/**
 * The simulator's demo set as the server's mirror holds it: the real Remote Script in
 * the Python simulator, asked for a snapshot over its own TCP line, applied by the real
 * SetMirror. Nothing is written by hand, so a change to the demo set reaches the tests.
 */
export async function loadDemoSet(): Promise<DemoSet> {
  const sim = await SimProcess.start({ tickHz: 50 });
  const client = await ScriptLineClient.connect(sim.port, '127.0.0.1', true, sim.secretFile);
  try {
    const waiting = client.next((line) => line.type === 'snapshot', 20_000);
    client.send({ type: 'snapshot_request' });
    const line = ScriptLineSchema.parse(await waiting);
    if (line.type !== 'snapshot') throw new Error('expected a snapshot');
    const mirror = new SetMirror();
    mirror.applySnapshot(line.epoch, line.entities);
    return {
      mirror,
      stop: async () => {
        client.close();
        await sim.stop();
      },
    };
  } catch (err) {
    client.close();
    await sim.stop();
    throw err;
  }
}
