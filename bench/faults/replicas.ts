/**
 * Two Node replicas on one Postgres, one killed mid-fan-out. CLUSTERS simulated
 * connectors, half on each replica, long-poll /v1/connector/watch and fetch
 * /v1/connector/desired-state when their revision moves; one whose replica
 * vanishes retries on the other (as behind a load balancer), with the
 * connector's backoff. An app placed on every cluster is changed through
 * replica 1, which is SIGKILLed (a) right after the PUT's answer, (b) a few
 * milliseconds after the PUT was sent, before its answer. Every cluster must
 * converge on the new values (via replica 2: LISTEN/NOTIFY push or re-polling);
 * in (b) the desired state must be all old or all new (atomic), and a retry
 * of the PUT through replica 2 must converge.
 */
import { DEFAULT_BACKOFF, retryAfterMs, retryDelay, sleep } from '../../connectors/backoff.js';
import { loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { call, expectStatus } from '../fixtures.js';
import { seedFleet } from '../fleet-seed.js';
import { appSpec, freshDatabase, newSigningKey, putTemplate, serverEnv, TENANT } from './fixtures.js';
import type { ThrowawayPostgres } from './pg-cluster.js';
import { byStatus, type Answer } from './record.js';
import { newAdminToken, spawnServer, type ServerProcess } from './server-process.js';

export interface ReplicaCase {
  name: string;
  /** the PUT through replica 1: its status (0 = cut off) */
  putStatus: number;
  /** (a) connectors still on the old values when the replica died; (b) the desired state right after the kill,
   * read for every cluster through replica 2, old / new (atomic: one of them is 0) */
  old: number;
  new: number;
  retried: boolean;
  /** ms from the PUT (or its retry) sent until every cluster held the new values; null = not within the bound */
  convergeMs: number | null;
  leftBehind: number;
}

export interface ReplicaResult {
  clusters: number;
  cases: ReplicaCase[];
  answers: Record<string, number>;
  rps: number;
  serverCpuSec: number | null;
}

const CLUSTERS = 300;
const CONVERGE_MAX_MS = 30_000;
/** where in the PUT replica 1 dies (ms after sending; the PUT itself takes some tens of ms here) */
const KILL_AFTER_MS = [10, 60, 120, 180];

interface Connector {
  credential: string;
  home: number;
  revision: number;
  greeting: string | undefined;
}

export async function replicasCase(pgc: ThrowawayPostgres, dbName: string): Promise<ReplicaResult> {
  const dbUrl = await freshDatabase(pgc.url, dbName);
  const adminToken = newAdminToken();
  const signingKey = await newSigningKey();
  const env = await serverEnv(dbUrl, adminToken, signingKey, { FLEETPLANE_RATE_LIMIT: '0' });
  const replicas: ServerProcess[] = [await spawnServer(env), await spawnServer(env)];
  const fleet = await seedFleet(replicas[0]!.url, adminToken, dbUrl, await loadSigningKeys(signingKey), CLUSTERS, TENANT);
  const answers: Answer[] = [];
  const t0 = performance.now();
  let stop = false;
  const cpu: number[] = [];
  const meter = (r: ServerProcess) => { const c = r.cpuSec(); if (c !== null) cpu.push(c); };
  try {
    await fleet.sql.query(`update clusters set labels = '{"fleet":"faults"}'::json where tenant_id = $1`, [fleet.tenantUid]);
    await putTemplate(replicas[0]!.url, adminToken);
    const appPath = `/v1/tenants/${TENANT}/apps/web`;
    await expectStatus(201, 'PUT app', call(replicas[0]!.url, 'PUT', appPath, adminToken, { spec: appSpec('g0', { fleet: 'faults' }) }));

    const connectors: Connector[] = fleet.clusters.map((c, i) => ({ credential: c.credential, home: i % 2, revision: 0, greeting: undefined }));
    const get = async (c: Connector, path: string, timeoutMs: number) => {
      const at = performance.now() - t0;
      const res = await fetch(`${replicas[c.home]!.url}${path}`, { headers: { authorization: `Bearer ${c.credential}` }, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      answers.push({ kind: 'connector', at, ms: performance.now() - t0 - at, status: res.status, retryAfter: res.headers.has('retry-after') });
      return { res, text };
    };
    const loop = async (c: Connector) => {
      let failures = 0;
      while (!stop) {
        try {
          const d = await get(c, '/v1/connector/desired-state', 15_000);
          if (d.res.status !== 200) throw Object.assign(new Error(`${d.res.status}`), { ra: d.res.headers.get('retry-after') });
          const body = JSON.parse(d.text) as { revision: number };
          c.revision = body.revision;
          c.greeting = /\bg\d+\b/.exec(d.text)?.[0];
          failures = 0;
          while (!stop) {
            const w = await get(c, `/v1/connector/watch?revision=${c.revision}&timeoutSeconds=10`, 25_000);
            if (w.res.status !== 200) throw Object.assign(new Error(`${w.res.status}`), { ra: w.res.headers.get('retry-after') });
            if ((JSON.parse(w.text) as { revision: number }).revision > c.revision) break;
          }
        } catch (e) {
          if (stop) return;
          if (!(e as { ra?: unknown }).ra && !/^\d+$/.test((e as Error).message)) {
            answers.push({ kind: 'connector', at: performance.now() - t0, ms: 0, status: 0, retryAfter: false });
          }
          c.home = 1 - c.home; // the load balancer sends the retry to the other replica
          await sleep(retryDelay(failures++, retryAfterMs((e as { ra?: string }).ra), { ...DEFAULT_BACKOFF, capMs: 60_000 }));
        }
      }
    };
    const loops = connectors.map(loop);
    const holding = (g: string) => connectors.filter((c) => c.greeting === g).length;
    const waitFor = async (g: string, from: number) => {
      while (holding(g) < connectors.length && performance.now() - from < CONVERGE_MAX_MS) await sleep(20);
      return holding(g) === connectors.length ? performance.now() - from : null;
    };
    if ((await waitFor('g0', performance.now())) === null) throw new Error('the fleet did not converge on the first app version');

    const cases: ReplicaCase[] = [];
    // (a) replica 1 killed right after answering the PUT
    let sent = performance.now();
    const a = await call(replicas[0]!.url, 'PUT', appPath, adminToken, { spec: appSpec('g1', { fleet: 'faults' }) });
    const putMs = performance.now() - sent;
    meter(replicas[0]!);
    await replicas[0]!.kill('SIGKILL');
    const aOld = holding('g0'); // connectors not yet served the change when the replica died
    const aMs = await waitFor('g1', sent);
    cases.push({ name: `kill right after the PUT answered (${Math.round(putMs)} ms)`, putStatus: a.status, old: aOld, new: holding('g1'), retried: false, convergeMs: aMs, leftBehind: connectors.length - holding('g1') });

    // (b) replica 1 (back again) killed while the PUT is in flight, at a few points of it
    let held = 'g1';
    for (const [k, delay] of KILL_AFTER_MS.entries()) {
      const next = `g${k + 2}`;
      replicas[0] = await spawnServer(env);
      await sleep(2_000); // some connectors move back to it
      sent = performance.now();
      const put = call(replicas[0]!.url, 'PUT', appPath, adminToken, { spec: appSpec(next, { fleet: 'faults' }) }).catch(() => ({ status: 0, text: '' }));
      await sleep(delay);
      meter(replicas[0]!);
      await replicas[0]!.kill('SIGKILL');
      const b = await put;
      // what the database holds now, read for every cluster through replica 2 (not the connectors' view, which lags)
      // 300 reads at once pass the server's 256 in progress: a shed (503) or limited (429) read waits as told and asks again
      const now = await Promise.all(fleet.clusters.map(async (c) => {
        for (let attempt = 0; attempt < 10; attempt++) {
          const r = await fetch(`${replicas[1]!.url}/v1/connector/desired-state`, { headers: { authorization: `Bearer ${c.credential}` }, signal: AbortSignal.timeout(15_000) });
          const text = await r.text();
          if (r.status === 200) return /\bg\d+\b/.exec(text)?.[0];
          await sleep(1_000 * Number(r.headers.get('retry-after') ?? 1));
        }
        return undefined;
      }));
      const bOld = now.filter((g) => g === held).length;
      const bNew = now.filter((g) => g === next).length;
      let retried = false;
      if (b.status === 0 && bNew < connectors.length) { // cut off and not committed: the client retries
        retried = true;
        sent = performance.now();
        await expectStatus(200, 'PUT app retried through replica 2', call(replicas[1]!.url, 'PUT', appPath, adminToken, { spec: appSpec(next, { fleet: 'faults' }) }));
      }
      const bMs = await waitFor(next, sent);
      cases.push({ name: `kill ${delay} ms into the PUT`, putStatus: b.status, old: bOld, new: bNew, retried, convergeMs: bMs, leftBehind: connectors.length - holding(next) });
      held = next;
    }

    stop = true;
    meter(replicas[1]!);
    await Promise.race([Promise.all(loops), sleep(100)]);
    const sec = (performance.now() - t0) / 1000;
    return { clusters: CLUSTERS, cases, answers: byStatus(answers), rps: answers.length / sec, serverCpuSec: cpu.length ? cpu.reduce((x, y) => x + y, 0) : null };
  } finally {
    stop = true;
    await fleet.end();
    for (const r of replicas) await r.kill('SIGKILL');
  }
}
