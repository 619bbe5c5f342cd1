import type { Db } from '../../../db/client.js';
import type { FederatedNamespaceRow } from '../../../db/schema/index.js';
import { toResource } from '../../lib/respond.js';
import { ownerStatusInSql } from '../status/owner-status.js';
import type { NamespaceSpec } from './owner.js';

/** A federated namespace with its status on every placed cluster; its revisions are its generations. */
export async function viewNamespace(db: Db, row: FederatedNamespaceRow, now: Date) {
  const owner = { uid: row.uid, name: row.name, kind: 'Namespace' as const };
  const status = await ownerStatusInSql(db, owner, row.generation, { now });
  return toResource<NamespaceSpec, typeof status>(row, status);
}
