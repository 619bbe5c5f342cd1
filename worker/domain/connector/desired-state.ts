import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { preparedPerDb } from '../../../db/prepared.js';
import { apps, federatedNamespaces, placements, renderedContents, type OwnerKind } from '../../../db/schema/index.js';
import { stampedObjects } from './stamped-objects.js';

export interface DesiredOwner {
  kind: OwnerKind;
  name: string;
  revision: number;
  generation: number;
  deletionPolicy: 'Delete' | 'Orphan';
}

/**
 * Every connector whose content changed asks for it at once after a fan-out,
 * so the statement is prepared: Postgres plans this four-table join once per
 * connection instead of on every request (planning cost more than running it).
 * Contents come as JSON text, not parsed by the driver: most requests reuse
 * their stamped form (see stamped-objects).
 */
const byCluster = preparedPerDb((db) =>
  db
    .select({
      kind: placements.ownerKind,
      name: placements.ownerName,
      revision: placements.revision,
      deletionPolicy: placements.deletionPolicy,
      hash: renderedContents.hash,
      objects: sql<string>`${renderedContents.objects}::text`,
      generation: sql<number | null>`coalesce(${apps.generation}, ${federatedNamespaces.generation})`,
    })
    .from(placements)
    .innerJoin(renderedContents, eq(renderedContents.hash, placements.contentHash))
    .leftJoin(apps, eq(apps.uid, placements.ownerUid))
    .leftJoin(federatedNamespaces, eq(federatedNamespaces.uid, placements.ownerUid))
    .where(eq(placements.clusterUid, sql.placeholder('cluster')))
    .orderBy(desc(placements.ownerKind), placements.ownerName)
    .prepare('fp_desired_state'),
);

/**
 * What a cluster should hold, as the JSON answer `{ revision, objects, apps }`:
 * the union of its placements' contents, each object stamped with the revision
 * of its app (or namespace) that produced it. Namespaces come first, then apps,
 * each by name, so the answer is stable. Built as text: thousands of clusters
 * share each content, and re-serializing it per request was the main cost.
 */
export async function desiredStateJson(db: Db, clusterUid: string, revision: number): Promise<string> {
  const rows = await byCluster(db).execute({ cluster: clusterUid });
  const owners: DesiredOwner[] = [];
  const objects: string[] = [];
  for (const r of rows) {
    const ownerRevision = Number(r.revision);
    owners.push({ kind: r.kind, name: r.name, revision: ownerRevision, generation: Number(r.generation ?? 0), deletionPolicy: r.deletionPolicy });
    const stamped = stampedObjects(r.hash, ownerRevision, r.objects);
    if (stamped !== '') objects.push(stamped);
  }
  return `{"revision":${revision},"objects":[${objects.join(',')}],"apps":${JSON.stringify(owners)}}`;
}
