/**
 * Heartbeat ingestion: POST /v1/connector/heartbeat, each request with the next
 * cluster's credential, first as fast as it goes (closed loop, side by side
 * with pgbench running one UPDATE per transaction on the same database), then
 * at a fixed offered rate (open loop) next to pgbench at that same rate.
 */
import { measured, type Measured } from './compare.js';
import { cpuMeter, type CpuSplit } from './cpu.js';
import { eventCount, freshenBeforeHeartbeats, freshenHeartbeats, type Fleet } from './fleet-seed.js';
import { sweepClosedLoop, type SweepPoint } from './heartbeat-sweep.js';
import { closedRounds, type ClosedRun } from './closed-rounds.js';
import { heartbeatWrites } from './heartbeat-writes.js';
import { load } from './load.js';
import { paced, type PacedRequest, type PacedResult } from './paced.js';
import { pgbench } from './pgbench.js';
import { spawnBare } from './servers.js';

export const HEARTBEAT_BODY = JSON.stringify({ kubernetesVersion: 'v1.31.0', nodeCount: 3 });

export interface HeartbeatSettings {
  connections: number;
  /** more concurrencies the closed loop runs at, heartbeats beside pgbench -c of the same (bench/heartbeat-sweep.ts) */
  sweep: number[];
  durationSec: number;
  rounds: number;
  warmupSec: number;
  rate: number;
  /** the rate of 100,000 clusters heartbeating every 10 s, offered as well (heartbeats only) */
  highRate: number;
  /** replicas that rate is offered to once more, the connections spread over them (1: not again) */
  highReplicas: number;
  rateSec: number;
}

/** The latency goal at an offered rate, 1,000/s and 10,000/s alike. */
export const HEARTBEAT_P99_MS = 50;

/**
 * Connections for an offered rate: as many as the latency goal lets be in
 * flight at that rate (Little's law), 50 at 1,000/s and 500 at 10,000/s. A
 * fleet's connectors each hold a connection of their own; fewer here would cap
 * what is in flight, and the open loop would turn into a closed one.
 */
export const connectionsFor = (rate: number) => Math.ceil((rate * HEARTBEAT_P99_MS) / 1000);

/** The target's single-row write: one cluster's agent row. */
export const simpleUpdate = (n: number) => `\\set i random(1, ${n})
UPDATE cluster_agents SET last_heartbeat_at = now() WHERE cluster_uid = (SELECT uid FROM bench_uids WHERE i = :i);
`;

/** The statement worker/domain/connector/heartbeat.ts recordHeartbeat sends, values inlined. */
const serverStatement = (n: number) => `\\set i random(1, ${n})
with prev as (
  select a.cluster_uid, a.last_heartbeat_at, a.ready
  from cluster_agents a join clusters c on c.uid = a.cluster_uid
  where a.cluster_uid = (select uid from bench_uids where i = :i) and c.credential_generation = 1
  for update of a
)
update cluster_agents a set
  last_heartbeat_at = now(), ready = true, kubernetes_version = 'v1.31.0', node_count = 3,
  applied_revision = coalesce(null::bigint, a.applied_revision), conditions = '[]'::json
from prev, clusters c
where a.cluster_uid = prev.cluster_uid and c.uid = a.cluster_uid
returning c.desired_revision, c.name, c.tenant_id, prev.last_heartbeat_at as prev_at, prev.ready as prev_ready;
`;

export type ClosedName = 'heartbeat' | 'heartbeat writes, no HTTP' | 'pgbench update' | 'pgbench server sql' | 'pgbench server sql prepared';

export interface HeartbeatResults {
  settings: HeartbeatSettings;
  clusters: number;
  /** the warm-up's pass: each cluster's first heartbeat since the server started (its credential verified) */
  cold: Measured;
  rounds: Record<ClosedName, Measured>[];
  total: Record<ClosedName, Measured>;
  /** the closed loop at the sweep's other concurrencies */
  sweep: SweepPoint[];
  paced: PacedResult;
  pacedHigh: PacedResult;
  /** plain Hono's POST at the high rate, in a process of its own: what the framework alone answers there */
  pacedHighBare: PacedResult;
  /** the same over as many such processes as the replicas */
  pacedHighBareReplicas: PacedResult | undefined;
  /** the high rate again, over `highReplicas` server processes on the same database */
  pacedHighReplicas: PacedResult | undefined;
  pacedPg: Measured & { max: number };
  /** where the CPU went, per target (averaged over its runs); null without /proc */
  cpu: Record<ClosedName | 'heartbeat at rate' | 'pgbench at rate' | 'heartbeat at high rate' | 'high rate, replicas', CpuSplit | null>;
  /** phase-change events written while heartbeating (0 in steady state) */
  events: number;
  /** Postgres checkpoints that began during the run at the offered rate (their writes stall commits) */
  checkpointsAtRate: number;
}

