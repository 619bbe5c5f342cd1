import { eq, sql } from 'drizzle-orm';
import { clusters, type ClusterRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { jsonEqual } from '../../lib/json-equal.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import type { Preconditions } from '../../lib/preconditions.js';
import type { TenantRef } from '../apps/put.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import { renderClusterAhead, syncCluster } from '../placement/sync-cluster.js';
import { RenderMemo } from '../../rendering/render-memo.js';
import { getResource } from '../../lib/resource-store.js';
import { bumpDesiredRevision } from './desired-revision.js';
import { settleApps } from '../apps/settle.js';
import { lockPlacements } from '../placement/lock.js';
import type { Renderer } from '../../rendering/renderer.js';
import { pushTargetOf, type Publication } from '../../push/push.js';

/**
 * Creates or replaces a cluster. Labels decide placement, so a new cluster or
 * a label change re-evaluates every app and namespace for it, and a label
 * change always moves its desired revision and wakes its connector.
 */
export async function putCluster(db: Db, actor: Actor, tenant: TenantRef, input: PutInput, pre: Preconditions, renderer: Renderer, now: Date) {
  const memo = new RenderMemo(renderer);
  const current = await getResource<ClusterRow>(db, clusters, tenant.uid, input.name);
  if (!current || !jsonEqual(current.labels, input.labels)) {
    await renderClusterAhead(db, tenant, { uid: current?.uid ?? '', name: input.name, labels: input.labels as Record<string, string> }, memo);
  }
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenant.uid);
    // a relabel moves the desired revision in the same statement
    const moveRevision = { desiredRevision: sql`nextval('desired_revision_seq')` };
    const r = await putResource<ClusterRow>(tx, clusters, eq(clusters.tenantId, tenant.uid), input, pre, { tenantId: tenant.uid }, { seen: current, onRelabel: moveRevision });
    if (!r.changed) return { ...r, pushes: [] };
    await recordAudit(tx, actor, putAudit(tenant.uid, 'cluster', r));
    const relabelled = !r.before || !jsonEqual(r.before.labels, r.row.labels);
    if (!relabelled) return { ...r, pushes: [] };
    const synced = await syncCluster(tx, tenant, r.row, memo);
    const settled = await settleApps(tx, synced.apps, now);
    const own = settled.filter((p) => p.target.clusterUid === r.row.uid);
    let pushes: Publication[];
    if (r.before) {
      // a rollout that released to this very cluster moved its revision again, past the relabel's
      pushes = own.length > 0 ? settled : [...settled, { target: pushTargetOf(r.row), revision: r.row.desiredRevision }];
    } else {
      if (!synced.changed && settled.length === 0) return { ...r, pushes: [] };
      // created: one new revision covers what was placed and what a rollout released to it
      pushes = [...settled.filter((p) => p.target.clusterUid !== r.row.uid), ...(await bumpDesiredRevision(tx, [r.row.uid]))];
    }
    const revision = Math.max(...pushes.filter((p) => p.target.clusterUid === r.row.uid).map((p) => p.revision));
    return { ...r, row: { ...r.row, desiredRevision: revision }, pushes };
  });
}
