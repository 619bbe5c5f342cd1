/**
 * The status part: what connectors' status reports cost, written and read.
 *
 *   ingestion  PUT /v1/connector/status from every cluster of a fleet, closed
 *              loop, next to pgbench running one report's upsert per transaction (bench/status-ingest.ts);
 *   app GET    GET /v1/tenants/{t}/apps/{app} of one app on every cluster, each
 *              having reported 20 resources: p50/p99 against 100 ms (bench/status-app.ts).
 *
 * On Postgres: a fresh migrated database, the fleet seeded in bulk
 * (bench/fleet-seed.ts), dropped at the end. The app GET again on the embedded
 * PGlite, its clusters registered through the API. The server runs in a
 * process of its own (spawnFleetplane), the load in worker threads or pgbench.
 *
 * `BENCH_ONLY=status npm run bench` (or `npm run bench -- status`) alone; `all` runs it after distribution.
 * Tunable: BENCH_STATUS_CLUSTERS (1000), BENCH_STATUS_CONNECTIONS (10), BENCH_STATUS_DURATION
 * (s per run, 10), BENCH_STATUS_ROUNDS (2), BENCH_STATUS_WARMUP (s, 3), BENCH_STATUS_GETS (300),
 * BENCH_STATUS_PGLITE (1; 0 leaves PGlite out).
 */
import { cpus, loadavg } from 'node:os';
import { freshenHeartbeats, withSeededFleet } from './fleet-seed.js';
import { pgbenchPath } from './pgbench.js';
import { spawnFleetplane } from './servers.js';
import {
  heartbeatAll, LABELS, measureAppGet, putApp, registerClusters, reportAll, viewerToken, type AppGetResult,
} from './status-app.js';
import { measureIngest, type IngestResults, type IngestSettings } from './status-ingest.js';
import { renderStatus } from './status-report.js';

export interface StatusSettings {
  clusters: number;
  ingest: IngestSettings;
  gets: number;
  pglite: boolean;
}

export function statusSettings(env: Record<string, string | undefined> = process.env): StatusSettings {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
    return v;
  };
  return {
    clusters: Math.round(num('BENCH_STATUS_CLUSTERS', 1000)),
    ingest: {
      connections: Math.round(num('BENCH_STATUS_CONNECTIONS', 10)),
      durationSec: num('BENCH_STATUS_DURATION', 10),
      rounds: Math.round(num('BENCH_STATUS_ROUNDS', 2)),
      warmupSec: num('BENCH_STATUS_WARMUP', 3),
    },
    gets: Math.round(num('BENCH_STATUS_GETS', 300)),
    pglite: (env.BENCH_STATUS_PGLITE ?? '1') !== '0',
  };
}

/** A generous bound on the seconds the part takes (seeding included), for its give-up timer. */
export function statusSec(s: StatusSettings): number {
  const i = s.ingest;
  const getSec = s.gets * 0.5; // half a second a GET would miss the target fivefold
  return 120 + i.warmupSec + 2 * i.rounds * i.durationSec + (s.pglite ? 2 : 1) * getSec + (s.pglite ? s.clusters * 0.1 : 0);
}

const TENANT = 'status';

/** Ingestion, then the app GET, on one Postgres fleet. */
async function onPostgres(s: StatusSettings, progress: (line: string) => void): Promise<{ ingest: IngestResults; get: AppGetResult }> {
  return withSeededFleet(s.clusters, spawnFleetplane, TENANT, async ({ fp, fleet, databaseUrl }) => {
    await fleet.sql.query('update clusters set labels = $2::json where tenant_id = $1', [fleet.tenantUid, JSON.stringify(LABELS)]);
    const revision = await putApp(fp.url, fp.adminToken, TENANT);
    progress(`postgres: ${s.clusters} clusters seeded, app placed on them (revision ${revision})`);
    const ingest = await measureIngest(fp.url, databaseUrl, fleet, { name: 'web', revision }, s.ingest, progress);
    const credentials = fleet.clusters.map((c) => c.credential);
    await reportAll(fp.url, credentials, revision); // every cluster, whatever the runs above happened to reach
    progress(`postgres: ${s.gets} GETs of the app`);
    const token = await viewerToken(fp.url, fp.adminToken, TENANT);
    const get = await measureAppGet('postgres (node-postgres)', fp.url, token, TENANT, s.clusters, s.gets, () => freshenHeartbeats(fleet));
    return { ingest, get };
  });
}

/** The app GET on the embedded PGlite, its clusters registered through the API. */
async function onPglite(s: StatusSettings, progress: (line: string) => void): Promise<AppGetResult> {
  const fp = await spawnFleetplane(undefined);
  try {
    await fetch(`${fp.url}/v1/tenants/${TENANT}`, {
      method: 'PUT', headers: { authorization: `Bearer ${fp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ spec: { displayName: 'Status bench' } }),
    }).then((r) => { if (r.status !== 201) throw new Error(`PUT tenant on PGlite: ${r.status}`); });
    const started = Date.now();
    const credentials = await registerClusters(fp.url, fp.adminToken, TENANT, s.clusters);
    const revision = await putApp(fp.url, fp.adminToken, TENANT);
    await reportAll(fp.url, credentials, revision);
    progress(`pglite: ${s.clusters} clusters registered and reporting in ${((Date.now() - started) / 1000).toFixed(0)}s; ${s.gets} GETs of the app`);
    const token = await viewerToken(fp.url, fp.adminToken, TENANT);
    return await measureAppGet('pglite (embedded)', fp.url, token, TENANT, s.clusters, s.gets, () => heartbeatAll(fp.url, credentials));
  } finally {
    await fp.close();
  }
}

export async function runStatus(s: StatusSettings, progress: (line: string) => void): Promise<string> {
  const loadBefore = loadavg();
  const { ingest, get } = await onPostgres(s, progress);
  const gets = [get, ...(s.pglite ? [await onPglite(s, progress)] : [])];
  return renderStatus({ cpus: cpus().length, loadBefore, loadAfter: loadavg(), ingest, gets });
}

export async function statusPart(only: string) {
  const alone = only === 'status';
  if (!alone && only !== 'all') return;
  const s = statusSettings();
  pgbenchPath(); // fail now when pgbench is missing, not after the seeding
  const limitSec = Math.ceil(statusSec(s));
  const limit = setTimeout(() => {
    console.error(`bench: the status part is still running after ${limitSec}s, giving up`);
    process.exit(2);
  }, limitSec * 1000);
  console.error(`status reports from ${s.clusters} clusters, on ${cpus().length} CPUs (node ${process.version})`);
  try {
    console.log(`${await runStatus(s, (line) => console.error(`[status] ${line}`))}\n`);
  } finally {
    clearTimeout(limit);
  }
  if (alone) process.exit(0);
}