/** Checkpoints Postgres has begun so far (timed or requested). */
async function checkpoints(fleet: Fleet): Promise<number> {
  const { rows } = await fleet.sql.query<{ n: string }>('select checkpoints_timed + checkpoints_req as n from pg_stat_bgwriter');
  return Number(rows[0]!.n);
}

/** Another server process on the same database (the same signing key), for the high rate over replicas. */
export type StartReplica = () => Promise<{ url: string; pid: number; close(): Promise<void> }>;

/** `serverPid`: the server's own process, for the CPU split. */
export async function measureHeartbeats(
  url: string, serverPid: number, databaseUrl: string, fleet: Fleet, s: HeartbeatSettings, progress: (line: string) => void,
  startReplica: StartReplica,
): Promise<HeartbeatResults> {
  const n = fleet.clusters.length;
  const rotate = fleet.clusters.map((c) => ({ authorization: `Bearer ${c.credential}` }));
  const target = { url: `${url}/v1/connector/heartbeat`, method: 'POST', headers: {}, body: HEARTBEAT_BODY, rotate, expect: 200 };
  const eventsBefore = await eventCount(fleet);

  const runs: Record<ClosedName, ClosedRun> = {
    'heartbeat': (sec) => load({ ...target, connections: s.connections, durationSec: sec }),
    'heartbeat writes, no HTTP': (sec) => heartbeatWrites(databaseUrl, fleet, s.connections, sec),
    'pgbench update': (sec) => pgbench({ url: databaseUrl, script: simpleUpdate(n), clients: s.connections, durationSec: sec }),
    'pgbench server sql': (sec) => pgbench({ url: databaseUrl, script: serverStatement(n), clients: s.connections, durationSec: sec }),
    'pgbench server sql prepared': (sec) =>
      pgbench({ url: databaseUrl, script: serverStatement(n), clients: s.connections, durationSec: sec, mode: 'prepared' }),
  };

  // A fleet in steady state shows credentials the server has verified before (it keeps 120,000): the
  // closed loop is measured after one pass over every cluster, which is timed as the cold start it is.
  progress(`heartbeat warm-up: one pass over the ${n} clusters' credentials, then ${s.warmupSec}s`);
  await freshenHeartbeats(fleet);
  const coldRaw = await load({ ...target, connections: s.connections, durationSec: 0, amount: n });
  const cold = measured([coldRaw.latencies], coldRaw.durationSec);
  progress(`cold pass: ${Math.round(cold.rps)}/s`);
  await runs.heartbeat(s.warmupSec);
  const closed = await closedRounds(runs, { rounds: s.rounds, durationSec: s.durationSec, serverPid, label: '' }, progress,
    freshenBeforeHeartbeats(fleet)); // all Ready within 40 s: no phase changes
  const { rounds, total } = closed;
  const sweep = await sweepClosedLoop(target, serverPid, databaseUrl, fleet, s, simpleUpdate(n), progress);

  await freshenHeartbeats(fleet);
  progress(`heartbeats at ${s.rate}/s for ${s.rateSec}s (open loop, up to ${connectionsFor(s.rate)} connections)`);
  const checkpointsBefore = await checkpoints(fleet);
  let meter = cpuMeter(serverPid);
  const fixed = await paced({ ...target, rate: s.rate, durationSec: s.rateSec, connections: connectionsFor(s.rate), graceSec: 10 });
  const fixedCpu = meter();
  const checkpointsAtRate = (await checkpoints(fleet)) - checkpointsBefore;
  progress(`pgbench update at ${s.rate}/s for ${s.rateSec}s`);
  meter = cpuMeter(serverPid);
  const pg = await pgbench({ url: databaseUrl, script: simpleUpdate(n), clients: s.connections, durationSec: s.rateSec, rate: s.rate });
  const pgCpu = meter();
  await freshenHeartbeats(fleet);
  progress(`heartbeats at ${s.highRate}/s for ${s.rateSec}s (open loop, up to ${connectionsFor(s.highRate)} connections)`);
  meter = cpuMeter(serverPid);
  const high = await paced({ ...target, rate: s.highRate, durationSec: s.rateSec, connections: connectionsFor(s.highRate), graceSec: 10 });
  const highCpu = meter();
  const bare = await bareAtRate(s, progress);
  const replicas = s.highReplicas > 1 ? await overReplicas(target, serverPid, fleet, s, progress, startReplica) : undefined;
  const events = (await eventCount(fleet)) - eventsBefore;
  const cpu = {
    ...closed.cpu,
    'heartbeat at rate': fixedCpu, 'pgbench at rate': pgCpu, 'heartbeat at high rate': highCpu, 'high rate, replicas': replicas?.cpu ?? null,
  };
  const pacedPg = { ...measured([pg.latencies], pg.durationSec), max: pg.latencies.at(-1) ?? Number.NaN };
  return {
    settings: s, clusters: n, cold, rounds, total, sweep, paced: fixed, pacedHigh: high, pacedHighBare: bare.one, pacedHighBareReplicas: bare.over, pacedHighReplicas: replicas?.result, pacedPg, cpu, events,
    checkpointsAtRate,
  };
}

