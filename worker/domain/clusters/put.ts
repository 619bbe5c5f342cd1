import { eq } from 'drizzle-orm';
import { clusters, type ClusterRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { jsonEqual } from '../../lib/json-equal.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import { bumpDesiredRevision } from './desired-revision.js';

/**
 * Creates or replaces a cluster. Labels decide placement, so a label change
 * moves the cluster's desired revision and wakes its connector.
 */
export async function putCluster(db: Db, actor: Actor, tenantId: string, input: PutInput, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const r = await putResource<ClusterRow>(tx, clusters, eq(clusters.tenantId, tenantId), input, pre, { tenantId });
    if (!r.changed) return { ...r, pushes: [] };
    await recordAudit(tx, actor, putAudit(tenantId, 'cluster', r));
    const relabelled = r.before && !jsonEqual(r.before.labels, r.row.labels);
    const pushes = relabelled ? await bumpDesiredRevision(tx, [r.row.uid]) : [];
    const row = pushes[0] ? { ...r.row, desiredRevision: pushes[0].revision } : r.row;
    return { ...r, row, pushes };
  });
}
