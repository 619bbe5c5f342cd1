/**
 * The fleet side of the distribution benchmark, in worker threads (each with
 * its share of the clusters, so the simulation is not all on one core): one
 * in-process Kubernetes API server per cluster (test/kube/server.ts), and the
 * real connector agents run by `simulate()` (connectors/simulate.ts), one per
 * cluster, each against its own API server. It watches every cluster's store
 * in-process (KubeStore.onChange, no polling) and tells the main thread when
 * each cluster holds what a round expects.
 *
 * Messages in:  { type: 'expect', round, greeting, image }  (a round starts: what the app's objects must hold)
 *               { type: 'collect' }  (the round is over)
 *               { type: 'stop' }
 * Messages out: { type: 'ready', clusters }  (every connector registered and synced)
 *               { type: 'applied', round, at, revisions, steps }  (the answer to collect: per cluster, epoch ms
 *               when both objects held the round's values, their revision annotation, the connector's steps)
 *               { type: 'error', message }
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { simulate, type Simulation } from '../connectors/simulate.js';
import { startKubeServer, type KubeServer } from '../test/kube/server.js';
import type { KubeStore } from '../test/kube/store.js';

export interface ClustersInit {
  url: string;
  /** this worker's clusters (its share of the fleet): one join token each */
  joinTokens: string[];
  app: string;
  namespace: string;
  reportDebounceMs: number;
  readyDelayMs: number;
  maxSec: number;
}

export interface Expect {
  type: 'expect';
  round: number;
  greeting: string;
  image: string;
  /** per cluster of this worker: the app revision it held before the round */
  held: number[];
}

export interface Applied {
  type: 'applied';
  round: number;
  /** per cluster: epoch ms (performance.timeOrigin-based) when it first held both objects as expected; NaN if never */
  at: number[];
  /** per cluster: the fleetplane.io/revision annotation on the Deployment then */
  revisions: number[];
  /** per cluster, epoch ms of each step on the connector's side (NaN when not seen) */
  steps: Record<StepName, number[]>;
}

/**
 * Where a cluster's time goes, seen by wrapping its agent's control plane client
 * (no change to the connector): `woken` its watch announced the new revision;
 * `fetched` its desired-state answer arrived; `reported` it sent a status
 * report with the app at a newer revision, every resource Healthy; `stored` that report was answered.
 */
export type StepName = 'woken' | 'fetched' | 'reported' | 'stored';

const REVISION = 'fleetplane.io/revision';
const init = workerData as ClustersInit;
const now = () => performance.timeOrigin + performance.now();
const post = (m: unknown) => parentPort!.postMessage(m);

type Server = KubeServer & { kubeStore: KubeStore };

let servers: Server[] = [];
let sim: Simulation | undefined;
let current: {
  round: number; greeting: string; image: string; at: number[]; revisions: number[];
  steps: Record<StepName, number[]>; heldRevision: number[];
} | undefined;

function mark(step: StepName, i: number) {
  const c = current;
  if (c && !Number.isFinite(c.steps[step][i]!)) c.steps[step][i] = now();
}

/** Records the steps of each agent's work by wrapping its control plane client. */
function instrument(s: Simulation) {
  s.agents.forEach((agent, i) => {
    const cp = agent.cp as any;
    const desiredState = cp.desiredState.bind(cp);
    cp.desiredState = async (revision: number | undefined) => {
      const body = await desiredState(revision);
      if (body !== undefined) mark('fetched', i);
      return body;
    };
    const status = cp.status.bind(cp);
    cp.status = async (report: any) => {
      const app = report.apps.find((a: any) => a.name === init.app);
      const fresh = app && app.revision > (current?.heldRevision[i] ?? Infinity) && app.resources.every((r: any) => r.health === 'Healthy');
      if (fresh) mark('reported', i);
      await status(report);
      if (fresh) mark('stored', i);
    };
    const a = agent as any;
    const announce = a.announce.bind(a);
    a.announce = (rev: number) => {
      if (rev > (agent.appliedRevision ?? 0)) mark('woken', i);
      return announce(rev);
    };
  });
}

/** Does cluster i hold the round's values now? Reads the stores directly (no copies). */
function check(i: number) {
  const c = current;
  if (!c || Number.isFinite(c.at[i]!)) return;
  const store = servers[i]!.kubeStore;
  const cm = store.get('v1', 'ConfigMap', init.namespace, `${init.app}-config`);
  if (cm?.data?.greeting !== c.greeting) return;
  const d = store.get('apps/v1', 'Deployment', init.namespace, init.app);
  if (d?.spec?.template?.spec?.containers?.[0]?.image !== c.image) return;
  c.at[i] = now();
  c.revisions[i] = Number(d.metadata?.annotations?.[REVISION] ?? Number.NaN);
}

/** The round is over (the main thread saw it through at the API, or gave up): what was seen. */
function collect() {
  const c = current!;
  current = undefined;
  post({ type: 'applied', round: c.round, at: c.at, revisions: c.revisions, steps: c.steps } satisfies Applied);
}

async function main() {
  const n = init.joinTokens.length;
  servers = [];
  for (let i = 0; i < n; i++) servers.push(await startKubeServer({ readyDelayMs: init.readyDelayMs, requestLogLimit: 100 }));
  servers.forEach((s, i) => {
    s.kubeStore.onChange((change) => {
      const o = change.object;
      if (o?.metadata?.namespace !== init.namespace) return;
      if (o.kind === 'ConfigMap' || o.kind === 'Deployment') check(i);
    });
  });
  sim = await simulate({
    url: init.url, joinTokens: init.joinTokens, kubeconfigs: servers.map((s) => s.kubeconfig()),
    reportDebounceMs: init.reportDebounceMs,
    log: (level, msg, fields) => {
      if (level === 'error') post({ type: 'log', line: `${level} ${msg} ${JSON.stringify(fields ?? {})}` });
    },
  });
  instrument(sim);
  const deadline = Date.now() + init.maxSec * 1000;
  while (sim.ready() < n) {
    if (Date.now() > deadline) throw new Error(`only ${sim.ready()} of ${n} connectors registered and synced after ${init.maxSec}s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  post({ type: 'ready', clusters: n });
}

parentPort!.on('message', (m: Expect | { type: 'collect' | 'stop' }) => {
  if (m.type === 'expect') {
    const n = servers.length;
    const nan = () => new Array<number>(n).fill(Number.NaN);
    current = {
      round: m.round, greeting: m.greeting, image: m.image, at: nan(), revisions: nan(),
      steps: { woken: nan(), fetched: nan(), reported: nan(), stored: nan() },
      heldRevision: m.held,
    };
    // it may already be there (the message can come after the first applies)
    for (let i = 0; i < n; i++) check(i);
  } else if (m.type === 'collect') {
    collect();
  } else if (m.type === 'stop') {
    void (async () => {
      await sim?.stop();
      for (const s of servers) await s.close();
      post({ type: 'stopped' });
    })();
  }
});

main().catch((e) => post({ type: 'error', message: (e as Error).stack ?? String(e) }));
