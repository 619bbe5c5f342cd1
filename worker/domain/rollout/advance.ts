import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { arrayParam } from '../../../db/array-param.js';
import { rowsOf } from '../../../db/rows.js';
import { appRollouts, type AppRow, type AppRolloutRow } from '../../../db/schema/index.js';
import { ApiError } from '../../lib/problem.js';
import { bumpDesiredRevision } from '../clusters/desired-revision.js';
import { collectContents } from '../placement/collect.js';
import type { Pushes } from '../placement/sync.js';
import { overdue, placementPhase } from '../status/placement-phase.js';
import type { PlacedState } from '../status/placement-states.js';
import type { ProgressiveRollout } from './spec.js';
import { waveCount, waveOf } from './spec.js';
import { stepRollout, waveStarted, type RolloutCluster, type RolloutEvent, type RolloutPosition } from './step.js';

export interface Advanced {
  row: AppRolloutRow;
  events: RolloutEvent[];
  pushes: Pushes;
}

/** Serves the pending content of these clusters: the new desired state the connectors fetch next. */
async function release(tx: Db, appUid: string, clusterUids: string[], now: Date): Promise<Pushes> {
  if (clusterUids.length === 0) return [];
  const replaced = rowsOf<{ old: string | null }>(await tx.execute(sql`
    update placements p set content_hash = p.pending_hash, revision = p.pending_revision,
      pending_hash = null, pending_revision = null, released_at = ${now.toISOString()}::timestamptz
    from placements old
    where p.owner_uid = ${appUid} and p.cluster_uid = any(${arrayParam(clusterUids, 'uuid')}) and p.pending_hash is not null
      and old.owner_uid = p.owner_uid and old.cluster_uid = p.cluster_uid
    returning old.content_hash as old`));
  await collectContents(tx, replaced.map((r) => r.old));
  return bumpDesiredRevision(tx, clusterUids);
}

function rolloutClusters(states: PlacedState[], r: ProgressiveRollout, now: Date): RolloutCluster[] {
  return states.map((s) => ({
    uid: s.uid, name: s.name, wave: waveOf(r.waves, s.labels), pending: s.pendingRevision !== null,
    ...placementPhase(s, now, r.deadline), overdue: overdue(s, now, r.deadline),
  }));
}

/**
 * Takes the app's rollout as far as it can go now, in the caller's
 * transaction: a new generation starts again at wave 1; `resume` goes on with
 * the wave after the paused one. The rollout row is locked first, so reports
 * of two clusters finishing a wave at once cannot both miss the other.
 * Released clusters' states are updated in place for the caller's roll-up.
 */
export async function advanceRollout(tx: Db, app: AppRow, r: ProgressiveRollout, load: () => Promise<PlacedState[]>, now: Date, resume = false): Promise<Advanced> {
  await tx.execute(sql`
    insert into app_rollouts (app_uid, tenant_id, generation, wave, state, message, updated_at)
    values (${app.uid}, ${app.tenantId}, 0, 1, 'Progressing', '', ${now.toISOString()}::timestamptz)
    on conflict (app_uid) do nothing`);
  const [row] = await tx.select().from(appRollouts).where(eq(appRollouts.appUid, app.uid)).for('update');
  const states = await load();
  const clusters = rolloutClusters(states, r, now);
  const count = waveCount(r.waves, clusters.map((c) => c.wave));
  const namesIn = (wave: number) => clusters.filter((c) => c.wave === wave).map((c) => c.name);
  const events: RolloutEvent[] = [];
  let from: RolloutPosition = { wave: row!.wave, state: row!.state, message: row!.message };
  if (row!.generation !== app.generation) {
    from = { wave: 1, state: 'Progressing', message: '' };
    events.push(waveStarted(1, count, namesIn(1), `generation ${app.generation}: `));
  }
  if (resume) {
    if (from.state !== 'Paused') throw new ApiError(409, 'not_paused', `app "${app.name}" has no paused rollout to resume (it is ${from.state})`);
    events.push({ reason: 'RolloutResumed', message: `resumed after wave ${from.wave}` });
    from = { wave: from.wave + 1, state: 'Progressing', message: '' };
    const next = namesIn(from.wave);
    if (next.length > 0) events.push(waveStarted(from.wave, count, next));
  }
  const step = stepRollout(from, clusters, { declared: r.waves.length, maxUnavailable: r.maxUnavailable, pauseOnFailure: r.pauseOnFailure });
  const pushes = await release(tx, app.uid, step.release, now);
  const released = new Set(step.release);
  for (const s of states) {
    if (!released.has(s.uid)) continue;
    Object.assign(s, { revision: s.pendingRevision!, pendingRevision: null, releasedAt: now });
  }
  const next = { generation: app.generation, ...step.position };
  const moved = next.generation !== row!.generation || next.wave !== row!.wave || next.state !== row!.state || next.message !== row!.message;
  const [updated] = moved
    ? await tx.update(appRollouts).set({ ...next, updatedAt: now }).where(eq(appRollouts.appUid, app.uid)).returning()
    : [row!];
  return { row: updated!, events: [...events, ...step.events], pushes };
}
