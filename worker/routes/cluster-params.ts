import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { clusters, type ClusterRow } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import { notFound } from '../lib/problem.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel } from '../lib/schemas.js';
import { TenantParams } from './common.js';

export const ClusterParams = TenantParams.extend({ cluster: DnsLabel.openapi({ param: { name: 'cluster', in: 'path' } }) });

/** The named cluster of the caller's tenant, or 404. */
export async function loadCluster(c: Context<AppEnv>, name: string): Promise<ClusterRow> {
  const row = await getResource<ClusterRow>(c.get('db'), clusters, c.get('access').tenant.uid, name);
  if (!row) throw notFound('cluster', name);
  return row;
}
