/**
 * Postgres restarted mid-load: a Fleetplane server (node-postgres, or the Neon
 * driver through the WebSocket pipe) under a mixed load of writes, reads and
 * heartbeats; the throwaway Postgres is stopped (`pg_ctl stop -m fast` or
 * `-m immediate`) for DOWN_MS, then started again. Fleetplane is not restarted.
 */
import { loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { seedFleet } from '../fleet-seed.js';
import { freshDatabase, newSigningKey, putTemplate, serverEnv, TENANT } from './fixtures.js';
import { startMixedLoad } from './mixed-load.js';
import type { ThrowawayPostgres } from './pg-cluster.js';
import { allowed, byStatus, HANG_MS } from './record.js';
import { newAdminToken, spawnServer } from './server-process.js';

export interface RestartResult {
  driver: 'node-postgres' | 'neon';
  mode: 'fast' | 'immediate';
  downMs: number;
  rps: number;
  answers: number;
  whileDown: Record<string, number>;
  all: Record<string, number>;
  /** answers other than 2xx and 429/503 with Retry-After */
  bad: number;
  hangs: number;
  /** what the hung requests were, with when they were sent relative to the stop (s) */
  hangDetail: string[];
  maxMs: number;
  /** ms from Postgres started again to the first 2xx of a request sent after that; null: none */
  recoveryMs: number | null;
  acknowledgedWrites: number;
  lost: number;
  serverCpuSec: number | null;
}

const CONCURRENCY = 6;
const BEFORE_MS = 3_000;
const DOWN_MS = 5_000;
const AFTER_MS = 4_000;
const RECOVERY_MAX_MS = 30_000;
const SEEDED = 50;

export async function restartCase(
  pgc: ThrowawayPostgres, driver: RestartResult['driver'], mode: RestartResult['mode'], dbName: string,
): Promise<RestartResult> {
  const dbUrl = await freshDatabase(pgc.url, dbName);
  const adminToken = newAdminToken();
  const signingKey = await newSigningKey();
  const server = await spawnServer(await serverEnv(dbUrl, adminToken, signingKey, {
    FLEETPLANE_RATE_LIMIT: '0',
    ...(driver === 'neon' ? { FAULTS_DRIVER: 'neon' } : {}),
  }));
  try {
    const fleet = await seedFleet(server.url, adminToken, dbUrl, await loadSigningKeys(signingKey), SEEDED, TENANT);
    await fleet.end();
    await putTemplate(server.url, adminToken);
    const t0 = performance.now();
    const clock = () => performance.now() - t0;
    const cpu0 = server.cpuSec();
    const load = startMixedLoad(server.url, adminToken, fleet.clusters, clock, CONCURRENCY);
    const answers = load.answers;

    await new Promise((r) => setTimeout(r, BEFORE_MS));
    const stopAt = clock();
    await pgc.stop(mode);
    const downAt = clock(); // stopped for certain from here
    await new Promise((r) => setTimeout(r, DOWN_MS));
    const startAt = clock();
    await pgc.start();
    const upAt = clock();
    const firstOk = () => answers.find((a) => a.at >= upAt && a.status >= 200 && a.status < 300);
    while (!firstOk() && clock() - upAt < RECOVERY_MAX_MS) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, AFTER_MS));
    await load.stop();
    const endAt = clock();
    const cpu1 = server.cpuSec();
    const lost = await load.lost();
    const ok = firstOk();
    const down = answers.filter((a) => a.at >= downAt && a.at < startAt);
    return {
      driver, mode, downMs: Math.round(upAt - stopAt),
      rps: answers.length / (endAt / 1000),
      answers: answers.length,
      whileDown: byStatus(down),
      all: byStatus(answers),
      bad: answers.filter((a) => !allowed(a)).length,
      hangs: answers.filter((a) => a.status === -1 || a.ms >= HANG_MS).length,
      hangDetail: answers.filter((a) => a.status === -1 || a.ms >= HANG_MS).map((a) => `${a.kind} sent at ${((a.at - stopAt) / 1000).toFixed(1)} s`),
      maxMs: answers.reduce((m, a) => Math.max(m, a.ms), 0),
      recoveryMs: ok ? ok.at + ok.ms - upAt : null,
      acknowledgedWrites: load.acknowledged(),
      lost,
      serverCpuSec: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    };
  } finally {
    await server.kill('SIGKILL');
  }
}
