import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseSummaries, phaseSummary } from '../../worker/domain/status/phase-counts.js';
import { placementPhase } from '../../worker/domain/status/placement-phase.js';
import { placementStates } from '../../worker/domain/status/placement-states.js';
import { rollUp, summarize } from '../../worker/domain/status/rollup.js';
import { rollUpInSql } from '../../worker/domain/status/rollup-sql.js';
import { rowsOf } from '../../db/rows.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

/** The app phase counted in Postgres (phaseSummary) equals placementPhase applied in TypeScript, branch by branch. */
let h: Harness;
let t: SeededTenant;
let app = '';
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  await publishWebTemplate(h, 'acme', t.tokens.operator);
  for (let i = 0; i < 12; i++) await joinCluster(h, 'acme', `k${i}`, { env: 'prod' });
  const put = await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec());
  app = put.body.metadata.uid;
});
afterAll(() => h.close());

const ago = (s: number) => sql`now() - make_interval(secs => ${s})`;

describe('phaseSummary', () => {
  it('counts as placementPhase does, for every kind of placement and clock', async () => {
    const set = (name: string, placement: ReturnType<typeof sql>, agent?: ReturnType<typeof sql>) => h.db.transaction(async (tx) => {
      await tx.execute(sql`update placements p set ${placement} from clusters c where c.uid = p.cluster_uid and c.name = ${name} and p.owner_uid = ${app}`);
      if (agent) await tx.execute(sql`update cluster_agents a set ${agent} from clusters c where c.uid = a.cluster_uid and c.name = ${name}`);
    });
    const alive = sql`last_heartbeat_at = now(), ready = true`;
    await set('k0', sql`report_revision = 1, report_phase = 'Ready'`, alive);
    await set('k1', sql`report_revision = 1, report_phase = 'Failed'`, alive);
    await set('k2', sql`report_revision = 1, report_phase = 'Suspended'`, alive);
    await set('k3', sql`report_revision = 1, report_phase = 'Progressing', released_at = ${ago(700)}`, alive);
    await set('k4', sql`report_revision = 1, report_phase = 'Progressing', released_at = now()`, alive);
    await set('k5', sql`report_revision = 0, report_phase = 'Ready', released_at = ${ago(700)}`, alive);
    await set('k6', sql`report_revision = 1, report_phase = 'Ready'`, sql`last_heartbeat_at = ${ago(60)}, ready = true`);
    await set('k7', sql`report_revision = 1, report_phase = 'Ready'`, sql`last_heartbeat_at = ${ago(600)}, ready = false`);
    await set('k8', sql`error = 'render failed', report_revision = 1, report_phase = 'Ready'`, alive);
    await set('k9', sql`pending_revision = 2, report_revision = 1, report_phase = 'Ready'`, alive);
    await set('k10', sql`report_revision = 1, report_phase = 'Ready', released_at = ${ago(700)}`, sql`last_heartbeat_at = null`);
    // k10: registered, never heartbeated (Pending, not Unknown); k11: never reported
    for (const [offset, deadline] of [[0, undefined], [0, 600_000], [30_000, 600_000], [0, 1_000_000], [400_000, 600_000]] as const) {
      const now = new Date(Date.now() + offset);
      const ts = summarize((await placementStates(h.db, app, now)).map((s) => placementPhase(s, now, deadline).phase));
      expect(await phaseSummary(h.db, app, now, deadline)).toEqual(ts);
    }
    const now = new Date();
    expect(await phaseSummary(h.db, app, now, 600_000)).toEqual({ clusters: 12, ready: 2, progressing: 3, failed: 4, unknown: 2, suspended: 1 });
    // several owners in one statement: each as counted alone (without a deadline), and one with no placement at all
    const nobody = '00000000-0000-4000-8000-000000000000';
    for (const offset of [0, 400_000]) {
      const at = new Date(Date.now() + offset);
      const many = await phaseSummaries(h.db, [app, nobody], at);
      expect(many.get(app)).toEqual(await phaseSummary(h.db, app, at, undefined));
      expect(many.get(nobody)).toEqual(await phaseSummary(h.db, nobody, at, undefined));
    }
  });

  it('the whole roll-up in Postgres equals rollUp: phase, summary, observed generation and the clusters shown', async () => {
    // runs on the states the test above left
    const compare = async (generation: number) => {
      const history = rowsOf<{ revision: number; generation: number }>(await h.db.execute(sql`select revision, generation from app_revisions where app_uid = ${app}`));
      const generationOf = (r: number) => history.find((x) => Number(x.revision) === r)?.generation;
      for (const [offset, deadline] of [[0, undefined], [0, 600_000], [400_000, 600_000]] as const) {
        const now = new Date(Date.now() + offset);
        const ts = rollUp(generation, await placementStates(h.db, app, now), generationOf, { now, deadline });
        expect(await rollUpInSql(h.db, { uid: app, kind: 'App' }, generation, { now, deadline })).toEqual(ts);
        // fewer shown than placed: the same first ones, those needing attention first
        const capped = await rollUpInSql(h.db, { uid: app, kind: 'App' }, generation, { now, deadline }, 5);
        expect(capped.shown).toEqual(ts.shown.slice(0, 5));
      }
    };
    await compare(1);
    // a newer spec: reports of the older revision observe its generation, the newest their own
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 5 } }))).status).toBe(200);
    await h.db.execute(sql`update placements set error = null, pending_revision = null, report_revision = 2, report_phase = 'Ready' where owner_uid = ${app}`);
    await h.db.execute(sql`update placements p set report_revision = 1 from clusters c where c.uid = p.cluster_uid and c.name = 'k3' and p.owner_uid = ${app}`);
    const now = new Date();
    expect((await rollUpInSql(h.db, { uid: app, kind: 'App' }, 2, { now })).observedGeneration).toBe(1);
    await compare(2);
    await h.db.execute(sql`update placements set report_revision = 2 where owner_uid = ${app}`);
    expect((await rollUpInSql(h.db, { uid: app, kind: 'App' }, 2, { now })).observedGeneration).toBe(2);
    await compare(2);
  });
});
