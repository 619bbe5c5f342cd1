import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.js';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
const names = ['c1', 'c2', 'c3', 'c4'];
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  for (const n of names) await joinCluster(h, 'acme', n, { env: 'prod' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
  expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
});
afterAll(() => h.close());

const relabel = (name: string, env: string) =>
  h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: t.tokens.admin, body: { metadata: { labels: { env } }, spec: {} } });

describe(`placement under concurrent writes (${process.env.FP_TEST_DB ?? 'pglite'})`, () => {
  it('relabels racing app changes end with placements that match the labels and the newest spec', async () => {
    for (let round = 0; round < 6; round++) {
      const envs = names.map((_, i) => ((round + i) % 2 === 0 ? 'prod' : 'dev'));
      const answers = await Promise.all([
        putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: round + 2 } })),
        ...names.map((n, i) => relabel(n, envs[i]!)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const placed = rowsOf<{ name: string; objects: any[] }>(await h.db.execute(sql`
        select c.name, rc.objects from placements p join clusters c on c.uid = p.cluster_uid
        join rendered_contents rc on rc.hash = p.content_hash order by c.name`));
      expect(placed.map((p) => p.name)).toEqual(names.filter((_, i) => envs[i] === 'prod'));
      for (const p of placed) expect(p.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(round + 2);
    }
  });

  it('two tenants swapping the same two specs leave no placement whose content was collected', async () => {
    const other = await seedTenant(h, 'globex');
    const credential = (await joinCluster(h, 'globex', 'g1', { env: 'prod' })).credential;
    await publishWebTemplate(h, 'globex', other.tokens.operator);
    const spec = (replicas: number) => appSpec({ values: { replicas } });
    const contents = async () => Number(rowsOf<{ n: string }>(await h.db.execute(sql`select count(*) as n from rendered_contents`))[0]!.n);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', spec(2))).status).toBe(200);
    expect((await putApp(h, 'globex', other.tokens.operator, 'shop', spec(2))).status).toBe(201);
    // the tenant's label is stamped on every object, so the same spec stores a content per tenant: one tenant's
    // collection (under its own placement lock) never weighs a content the other is storing
    expect(await contents()).toBe(2);
    for (let round = 0; round < 8; round++) {
      const [a, g] = round % 2 === 0 ? [3, 2] : [2, 3];
      const answers = await Promise.all([
        putApp(h, 'acme', t.tokens.operator, 'shop', spec(a)),
        putApp(h, 'globex', other.tokens.operator, 'shop', spec(g)),
      ]);
      expect(answers.map((x) => x.status)).toEqual([200, 200]);
      const dangling = rowsOf<{ n: string }>(await h.db.execute(sql`
        select count(*) as n from placements p where not exists (select 1 from rendered_contents rc where rc.hash = p.content_hash)`));
      expect(Number(dangling[0]!.n)).toBe(0);
      expect(await contents()).toBe(2);
      const served = await desiredOf(h, credential);
      expect(served.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(g);
    }
  });
});
