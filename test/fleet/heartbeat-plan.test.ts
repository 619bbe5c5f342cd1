import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import { writeHeartbeat } from '../../worker/domain/connector/heartbeat-batch.js';
import { driverUnderTest } from '../support/database.js';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';

interface PlanNode {
  'Node Type': string;
  'Actual Loops': number;
  'Actual Rows': number;
  'CTE Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

const CLUSTERS = 10_000;
const BATCH = 300;
/** executions of one batch: past the five Postgres plans for their values */
const RUNS = 8;

/**
 * The shape of the heartbeat batch's plan on a fleet-sized table. Its earlier
 * form joined the locked rows with the input again; on 10,000 clusters the
 * generic plan Postgres turned to made that a nested loop over the input's
 * CTE, one scan of the input per row, and a 500-row batch took 55-94 ms
 * instead of about 10 (`npm run bench:heartbeat-statement`). Each CTE is now
 * scanned once.
 * Real Postgres only: the planner's choices are what is checked.
 */
describe.skipIf(driverUnderTest() !== 'pg')('the heartbeat batch statement on 10,000 clusters', () => {
  let h: Harness;
  let uids: string[];
  beforeAll(async () => {
    h = await startHarness();
    await seedTenant(h, 'plan');
    uids = rowsOf<{ uid: string }>(await h.db.execute(sql`
      insert into clusters (name, tenant_id, labels, spec, credential_generation, desired_revision)
      select 'c-' || g, t.uid, '{}'::json, '{}'::json, 1, nextval('desired_revision_seq')
      from generate_series(1, ${CLUSTERS}::int) g, tenants t where t.name = 'plan'
      returning uid`)).map((r) => r.uid);
    await h.db.execute(sql`
      insert into cluster_agents (cluster_uid, registered_at, last_heartbeat_at, ready, kubernetes_version, node_count, connector_version)
      select c.uid, now(), now(), true, 'v1.31.0', 3, '0.1.0' from clusters c join tenants t on t.uid = c.tenant_id where t.name = 'plan'`);
    await h.db.execute(sql`analyze clusters, cluster_agents`);
  });
  afterAll(() => h?.close());

  it(`scans each CTE once for a batch of ${BATCH}, and answers every row`, async () => {
    const batch = uids.slice(0, BATCH);
    const at = new Date().toISOString();
    const list = (values: string[]) => `'{${values.join(',')}}'`;
    const plans = await h.db.transaction(async (tx) => {
      // prepares the named statement on this transaction's connection
      const write = { generation: 1, at: new Date(), ready: true, kubernetesVersion: 'v1.31.0', nodeCount: 3, appliedRevision: undefined, conditions: [], carriesDrift: false };
      expect(await writeHeartbeat(tx, { clusterUid: uids.at(-1)!, ...write })).toBeDefined();
      const args = [
        list(batch), list(batch.map(() => '1')), list(batch.map(() => `"${at}"`)), list(batch.map(() => 't')),
        list(batch.map(() => 'v1.31.0')), list(batch.map(() => '3')), list(batch.map(() => 'NULL')),
        list(batch.map(() => '"[]"')), list(batch.map(() => 'f')),
      ];
      // Postgres plans the first executions for their values; once large batches have raised the average cost
      // of those, a generic plan (which assumes 10 input rows) looks cheaper and is used: the old form's went quadratic
      const plans: PlanNode[] = [];
      for (let i = 0; i < RUNS; i++) {
        const rows = rowsOf<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          await tx.execute(sql.raw(`explain (analyze, format json) execute fp_heartbeat_batch(${args.join(', ')})`)));
        plans.push(rows[0]!['QUERY PLAN'][0].Plan);
      }
      return plans;
    });
    plans.forEach((plan, i) => {
      const nodes = nodesOf(plan);
      expect(nodes.find((n) => n['Node Type'] === 'ModifyTable')?.['Actual Rows'], `execution ${i + 1}`).toBe(BATCH);
      const cteScans = nodes.filter((n) => n['Node Type'] === 'CTE Scan');
      for (const scan of cteScans) expect(scan['Actual Loops'], `execution ${i + 1}, the CTE ${scan['CTE Name']}`).toBe(1);
    });
    // and the input is read once, by the CTE that locks the rows
    for (const plan of plans) expect(nodesOf(plan).filter((n) => n['Node Type'] === 'CTE Scan').map((n) => n['CTE Name']).sort()).toEqual(['input', 'prev']);
  });
});
