import { SetMirror } from '../../server/mirror/set-mirror.ts';
import { syntheticEntities, type SyntheticSet } from '../../testkit/synthetic-set.ts';

/** The synthetic set (testkit/synthetic-set.ts) applied by the real SetMirror. */
export function syntheticMirror(spec: SyntheticSet): SetMirror {
  const mirror = new SetMirror();
  mirror.applySnapshot('syn', syntheticEntities(spec));
  return mirror;
}
