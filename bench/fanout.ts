/**
 * Fan-out: one app PUT placed on every cluster of a fleet (a label selector
 * matching all of them), on the Node server with Postgres (node-postgres), for
 * each fleet size in a fresh migrated database (dropped at the end). Per size and run:
 *
 *   warm-up  every cluster asks GET /v1/connector/desired-state with the revision
 *            it holds (304), as a fleet in steady state has (credential checks cached);
 *   create   PUT /v1/tenants/{t}/apps/{app} creating the app;
 *   change   a PUT changing a value, so every cluster's content changes;
 *   override a PUT adding per-cluster overrides for 1% of the clusters (at most 100, the API's
 *            limit on overrides), each with its own value: only those must get new content; the rest must still answer 304.
 *
 * After each PUT, the time from sending it until every changed cluster's
 * desired-state answer serves the new content (see bench/fanout-worker.ts), and
 * the rows stored: placements (one per cluster and app) and rendered_contents
 * (one per distinct render).
 *
 * `npm run bench` runs it first; `BENCH_ONLY=fanout npm run bench` (or `npm run bench -- fanout`) alone.
 * Tunable: BENCH_FANOUT_SIZES (1000,10000), BENCH_FANOUT_RUNS (2),
 * BENCH_FANOUT_CONCURRENCY (50), BENCH_FANOUT_OVERRIDE_PERCENT (1), BENCH_FANOUT_MAX (s per step, 60).
 */
import { renderTargets } from './targets.js';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cpuMeter, type CpuSplit } from './cpu.js';
import { renderFanout } from './fanout-report.js';
import { call, expectStatus } from './fixtures.js';
import { freshenHeartbeats, withSeededFleet, type Fleet } from './fleet-seed.js';
import { startFleetplane } from './servers.js';

export interface FanoutSettings {
  sizes: number[];
  runs: number;
  concurrency: number;
  overridePercent: number;
  maxSec: number;
}

export function fanoutSettings(env: Record<string, string | undefined> = process.env): FanoutSettings {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
    return v;
  };
  const sizes = (env.BENCH_FANOUT_SIZES ?? '1000,10000').split(',').map((x) => Number(x.trim()));
  if (sizes.length === 0 || sizes.some((x) => !Number.isInteger(x) || x <= 0 || x > 100_000)) {
    throw new Error('BENCH_FANOUT_SIZES must be a comma-separated list of cluster counts (1 to 100000)');
  }
  const overridePercent = num('BENCH_FANOUT_OVERRIDE_PERCENT', 1);
  if (overridePercent >= 100) throw new Error('BENCH_FANOUT_OVERRIDE_PERCENT must be under 100');
  return {
    sizes,
    runs: num('BENCH_FANOUT_RUNS', 2),
    concurrency: num('BENCH_FANOUT_CONCURRENCY', 50),
    overridePercent,
    maxSec: num('BENCH_FANOUT_MAX', 60),
  };
}

/** A generous bound on the seconds the fan-out part takes (seeding included), for give-up timers. */
export function fanoutSec(s: FanoutSettings): number {
  const perCluster = 0.02; // seeding, signing and four sweeps, with room for a busy machine
  return s.runs * s.sizes.reduce((t, n) => t + 60 + n * perCluster, 0);
}

/** What a worker does for one step. */
export interface FanoutStepRequest {
  baseUrl: string;
  adminToken: string;
  app: string;
  put?: { path: string; body: unknown } | undefined;
  /** the clusters that must be served new content, each with the revision it holds */
  clusters: { credential: string; revision: number }[];
  /** the app revision their answer must carry */
  expectAppRevision: number;
  /** clusters that must still answer 304 to the revision they hold (checked after, not timed) */
  untouched: { credential: string; revision: number }[];
  concurrency: number;
  maxSec: number;
}

export interface FanoutStepResult {
  clusters: number;
  put: { status: number; ms: number; bytes: number; text?: string } | undefined;
  served: number;
  /** ms from sending the PUT (or from the start) */
  firstServedMs: number;
  allServedMs: number;
  /** ms to each cluster served, sorted */
  servedMs: Float64Array;
  /** desired-state answers by status (0: connection error) */
  statuses: Record<string, number>;
  /** 200 answers without the expected app revision */
  stale: number;
  /** the revision each target cluster holds now */
  revisions: number[];
  untouched: number;
  moved: number;
}

export type StepName = 'create' | 'change' | 'override';

