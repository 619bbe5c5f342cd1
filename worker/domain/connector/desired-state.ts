import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import type { OwnerKind } from '../../../db/schema/index.js';
import { ANNOTATION_REVISION } from '../../fleet/labels.js';

interface Row {
  owner_kind: OwnerKind;
  owner_name: string;
  revision: number;
  generation: number | null;
  deletion_policy: 'Delete' | 'Orphan';
  objects: Record<string, unknown>[];
}

export interface DesiredOwner {
  kind: OwnerKind;
  name: string;
  revision: number;
  generation: number;
  deletionPolicy: 'Delete' | 'Orphan';
}

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
  const rows = rowsOf<Row>(await db.execute(sql`
    select p.owner_kind, p.owner_name, p.revision, p.deletion_policy, c.objects,
      coalesce(a.generation, n.generation) as generation
    from placements p
    join rendered_contents c on c.hash = p.content_hash
    left join apps a on a.uid = p.owner_uid
    left join federated_namespaces n on n.uid = p.owner_uid
    where p.cluster_uid = ${clusterUid}
    order by p.owner_kind desc, p.owner_name`));
  const owners: DesiredOwner[] = rows.map((r) => ({
    kind: r.owner_kind, name: r.owner_name, revision: Number(r.revision), generation: Number(r.generation ?? 0), deletionPolicy: r.deletion_policy,
  }));
  const objects = rows.flatMap((r) => r.objects.map((o) => withRevision(o, Number(r.revision))));
  return { objects, apps: owners };
}
