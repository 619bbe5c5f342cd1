import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { perDb } from '../../../db/prepared.js';
import { TrailingRuns } from '../../lib/trailing-run.js';
import { arrayParam } from '../../../db/array-param.js';
import { appRollouts, apps, placements, type AppRow } from '../../../db/schema/index.js';
import { ApiError } from '../../lib/problem.js';
import { recordEvents, type EventEntry } from '../events.js';
import { lockPlacements } from '../placement/lock.js';
import type { Pushes } from '../placement/sync.js';
import { advanceRollout } from '../rollout/advance.js';
import { rolloutRow } from '../rollout/row.js';
import { progressiveRollout } from '../rollout/spec.js';
import type { RolloutEvent } from '../rollout/step.js';
import { placementPhase } from '../status/placement-phase.js';
import { placementStates, type PlacedState } from '../status/placement-states.js';
import { phaseSummaries, phaseSummary } from '../status/phase-counts.js';
import { ownerPhase, summarize } from '../status/rollup.js';
import type { AppSpec } from './spec.js';

export interface SettleOptions {
  /** go on with the wave after the paused one (POST .../resume) */
  resume?: boolean;
}

/**
 * Brings one progressively rolled-out app up to date with what its clusters
 * said or what changed around it: its rollout moves on where it can, and a
 * change of its rolled-up phase becomes an AppPhaseChanged event. Runs in the
 * transaction that caused it, under the tenant's placement lock.
 */
async function settleRollout(tx: Db, app: AppRow, rollout: NonNullable<ReturnType<typeof progressiveRollout>>, now: Date, o: SettleOptions): Promise<Pushes> {
  let states: PlacedState[] = [];
  // read once the rollout row is locked: what a concurrent report committed is seen
  const load = async () => (states = await placementStates(tx, app.uid, now));
  const a = await advanceRollout(tx, app, rollout, load, now, o.resume);
  const summary = summarize(states.map((s) => placementPhase(s, now, rollout.deadline).phase));
  await recordPhase(tx, app, summary, now, { paused: a.row.state === 'Paused', rolloutEvents: a.events });
  return a.pushes;
}

/** Writes the app's rollout events, and an AppPhaseChanged event when its rolled-up phase moved. */
async function recordPhase(
  tx: Db, app: AppRow, summary: ReturnType<typeof summarize>, now: Date, o: { paused: boolean; rolloutEvents?: RolloutEvent[] },
) {
  const { entries, moved } = phaseEvents(app, summary, now, o);
  if (moved) await tx.update(apps).set({ phaseRecorded: moved }).where(eq(apps.uid, app.uid));
  await recordEvents(tx, entries);
}

/** The events `recordPhase` writes, and the phase to record when it moved. */
function phaseEvents(app: AppRow, summary: ReturnType<typeof summarize>, now: Date, o: { paused: boolean; rolloutEvents?: RolloutEvent[] }) {
  const phase = ownerPhase(summary, o.paused);
  const about = { tenantId: app.tenantId, kind: 'App' as const, name: app.name, uid: app.uid, at: now };
  const entries: EventEntry[] = (o.rolloutEvents ?? []).map((e) => ({ ...about, reason: e.reason, message: e.message }));
  if (phase === app.phaseRecorded) return { entries, moved: undefined };
  entries.push({ ...about, reason: 'AppPhaseChanged', ...(app.phaseRecorded ? { from: app.phaseRecorded } : {}), to: phase });
  return { entries, moved: phase };
}

/**
 * The apps rolled out directly (not progressively) keep no rollout row, and
 * their phases are counted in one statement and recorded in one more: a
 * cluster that joins where hundreds of apps select it settles them all.
 */
async function settleDirect(tx: Db, rows: AppRow[], now: Date) {
  if (rows.length === 0) return;
  const uids = rows.map((r) => r.uid);
  await tx.delete(appRollouts).where(inArray(appRollouts.appUid, uids));
  const summaries = await phaseSummaries(tx, uids, now);
  const entries: EventEntry[] = [];
  const moved: { uid: string; phase: string }[] = [];
  for (const row of rows) {
    const e = phaseEvents(row, summaries.get(row.uid)!, now, { paused: false });
    entries.push(...e.entries);
    if (e.moved) moved.push({ uid: row.uid, phase: e.moved });
  }
  if (moved.length > 0) {
    await tx.execute(sql`update apps set phase_recorded = x.phase
      from unnest(${arrayParam(moved.map((m) => m.uid), 'uuid')}, ${arrayParam(moved.map((m) => m.phase), 'text')}) as x(uid, phase)
      where apps.uid = x.uid`);
  }
  await recordEvents(tx, entries);
}

