/**
 * Distribution latency: from an app PUT to "applied in the cluster" and to
 * "status visible at the API", with N connected clusters (100 by default).
 *
 * The real Node server on a fresh migrated Postgres database (node-postgres),
 * in a process of its own (so that the clusters do not compete with it for its event loop); one tenant; N clusters, each joined with a join token from
 * `POST .../clusters/{c}/join-tokens` by a real connector agent (the code
 * `npm run connector` runs), run by `simulate()` in worker threads (BENCH_DIST_THREADS), each
 * against its own in-process Kubernetes API server (test/kube/server.ts; its
 * controller makes workloads ready). One app (a Deployment and a ConfigMap)
 * placed on all N. Then, per round, a PUT changing the image and a value, and
 * per cluster:
 *
 *   applied  the cluster's API server holds both objects with the new values
 *            (seen in-process on the store's change events: no polling);
 *   visible  `GET /v1/tenants/{t}/apps/{app}`, asked by one client every
 *            BENCH_DIST_POLL_MS, shows the cluster Ready at the new revision
 *            (which must be the revision stamped on the applied objects).
 *
 * Both from sending the PUT. Every cluster must reach the new revision in every
 * round, else the part fails.
 *
 * `BENCH_ONLY=distribution npm run bench` alone.
 * Tunable: BENCH_DIST_CLUSTERS (100), BENCH_DIST_ROUNDS (20), BENCH_DIST_POLL_MS (20),
 * BENCH_DIST_DEBOUNCE_MS (the connector's status report debounce, 200 as in production),
 * BENCH_DIST_READY_DELAY_MS (how long the fake clusters' controller takes to make a
 * changed Deployment ready, 0), BENCH_DIST_PAUSE_MS (between rounds, 300), BENCH_DIST_MAX (s per round, 30),
 * BENCH_DIST_THREADS (worker threads the clusters are spread over, 2), BENCH_DIST_WARMUP_ROUNDS (changes
 * after the create that are checked and printed but not counted, 1: the first change after a start ran
 * the slowest round in 6 of 8 runs, its code paths still cold in the server, the connectors and the API servers).
 */
import { renderTargets } from './targets.js';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cpuMeter, type CpuSplit } from './cpu.js';
import type { Applied, ClustersInit, Expect, StepName } from './distribution-clusters.js';
import type { RoundRequest, RoundResult } from './distribution-client.js';
import { renderDistribution } from './distribution-report.js';
import { call, expectStatus } from './fixtures.js';
import { spawnFleetplane } from './servers.js';
import { WEB_VERSION } from '../test/support/apps.js';
import { createMigratedDatabase } from '../test/support/postgres.js';

export interface DistributionSettings {
  clusters: number;
  rounds: number;
  pollMs: number;
  debounceMs: number;
  readyDelayMs: number;
  pauseMs: number;
  maxSec: number;
  /** worker threads the clusters (API servers and connectors) are spread over */
  threads: number;
  /** changes after the create, before the counted rounds: checked and printed, not counted */
  warmupRounds: number;
}

export function distributionSettings(env: Record<string, string | undefined> = process.env): DistributionSettings {
  const num = (name: string, fallback: number, min = 1) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isFinite(v) || v < min) throw new Error(`${name} must be a number ≥ ${min}`);
    return v;
  };
  return {
    clusters: Math.round(num('BENCH_DIST_CLUSTERS', 100)),
    rounds: Math.round(num('BENCH_DIST_ROUNDS', 20)),
    pollMs: num('BENCH_DIST_POLL_MS', 20),
    debounceMs: num('BENCH_DIST_DEBOUNCE_MS', 200, 0),
    readyDelayMs: num('BENCH_DIST_READY_DELAY_MS', 0, 0),
    pauseMs: num('BENCH_DIST_PAUSE_MS', 300, 0),
    maxSec: num('BENCH_DIST_MAX', 30),
    threads: Math.round(num('BENCH_DIST_THREADS', 2)),
    warmupRounds: Math.round(num('BENCH_DIST_WARMUP_ROUNDS', 1, 0)),
  };
}

