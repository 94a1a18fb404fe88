import { SetMirror } from '../../server/mirror/set-mirror.ts';
import { loadDemoSnapshot } from '../../testkit/demo-set.ts';

export interface DemoSet {
  mirror: SetMirror;
  stop(): Promise<void>;
}

/** The simulator's demo set (testkit/demo-set.ts) as the server's mirror holds it, applied by the real SetMirror. */
export async function loadDemoSet(): Promise<DemoSet> {
  const { epoch, entities } = await loadDemoSnapshot();
  const mirror = new SetMirror();
  mirror.applySnapshot(epoch, entities);
  return { mirror, stop: () => Promise.resolve() };
}
