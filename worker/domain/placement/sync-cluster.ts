import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { apps, federatedNamespaces, type AppRow } from '../../../db/schema/index.js';
import { appOwner } from '../apps/owner.js';
import type { AppSpec } from '../apps/spec.js';
import type { TenantRef } from '../apps/put.js';
import { namespaceOwner } from '../namespaces/owner.js';
import { resolveTemplate } from '../templates/resolve.js';
import type { Owner } from './owner.js';
import { renderTargets } from './render-targets.js';
import { selects, type ClusterRef } from './select.js';
import { syncOwner } from './sync.js';
import type { Renderer } from '../../rendering/renderer.js';

async function appOwners(tx: Db, tenant: TenantRef, rows: AppRow[], renderer: Renderer): Promise<Owner[]> {
  const owners: Owner[] = [];
  for (const row of rows) {
    const spec = row.spec as unknown as AppSpec;
    const t = await resolveTemplate(tx, tenant.uid, spec.template);
    // The template was there when the spec was accepted; a template deleted
    // since then leaves the app's placements as they are.
    if (t.ok) owners.push(appOwner({ ...row, tenantName: tenant.name }, spec, t.source, renderer));
  }
  return owners;
}

/**
 * Renders every app of the tenant that selects the cluster, before the
 * transaction that syncs it (see RenderMemo); errors are left for the sync.
 */
export async function renderClusterAhead(db: Db, tenant: TenantRef, cluster: ClusterRef, renderer: Renderer): Promise<void> {
  const appRows = await db.select().from(apps).where(eq(apps.tenantId, tenant.uid));
  for (const owner of await appOwners(db, tenant, appRows, renderer)) {
    if (selects(owner.placement, cluster)) await renderTargets(owner, [cluster]).catch(() => undefined);
  }
}

/**
 * Re-evaluates every app and federated namespace of the tenant for one cluster
 * that joined or was relabelled: placed where now selected, removed where no
 * longer. A render that fails for this cluster alone does not fail the cluster
 * write; it is kept on the placement and shown in the app's status. Returns
 * whether what the cluster should hold changed, and the apps that select it or
 * lost it (their rollouts and phases are settled next).
 */
export async function syncCluster(tx: Db, tenant: TenantRef, cluster: ClusterRef, renderer: Renderer): Promise<{ changed: boolean; apps: string[] }> {
  const appRows = await tx.select().from(apps).where(eq(apps.tenantId, tenant.uid));
  const nsRows = await tx.select().from(federatedNamespaces).where(eq(federatedNamespaces.tenantId, tenant.uid));
  const owners = [...nsRows.map((r) => namespaceOwner(r, tenant.name)), ...(await appOwners(tx, tenant, appRows, renderer))];
  let changed = false;
  const touched: string[] = [];
  for (const owner of owners) {
    const selected = selects(owner.placement, cluster);
    const renders = selected ? await renderTargets(owner, [cluster]) : [];
    const moved = (await syncOwner(tx, owner, renders, [cluster.uid])).length > 0;
    if (moved) changed = true;
    if (owner.kind === 'App' && (selected || moved)) touched.push(owner.uid);
  }
  return { changed, apps: touched };
}