/**
 * The peer of the high rate: plain Hono's `POST /bare` parsing the same body,
 * offered the same rate over as many connections, from one process and over
 * as many as the replicas (each a child process, as the server's are).
 */
async function bareAtRate(s: HeartbeatSettings, progress: (line: string) => void) {
  const bares = await Promise.all(Array.from({ length: Math.max(1, s.highReplicas) }, spawnBare));
  try {
    const offer = (origins: string[]) => paced({
      url: `${origins[0]}/bare`, origins, method: 'POST', headers: {}, body: HEARTBEAT_BODY, rotate: [{}], expect: 200,
      rate: s.highRate, durationSec: s.rateSec, connections: connectionsFor(s.highRate), graceSec: 10,
    });
    progress(`bare Hono POST at ${s.highRate}/s for ${s.rateSec}s (the peer)`);
    const one = await offer([bares[0]!.url]);
    if (bares.length === 1) return { one, over: undefined };
    progress(`bare Hono POST at ${s.highRate}/s for ${s.rateSec}s over ${bares.length} processes`);
    return { one, over: await offer(bares.map((b) => b.url)) };
  } finally {
    await Promise.all(bares.map((b) => b.close()));
  }
}

/**
 * The high rate once more over this server and more replicas of it, the
 * connections spread over them in turn: one Node process runs on one core, and
 * a deployment on a machine of two runs two (each replica batches its own).
 * Each new replica first sees every credential once, as the first did.
 */
async function overReplicas(
  target: Omit<PacedRequest, 'rate' | 'durationSec' | 'connections' | 'graceSec'>, serverPid: number, fleet: Fleet, s: HeartbeatSettings,
  progress: (line: string) => void, startReplica: StartReplica,
): Promise<{ result: PacedResult; cpu: CpuSplit | null }> {
  const more = await Promise.all(Array.from({ length: s.highReplicas - 1 }, startReplica));
  try {
    const path = new URL(target.url).pathname;
    for (const r of more) await load({ ...target, url: `${r.url}${path}`, connections: s.connections, durationSec: 0, amount: fleet.clusters.length });
    await freshenHeartbeats(fleet);
    const origins = [new URL(target.url).origin, ...more.map((r) => r.url)];
    progress(`heartbeats at ${s.highRate}/s for ${s.rateSec}s over ${origins.length} replicas`);
    const meter = cpuMeter([serverPid, ...more.map((r) => r.pid)]);
    const result = await paced({ ...target, origins, rate: s.highRate, durationSec: s.rateSec, connections: connectionsFor(s.highRate), graceSec: 10 });
    return { result, cpu: meter() };
  } finally {
    await Promise.all(more.map((r) => r.close()));
  }
}