/**
 * Records the phase of apps whose clusters' verdicts changed, where no
 * rollout is in progress: each app in a short transaction of its own, under
 * its row lock alone (reports of one tenant do not queue on its placement
 * lock). What it reads is committed, so the last recorder sees the last report.
 */
export async function recordAppPhases(db: Db, appUids: string[], now: Date) {
  const runs = recordersOf(db);
  for (const uid of [...new Set(appUids)].sort()) await runs.after(uid, now, (at) => recordAppPhase(db, uid, at));
}

async function recordAppPhase(db: Db, uid: string, now: Date) {
  await db.transaction(async (tx) => {
    const [app] = await tx.select().from(apps).where(eq(apps.uid, uid)).for('update');
    if (!app) return;
    const deadline = progressiveRollout(app.spec as unknown as AppSpec)?.deadline;
    const row = await rolloutRow(tx, app);
    await recordPhase(tx, app, await phaseSummary(tx, uid, now, deadline), now, { paused: row?.state === 'Paused' });
  });
}

/**
 * Per database handle (a Node process shares one; on Workers each request has
 * its own), the apps' phase recordings under way: reports arriving together
 * share one recount per app (see TrailingRuns) instead of each queueing on
 * the app's row lock.
 */
const recordersOf = perDb(() => new TrailingRuns<string>());

/**
 * Settles the apps placed on one cluster whose health changed, in a
 * transaction of its own under the tenant's placement lock. A cluster no app
 * is placed on takes no lock: when a whole tenant's fleet came back at once
 * (10,000 connectors after an outage), each cluster's first heartbeat queued
 * on that one lock, and the server took in about 300 clusters a second
 * (`FAULTS_ONLY=storm npm run faults`). An app placed on the cluster at that
 * very moment records its phase as its own write saw the cluster; what its
 * status shows is rolled up when read.
 */
export async function settleClusterApps(db: Db, tenantId: string, clusterUid: string, now: Date): Promise<Pushes> {
  const [any] = await db.select({ uid: placements.ownerUid }).from(placements)
    .where(and(eq(placements.clusterUid, clusterUid), eq(placements.ownerKind, 'App'))).limit(1);
  if (!any) return [];
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenantId);
    const placed = await tx.select({ uid: placements.ownerUid }).from(placements)
      .where(and(eq(placements.clusterUid, clusterUid), eq(placements.ownerKind, 'App')));
    return settleApps(tx, placed.map((p) => p.uid), now);
  });
}

/** `settleApps` for apps of several tenants, each tenant under its placement lock (scheduled work). */
export async function settleTenantApps(tx: Db, due: { app_uid: string; tenant_id: string }[], now: Date): Promise<Pushes> {
  const byTenant = new Map<string, string[]>();
  for (const r of due) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.app_uid]);
  const pushes: Pushes = [];
  for (const [tenantId, uids] of byTenant) {
    await lockPlacements(tx, tenantId);
    pushes.push(...(await settleApps(tx, uids, now)));
  }
  return pushes;
}

/** Settles these apps (locked in uid order): the direct ones together, each progressive one on its own; returns the desired revisions to publish. */
export async function settleApps(tx: Db, appUids: string[], now: Date, o: SettleOptions = {}): Promise<Pushes> {
  if (appUids.length === 0) return [];
  const rows = await tx.select().from(apps).where(inArray(apps.uid, [...new Set(appUids)])).orderBy(apps.uid).for('update');
  const direct = rows.filter((r) => !progressiveRollout(r.spec as unknown as AppSpec));
  if (o.resume && direct[0]) {
    throw new ApiError(409, 'not_paused', `app "${direct[0].name}" has no paused rollout to resume (its strategy is not Progressive)`);
  }
  await settleDirect(tx, direct, now);
  const pushes: Pushes = [];
  for (const row of rows) {
    const rollout = progressiveRollout(row.spec as unknown as AppSpec);
    if (rollout) pushes.push(...(await settleRollout(tx, row, rollout, now, o)));
  }
  return pushes;
}
