/**
 * The heartbeat's write without HTTP: `callers` closed loops in this process
 * calling `writeHeartbeat` (worker/domain/connector/heartbeat-batch.ts) on a
 * pool of its own, each with the next cluster, as the server's route would.
 * Beside pgbench, it tells what the batched statement costs the database
 * apart from what serving it over HTTP costs.
 */
import { performance } from 'node:perf_hooks';
import { openNodePostgres } from '../db/node-postgres.js';
import { writeHeartbeat, type HeartbeatWrite } from '../worker/domain/connector/heartbeat-batch.js';
import type { Fleet, SeededCluster } from './fleet-seed.js';

/** A seeded cluster's heartbeat as the route would hand it to the batch: Ready, nothing to report. */
export const steadyHeartbeat = (cluster: SeededCluster): HeartbeatWrite => ({
  clusterUid: cluster.uid, generation: 1, at: new Date(), ready: true, kubernetesVersion: 'v1.31.0', nodeCount: 3,
  appliedRevision: undefined, conditions: [], carriesDrift: false,
});

/** The server's pool size (db/node-postgres.ts's default). */
const POOL = 10;

export async function heartbeatWrites(databaseUrl: string, fleet: Fleet, callers: number, durationSec: number) {
  const { db, pool } = openNodePostgres(databaseUrl, POOL);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + durationSec * 1000;
  try {
    await Promise.all(Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        const cluster = fleet.clusters[next++ % fleet.clusters.length]!;
        const t = performance.now();
        const row = await writeHeartbeat(db, steadyHeartbeat(cluster));
        if (!row) throw new Error(`heartbeat of ${cluster.name} refused: its credential generation is not 1`);
        latencies.push(performance.now() - t);
      }
    }));
  } finally {
    await pool.end();
  }
  return { latencies: Float64Array.from(latencies).sort(), durationSec: (performance.now() - started) / 1000 };
}
