import type { Db } from '../../../db/client.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { reportedResources } from './reported-resources.js';
import type { PlacedState } from './placement-states.js';
import { rollUp, withResources, type RollUpOptions } from './rollup.js';

/**
 * The status an app or federated namespace answers with: rolled up from every
 * placement's narrow state, with the reported resources of the clusters shown.
 */
export async function ownerStatus(
  db: Db, owner: { uid: string; name: string; kind: OwnerKind }, generation: number, placed: PlacedState[],
  generationOf: (revision: number) => number | undefined, o: RollUpOptions,
) {
  const { shown, ...rolled } = rollUp(generation, placed, generationOf, o);
  const resources = await reportedResources(db, owner, shown.map((s) => s.uid));
  return { ...rolled, clusters: withResources(shown, resources) };
}
