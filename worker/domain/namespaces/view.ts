import type { Db } from '../../../db/client.js';
import type { FederatedNamespaceRow } from '../../../db/schema/index.js';
import { toResource } from '../../lib/respond.js';
import { placedClusters } from '../status/placed.js';
import { rollUp } from '../status/rollup.js';
import type { NamespaceSpec } from './owner.js';

/** A federated namespace with its status on every placed cluster; its revisions are its generations. */
export async function viewNamespace(db: Db, row: FederatedNamespaceRow, now: Date) {
  const placed = await placedClusters(db, { uid: row.uid, name: row.name, kind: 'Namespace' }, now);
  const status = rollUp(row.generation, placed, (r) => r, { now });
  return toResource<NamespaceSpec, typeof status>(row, status);
}