/** A generous bound on the seconds the part takes (setup included), for give-up timers. */
export function distributionSec(s: DistributionSettings): number {
  return 120 + s.clusters * 0.5 + (s.rounds + s.warmupRounds) * (s.maxSec + s.pauseMs / 1000);
}

export interface RoundOutcome {
  round: number;
  putMs: number;
  putStatus: number;
  /** ms from sending the PUT, per cluster, in cluster order */
  appliedMs: number[];
  visibleMs: number[];
  /** ms from sending the PUT to each step on the connector's side, per cluster */
  steps: Record<StepName, number[]>;
  polls: number;
  getP50Ms: number;
  cpu: CpuSplit | null;
}

export interface DistributionRun {
  settings: DistributionSettings;
  setupSec: number;
  /** ms from the PUT creating the app until every cluster showed Ready at the API */
  createMs: number;
  /** the changes before the counted rounds: the PUT's ms and each cluster's visible ms */
  warmup: { putMs: number; visibleMs: number[] }[];
  rounds: RoundOutcome[];
  /** why the run stopped early: a cluster that did not reach the new revision */
  failure: string | undefined;
}

/** The connector's steps, in order (see bench/distribution-clusters.ts). */
export const STEPS: StepName[] = ['woken', 'fetched', 'reported', 'stored'];

const TENANT = 'dist';
const APP = 'web';
const NAMESPACE = 'shop';

const spec = (round: number) => ({
  template: { name: 'web', version: '1.0.0' },
  namespace: NAMESPACE,
  values: { replicas: 2, image: `nginx:1.27.${round}`, greeting: `hello ${round}` },
  placement: { selector: { matchLabels: { fleet: 'dist' } } },
});

/** The clusters worker, with a queue of its messages. */
function startClusters(init: ClustersInit, progress: (line: string) => void) {
  const worker = new Worker(new URL('./distribution-clusters.ts', import.meta.url), { workerData: init });
  const waiting = new Map<string, { resolve: (m: any) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const fail = (e: Error) => {
    failed ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: { type: string; message?: string; line?: string }) => {
    if (m.type === 'log') return progress(`connector: ${m.line}`);
    if (m.type === 'error') return fail(new Error(`clusters worker: ${m.message}`));
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.resolve(m);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`clusters worker exited (${code})`)));
  const next = <T>(type: string) => new Promise<T>((resolve, reject) => {
    if (failed) return reject(failed);
    waiting.set(type, { resolve, reject });
  });
  return {
    next,
    send: (m: Expect | { type: 'collect' | 'stop' }) => worker.postMessage(m),
    async stop() {
      if (failed) return void (await worker.terminate());
      const stopped = next('stopped');
      worker.postMessage({ type: 'stop' });
      await Promise.race([stopped.catch(() => undefined), new Promise((r) => setTimeout(r, 15_000))]);
      await worker.terminate();
    },
  };
}

/** The client worker: one round at a time. */
function startClient() {
  const worker = new Worker(new URL('./distribution-client.ts', import.meta.url));
  let pending: { resolve: (r: RoundResult) => void; reject: (e: Error) => void } | undefined;
  const fail = (e: Error) => {
    pending?.reject(e);
    pending = undefined;
  };
  worker.on('message', (r: RoundResult) => {
    pending?.resolve(r);
    pending = undefined;
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`client worker exited (${code})`)));
  return {
    round: (req: RoundRequest) => new Promise<RoundResult>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(req);
    }),
    stop: () => worker.terminate(),
  };
}

