import type { Context } from 'hono';
import { apps, type AppRow } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import { notFound } from '../lib/problem.js';
import { getResource } from '../lib/resource-store.js';
import { DnsLabel } from '../lib/schemas.js';
import { TenantParams } from './common.js';

export const AppParams = TenantParams.extend({ app: DnsLabel.openapi({ param: { name: 'app', in: 'path' } }) });

/** The named app of the caller's tenant, or 404. */
export async function loadApp(c: Context<AppEnv>, name: string): Promise<AppRow> {
  const row = await getResource<AppRow>(c.get('db'), apps, c.get('access').tenant.uid, name);
  if (!row) throw notFound('app', name);
  return row;
}
