import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromJsonRow, parsedJson } from '../../db/json-rows.js';
import { rowsOf } from '../../db/rows.js';
import { apps, federatedNamespaces } from '../../db/schema/index.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

/**
 * A cluster's sync reads the tenant's apps and namespaces as JSON, in one
 * statement with its placements: each row must come as drizzle's select maps
 * it, a spec's key order and big numbers, dates and bigints included.
 */
let h: Harness;
let t: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const NS_SPEC = { placement: { selector: {} }, quota: { pods: 10 } };

const asJson = async (table: 'apps' | 'federated_namespaces') =>
  parsedJson<Record<string, unknown>[]>(rowsOf<{ rows: unknown }>(await h.db.execute(
    sql`select coalesce(json_agg(x order by x.name), '[]'::json) as rows from ${sql.identifier(table)} x where x.tenant_id = ${t.uid}`))[0]!.rows);

describe('rows read as JSON', () => {
  it('map as drizzle select maps them', async () => {
    // keys out of order: the spec must come back as written
    const spec = appSpec({ placement: { selector: { matchLabels: { zeta: '1', alpha: '2' } } } });
    const put = await putApp(h, 'acme', t.tokens.operator, 'web', spec);
    expect(put.status).toBe(201);
    expect((await h.call('PUT', '/v1/tenants/acme/namespaces/shop', { token: t.tokens.operator, body: { spec: NS_SPEC } })).status).toBe(201);
    const direct = await h.db.select().from(apps).where(eq(apps.tenantId, t.uid));
    const viaJson = (await asJson('apps')).map((r) => fromJsonRow(apps, r));
    expect(viaJson).toEqual(direct);
    expect(Object.keys((viaJson[0]!.spec as typeof spec).placement.selector.matchLabels)).toEqual(['zeta', 'alpha']);
    expect(viaJson[0]!.createdAt).toBeInstanceOf(Date);
    const nsDirect = await h.db.select().from(federatedNamespaces).where(eq(federatedNamespaces.tenantId, t.uid));
    expect((await asJson('federated_namespaces')).map((r) => fromJsonRow(federatedNamespaces, r))).toEqual(nsDirect);
    expect(nsDirect).toHaveLength(1);
  });
});
