import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { OFFLINE_AFTER_MS, silenceChanges, UNKNOWN_AFTER_MS, type SilenceRecorded } from '../domain/clusters/phase.js';
import { recordEvents } from '../domain/events.js';
import type { ScheduledJob } from './job.js';
import { arrayParam } from '../../db/array-param.js';
import { settleTenantApps } from '../domain/apps/settle.js';

/** Clusters per run: a fleet gone dark at once is worked through over a few runs, each short. */
export const SWEEP_BATCH = 1_000;

interface Swept {
  cluster_uid: string;
  name: string;
  tenant_id: string;
  last_heartbeat_at: string | Date;
  ready: boolean;
  before: SilenceRecorded;
}

/**
 * Writes the Unknown and Offline events of clusters whose connectors went
 * silent, when the 40 s and 5 min pass rather than at a heartbeat that may
 * never come, each once: the agent row remembers what was written
 * (`silence_recorded`) until the next heartbeat, which writes only the rest.
 * Rows a heartbeat is updating right now are skipped (it records them itself).
 */
export const silentClusters: ScheduledJob = {
  name: 'silent-clusters',
  async run(db, now, pushes, feed) {
    const unknownBefore = new Date(now.getTime() - UNKNOWN_AFTER_MS).toISOString();
    const offlineBefore = new Date(now.getTime() - OFFLINE_AFTER_MS).toISOString();
    const rows = rowsOf<Swept>(await db.execute(sql`
      with due as (
        select a.cluster_uid, a.last_heartbeat_at, a.ready, a.silence_recorded as before
        from cluster_agents a
        where a.last_heartbeat_at < ${unknownBefore}::timestamptz
          and (a.silence_recorded is null or (a.silence_recorded = 'Unknown' and a.last_heartbeat_at < ${offlineBefore}::timestamptz))
        order by a.last_heartbeat_at
        limit ${SWEEP_BATCH}
        for update of a skip locked
      )
      update cluster_agents a
      set silence_recorded = case when due.last_heartbeat_at < ${offlineBefore}::timestamptz then 'Offline' else 'Unknown' end
      from due, clusters c
      where a.cluster_uid = due.cluster_uid and c.uid = due.cluster_uid
      returning a.cluster_uid, c.name, c.tenant_id, due.last_heartbeat_at, due.ready, due.before`));
    const entries = rows.flatMap((r) =>
      silenceChanges({ lastHeartbeatAt: new Date(r.last_heartbeat_at), ready: r.ready }, now, r.before).map((c) => ({
        tenantId: r.tenant_id, kind: 'Cluster' as const, name: r.name, uid: r.cluster_uid,
        reason: 'ClusterPhaseChanged', from: c.from, to: c.to, at: c.at,
      })));
    await recordEvents(db, entries);
    for (const e of entries) feed?.note(e.tenantId, 'Cluster', 'App');
    // their apps turn Unknown at the same moment, with events of their own
    if (rows.length > 0) {
      const apps = rowsOf<{ app_uid: string; tenant_id: string }>(await db.execute(sql`
        select distinct owner_uid as app_uid, tenant_id from placements
        where owner_kind = 'App' and cluster_uid = any(${arrayParam(rows.map((r) => r.cluster_uid), 'uuid')})`));
      pushes.push(...(await settleTenantApps(db, apps, now)));
    }
    return entries.length;
  },
};