export interface Storage {
  placements: number;
  distinctHashes: number;
  renderedContents: number;
  placementsBytes: number;
  contentsBytes: number;
}

export interface StepOutcome {
  step: StepName;
  targets: number;
  result: FanoutStepResult;
  storage: Storage;
  cpu: CpuSplit | null;
  /** seconds the step took (PUT, polling and the check of the others) */
  sec: number;
}

export interface FanoutRun {
  size: number;
  run: number;
  seedSec: number;
  warmupMs: number;
  steps: StepOutcome[];
}

const TENANT = 'fanout';
const APP = 'web';
const TEMPLATE_VERSION = {
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      replicas: { type: 'integer', minimum: 1, maximum: 50, default: 2 },
      image: { type: 'string', minLength: 1, default: 'nginx:1.27' },
      greeting: { type: 'string', default: 'hello' },
    },
  },
  manifests: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
spec:
  replicas:
    $eval: values.replicas
  selector:
    matchLabels:
      app: \${app.name}
  template:
    metadata:
      labels:
        app: \${app.name}
    spec:
      containers:
        - name: web
          image: \${values.image}
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: \${app.name}
spec:
  selector:
    app: \${app.name}
  ports:
    - port: 80
      targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-config
data:
  greeting: \${values.greeting}
`,
};

const baseSpec = {
  template: { name: 'web', version: '1.0.0' },
  namespace: 'shop',
  values: { replicas: 3, image: 'nginx:1.27', greeting: 'hello' },
  placement: { selector: { matchLabels: { fleet: 'fanout' } } },
};
const changedSpec = { ...baseSpec, values: { ...baseSpec.values, image: 'nginx:1.27.1' } };

function runStep(req: FanoutStepRequest): Promise<FanoutStepResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fanout-worker.ts', import.meta.url), { workerData: req });
    const limit = setTimeout(() => void worker.terminate(), (req.maxSec + 30) * 1000);
    let result: FanoutStepResult | undefined;
    worker.once('message', (m: FanoutStepResult) => {
      result = m;
      void worker.terminate(); // the answer is in; nothing left to wait for
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      clearTimeout(limit);
      if (!result) reject(new Error(`fan-out worker exited with code ${code} and no result`));
      else resolve(result);
    });
  });
}

async function storage(fleet: Fleet): Promise<Storage> {
  const { rows } = await fleet.sql.query<Record<keyof Storage, string>>(`
    select (select count(*) from placements) as "placements",
      (select count(distinct content_hash) from placements) as "distinctHashes",
      (select count(*) from rendered_contents) as "renderedContents",
      pg_total_relation_size('placements') as "placementsBytes",
      pg_total_relation_size('rendered_contents') as "contentsBytes"`);
  const r = rows[0]!;
  return {
    placements: Number(r.placements), distinctHashes: Number(r.distinctHashes), renderedContents: Number(r.renderedContents),
    placementsBytes: Number(r.placementsBytes), contentsBytes: Number(r.contentsBytes),
  };
}

/** Every `100 / percent`-th cluster, at least one. */
/** The API takes at most 100 overrides in one app: at 100,000 clusters, 1% would be refused. */
const MAX_OVERRIDES = 100;

function overridden(n: number, percent: number): Set<number> {
  const every = Math.max(1, Math.round(100 / percent), Math.ceil(n / MAX_OVERRIDES));
  const picked = new Set<number>();
  for (let i = Math.floor(every / 2); i < n; i += every) picked.add(i);
  if (picked.size === 0) picked.add(0);
  return picked;
}

async function oneRun(size: number, run: number, s: FanoutSettings, progress: (line: string) => void): Promise<FanoutRun> {
  return withSeededFleet(size, startFleetplane, TENANT, async ({ fp, fleet, seededMs }) => {
    const templating = Date.now();
    // Labels before any app exists, so nothing is left to re-place.
    await fleet.sql.query(`update clusters set labels = '{"fleet":"fanout"}'::json where tenant_id = $1`, [fleet.tenantUid]);
    await fleet.sql.query('vacuum analyze clusters');
    const base = `/v1/tenants/${TENANT}`;
    await expectStatus(201, 'PUT template', call(fp.url, 'PUT', `${base}/templates/web`, fp.adminToken, { spec: { description: 'web', category: 'web' } }));
    await expectStatus(201, 'PUT template version', call(fp.url, 'PUT', `${base}/templates/web/versions/1.0.0`, fp.adminToken, { spec: TEMPLATE_VERSION }));
    const seedSec = (seededMs + Date.now() - templating) / 1000;
    const held = fleet.clusters.map((c) => ({ credential: c.credential, revision: c.revision }));
    const step = { baseUrl: fp.url, adminToken: fp.adminToken, app: APP, concurrency: s.concurrency, maxSec: s.maxSec };
    const tag = `${size} clusters, run ${run}`;
    progress(`${tag}: seeded in ${seedSec.toFixed(1)}s; warm-up sweep`);

    const warmStart = performance.now();
    const warm = await runStep({ ...step, clusters: [], expectAppRevision: 0, untouched: held });
    const warmupMs = performance.now() - warmStart;
    if (warm.untouched !== size) throw new Error(`warm-up: ${warm.moved} of ${size} clusters did not answer 304`);

    const steps: StepOutcome[] = [];
    const measure = async (name: StepName, body: unknown, appRevision: number, targets: number[], others: number[]) => {
      await freshenHeartbeats(fleet); // every cluster Ready, as in steady state: the PUT's status does not drift with the run's length
      const meter = cpuMeter();
      const began = performance.now();
      const result = await runStep({
        ...step,
        put: { path: `${base}/apps/${APP}`, body: { spec: body } },
        clusters: targets.map((i) => held[i]!),
        expectAppRevision: appRevision,
        untouched: others.map((i) => held[i]!),
      });
      const cpu = meter();
      const sec = (performance.now() - began) / 1000;
      const ok = result.put && result.put.status < 300 && result.served === targets.length && result.moved === 0;
      progress(`${tag} ${name}: PUT ${result.put?.status ?? '-'} in ${result.put?.ms.toFixed(0) ?? '-'} ms, ` +
        `${result.served}/${targets.length} served in ${result.allServedMs.toFixed(0)} ms` +
        (others.length ? `, ${result.untouched}/${others.length} others still 304` : ''));
      if (!ok) {
        throw new Error(`${tag} ${name}: PUT ${JSON.stringify(result.put)}, served ${result.served}/${targets.length}, ` +
          `others moved ${result.moved}, answers ${JSON.stringify(result.statuses)}`);
      }
      targets.forEach((i, k) => (held[i] = { ...held[i]!, revision: result.revisions[k]! }));
      steps.push({ step: name, targets: targets.length, result, storage: await storage(fleet), cpu, sec });
    };

    const all = held.map((_, i) => i);
    await measure('create', baseSpec, 1, all, []);
    await measure('change', changedSpec, 2, all, []);
    const picked = overridden(size, s.overridePercent);
    const overrides = [...picked].map((i) => ({
      clusters: [fleet.clusters[i]!.name], values: { greeting: `hello from ${fleet.clusters[i]!.name}` },
    }));
    await measure('override', { ...changedSpec, overrides }, 3, [...picked], all.filter((i) => !picked.has(i)));
    return { size, run, seedSec, warmupMs, steps };
  });
}

export async function runFanout(s: FanoutSettings, progress: (line: string) => void): Promise<string> {
  const runs: FanoutRun[] = [];
  for (let run = 1; run <= s.runs; run++) {
    for (const size of s.sizes) runs.push(await oneRun(size, run, s, progress));
  }
  return renderFanout(runs, s);
}

/**
 * The fan-out part as bench/run.ts runs it: with BENCH_ONLY=fanout (or
 * `npm run bench -- fanout`) alone, printing its table and exiting; with
 * BENCH_ONLY unset or `all`, first, before the other parts. Gives up when
 * stuck, well after the time it should take.
 */
export async function fanoutPart(only: string) {
  const alone = only === 'fanout' || process.argv.slice(2).includes('fanout');
  if (!alone && only !== 'all') return;
  const s = fanoutSettings();
  const limitSec = Math.ceil(fanoutSec(s)) + 60;
  const limit = setTimeout(() => {
    console.error(`bench: the fan-out part is still running after ${limitSec}s, giving up`);
    process.exit(2);
  }, limitSec * 1000);
  console.error(`fan-out to ${s.sizes.join(', ')} clusters, ${s.runs} runs each, on ${cpus().length} CPUs (node ${process.version})`);
  try {
    console.log(`${await runFanout(s, (line) => console.error(`[fanout] ${line}`))}\n`);
  } finally {
    clearTimeout(limit);
  }
  if (alone) {
    console.log(renderTargets());
    process.exit(0);
  }
}
