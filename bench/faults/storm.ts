/**
 * Heartbeat storm: 10,000 seeded clusters (Ready, heartbeating) lose the control
 * plane (the server is killed), and all come back at the same instant when it returns.
 *
 * The outage's length is simulated with the server's own clock: a cluster's phase
 * is derived from its last heartbeat and now (Unknown after 40 s of silence,
 * Offline after 5 min), so moving every last heartbeat back by OUTAGE_SEC is what
 * an outage that long leaves in the database. At 4 min 20 s, each cluster is
 * Unknown and would turn Offline 40 s later: the restarted server must take in
 * the whole fleet's heartbeats within those 40 s, or clusters whose connectors
 * were trying all along show Offline (falsely).
 */
import { Worker } from 'node:worker_threads';
import { loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { seedFleet } from '../fleet-seed.js';
import { freshDatabase, newSigningKey, serverEnv, TENANT } from './fixtures.js';
import type { ThrowawayPostgres } from './pg-cluster.js';
import { newAdminToken, spawnServer, type ServerProcess } from './server-process.js';
import type { StormShare, StormShareResult } from './storm-worker.js';

export interface StormResult {
  clusters: number;
  outageSec: number;
  workers: number;
  /** server processes (FLEETPLANE_PROCESSES) */
  processes: number;
  requests: number;
  rps: number;
  statuses: Record<string, number>;
  bad: number;
  hangs: number;
  maxMs: number;
  /** ms from the server back until every cluster had a 2xx (client side) */
  allOkMs: number | null;
  /** ms from the server back until the database shows every cluster Ready */
  allReadyMs: number | null;
  /** most clusters seen Offline in the database at any sample */
  offlineMax: number;
  offlineEvents: number;
  serverCpuSec: number | null;
  clientCpuSec: number;
}

const OUTAGE_SEC = 260;
// well past the 40 s left before Offline: a cluster not taken in by then is seen Offline, and the time to all Ready is seen
const STORM_SEC = 60;

export async function stormCase(pgc: ThrowawayPostgres, clusters: number, workers: number, dbName: string): Promise<StormResult> {
  const dbUrl = await freshDatabase(pgc.url, dbName);
  const adminToken = newAdminToken();
  const signingKey = await newSigningKey();
  // the default rate limit, as deployed; FAULTS_STORM_PROCESSES: as many server processes (FLEETPLANE_PROCESSES)
  const processes = process.env.FAULTS_STORM_PROCESSES;
  const env = await serverEnv(dbUrl, adminToken, signingKey, processes ? { FLEETPLANE_PROCESSES: processes } : {});
  let server: ServerProcess = await spawnServer(env);
  const fleet = await seedFleet(server.url, adminToken, dbUrl, await loadSigningKeys(signingKey), clusters, TENANT);
  try {
    await server.kill('SIGKILL');
    await fleet.sql.query(`update cluster_agents set last_heartbeat_at = now() - make_interval(secs => $1), ready = true`, [OUTAGE_SEC]);
    server = await spawnServer(env);
    const cpu0 = server.cpuSec();
    const client0 = process.cpuUsage();
    const startAt = Date.now() + 500;
    const shares = Array.from({ length: workers }, (_, w) => fleet.clusters.filter((_, i) => i % workers === w).map((c) => c.credential));
    const running = shares.map((credentials) => new Promise<StormShareResult>((resolve, reject) => {
      const worker = new Worker(new URL('./storm-worker.ts', import.meta.url), {
        workerData: { url: server.url, credentials, startAt, untilMs: STORM_SEC * 1000 } satisfies StormShare,
      });
      const limit = setTimeout(() => void worker.terminate(), (STORM_SEC + 30) * 1000);
      worker.once('message', (m: StormShareResult) => { clearTimeout(limit); resolve(m); void worker.terminate(); });
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('storm worker ended without a result')));
    }));
    let offlineMax = 0;
    let allReadyMs: number | null = null;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await fleet.sql.query<{ offline: string; not_ready: string }>(
          `select count(*) filter (where last_heartbeat_at < now() - interval '5 minutes') as offline,
                  count(*) filter (where last_heartbeat_at < now() - interval '40 seconds' or not ready) as not_ready
           from cluster_agents`);
        offlineMax = Math.max(offlineMax, Number(rows[0]!.offline));
        if (allReadyMs === null && Number(rows[0]!.not_ready) === 0) allReadyMs = Date.now() - startAt;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const results = await Promise.all(running);
    sampling = false;
    await sampler;
    const cpu1 = server.cpuSec();
    const clientCpu = process.cpuUsage(client0);
    const { rows } = await fleet.sql.query<{ n: string }>(`select count(*) as n from events where to_phase = 'Offline'`);
    const statuses: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    const first = results.flatMap((r) => r.firstOkMs);
    const requests = results.reduce((a, r) => a + r.requests, 0);
    return {
      clusters, outageSec: OUTAGE_SEC, workers, processes: Number(processes ?? 1), requests, rps: requests / STORM_SEC, statuses,
      bad: results.reduce((a, r) => a + r.bad, 0),
      hangs: results.reduce((a, r) => a + r.hangs, 0),
      maxMs: results.reduce((a, r) => Math.max(a, r.maxMs), 0),
      allOkMs: first.some((x) => x < 0) ? null : first.reduce((a, x) => Math.max(a, x), 0),
      allReadyMs,
      offlineMax,
      offlineEvents: Number(rows[0]!.n),
      serverCpuSec: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
      clientCpuSec: (clientCpu.user + clientCpu.system) / 1e6,
    };
  } finally {
    await fleet.end();
    await server.kill('SIGKILL');
  }
}
