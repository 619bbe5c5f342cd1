import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRevisions, type AppRow } from '../../../db/schema/index.js';
import { rolloutRow } from '../rollout/row.js';
import { toResource } from '../../lib/respond.js';
import { progressiveRollout, waveCount, waveOf, type ProgressiveRollout } from '../rollout/spec.js';
import { ownerStatus, ownerStatusInSql } from '../status/owner-status.js';
import { placementStates } from '../status/placement-states.js';
import { deletionPolicyOf, type AppSpec } from './spec.js';

/** An app with its status rolled up from every placed cluster, as of `now`. */
export async function viewApp(db: Db, row: AppRow, now: Date) {
  const spec = row.spec as unknown as AppSpec;
  const progressive = progressiveRollout(spec);
  const owner = { uid: row.uid, name: row.name, kind: 'App' as const };
  // without a rollout no cluster's labels count: Postgres rolls the status up and only the clusters shown are read
  const { rolled, rollout } = progressive
    ? await withRollout(db, row, owner, progressive, now)
    : { rolled: await ownerStatusInSql(db, owner, row.generation, { now }), rollout: undefined };
  const status = { ...rolled, revision: row.revision, deletionPolicy: deletionPolicyOf(spec), ...(rollout ? { rollout } : {}) };
  return toResource<AppSpec, typeof status>(row, status);
}

/** A progressive app's status, rolled up from every placement (each cluster's labels name its wave), and its rollout. */
async function withRollout(db: Db, row: AppRow, owner: { uid: string; name: string; kind: 'App' }, progressive: ProgressiveRollout, now: Date) {
  const placed = await placementStates(db, row.uid, now);
  const rollout = await rolloutRow(db, row);
  const needsHistory = placed.some((p) => p.report && (p.pendingRevision !== null || p.report.revision < p.revision));
  const history = needsHistory
    ? await db.select({ revision: appRevisions.revision, generation: appRevisions.generation }).from(appRevisions).where(eq(appRevisions.appUid, row.uid))
    : [];
  const generations = new Map(history.map((h) => [h.revision, h.generation]));
  const paused = rollout?.state === 'Paused' && rollout.generation === row.generation;
  const rolled = await ownerStatus(db, owner, row.generation, placed, (r) => generations.get(r), { now, deadline: progressive.deadline, paused });
  return {
    rolled,
    rollout: rollout && {
      generation: rollout.generation,
      wave: rollout.wave,
      waves: waveCount(progressive.waves, placed.map((p) => waveOf(progressive.waves, p.labels))),
      state: rollout.state,
      message: rollout.message,
    },
  };
}
