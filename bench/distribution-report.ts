import { recordTarget } from './targets.js';
import { cpus } from 'node:os';
import type { StepName } from './distribution-clusters.js';
import type { DistributionRun } from './distribution.js';
import { table } from './report.js';
import { percentile } from './stats.js';

/** Karmada's published pull-mode p99 at 100 clusters, and ours to meet. */
const KARMADA_P99_MS = 989;
const TARGET_P99_MS = 300;

const ms = (v: number) => (Number.isFinite(v) ? Math.round(v).toString() : '-');
const sorted = (xs: number[]) => Float64Array.from(xs).sort();

function row(what: string, xs: number[]) {
  const s = sorted(xs);
  return [what, s.length, ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)), ms(s[s.length - 1] ?? Number.NaN)];
}

export function renderDistribution(run: DistributionRun): string {
  const s = run.settings;
  const put = run.rounds.map((r) => r.putMs);
  const applied = run.rounds.flatMap((r) => r.appliedMs);
  const visible = run.rounds.flatMap((r) => r.visibleMs);
  const lag = run.rounds.flatMap((r) => r.visibleMs.map((v, i) => v - r.appliedMs[i]!));
  const p99 = percentile(sorted(visible), 99);
  recordTarget({
    path: `distribution, PUT -> visible at the API, ${s.clusters} clusters`,
    now: `p99 ${ms(p99)} ms (applied p99 ${ms(percentile(sorted(applied), 99))} ms)`,
    peer: `Karmada pull mode, published: ${KARMADA_P99_MS} ms`, ratio: p99 / KARMADA_P99_MS,
    goal: `p99 <= ${TARGET_P99_MS} ms`, met: run.failure === undefined && p99 <= TARGET_P99_MS,
  });
  const step = (k: StepName) => run.rounds.flatMap((r) => r.steps[k]).filter(Number.isFinite);
  const perRound = run.rounds.map((r) => {
    const a = sorted(r.appliedMs);
    const v = sorted(r.visibleMs);
    const c = r.cpu;
    return [r.round, ms(r.putMs), ms(percentile(a, 50)), ms(a[a.length - 1]!), ms(percentile(v, 50)), ms(v[v.length - 1]!), r.polls, ms(r.getP50Ms),
      ...(c ? [c.server + c.cryptoPool, c.v8Helpers + c.loadGen, c.postgres, c.other].map((x) => x.toFixed(2)) : ['-', '-', '-', '-'])];
  });
  return [
    `== Distribution latency (Node server, Postgres through node-postgres, ${s.clusters} connected clusters) ==`,
    '',
    `${s.clusters} real connectors (simulate(), in ${s.threads} worker threads of the bench process, apart from the server's, each against its own in-process API server), joined with join tokens; ` +
      `one app (a Deployment and a ConfigMap) placed on all of them; ${s.rounds} rounds of a PUT changing the image and a value ` +
      `(${s.pauseMs} ms apart), after the create and ${s.warmupRounds} uncounted change${s.warmupRounds === 1 ? '' : 's'}. ` +
      'Times in ms from sending the PUT; percentiles over every cluster × round.',
    `applied = the cluster's API server holds both objects with the new values (store change events, in-process); ` +
      `visible = GET /v1/tenants/{t}/apps/{app}, asked by one client every ${s.pollMs} ms, shows the cluster Ready at the new revision. ` +
      `Connector status report debounce ${s.debounceMs} ms; the fake clusters' controller makes a changed Deployment ready after ${s.readyDelayMs} ms.`,
    `Setup (create ${s.clusters} clusters and join tokens, start API servers and connectors, join, first sync): ${run.setupSec.toFixed(1)} s; ` +
      `create (PUT creating the app → all ${s.clusters} Ready at the API): ${ms(run.createMs)} ms.`,
    ...run.warmup.map((w, i) => {
      const v = w.visibleMs.slice().sort((a, b) => a - b);
      return `Warm-up change ${i + 1}, not counted (the first since the start: code paths still cold): PUT ${ms(w.putMs)} ms, ` +
        `status visible p50 ${ms(v[Math.floor(v.length / 2)]!)} ms, max ${ms(v.at(-1)!)} ms.`;
    }),
    '',
    table(['measure', 'samples', 'p50', 'p90', 'p99', 'max'], [
      row('PUT (response)', put),
      row('applied in the cluster', applied),
      row('status visible at the API', visible),
    ]),
    '',
    'Where the time goes: each step of every cluster × round, in ms from sending the PUT (connector steps seen by wrapping its client)',
    table(['step', 'samples', 'p50', 'p90', 'p99', 'max'], [
      row('PUT answered', put),
      row('woken: the watch announced the new revision', step('woken')),
      row('fetched: desired-state answer in', step('fetched')),
      row('applied: both objects in the API server', applied),
      row('reported: status PUT sent (new revision, all Healthy)', step('reported')),
      row('stored: status PUT answered', step('stored')),
      row('visible: the API shows it Ready', visible),
      row('visible − applied (same cluster)', lag),
    ]),
    '',
    ...(run.failure ? [`FAILED: ${run.failure}`, ''] : []),
    `target: status visible p99 under ${TARGET_P99_MS} ms at ${s.clusters} clusters (Karmada pull mode, published: ${KARMADA_P99_MS} ms at 100): ` +
      `${ms(p99)} ms: ${p99 < TARGET_P99_MS ? 'MET' : 'MISSED'}`,
    '',
    `Per round (CPU in cores of ${cpus().length}: server = the server's own process; ` +
      'workers = the bench process: the connectors and API servers workers, the PUT and polling worker; ' +
      'other = every other process, other users of the machine included)',
    table(['round', 'PUT', 'applied p50', 'applied max', 'visible p50', 'visible max', 'GETs', 'GET p50', 'server', 'workers', 'postgres', 'other'], perRound),
  ].join('\n');
}
