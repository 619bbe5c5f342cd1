/**
 * `npm run bench:gateway`: the cluster gateway's figures (issue 17), with the
 * control plane over HTTPS and the test API server in this process and the
 * connector's bundle in a process of its own, as the image runs it.
 *
 * 1. A busy GET loop (one keep-alive connection, BENCH_GW_GETS requests a
 *    round) alone, then beside a watch whose reader has stopped reading while
 *    2.4 MiB of events pour into it: the watch may hold its own 64 KiB window
 *    and nothing else. Rounds alternate alone / beside, twice.
 * 2. The connector's resident memory (VmRSS, sampled every 250 ms) while it
 *    carries 20 watches that read, with events every 50 ms on each, and a
 *    `logs -f` of a container printing every 5 ms, for BENCH_GW_SECONDS.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { table } from './report.js';
import { percentile } from './stats.js';
import { recordTarget, renderTargets } from './targets.js';
import { ADMIN, startGatewayStack } from '../test/gateway/support.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const GETS = num('BENCH_GW_GETS', 300);
const SECONDS = num('BENCH_GW_SECONDS', 10);
const ROUNDS = num('BENCH_GW_ROUNDS', 2);
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (v: number[]) => Float64Array.from(v).sort();

const s = await startGatewayStack({}, undefined, {
  argv: ['--max-semi-space-size=1', '--no-opt', 'dist/connector/main.mjs'], env: { MALLOC_ARENA_MAX: '2' },
});
try {
  await run(process.execPath, ['--import', 'tsx', 'connectors/build/bundle.ts']);
  const cluster = await s.joinCluster('acme', 'edge-1');
  const rss = async () => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${cluster.pid}/status`, 'utf8'))![1]) / 1024;
  await sleep(2000);
  const joined = await rss();
  const base = `${s.cp.url}/v1/tenants/acme/clusters/edge-1/proxy`;
  const apply = (o: object) => s.kubeClient.apply(o as Parameters<typeof s.kubeClient.apply>[0], true, 'bench');
  for (const ns of ['shop', 'flood', ...Array.from({ length: 20 }, (_, i) => `w${i}`)]) await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < 20; i++) await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'shop' }, data: { i: String(i) } });

  const get = (agent: Agent, path: string) => new Promise<void>((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, ca: s.ca.caCert, headers: { authorization: `Bearer ${ADMIN}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
  /** A watch through the gateway; `read: false` never reads what arrives. */
  const watch = (path: string, read: boolean) => {
    const req = request(`${base}${path}`, { ca: s.ca.caCert, headers: { authorization: `Bearer ${ADMIN}` } }, (res) => (read ? res.resume() : res.pause()));
    req.on('error', () => {});
    req.end();
    return req;
  };
  const loop = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: s.ca.caCert });
    await get(agent, '/api/v1/namespaces/shop/configmaps'); // the connection, before the clock
    const ms: number[] = [];
    for (let i = 0; i < GETS; i++) {
      const t = performance.now();
      await get(agent, '/api/v1/namespaces/shop/configmaps');
      ms.push(performance.now() - t);
    }
    agent.destroy();
    return sorted(ms);
  };
  let floods = 0;
  const stalledWatch = async () => {
    const w = watch('/api/v1/namespaces/flood/configmaps?watch=1', false);
    await sleep(300);
    const payload = 'x'.repeat(8 * 1024);
    for (let i = 0; i < 300; i++) await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `f-${floods}-${i}`, namespace: 'flood' }, data: { payload } });
    floods++;
    return w;
  };

  // the connector's memory while it carries 20 reading watches and a logs -f
  await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  const watches = Array.from({ length: 20 }, (_, i) => watch(`/api/v1/namespaces/w${i}/configmaps?watch=1`, true));
  const logs = watch('/api/v1/namespaces/shop/pods/web/log?follow=true', true);
  const samples: number[] = [];
  const stopAt = Date.now() + SECONDS * 1000;
  let n = 0;
  const events = setInterval(() => {
    n++;
    for (let i = 0; i < 20; i++) void apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `e-${n % 50}`, namespace: `w${i}` }, data: { n: String(n), pad: 'y'.repeat(1024) } });
  }, 50);
  const lines = setInterval(() => s.kube.logs.append('shop', 'web', 'web', `line ${Date.now()} ${'z'.repeat(200)}`), 5);
  while (Date.now() < stopAt) {
    samples.push(await rss());
    await sleep(250);
  }
  clearInterval(events);
  clearInterval(lines);
  const peak = Math.max(...samples);
  console.log(`\n== Gateway: the connector's memory (VmRSS) with 20 watches and a logs -f, ${SECONDS} s ==\n`);
  console.log(table(['joined MiB', 'peak MiB', 'last MiB', 'samples'],
    [[joined.toFixed(1), peak.toFixed(1), samples.at(-1)!.toFixed(1), String(samples.length)]]));
  recordTarget({ path: 'connector RSS, 20 watches + logs -f', now: `peak ${peak.toFixed(1)} MiB`, peer: `joined ${joined.toFixed(1)} MiB`, goal: '< 80 MiB', met: peak < 80 });
  for (const w of [...watches, logs]) w.destroy();
  const rounds: { kind: string; ms: Float64Array }[] = [];
  const afterRounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({ kind: 'alone', ms: await loop() });
    const w = await stalledWatch();
    rounds.push({ kind: 'beside a stalled watch', ms: await loop() });
    afterRounds.push(await rss());
    w.destroy();
    await sleep(300);
  }
  const all = (kind: string) => sorted(rounds.filter((x) => x.kind === kind).flatMap((x) => [...x.ms]));
  const [alone, beside] = [all('alone'), all('beside a stalled watch')];
  const ms = (v: number) => v.toFixed(2);
  console.log(`\n== Gateway: a busy GET loop beside a stalled watch (${GETS} GETs a round, one keep-alive connection) ==\n`);
  console.log(table(['round', 'p50 ms', 'p99 ms', 'max ms'], rounds.map((x) => [x.kind, ms(percentile(x.ms, 50)), ms(percentile(x.ms, 99)), ms(x.ms[x.ms.length - 1]!)])));
  console.log(`\nconnector VmRSS after each stalled-watch round (2.4 MiB of events poured into a watch nobody reads): ${afterRounds.map((v) => `${v.toFixed(1)} MiB`).join(', ')}`);
  const ratio = percentile(beside, 50) / percentile(alone, 50);
  recordTarget({
    path: 'gateway GET loop beside a stalled watch, p50', now: `${ms(percentile(beside, 50))} ms (p99 ${ms(percentile(beside, 99))})`,
    peer: `alone ${ms(percentile(alone, 50))} ms (p99 ${ms(percentile(alone, 99))})`, ratio, goal: 'p50 within 1.25x', met: ratio <= 1.25,
  });

  console.log(`\n${renderTargets().replace('issue 16: hot paths at 100,000 clusters', 'issue 17: the cluster gateway')}`);
} finally {
  await s.close();
}
