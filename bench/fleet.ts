/**
 * The fleet measurements on the Node server with Postgres (node-postgres) in a
 * fresh migrated database, dropped at the end; the server in a process of its
 * own (10,000 watches are 10,000 sockets at each end): heartbeat ingestion, the idle
 * desired-state path, and watch wake-up latency.
 *
 * Tunable: BENCH_FLEET_CLUSTERS (10000), BENCH_FLEET_CONNECTIONS (10), BENCH_FLEET_SWEEP (the closed loop's
 * other concurrencies, comma-separated: 25,50; empty for none; pgbench needs a connection per client, within Postgres's max_connections),
 * BENCH_FLEET_DURATION (s per run, 6), BENCH_FLEET_ROUNDS (2), BENCH_FLEET_RATE (1000),
 * BENCH_FLEET_RATE_DURATION (s, 10), BENCH_FLEET_HIGH_RATE (10000: the 100,000-cluster rate, heartbeats only),
 * BENCH_FLEET_HIGH_REPLICAS (2: server processes the high rate is offered to once more; 1 for none),
 * BENCH_FLEET_WATCHERS (10000 long polls held), BENCH_FLEET_WATCH_WAKES (1000 of them relabelled), BENCH_FLEET_PUTS_AT_ONCE (8).
 */
import type { Settings } from './compare.js';
import { currentRevisions, withSeededFleet } from './fleet-seed.js';
import { renderFleet } from './fleet-report.js';
import { measureHeartbeats, type HeartbeatSettings } from './heartbeats.js';
import { measureIdle } from './idle.js';
import type { Running } from './servers.js';
import { spawnFleetplane } from './servers.js';
import { measureWatch, type WatchSettings } from './watch.js';

export interface FleetSettings {
  clusters: number;
  heartbeat: HeartbeatSettings;
  idle: Settings;
  watch: WatchSettings;
}

const list = (name: string, fallback: number[]) => {
  const v = process.env[name];
  if (v === undefined) return fallback;
  const xs = v.split(',').filter((x) => x.trim() !== '').map(Number);
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`${name}: ${v} is not a list of connection counts`);
  return xs;
};

export function fleetSettings(num: (name: string, fallback: number) => number): FleetSettings {
  const connections = num('BENCH_FLEET_CONNECTIONS', 10);
  const durationSec = num('BENCH_FLEET_DURATION', 6);
  const rounds = num('BENCH_FLEET_ROUNDS', 2);
  return {
    clusters: num('BENCH_FLEET_CLUSTERS', 10_000),
    heartbeat: {
      connections, durationSec, rounds, warmupSec: 3, sweep: list('BENCH_FLEET_SWEEP', [25, 50]),
      rate: num('BENCH_FLEET_RATE', 1000), highRate: num('BENCH_FLEET_HIGH_RATE', 10_000), highReplicas: num('BENCH_FLEET_HIGH_REPLICAS', 2),
      rateSec: num('BENCH_FLEET_RATE_DURATION', 10),
    },
    idle: { connections, durationSec: Math.min(durationSec, 5), rounds, warmupSec: 2 },
    watch: { watchers: num('BENCH_FLEET_WATCHERS', 10_000), wakes: num('BENCH_FLEET_WATCH_WAKES', 1000), putConcurrency: num('BENCH_FLEET_PUTS_AT_ONCE', 8) },
  };
}

/** Seconds of load (without seeding and start-up). */
export function fleetLoadSec(s: FleetSettings): number {
  const h = s.heartbeat;
  const idle = 2 * s.idle.warmupSec + 2 * s.idle.rounds * s.idle.durationSec;
  const coldPass = s.clusters / 500; // the warm-up's pass over every credential, at a slow machine's cold rate
  const sweep = h.sweep.length * (2 + 2 * h.rounds * h.durationSec);
  const replicas = h.highReplicas > 1 ? (h.highReplicas - 1) * coldPass + h.rateSec + 10 : 0;
  return coldPass + h.warmupSec + 5 * h.rounds * h.durationSec + sweep + 5 * h.rateSec + replicas + idle + 90;
}

export async function runFleet(bare: Running, s: FleetSettings, progress: (line: string) => void): Promise<string> {
  let serverEnv: Record<string, string> = {};
  const start = (databaseUrl: string, env: Record<string, string>) => spawnFleetplane(databaseUrl, (serverEnv = env));
  return withSeededFleet(s.clusters, start, undefined, async ({ fp, fleet, databaseUrl, seededMs }) => {
    progress(`seeded ${fleet.clusters.length} clusters with credentials in ${(seededMs / 1000).toFixed(1)}s`);
    const heartbeats = await measureHeartbeats(fp.url, fp.pid, databaseUrl, fleet, s.heartbeat, progress, () => spawnFleetplane(databaseUrl, serverEnv));
    const idle = await measureIdle(bare.url, fp.url, fleet, await currentRevisions(fleet), s.idle, progress);
    progress(`watch: ${s.watch.watchers} long polls, then ${s.watch.wakes} of them relabelled`);
    const watch = await measureWatch(fp.url, fp.adminToken, fleet, await currentRevisions(fleet), s.watch);
    return renderFleet({ heartbeats, idle, idleSettings: s.idle, watch, putConcurrency: s.watch.putConcurrency });
  });
}
