import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { collectContents } from './collect.js';
import { bytesByOwner, judged } from './desired-size.js';
import type { Owner } from './owner.js';
import type { ClusterRender } from './render-targets.js';
import type { ClusterRef } from './select.js';
import { refreshPlacementStatistics } from './statistics.js';
import { PLACEMENT_COLUMNS, PLACEMENT_CONFLICT, planOwner, storeContents, type Existing, type OwnerPlan } from './sync.js';

/** An owner and its render for the cluster: none when it no longer selects it. */
export interface OwnerRender {
  owner: Owner;
  render: ClusterRender | undefined;
}

/**
 * `syncOwner` for one cluster and many owners (a cluster that joined or was
 * relabelled), in a fixed number of statements however many owners select
 * it, where one `syncOwner` per owner took two to five. The owners are judged
 * against the desired-size limit in order, as one `syncOwner` after another
 * would: each sees the contents the ones before it placed or removed.
 * Returns the uids of the owners whose placement on the cluster moved
 * (content changed, or removed). `existing`: the cluster's placements, by
 * owner uid, as read in this transaction.
 */
export async function syncClusterOwners(
  tx: Db, tenantId: string, cluster: ClusterRef, items: OwnerRender[], existing: ReadonlyMap<string, Existing>,
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const changes = (i: OwnerRender) => i.render?.ok === true && existing.get(i.owner.uid)?.content_hash !== i.render.hash;
  const bytes = items.some(changes) ? await bytesByOwner(tx, cluster.uid) : new Map<string, number>();
  let total = [...bytes.values()].reduce((a, b) => a + b, 0);

  const plans: { owner: Owner; plan: OwnerPlan }[] = [];
  const renders: ClusterRender[] = [];
  for (const item of items) {
    const own = bytes.get(item.owner.uid) ?? 0;
    const render = item.render && changes(item) ? judged(item.owner, item.render, total - own) : item.render;
    const before = existing.get(item.owner.uid);
    const plan = planOwner(item.owner, new Map(before ? [[cluster.uid, before]] : []), render ? [render] : []);
    plans.push({ owner: item.owner, plan });
    if (render) renders.push(render);
    // what the cluster holds of this owner now: the next owners are judged with it
    const now = plan.removed.length > 0 ? 0 : render?.ok && plan.upserts[0]?.content_hash === render.hash ? render.size : own;
    total += now - own;
    bytes.set(item.owner.uid, now);
  }

  await storeContents(tx, renders);
  const rows = plans.flatMap(({ owner, plan }) => plan.upserts.map((u) => ({
    ...u, owner_uid: owner.uid, owner_kind: owner.kind, owner_name: owner.name, revision: owner.revision, deletion_policy: owner.deletionPolicy,
  })));
  if (rows.length > 0) {
    await tx.execute(sql`
      insert into placements ${PLACEMENT_COLUMNS}
      select x.cluster_uid, x.owner_uid, ${tenantId}, x.owner_kind, x.owner_name, x.content_hash, x.pending_hash,
        case when x.pending_hash is null then null else x.revision end, x.revision, x.deletion_policy, x.error
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as x(cluster_uid uuid, owner_uid uuid, owner_kind text, owner_name text, content_hash text, pending_hash text, revision int, deletion_policy text, error text)
      ${PLACEMENT_CONFLICT}`);
  }
  await refreshPlacementStatistics(tx, plans.reduce((a, p) => a + p.plan.added, 0));
  const removed = plans.filter((p) => p.plan.removed.length > 0).map((p) => p.owner.uid);
  if (removed.length > 0) {
    await tx.execute(sql`delete from placements where cluster_uid = ${cluster.uid} and owner_uid = any(${arrayParam(removed, 'uuid')})`);
  }
  await collectContents(tx, plans.flatMap((p) => p.plan.replaced));
  return new Set(plans.filter((p) => p.plan.moved.length > 0 || p.plan.removed.length > 0).map((p) => p.owner.uid));
}
