import { eq, sql } from 'drizzle-orm';
import { fromJsonRow, parsedJson } from '../../../db/json-rows.js';
import { rowsOf } from '../../../db/rows.js';
import { tableSelect } from '../../../db/table-select.js';
import { eachLimit } from '../../../connectors/limit.js';
import type { Db } from '../../../db/client.js';
import { apps, federatedNamespaces, type AppRow } from '../../../db/schema/index.js';
import { appOwner } from '../apps/owner.js';
import type { AppSpec } from '../apps/spec.js';
import type { TenantRef } from '../apps/put.js';
import { namespaceOwner } from '../namespaces/owner.js';
import { resolveTemplate, type TemplateRef } from '../templates/resolve.js';
import type { Owner } from './owner.js';
import { renderTargets } from './render-targets.js';
import { selects, type ClusterRef, type PlacementSpec } from './select.js';
import { syncClusterOwners, type OwnerRender } from './sync-owners.js';
import type { Existing } from './sync.js';
import type { Renderer } from '../../rendering/renderer.js';

/**
 * The apps as owners, each template version resolved once however many apps
 * name it (a tenant's apps mostly share a few).
 */
async function appOwners(tx: Db, tenant: TenantRef, rows: AppRow[], renderer: Renderer): Promise<Owner[]> {
  const templates = new Map<string, ReturnType<typeof resolveTemplate>>();
  const owners: Owner[] = [];
  for (const row of rows) {
    const spec = row.spec as unknown as AppSpec;
    const ref: TemplateRef = spec.template;
    const key = JSON.stringify([ref.catalog ?? false, ref.name, ref.version]);
    if (!templates.has(key)) templates.set(key, resolveTemplate(tx, tenant.uid, ref));
    const t = await templates.get(key)!;
    // The template was there when the spec was accepted; a template deleted
    // since then leaves the app's placements as they are.
    if (t.ok) owners.push(appOwner({ ...row, tenantName: tenant.name }, spec, t.source, renderer));
  }
  return owners;
}

const appsOf = tableSelect('fp_apps_of_tenant', apps, (t) => eq(t.tenantId, sql.placeholder('tenant')));

/**
 * The tenant's apps and namespaces and the cluster's placements, in one
 * statement: read under the tenant's placement lock, where each round trip
 * is held by every other placement change of the tenant waiting behind it.
 */
async function ownersAndPlacements(tx: Db, tenantUid: string, clusterUid: string) {
  const [row] = rowsOf<{ placed: unknown; apps: unknown; namespaces: unknown }>(await tx.execute(sql`
    select
      (select coalesce(json_agg(json_build_object('owner_uid', p.owner_uid, 'cluster_uid', p.cluster_uid,
         'content_hash', p.content_hash, 'pending_hash', p.pending_hash, 'error', p.error)), '[]'::json)
       from placements p where p.cluster_uid = ${clusterUid}) as placed,
      (select coalesce(json_agg(a), '[]'::json) from apps a where a.tenant_id = ${tenantUid}) as apps,
      (select coalesce(json_agg(n), '[]'::json) from federated_namespaces n where n.tenant_id = ${tenantUid}) as namespaces`));
  const placed = parsedJson<(Existing & { owner_uid: string })[]>(row!.placed);
  return {
    placed: new Map<string, Existing>(placed.map((p) => [p.owner_uid, p])),
    apps: parsedJson<Record<string, unknown>[]>(row!.apps).map((r) => fromJsonRow(apps, r)),
    namespaces: parsedJson<Record<string, unknown>[]>(row!.namespaces).map((r) => fromJsonRow(federatedNamespaces, r)),
  };
}

const placementOf = (row: { spec: unknown }) => (row.spec as { placement: PlacementSpec }).placement;

/**
 * Renders every app of the tenant that selects the cluster, before the
 * transaction that syncs it (see RenderMemo); errors are left for the sync.
 */
export async function renderClusterAhead(db: Db, tenant: TenantRef, cluster: ClusterRef, renderer: Renderer): Promise<void> {
  const appRows = (await appsOf(db, { tenant: tenant.uid })).filter((r) => selects(placementOf(r), cluster));
  const owners = await appOwners(db, tenant, appRows, renderer);
  await eachLimit(owners, 4, async (owner) => void (await renderTargets(owner, [cluster]).catch(() => undefined)));
}

/**
 * Re-evaluates every app and federated namespace of the tenant for one cluster
 * that joined or was relabelled: placed where now selected, removed where no
 * longer. Only the owners that select the cluster or hold a placement on it
 * are looked at further, and synced together (syncClusterOwners): a template
 * read and a placement read for every owner of the tenant had cost a cluster
 * PUT about 1 ms an app, 300 ms with 300 apps that did not select it. A render
 * that fails for this cluster alone does not fail the cluster write; it is
 * kept on the placement and shown in the app's status. Returns whether what
 * the cluster should hold changed, and the apps that select it or lost it
 * (their rollouts and phases are settled next).
 */
export async function syncCluster(tx: Db, tenant: TenantRef, cluster: ClusterRef, renderer: Renderer): Promise<{ changed: boolean; apps: string[] }> {
  const read = await ownersAndPlacements(tx, tenant.uid, cluster.uid);
  const placed = read.placed;
  const concerned = <R extends { uid: string; spec: unknown }>(rows: R[]) => rows.filter((r) => placed.has(r.uid) || selects(placementOf(r), cluster));
  const appRows = concerned(read.apps);
  const nsRows = concerned(read.namespaces);
  const owners = [...nsRows.map((r) => namespaceOwner(r, tenant.name)), ...(await appOwners(tx, tenant, appRows, renderer))];
  const items: OwnerRender[] = [];
  for (const owner of owners) {
    items.push({ owner, render: selects(owner.placement, cluster) ? (await renderTargets(owner, [cluster]))[0] : undefined });
  }
  const moved = await syncClusterOwners(tx, tenant.uid, cluster, items, placed);
  const changed = moved.size > 0;
  const touched = items.filter((i) => i.owner.kind === 'App' && (i.render !== undefined || moved.has(i.owner.uid))).map((i) => i.owner.uid);
  return { changed, apps: touched };
}
