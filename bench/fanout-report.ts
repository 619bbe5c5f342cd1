import { recordTarget } from './targets.js';
import { cpus } from 'node:os';
import type { FanoutRun, FanoutSettings, StepName, StepOutcome } from './fanout.js';
import { table } from './report.js';
import { percentile } from './stats.js';

const TARGET_CLUSTERS = 10_000;
const TARGET_MS = 2_000;

const ms = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? Math.round(v).toString() : '-');
const kib = (bytes: number) => (bytes / 1024).toFixed(0);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const times = (xs: number[]) => xs.map((x) => ms(x)).join(' / ');

function steps(runs: FanoutRun[]): { run: FanoutRun; s: StepOutcome }[] {
  return runs.flatMap((run) => run.steps.map((s) => ({ run, s })));
}

function perRun(runs: FanoutRun[]): string {
  const rows = steps(runs).map(({ run, s }) => {
    const r = s.result;
    const asked = Object.values(r.statuses).reduce((a, b) => a + b, 0);
    return [
      run.size, run.run, s.step, s.targets, r.put?.status ?? '-', ms(r.put?.ms), kib(r.put?.bytes ?? 0),
      ms(r.firstServedMs), ms(percentile(r.servedMs, 50)), ms(r.allServedMs), asked,
      s.step === 'override' ? `${r.untouched}/${r.untouched + r.moved}` : '-',
    ];
  });
  return table(
    ['clusters', 'run', 'step', 'changed', 'PUT', 'PUT ms', 'PUT KiB', 'first served', 'p50 served', 'all served', 'GETs', 'others 304'],
    rows,
  );
}

function summary(runs: FanoutRun[], sizes: number[]): string {
  const names: StepName[] = ['create', 'change', 'override'];
  const rows: (string | number)[][] = [];
  for (const name of names) {
    for (const size of sizes) {
      const got = runs.filter((r) => r.size === size).map((r) => r.steps.find((s) => s.step === name)!);
      const put = got.map((s) => s.result.put?.ms ?? Number.NaN);
      const served = got.map((s) => s.result.allServedMs);
      rows.push([name, size, got[0]?.targets ?? '-', times(put), times(served),
        ms((mean(served) * 1000) / (got[0]?.targets ?? 1))]);
    }
  }
  return table(['step', 'clusters', 'changed', 'PUT ms (each run)', 'all served ms (each run)', 'all served µs per changed cluster'], rows);
}

function ratios(runs: FanoutRun[], small: number, large: number): string {
  const names: StepName[] = ['create', 'change', 'override'];
  const of = (size: number, name: StepName) => runs.filter((r) => r.size === size).map((r) => r.steps.find((s) => s.step === name)!);
  const rows = names.map((name) => {
    const a = of(small, name);
    const b = of(large, name);
    const r = (f: (s: StepOutcome) => number) => `${(mean(b.map(f)) / mean(a.map(f))).toFixed(2)}x`;
    return [name, `${b[0]!.targets / a[0]!.targets}x`, r((s) => s.result.put?.ms ?? Number.NaN), r((s) => s.result.allServedMs)];
  });
  return table(['step', 'changed clusters', 'PUT ms', 'all served ms'], rows);
}

function storageTable(runs: FanoutRun[]): string {
  const rows = steps(runs).map(({ run, s }) => [
    run.size, run.run, s.step, s.storage.placements, s.storage.distinctHashes, s.storage.renderedContents,
    kib(s.storage.placementsBytes), kib(s.storage.contentsBytes),
  ]);
  return table(['clusters', 'run', 'after', 'placements', 'distinct hashes placed', 'rendered_contents', 'placements KiB', 'rendered_contents KiB'], rows);
}

