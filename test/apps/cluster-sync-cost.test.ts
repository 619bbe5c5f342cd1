import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { apps, clusters } from '../../db/schema/index.js';
import { settleApps } from '../../worker/domain/apps/settle.js';
import { syncCluster } from '../../worker/domain/placement/sync-cluster.js';
import { inlineRenderer } from '../../worker/rendering/renderer.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  await joinCluster(h, 'acme', 'edge', { env: 'dev' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const STATEMENTS = new Set(['select', 'insert', 'update', 'delete', 'execute']);

/** `db`, counting the statements started on it. */
function counting(db: Db) {
  let n = 0;
  // statements built once (db/table-select.ts) run through the session's prepareQuery
  const session = new Proxy((db as unknown as { session: object }).session, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (prop !== 'prepareQuery' || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        n++;
        return v.apply(target, args);
      };
    },
  });
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'session') return session;
      const v = Reflect.get(target, prop) as unknown;
      if (typeof v !== 'function') return v;
      if (!STATEMENTS.has(prop as string)) return v.bind(target);
      return (...args: unknown[]) => {
        n++;
        return v.apply(target, args);
      };
    },
  });
  return { db: proxy, count: () => n };
}

/** Statements re-evaluating the tenant's apps for one cluster, as a relabel to `labels` does (rolled back). */
async function statementsFor(name: string, labels?: Record<string, string>) {
  const [row] = await h.db.select().from(clusters).where(eq(clusters.name, name));
  const cluster = { uid: row!.uid, name, labels: labels ?? (row!.labels as Record<string, string>) };
  let counted = 0;
  await h.db.transaction(async (tx) => {
    const c = counting(tx as unknown as Db);
    await syncCluster(c.db, { uid: t.uid, name: 'acme' }, cluster, inlineRenderer);
    counted = c.count();
    tx.rollback();
  }).catch((e: Error) => {
    if (!/rollback/i.test(e.message)) throw e;
  });
  return counted;
}

/** Statements settling these apps (their rolled-up phases recorded), as after a cluster write (rolled back). */
async function settlingStatements(names: string[]) {
  const rows = await h.db.select({ uid: apps.uid, name: apps.name }).from(apps);
  const uids = rows.filter((r) => names.includes(r.name)).map((r) => r.uid);
  expect(uids).toHaveLength(names.length);
  let counted = 0;
  await h.db.transaction(async (tx) => {
    const c = counting(tx as unknown as Db);
    await settleApps(c.db, uids, new Date());
    counted = c.count();
    tx.rollback();
  }).catch((e: Error) => {
    if (!/rollback/i.test(e.message)) throw e;
  });
  return counted;
}

const putApps = async (from: number, to: number, env: string) => {
  for (let i = from; i < to; i++) {
    const r = await putApp(h, 'acme', t.tokens.operator, `app-${i}`, appSpec({ placement: { selector: { matchLabels: { env } } } }));
    expect(r.status).toBe(201);
  }
};

describe('a cluster write costs what concerns that cluster', () => {
  it('apps that neither select the cluster nor hold a placement on it cost no statement', async () => {
    await putApps(0, 2, 'prod');
    const few = await statementsFor('edge');
    await putApps(2, 22, 'prod');
    expect(await statementsFor('edge')).toBe(few);
  });

  it('apps that select it are synced together, their template version read once: as many statements for 12 as for 2', async () => {
    await putApps(22, 24, 'dev');
    const two = await statementsFor('edge');
    await putApps(24, 34, 'dev');
    expect(await statementsFor('edge')).toBe(two);
  });

  it('and as many when their content moves there (a relabel that brings them)', async () => {
    await joinCluster(h, 'acme', 'core', { env: 'staging' });
    await putApps(34, 36, 'prod');
    const before = await statementsFor('core', { env: 'prod' });
    await putApps(36, 46, 'prod');
    expect(await statementsFor('core', { env: 'prod' })).toBe(before);
  });

  it('the apps it touched, rolled out directly, are settled together: as many statements for 12 as for 2', async () => {
    const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `app-${from + i}`);
    expect(await settlingStatements(names(22, 34))).toBe(await settlingStatements(names(22, 24)));
  });
});
