import { pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { resourceColumns } from './columns.js';
import { tenantRef } from './tenant-ref.js';

/** A namespace placed on many clusters (Namespace + ResourceQuota + LimitRange on each). */
export const federatedNamespaces = pgTable(
  'federated_namespaces',
  { ...resourceColumns(), tenantId: tenantRef() },
  (t) => [uniqueIndex('federated_namespaces_tenant_name_key').on(t.tenantId, t.name)],
);

export type FederatedNamespaceRow = typeof federatedNamespaces.$inferSelect;