function cpuTable(runs: FanoutRun[]): string {
  const rows = steps(runs).flatMap(({ run, s }) => {
    const c = s.cpu;
    if (!c) return [];
    const f = (v: number) => v.toFixed(2);
    const cpuSec = (cores: number) => (cores * s.sec).toFixed(2);
    return [[run.size, run.run, s.step, s.sec.toFixed(1), f(c.server), f(c.cryptoPool), f(c.loadGen), f(c.postgres), f(c.other), f(c.idle),
      cpuSec(c.server + c.cryptoPool + c.v8Helpers), cpuSec(c.postgres)]];
  });
  return rows.length
    ? table(['clusters', 'run', 'step', 's', 'server', 'crypto', 'loadgen', 'postgres', 'other', 'idle', 'server CPU s', 'postgres CPU s'], rows)
    : '(no /proc)';
}

/** Per size: every cluster served within 2 s at 10,000, and growing no faster than the fleet (20 s at 100,000). */
const targetMs = (size: number) => (TARGET_MS * size) / TARGET_CLUSTERS;

function verdict(runs: FanoutRun[]): string {
  const sizes = [...new Set(runs.map((r) => r.size))].filter((n) => n >= TARGET_CLUSTERS).sort((a, b) => a - b);
  if (sizes.length === 0) return `target ${TARGET_CLUSTERS} clusters served in under ${TARGET_MS / 1000} s: not tested`;
  return sizes.map((size) => {
    const big = runs.filter((r) => r.size === size);
    const worst = (name: StepName) => Math.max(...big.map((r) => r.steps.find((s) => s.step === name)!.result.allServedMs));
    const create = worst('create');
    const change = worst('change');
    const met = create < targetMs(size) && change < targetMs(size);
    recordTarget({
      path: `fan-out, one app to ${size} clusters, all served`, now: `create ${ms(create)} ms, change ${ms(change)} ms (slowest run)`,
      goal: `< ${targetMs(size) / 1000} s`, met,
    });
    return `target ${size} clusters served in under ${targetMs(size) / 1000} s (slowest run): ` +
      `create ${ms(create)} ms, change ${ms(change)} ms: ${met ? 'MET' : 'MISSED'}`;
  }).join('\n');
}

export function renderFanout(runs: FanoutRun[], s: FanoutSettings): string {
  const sizes = [...new Set(runs.map((r) => r.size))].sort((a, b) => a - b);
  const small = sizes[0]!;
  const large = sizes.at(-1)!;
  return [
    '== Fan-out (Node server, Postgres through node-postgres) ==',
    '',
    `One app (template with a Deployment, a Service and a ConfigMap) placed by a label selector matching every cluster; ` +
      `${s.runs} runs per size, each in a fresh database; times in ms from sending the PUT.`,
    'create = the PUT that creates the app; change = a PUT changing a value (every cluster\'s content changes); ' +
      `override = a PUT adding per-cluster overrides, each with its own value, on ${s.overridePercent}% of the clusters ` +
      '(only those change; "others 304" = the rest still answer 304 to the revision they held).',
    `Served = GET /v1/connector/desired-state with the cluster's own credential and If-None-Match of the revision it held ` +
      `answers 200 with the new content; ${s.concurrency} requests in flight once the first cluster is served ` +
      '(before that, one probe every 10 ms). Warm-up: every cluster asked once (304) before the first PUT.',
    '',
    perRun(runs),
    '',
    summary(runs, sizes),
    '',
    ...(sizes.length > 1 ? [`Growth ${large} / ${small} clusters (mean of runs)`, ratios(runs, small, large), ''] : []),
    verdict(runs),
    '',
    'Storage after each PUT: placements (one row per cluster and app) vs rendered_contents (content-addressed: ' +
      'one row per distinct render)',
    storageTable(runs),
    '',
    `CPU during each step (PUT, polling, check of the others), in cores of ${cpus().length}: server = this process's main thread; ` +
      'crypto = its libuv pool; loadgen = the polling worker thread; postgres includes its background processes; ' +
      'other = every other process (other users of the machine); then CPU seconds spent by the server (with its helper threads) and by Postgres',
    cpuTable(runs),
  ].join('\n');
}
