import type { Db } from '../../../db/client.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { reportedResources } from './reported-resources.js';
import type { PlacedState } from './placement-states.js';
import { rollUp, withResources, type RollUpOptions } from './rollup.js';
import { rollUpInSql } from './rollup-sql.js';

type Owner = { uid: string; name: string; kind: OwnerKind };

/** The rolled-up status with the reported resources of the clusters shown. */
async function withShownResources(db: Db, owner: Owner, { shown, ...rolled }: ReturnType<typeof rollUp>) {
  const resources = await reportedResources(db, owner, shown.map((s) => s.uid));
  return { ...rolled, clusters: withResources(shown, resources) };
}

/**
 * The status an app or federated namespace answers with: rolled up from every
 * placement's narrow state, with the reported resources of the clusters shown.
 */
export const ownerStatus = (
  db: Db, owner: Owner, generation: number, placed: PlacedState[], generationOf: (revision: number) => number | undefined, o: RollUpOptions,
) => withShownResources(db, owner, rollUp(generation, placed, generationOf, o));

/** The same status rolled up in Postgres, for owners whose status needs no cluster's labels (see rollUpInSql). */
export const ownerStatusInSql = async (db: Db, owner: Owner, generation: number, o: RollUpOptions) =>
  withShownResources(db, owner, await rollUpInSql(db, owner, generation, o));
