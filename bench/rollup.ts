/**
 * `npm run bench:rollup`: an app's status roll-up on a large fleet, the two
 * ways the server has: `rollUp` over every placement read into Node (what a
 * progressive app still does: its waves need each cluster's labels) against
 * `rollUpInSql` (every other app and namespace), and a page of
 * `GET .../apps/{app}/clusters?phase=Pending&limit=100` filtered in Node over every
 * placement against `placementPage`, alternating, on one fresh
 * Postgres database per size. Clusters are written in bulk, one app placed on
 * all of them, a tenth of them reporting Ready, one in a hundred dark. Each
 * round also checks that both give the same answer.
 *
 * Tunable: BENCH_ROLLUP_SIZES (10000,100000), BENCH_ROLLUP_ROUNDS (5).
 */
import { sql } from 'drizzle-orm';
import { openNodePostgres } from '../db/node-postgres.js';
import { placementStates } from '../worker/domain/status/placement-states.js';
import { byName, clusterPhases, rollUp } from '../worker/domain/status/rollup.js';
import { placementPage } from '../worker/domain/status/placement-page.js';
import { rollUpInSql } from '../worker/domain/status/rollup-sql.js';
import { createMigratedDatabase } from '../test/support/postgres.js';
import { table } from './report.js';
import { percentile } from './stats.js';

const sizes = (process.env.BENCH_ROLLUP_SIZES ?? '10000,100000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROLLUP_ROUNDS ?? 5);
const OWNER = '00000000-0000-4000-8000-000000000001';

async function measure(size: number) {
  const database = await createMigratedDatabase();
  const { db, pool } = openNodePostgres(database.url, 2);
  try {
    await db.execute(sql`insert into tenants (name, spec) values ('rollup', '{}')`);
    await db.execute(sql`insert into clusters (name, tenant_id, spec, labels)
      select 'c' || lpad(i::text, 6, '0'), (select uid from tenants), '{}', '{"fleet":"rollup"}' from generate_series(1, ${size}) i`);
    await db.execute(sql`insert into cluster_agents (cluster_uid, registered_at, last_heartbeat_at, ready, kubernetes_version, node_count, connector_version)
      select uid, now(), case when name like '%00' then now() - interval '5 minutes' else now() end, true, 'v1.31.0', 3, '0.1.0' from clusters`);
    await db.execute(sql`insert into rendered_contents (hash, objects) values ('rollup', '[]')`);
    await db.execute(sql`insert into placements (cluster_uid, owner_uid, tenant_id, owner_kind, owner_name, content_hash, revision, report_revision, report_phase)
      select uid, ${OWNER}, tenant_id, 'App', 'web', 'rollup', 1,
        case when name like '%0' then 1 end, case when name like '%0' then 'Ready' end from clusters`);
    await db.execute(sql`analyze`);
    const node: number[] = [];
    const postgres: number[] = [];
    const pageNode: number[] = [];
    const pageSql: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const now = new Date();
      let t = performance.now();
      const inNode = rollUp(1, await placementStates(db, OWNER, now), () => undefined, { now });
      node.push(performance.now() - t);
      t = performance.now();
      const inSql = await rollUpInSql(db, { uid: OWNER, kind: 'App' }, 1, { now });
      postgres.push(performance.now() - t);
      if (JSON.stringify(inNode) !== JSON.stringify(inSql)) throw new Error(`the two roll-ups differ at ${size} clusters`);
      // the second page of Pending clusters, as the route pages
      t = performance.now();
      const all = clusterPhases(await placementStates(db, OWNER, now), now, undefined).sort(byName).filter((p) => p.phase === 'Pending');
      const nodePage = all.filter((p) => p.name > all[99]!.name).slice(0, 100);
      pageNode.push(performance.now() - t);
      t = performance.now();
      const { placed } = await placementPage(db, OWNER, now, undefined, { after: all[99]!.name, phase: 'Pending', limit: 100 });
      const sqlPage = clusterPhases(placed, now, undefined).sort(byName);
      pageSql.push(performance.now() - t);
      if (JSON.stringify(nodePage) !== JSON.stringify(sqlPage)) throw new Error(`the two pages differ at ${size} clusters`);
    }
    const p50 = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);
    return [
      String(size), p50(node).toFixed(0), p50(postgres).toFixed(0), `${(p50(node) / p50(postgres)).toFixed(2)}x`,
      p50(pageNode).toFixed(0), p50(pageSql).toFixed(0), `${(p50(pageNode) / p50(pageSql)).toFixed(2)}x`,
    ];
  } finally {
    await pool.end();
    await database.drop();
  }
}

const rows: string[][] = [];
for (const size of sizes) rows.push(await measure(size));
console.log(`one app's status roll-up and a page of its clusters, ${rounds} rounds each, p50 ms; both ways give the same answer`);
console.log(table(['clusters', 'roll-up in Node', 'in Postgres', 'ratio', 'page in Node', 'in Postgres', 'ratio'], rows));
