import type { Db } from '../../../db/client.js';
import type { FederatedNamespaceRow } from '../../../db/schema/index.js';
import { toResource } from '../../lib/respond.js';
import { ownerStatus } from '../status/owner-status.js';
import { placementStates } from '../status/placement-states.js';
import type { NamespaceSpec } from './owner.js';

/** A federated namespace with its status on every placed cluster; its revisions are its generations. */
export async function viewNamespace(db: Db, row: FederatedNamespaceRow, now: Date) {
  const owner = { uid: row.uid, name: row.name, kind: 'Namespace' as const };
  const status = await ownerStatus(db, owner, row.generation, await placementStates(db, row.uid, now), (r) => r, { now });
  return toResource<NamespaceSpec, typeof status>(row, status);
}
