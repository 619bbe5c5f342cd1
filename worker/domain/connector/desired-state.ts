import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { preparedPerDb } from '../../../db/prepared.js';
import { apps, federatedNamespaces, placements, renderedContents, type OwnerKind } from '../../../db/schema/index.js';
import { ANNOTATION_REVISION } from '../../fleet/labels.js';

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
 */
const byCluster = preparedPerDb((db) =>
  db
    .select({
      kind: placements.ownerKind,
      name: placements.ownerName,
      revision: placements.revision,
      deletionPolicy: placements.deletionPolicy,
      objects: renderedContents.objects,
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

/** Stamps the owner's revision on an object, as the connector reports it back. */
function withRevision(o: Record<string, unknown>, revision: number) {
  const metadata = (o.metadata ?? {}) as { annotations?: Record<string, string> };
  return { ...o, metadata: { ...metadata, annotations: { ...metadata.annotations, [ANNOTATION_REVISION]: String(revision) } } };
}

/**
 * What a cluster should hold: the union of its placements' contents, each
 * object stamped with the revision of its app (or namespace) that produced it.
 * Namespaces come first, then apps, each by name, so the answer is stable.
 */
export async function desiredState(db: Db, clusterUid: string) {
  const rows = await byCluster(db).execute({ cluster: clusterUid });
  const owners: DesiredOwner[] = rows.map((r) => ({
    kind: r.kind, name: r.name, revision: Number(r.revision), generation: Number(r.generation ?? 0), deletionPolicy: r.deletionPolicy,
  }));
  const objects = rows.flatMap((r) => r.objects.map((o) => withRevision(o, Number(r.revision))));
  return { objects, apps: owners };
}
