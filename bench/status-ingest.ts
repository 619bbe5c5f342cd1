/**
 * Status report ingestion: PUT /v1/connector/status as fast as it goes (closed
 * loop), each request with the next cluster's credential and a growing `seq`,
 * side by side with pgbench running, one transaction per report, the upsert
 * that stores a report (the server writes the reports arriving together in one
 * statement: worker/domain/connector/status-batch.ts) at the same concurrency.
 */
import { closedRounds } from './closed-rounds.js';
import type { Measured } from './compare.js';
import type { Fleet } from './fleet-seed.js';
import { load } from './load.js';
import { pgbench } from './pgbench.js';

export interface IngestSettings {
  connections: number;
  durationSec: number;
  rounds: number;
  warmupSec: number;
}

const KINDS = [['apps/v1', 'Deployment'], ['v1', 'Service'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'ServiceAccount']] as const;

/** One app's 20 resources, every one Healthy: what a connector reports for an app at rest. */
export const resources = (app: string) => Array.from({ length: 20 }, (_, i) => {
  const [apiVersion, kind] = KINDS[i % KINDS.length]!;
  return { apiVersion, kind, namespace: 'shop', name: `${app}-${i + 1}`, health: 'Healthy' as const };
});

export const reportedApps = (app: string, revision: number) => [{ name: app, revision, resources: resources(app) }];

/** Stands for the seq in the body text; the load generator writes a growing number there. */
export const SEQ = '"__seq__"';

/** A report's body of one app at rest, its seq left for the load generator (SEQ). */
export const reportBody = (app: string, revision: number) => `{"seq":${SEQ},${JSON.stringify({ revision: 0, apps: reportedApps(app, revision) }).slice(1)}`;

/** One report's upsert, with its apps as a bound parameter as node-postgres sends it. */
const upsert = (n: number) => `\\set i random(1, ${n})
insert into cluster_status_reports (cluster_uid, seq, revision, apps, reported_at)
select c.uid, (extract(epoch from clock_timestamp()) * 1000000)::bigint, 0, :apps::json, now()
from clusters c where c.uid = (select uid from bench_uids where i = :i) and c.credential_generation = 1
on conflict (cluster_uid) do update set
  seq = excluded.seq, revision = excluded.revision, apps = excluded.apps, reported_at = excluded.reported_at
where cluster_status_reports.seq < excluded.seq
returning seq;
`;

export type IngestName = 'PUT /v1/connector/status' | 'pgbench upsert';

export interface IngestResults {
  settings: IngestSettings;
  clusters: number;
  bodyBytes: number;
  rounds: Record<IngestName, Measured>[];
  total: Record<IngestName, Measured>;
  /** per HTTP run: how many clusters' stored reports it replaced (a stale seq would replace none) */
  replaced: number[];
}

/**
 * `seq` values are microseconds since the epoch at the start of a run, plus
 * one per request; pgbench writes the clock's microseconds. Each run's
 * numbers are then above every earlier run's, so no report is stale.
 */
export async function measureIngest(url: string, databaseUrl: string, fleet: Fleet, app: { name: string; revision: number }, s: IngestSettings, progress: (line: string) => void): Promise<IngestResults> {
  const n = fleet.clusters.length;
  const apps = reportedApps(app.name, app.revision);
  const body = reportBody(app.name, app.revision);
  const rotate = fleet.clusters.map((c) => ({ authorization: `Bearer ${c.credential}` }));
  const replaced: number[] = [];
  const http = async (durationSec: number) => {
    const start = Date.now() * 1000;
    const raw = await load({ url: `${url}/v1/connector/status`, method: 'PUT', headers: {}, body, rotate, counter: { placeholder: SEQ, start }, expect: 204, connections: s.connections, durationSec });
    const { rows } = await fleet.sql.query<{ n: string }>('select count(*) as n from cluster_status_reports where seq >= $1', [start]);
    replaced.push(Number(rows[0]!.n));
    return raw;
  };
  progress(`status ingestion warm-up ${s.warmupSec}s`);
  await http(s.warmupSec);
  replaced.length = 0;
  const { rounds, total } = await closedRounds<IngestName>({
    'PUT /v1/connector/status': http,
    'pgbench upsert': (sec) => pgbench({ url: databaseUrl, script: upsert(n), clients: s.connections, durationSec: sec, defines: { apps: JSON.stringify(apps) } }),
  }, s, progress);
  return { settings: s, clusters: n, bodyBytes: Buffer.byteLength(body.replace(SEQ, String(Date.now() * 1000))), rounds, total, replaced };
}
