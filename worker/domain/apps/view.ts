import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRevisions, type AppRow } from '../../../db/schema/index.js';
import { toResource } from '../../lib/respond.js';
import { placedClusters } from '../status/placed.js';
import { rollUp } from '../status/rollup.js';
import { deletionPolicyOf, type AppSpec } from './spec.js';

/** An app with its status rolled up from every placed cluster, as of `now`. */
export async function viewApp(db: Db, row: AppRow, now: Date) {
  const spec = row.spec as unknown as AppSpec;
  const placed = await placedClusters(db, { uid: row.uid, name: row.name, kind: 'App' }, now);
  const needsHistory = placed.some((p) => p.report && p.report.revision < p.revision);
  const history = needsHistory
    ? await db.select({ revision: appRevisions.revision, generation: appRevisions.generation }).from(appRevisions).where(eq(appRevisions.appUid, row.uid))
    : [];
  const generations = new Map(history.map((h) => [h.revision, h.generation]));
  const status = {
    ...rollUp(row.generation, placed, (r) => generations.get(r)),
    revision: row.revision,
    deletionPolicy: deletionPolicyOf(spec),
  };
  return toResource<AppSpec, typeof status>(row, status);
}
