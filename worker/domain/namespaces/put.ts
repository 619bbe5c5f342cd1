import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { federatedNamespaces, type FederatedNamespaceRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import type { TenantRef } from '../apps/put.js';
import { tenantClusters } from '../placement/clusters.js';
import { renderTargets } from '../placement/render-targets.js';
import { selects } from '../placement/select.js';
import { placeOwner, type Pushes } from '../placement/sync.js';
import { namespaceOwner } from './owner.js';
import { lockPlacements } from '../placement/lock.js';

/** Creates or replaces a federated namespace and places it on the clusters it selects. */
export async function putNamespace(db: Db, actor: Actor, tenant: TenantRef, input: PutInput, pre: Preconditions) {
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenant.uid);
    const where = eq(federatedNamespaces.tenantId, tenant.uid);
    const r = await putResource<FederatedNamespaceRow>(tx, federatedNamespaces, where, input, pre, { tenantId: tenant.uid });
    if (!r.changed) return { ...r, pushes: [] as Pushes };
    await recordAudit(tx, actor, putAudit(tenant.uid, 'namespace', r));
    if (r.before && r.before.generation === r.row.generation) return { ...r, pushes: [] as Pushes };
    const owner = namespaceOwner(r.row, tenant.name);
    const targets = (await tenantClusters(tx, tenant.uid)).filter((c) => selects(owner.placement, c));
    return { ...r, pushes: await placeOwner(tx, owner, await renderTargets(owner, targets)) };
  });
}
