/**
 * One of `FLEETPLANE_PROCESSES=2`'s server processes SIGKILLed under the mixed
 * load (bench/faults/mixed-load.ts), through the shared port as `npm start`
 * serves it. What is asked: the port keeps answering (the other process takes
 * the new connections), the primary starts another process, which answers on
 * fresh connections, and no acknowledged write is lost. The requests in flight
 * on the killed process are cut off, as when a whole server dies.
 */
import { childrenOf, getOnOwnConnection, startProcess, stopProcess } from '../../test/support/start-process.js';
import { loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { seedFleet } from '../fleet-seed.js';
import { freshDatabase, newSigningKey, putTemplate, serverEnv, TENANT } from './fixtures.js';
import { startMixedLoad } from './mixed-load.js';
import type { ThrowawayPostgres } from './pg-cluster.js';
import { allowed, byStatus, HANG_MS } from './record.js';
import { newAdminToken } from './server-process.js';

export interface ProcessesResult {
  rps: number;
  all: Record<string, number>;
  /** answers to requests sent from the kill until the replacement was seen */
  untilReplaced: Record<string, number>;
  /** requests without an answer (the connection closed under them) */
  cutOff: number;
  /** of those, sent more than 100 ms after the kill (the client had not yet seen its connection close) */
  cutOffLater: number;
  /** answers other than 2xx, 429/503 with Retry-After and cut-off connections */
  bad: number;
  hangs: number;
  maxMs: number;
  /** ms from the kill until another process was running in its place; null: not within 20 s */
  replacedMs: number | null;
  /** ms from the kill until the first 2xx of a request sent after it */
  firstOkMs: number | null;
  /** GETs on connections of their own after the replacement, 200 of those sent */
  fresh: { ok: number; sent: number };
  acknowledgedWrites: number;
  lost: number;
}

const CONCURRENCY = 6;
const BEFORE_MS = 3_000;
const AFTER_MS = 4_000;
const SEEDED = 50;
const FRESH = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function processesCase(pgc: ThrowawayPostgres, dbName: string): Promise<ProcessesResult> {
  const dbUrl = await freshDatabase(pgc.url, dbName);
  const adminToken = newAdminToken();
  const signingKey = await newSigningKey();
  const server = startProcess(await serverEnv(dbUrl, adminToken, signingKey, { FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_PROCESSES: '2' }));
  try {
    const url = await server.listening;
    const fleet = await seedFleet(url, adminToken, dbUrl, await loadSigningKeys(signingKey), SEEDED, TENANT);
    await fleet.end();
    await putTemplate(url, adminToken);
    const t0 = performance.now();
    const clock = () => performance.now() - t0;
    const load = startMixedLoad(url, adminToken, fleet.clusters, clock, CONCURRENCY);
    const answers = load.answers;

    await sleep(BEFORE_MS);
    const primary = server.child.pid!;
    const before = childrenOf(primary);
    if (before.length !== 2) throw new Error(`expected 2 server processes under ${primary}, found ${before.length}`);
    const victim = before[0]!;
    const killAt = clock();
    process.kill(victim, 'SIGKILL');
    let replacedAt: number | null = null;
    while (replacedAt === null && clock() - killAt < 20_000) {
      const now = childrenOf(primary);
      if (now.length === 2 && !now.includes(victim)) replacedAt = clock();
      else await sleep(20);
    }
    await sleep(AFTER_MS);
    // the replacement has had time to listen: connections of their own reach both processes in turn
    const codes = await Promise.all(Array.from({ length: FRESH }, () => getOnOwnConnection(`${url}/v1/tenants/${TENANT}`, adminToken, HANG_MS)));
    await load.stop();
    const endAt = clock();
    const lost = await load.lost();

    const firstOk = answers.filter((a) => a.at >= killAt && a.status >= 200 && a.status < 300).reduce((m, a) => Math.min(m, a.at + a.ms), Infinity);
    const cut = answers.filter((a) => a.status === 0);
    return {
      rps: answers.length / (endAt / 1000),
      all: byStatus(answers),
      untilReplaced: byStatus(answers.filter((a) => a.at >= killAt && a.at < (replacedAt ?? endAt))),
      cutOff: cut.length,
      cutOffLater: cut.filter((a) => a.at > killAt + 100).length,
      bad: answers.filter((a) => !allowed(a) && a.status !== 0).length,
      hangs: answers.filter((a) => a.status === -1 || a.ms >= HANG_MS).length,
      maxMs: answers.reduce((m, a) => Math.max(m, a.ms), 0),
      replacedMs: replacedAt === null ? null : replacedAt - killAt,
      firstOkMs: Number.isFinite(firstOk) ? firstOk - killAt : null,
      fresh: { ok: codes.filter((c) => c === 200).length, sent: FRESH },
      acknowledgedWrites: load.acknowledged(),
      lost,
    };
  } finally {
    await stopProcess(server);
  }
}
