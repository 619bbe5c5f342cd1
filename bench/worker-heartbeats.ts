/**
 * `npm run bench:worker-heartbeats`: the heartbeat path (or, with
 * BENCH_WH_PATH=status, the status report path: a report of one app's 20
 * resources, its `seq` growing) as the Workers build serves it, measured here: `npm run dev:worker` (the worker in workerd, its
 * Postgres through the Neon driver and the local WebSocket-to-TCP pipe that
 * stands in for Neon's proxy), beside the Node server on the same kind of
 * fresh database, alternating. Each is a closed loop of heartbeats over
 * BENCH_WH_CONNECTIONS (10) keep-alive connections for BENCH_WH_SECONDS (5),
 * BENCH_WH_ROUNDS (2) times, after one pass over every cluster's credential.
 *
 * What it tells: the write transactions per heartbeat (one each in workerd,
 * where a request writes its own; a fraction on Node, which batches), the
 * Postgres sessions opened per heartbeat (workerd opens one per request: here
 * nothing pools them, as Neon's pooled connection string would), and the
 * Postgres CPU a heartbeat cost. workerd here is one local process,
 * not Cloudflare's network: its requests per second say nothing of Workers'
 * capacity, and nothing here measures Neon's proxy or its latency.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { measured } from './compare.js';
import { cpuMeter } from './cpu.js';
import { freshenHeartbeats, withSeededFleet, type Fleet } from './fleet-seed.js';
import { HEARTBEAT_BODY } from './heartbeats.js';
import { reportBody, SEQ } from './status-ingest.js';
import { load } from './load.js';
import { spawnFleetplane, type RunningFleetplane } from './servers.js';
import { startDevWorker } from '../test/support/dev-worker.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const connections = num('BENCH_WH_CONNECTIONS', 10);
const seconds = num('BENCH_WH_SECONDS', 5);
const rounds = num('BENCH_WH_ROUNDS', 2);
const clusters = num('BENCH_WH_CLUSTERS', 2000);
const path = process.env.BENCH_WH_PATH ?? 'heartbeat';
const what = path === 'status' ? 'status report' : 'heartbeat';
if (path !== 'heartbeat' && path !== 'status') throw new Error(`BENCH_WH_PATH: ${path} is neither heartbeat nor status`);
const UNLIMITED = { FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0' };

async function startWorkerd(databaseUrl: string, env: Record<string, string>): Promise<RunningFleetplane> {
  const adminToken = `fp_${randomBytes(32).toString('base64url')}`;
  const w = await startDevWorker({ ...UNLIMITED, ...env, DATABASE_URL: databaseUrl, FLEETPLANE_ADMIN_TOKEN: adminToken });
  return { url: w.url, adminToken, close: () => w.stop() };
}

/**
 * Transaction ids handed out so far (each write transaction takes one; reading
 * this takes none), and sessions ended (counted when each ends: pg_stat_database
 * gets a long-lived session's figures up to 10 s late, an ended one's at once).
 */
async function counters(fleet: Fleet) {
  const { rows } = await fleet.sql.query<{ xids: string; sessions: string }>(
    'select pg_snapshot_xmax(pg_current_snapshot())::text as xids, (select sessions from pg_stat_database where datname = current_database()) as sessions');
  return { xids: Number(rows[0]!.xids), sessions: Number(rows[0]!.sessions) };
}

interface Row { name: string; rps: number; p50: number; p99: number; writesPer: number; sessionsPer: number; pgUs: number; load: number }

async function measure(name: string, start: (url: string, env: Record<string, string>) => Promise<RunningFleetplane>): Promise<Row[]> {
  return withSeededFleet(clusters, start, undefined, async ({ fp, fleet }) => {
    const rotate = fleet.clusters.map((c) => ({ authorization: `Bearer ${c.credential}` }));
    const target = path === 'status'
      ? { url: `${fp.url}/v1/connector/status`, method: 'PUT', headers: {}, body: reportBody('web', 1), rotate, expect: 204 }
      : { url: `${fp.url}/v1/connector/heartbeat`, method: 'POST', headers: {}, body: HEARTBEAT_BODY, rotate, expect: 200 };
    // a report's seq: microseconds since the epoch when its run started, one more each report, so that none is stale
    const seq = () => (path === 'status' ? { counter: { placeholder: SEQ, start: Date.now() * 1000 } } : {});
    await load({ ...target, ...seq(), connections, durationSec: 0, amount: fleet.clusters.length });
    const rows: Row[] = [];
    for (let r = 0; r < rounds; r++) {
      await freshenHeartbeats(fleet);
      const before = await counters(fleet);
      const meter = cpuMeter();
      const raw = await load({ ...target, ...seq(), connections, durationSec: seconds });
      const cpu = meter();
      await new Promise((r) => setTimeout(r, 500)); // the sessions of the last requests have ended
      const after = await counters(fleet);
      const n = raw.latencies.length;
      const m = measured([raw.latencies], raw.durationSec);
      rows.push({
        name, rps: m.rps, p50: m.p50, p99: m.p99, writesPer: (after.xids - before.xids) / n,
        sessionsPer: (after.sessions - before.sessions) / n,
        pgUs: ((cpu?.postgres ?? Number.NaN) * raw.durationSec * 1e6) / n, load: loadavg()[0]!,
      });
    }
    return rows;
  });
}

console.log(`${what[0]!.toUpperCase()}${what.slice(1)}s, closed loop over ${connections} connections, ${seconds} s a round, ${clusters} clusters; load average ${loadavg()[0]!.toFixed(2)} at the start`);
const all: Row[] = [];
for (let r = 0; r < 2; r++) {
  all.push(...await measure('workerd + Neon driver (npm run dev:worker)', startWorkerd));
  all.push(...await measure('Node + node-postgres (spawned server)', (url, env) => spawnFleetplane(url, { ...UNLIMITED, ...env })));
}
console.log(`\nper ${what}: write transactions, Postgres sessions opened, Postgres CPU (µs)`);
console.log(`server                                      ${`${what}s/s`.padStart(12)}  p50 ms  p99 ms  writes  sessions  Postgres µs  load`);
for (const x of all) {
  console.log(`${x.name.padEnd(42)}  ${x.rps.toFixed(0).padStart(12)}  ${x.p50.toFixed(2).padStart(6)}  ${x.p99.toFixed(2).padStart(6)}  ` +
    `${x.writesPer.toFixed(3).padStart(6)}  ${x.sessionsPer.toFixed(3).padStart(8)}  ${x.pgUs.toFixed(0).padStart(11)}  ${x.load.toFixed(2)}`);
}
