import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRevisions, type AppRow } from '../../../db/schema/index.js';
import { rolloutRow } from '../rollout/row.js';
import { toResource } from '../../lib/respond.js';
import { progressiveRollout, waveCount, waveOf } from '../rollout/spec.js';
import { ownerStatus } from '../status/owner-status.js';
import { placementStates } from '../status/placement-states.js';
import { deletionPolicyOf, type AppSpec } from './spec.js';

/** An app with its status rolled up from every placed cluster, as of `now`. */
export async function viewApp(db: Db, row: AppRow, now: Date) {
  const spec = row.spec as unknown as AppSpec;
  const progressive = progressiveRollout(spec);
  const placed = await placementStates(db, row.uid, now);
  const rollout = await rolloutRow(db, row);
  const needsHistory = placed.some((p) => p.report && (p.pendingRevision !== null || p.report.revision < p.revision));
  const history = needsHistory
    ? await db.select({ revision: appRevisions.revision, generation: appRevisions.generation }).from(appRevisions).where(eq(appRevisions.appUid, row.uid))
    : [];
  const generations = new Map(history.map((h) => [h.revision, h.generation]));
  const paused = rollout?.state === 'Paused' && rollout.generation === row.generation;
  const owner = { uid: row.uid, name: row.name, kind: 'App' as const };
  const status = {
    ...(await ownerStatus(db, owner, row.generation, placed, (r) => generations.get(r), { now, deadline: progressive?.deadline, paused })),
    revision: row.revision,
    deletionPolicy: deletionPolicyOf(spec),
    ...(progressive && rollout
      ? {
          rollout: {
            generation: rollout.generation,
            wave: rollout.wave,
            waves: waveCount(progressive.waves, placed.map((p) => waveOf(progressive.waves, p.labels))),
            state: rollout.state,
            message: rollout.message,
          },
        }
      : {}),
  };
  return toResource<AppSpec, typeof status>(row, status);
}