export async function runDistribution(s: DistributionSettings, progress: (line: string) => void): Promise<DistributionRun> {
  const database = await createMigratedDatabase();
  try {
    const fp = await spawnFleetplane(database.url);
    try {
      const setup = Date.now();
      const base = `/v1/tenants/${TENANT}`;
      const api = (method: string, path: string, body?: unknown) => call(fp.url, method, path, fp.adminToken, body);
      await expectStatus(201, 'PUT tenant', api('PUT', base, { spec: { displayName: 'Distribution' } }));
      await expectStatus(201, 'PUT template', api('PUT', `${base}/templates/web`, { spec: { description: 'web', category: 'web' } }));
      await expectStatus(201, 'PUT template version', api('PUT', `${base}/templates/web/versions/1.0.0`, { spec: WEB_VERSION }));
      const names = Array.from({ length: s.clusters }, (_, i) => `c${String(i).padStart(3, '0')}`);
      const joinTokens: string[] = [];
      for (const name of names) {
        await expectStatus(201, `PUT cluster ${name}`, api('PUT', `${base}/clusters/${name}`, { metadata: { labels: { fleet: 'dist' } }, spec: {} }));
        const jt = JSON.parse(await expectStatus(201, `POST join token ${name}`, api('POST', `${base}/clusters/${name}/join-tokens`, {}))) as { token?: string };
        if (!jt.token) throw new Error(`no join token for ${name}`);
        joinTokens.push(jt.token);
      }
      progress(`${s.clusters} clusters created with join tokens; starting ${s.clusters} API servers and connectors`);
      // the clusters in `threads` workers, each with a contiguous share
      const shares = Array.from({ length: s.threads }, (_, k) => {
        const from = Math.floor((k * s.clusters) / s.threads);
        return { from, to: Math.floor(((k + 1) * s.clusters) / s.threads) };
      }).filter((x) => x.to > x.from);
      const workers = shares.map(({ from, to }) => startClusters({
        url: fp.url, joinTokens: joinTokens.slice(from, to), app: APP, namespace: NAMESPACE,
        reportDebounceMs: s.debounceMs, readyDelayMs: s.readyDelayMs, maxSec: s.maxSec * 4,
      }, progress));
      const clusters = {
        next: () => Promise.all(workers.map((w) => w.next<Applied>('applied'))).then((parts) => ({
          at: parts.flatMap((p) => p.at), revisions: parts.flatMap((p) => p.revisions),
          steps: Object.fromEntries(STEPS.map((k) => [k, parts.flatMap((p) => p.steps[k])])) as Record<StepName, number[]>,
        })),
        expect: (m: Omit<Expect, 'held' | 'type'>, held: number[]) =>
          workers.forEach((w, k) => w.send({ type: 'expect', ...m, held: held.slice(shares[k]!.from, shares[k]!.to) })),
        collect: () => workers.forEach((w) => w.send({ type: 'collect' })),
        stop: () => Promise.all(workers.map((w) => w.stop())),
      };
      const client = startClient();
      try {
        await Promise.all(workers.map((w) => w.next('ready')));
        const setupSec = (Date.now() - setup) / 1000;
        progress(`${s.clusters} connectors joined and synced in ${setupSec.toFixed(1)}s`);

        const held: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
        const rounds: RoundOutcome[] = [];
        const warmup: DistributionRun['warmup'] = [];
        let createMs = Number.NaN;
        let failure: string | undefined;
        for (let round = 0; round <= s.warmupRounds + s.rounds; round++) {
          const body = { spec: spec(round) };
          clusters.expect({ round, greeting: body.spec.values.greeting, image: body.spec.values.image }, names.map((n) => held[n]!));
          const meter = cpuMeter(fp.pid);
          const r = await client.round({ baseUrl: fp.url, token: fp.adminToken, path: `${base}/apps/${APP}`, body, held, pollMs: s.pollMs, maxSec: s.maxSec });
          await new Promise((res) => setTimeout(res, 50)); // the last reports' answers, for the step times
          const applied = clusters.next();
          clusters.collect();
          const a = await applied;
          const cpu = meter();
          const want = round === 0 ? 201 : 200;
          if (r.put.status !== want) throw new Error(`round ${round}: PUT answered ${r.put.status}: ${r.put.text}`);
          // every cluster applied and Ready at the API, at one revision, the one stamped on what it applied
          const problems: string[] = [];
          names.forEach((name, i) => {
            const v = r.visible[name];
            if (!Number.isFinite(a.at[i]!)) problems.push(`${name}: not applied`);
            if (!v) {
              const l = r.last.find((c) => c.name === name);
              problems.push(`${name}: not Ready at a new revision at the API (last: ${l ? `${l.phase} at ${l.revision}` : 'absent'})`);
            } else if (v.revision !== a.revisions[i]) {
              problems.push(`${name}: Ready at revision ${v.revision} but the objects carry ${a.revisions[i]}`);
            }
          });
          const revs = new Set(Object.values(r.visible).map((v) => v.revision));
          if (revs.size > 1) problems.push(`clusters at different revisions: ${[...revs].join(', ')}`);
          if (problems.length) {
            // the figures so far are printed, then the part fails
            failure = `round ${round}: ${problems.length} problems within ${s.maxSec}s: ${problems.slice(0, 10).join('; ')}`;
            progress(failure);
            break;
          }
          for (const name of names) held[name] = r.visible[name]!.revision;

          const appliedMs = a.at.map((t) => t - r.sentAt);
          const visibleMs = names.map((name) => r.visible[name]!.at - r.sentAt);
          const counted = round - s.warmupRounds;
          const tag = round === 0 ? 'create' : counted < 1 ? `warm-up ${round}/${s.warmupRounds}` : `round ${counted}/${s.rounds}`;
          progress(`${tag}: PUT ${r.put.status} in ${r.put.ms.toFixed(0)} ms, all applied ${Math.max(...appliedMs).toFixed(0)} ms, ` +
            `all visible ${Math.max(...visibleMs).toFixed(0)} ms (revision ${[...revs][0]}, ${r.polls} GETs)`);
          if (round === 0) createMs = Math.max(...visibleMs);
          else if (counted < 1) warmup.push({ putMs: r.put.ms, visibleMs });
          else {
            rounds.push({
              round: counted, putMs: r.put.ms, putStatus: r.put.status, appliedMs, visibleMs, polls: r.polls,
              steps: Object.fromEntries(STEPS.map((k) => [k, a.steps[k].map((t) => t - r.sentAt)])) as Record<StepName, number[]>,
              getP50Ms: r.getMs[Math.floor(r.getMs.length / 2)] ?? Number.NaN, cpu,
            });
          }
          await new Promise((res) => setTimeout(res, s.pauseMs));
        }
        return { settings: s, setupSec, createMs, warmup, rounds, failure };
      } finally {
        await client.stop();
        await clusters.stop();
      }
    } finally {
      await fp.close();
    }
  } finally {
    await database.drop();
  }
}

/**
 * The distribution part as bench/run.ts runs it: with BENCH_ONLY=distribution
 * alone, printing its table and exiting;
 * with BENCH_ONLY unset or `all`, after the fan-out part, before the others. Gives up when stuck.
 */
export async function distributionPart(only: string) {
  const alone = only === 'distribution';
  if (!alone && only !== 'all') return;
  const s = distributionSettings();
  const limitSec = Math.ceil(distributionSec(s)) + 60;
  const limit = setTimeout(() => {
    console.error(`bench: the distribution part is still running after ${limitSec}s, giving up`);
    process.exit(2);
  }, limitSec * 1000);
  console.error(`distribution to ${s.clusters} connected clusters, ${s.rounds} rounds, on ${cpus().length} CPUs (node ${process.version})`);
  try {
    const run = await runDistribution(s, (line) => console.error(`[distribution] ${line}`));
    console.log(`${renderDistribution(run)}\n`);
    if (run.failure) throw new Error(`distribution: FAILED: ${run.failure}`);
  } finally {
    clearTimeout(limit);
  }
  if (alone) {
    console.log(renderTargets());
    process.exit(0);
  }
}
